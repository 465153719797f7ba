//! The first example's plan, built into the page by the site build, so that a first visit sees a
//! plan at the first paint instead of after the Wasm module has downloaded and started.
//!
//! `scripts/prerender.mjs` calls [`prerender`] (this module, in Node) on `www/index.html`: each
//! element marked `data-prerendered="NAME"` gets the HTML planb would put in it, and the HTML's
//! fingerprint in place of the name. When planb starts, [`dom::fill`] sees that the element already
//! shows that HTML and leaves it alone; a visitor with a spec of their own never sees the example
//! (`www/boot.js` hides marked elements until planb has filled them).

use wasm_bindgen::prelude::*;

use super::dom::{self, fingerprint, PRERENDERED};
use super::output;
use crate::render::OUTPUTS;

/// `page` (the text of `www/index.html`) with the first example's tabs, gaps and plan filled in.
/// Fails when the page lacks one of the marked elements, so a changed page cannot lose them quietly.
#[wasm_bindgen]
pub fn prerender(page: &str) -> Result<String, JsValue> {
    let js = |e: crate::Error| crate::wasm::to_js(&e);
    let state = super::first_example();
    let spec = crate::parse_spec_json(&state).map_err(js)?;
    let prepared = output::prepare_shown(&state, &spec).map_err(js)?;
    // The first tab, as `output::render` shows it.
    let plan = super::engine()?.templates().render_prepared(&prepared, OUTPUTS[0].options, &[]).map_err(js)?;
    let (summary, findings) = output::findings_html(&prepared.plan().findings)?;
    let slots =
        [("tabs", output::tabs_html()?), ("findings-summary", summary), ("findings-list", findings), ("preview", plan)];
    let mut page = page.to_string();
    for (name, html) in slots {
        let slot = format!("{PRERENDERED}=\"{name}\">");
        let (Some(at), 1) = (page.find(&slot), page.matches(&slot).count()) else {
            return Err(JsValue::from_str(&format!("the page has no single element marked {slot}")));
        };
        let filled = format!("{PRERENDERED}=\"{}\">{html}", fingerprint(&html));
        page.replace_range(at..at + slot.len(), &filled);
    }
    // The tab panel is labelled by the first tab, as `output::build_tabs` labels it when planb starts.
    let panel = "id=\"panel\"";
    let (Some(at), 1) = (page.find(panel), page.matches(panel).count()) else {
        return Err(JsValue::from_str("the page has no single element with id=\"panel\""));
    };
    page.insert_str(at + panel.len(), &format!(" aria-labelledby=\"tab-{}\"", OUTPUTS[0].id));
    Ok(page)
}

/// Empties what planb did not fill when it started (the plan, when the saved spec does not parse),
/// so no part of the example stays behind hidden.
pub fn clear_leftovers() {
    let Ok(left) = dom::document().query_selector_all(&format!("[{PRERENDERED}]")) else { return };
    for i in 0..left.length() {
        if let Some(e) = left.item(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok()) {
            e.set_inner_html("");
            let _ = e.remove_attribute(PRERENDERED);
        }
    }
}
