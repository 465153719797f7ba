//! Small DOM helpers, so the page code reads as what it builds.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

pub fn window() -> Window {
    web_sys::window().expect_throw("planb runs in a browser window")
}

pub fn document() -> Document {
    window().document().expect_throw("the window has a document")
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// Creates an element with attributes.
pub fn el(tag: &str, attrs: &[(&str, &str)]) -> Element {
    let e = document().create_element(tag).expect_throw("valid tag");
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    e
}

/// Creates an element holding text.
pub fn text_el(tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = el(tag, attrs);
    e.set_text_content(Some(text));
    e
}

pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

pub fn set_hidden(e: &Element, hidden: bool) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_hidden(hidden);
    }
}

/// Listens for an event for the life of the page (the closure is leaked on purpose).
pub fn on<F: FnMut(web_sys::Event) + 'static>(target: &web_sys::EventTarget, event: &str, f: F) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// The element an event happened on.
pub fn target_element(event: &web_sys::Event) -> Option<Element> {
    event.target().and_then(|t| t.dyn_into::<Element>().ok())
}

/// Moves keyboard focus to an element and scrolls it into view.
pub fn focus(e: &Element) {
    e.scroll_into_view();
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// Ends the current task and goes on in a new one, so the browser can handle input and paint in
/// between: long work split this way never freezes the page for long.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Sets an element's HTML, unless the site build already put this very HTML in the page (see
/// `prerender.rs`): then the element keeps the nodes the browser parsed, and painted, before planb
/// started. Either way the element is live from now on.
pub fn fill(e: &Element, html: &str) {
    let prerendered = e.get_attribute(PRERENDERED);
    if prerendered.is_some() {
        let _ = e.remove_attribute(PRERENDERED);
    }
    if prerendered.as_deref() != Some(fingerprint(html).as_str()) {
        e.set_inner_html(html);
    }
}

/// The attribute of an element the site build filled: the fingerprint of the HTML it put there.
/// Until planb fills it again, a visitor whose own spec will replace the example does not see it
/// (`www/boot.js`, `www/style.css`).
pub const PRERENDERED: &str = "data-prerendered";

/// A short fingerprint of a text (64-bit FNV-1a, in hex): enough to tell whether the HTML the site
/// build put in the page is the HTML planb would show (a page from another build is not); it is not
/// a security check.
pub fn fingerprint(text: &str) -> String {
    format!("{:016x}", crate::source::node::fingerprint(text))
}
