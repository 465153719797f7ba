//! The output side of the page: tabs, preview, findings, status messages, copy, download, links.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use super::dom::{self, append, by_id, el, text_el};
use super::state::form_path;
use super::App;
use crate::render::{Format, OUTPUTS};
use crate::{Error, Severity};

/// Creates one tab per output.
pub fn build_tabs() {
    let Some(tabs) = by_id("tabs") else { return };
    if let Ok(html) = tabs_html() {
        dom::fill(&tabs, &html);
    }
    if let Some(panel) = by_id("panel") {
        let _ = panel.set_attribute("aria-labelledby", &format!("tab-{}", OUTPUTS[0].id));
    }
}

/// The tabs' HTML, the first one selected.
pub fn tabs_html() -> Result<String, JsValue> {
    let outputs: Vec<_> = OUTPUTS.iter().map(|o| serde_json::json!({ "id": o.id, "label": o.label })).collect();
    page_template("page/tabs.html.j2", serde_json::json!({ "outputs": outputs }))
}

/// Renders one of the page's own templates (`templates/page/`).
pub(super) fn page_template(name: &str, context: serde_json::Value) -> Result<String, JsValue> {
    super::engine()?.templates().render(name, context).map_err(|e| crate::wasm::to_js(&e))
}

/// Marks a tab as the selected one.
pub fn select_tab(index: usize) {
    for (i, output) in OUTPUTS.iter().enumerate() {
        if let Some(tab) = by_id(&format!("tab-{}", output.id)) {
            let on = i == index;
            let _ = tab.set_attribute("aria-selected", if on { "true" } else { "false" });
            let _ = tab.set_attribute("tabindex", if on { "0" } else { "-1" });
        }
    }
    if let Some(panel) = by_id("panel") {
        let _ = panel.set_attribute("aria-labelledby", &format!("tab-{}", OUTPUTS[index].id));
    }
}

/// Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
pub fn tab_keys(event: web_sys::Event) {
    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>().map(|k| k.key()) else { return };
    let Some(current) = dom::target_element(&event).and_then(|t| t.get_attribute("data-index")) else { return };
    let current: usize = current.parse().unwrap_or(0);
    let n = OUTPUTS.len();
    let next = match key.as_str() {
        "ArrowRight" => (current + 1) % n,
        "ArrowLeft" => (current + n - 1) % n,
        "Home" => 0,
        "End" => n - 1,
        _ => return,
    };
    event.prevent_default();
    if let Some(tab) = by_id(&format!("tab-{}", OUTPUTS[next].id)) {
        dom::focus(&tab);
        if let Some(h) = tab.dyn_ref::<HtmlElement>() {
            h.click();
        }
    }
}

/// Lists the examples in the presets menu.
pub fn fill_presets() {
    let Some(select) = by_id("presets") else { return };
    for (name, _) in crate::examples::ALL {
        let label = name.trim_end_matches(".yaml").trim_end_matches(".json").replace('-', " ");
        append(&select, &text_el("option", &[("value", name)], &label));
    }
}

/// The text of the visible output for the current spec.
fn current_text(app: &App) -> Option<String> {
    let spec = app.spec.as_ref()?;
    let engine = super::engine().ok()?;
    engine.render(spec, OUTPUTS[app.tab].options).ok()
}

/// The plan the preview shows for a spec as entered: long texts in part (see `long.rs`); copies
/// and downloads render the whole spec.
pub fn prepare_shown(state: &serde_json::Value, spec: &crate::Spec) -> Result<crate::render::Prepared, Error> {
    let engine = super::engine().map_err(|_| Error::new(crate::ErrorKind::Render, "the engine did not start"))?;
    let shortened = super::long::shortened(state).and_then(|v| crate::parse_spec_json(&v).ok());
    engine.prepare(shortened.as_ref().unwrap_or(spec))
}

/// Shows the visible output and the findings for the current spec.
pub fn render(app: &App) {
    let (Some(spec), Ok(engine)) = (&app.spec, super::engine()) else { return };
    let prepared = match prepare_shown(&app.state, spec) {
        Ok(prepared) => prepared,
        Err(e) => {
            show_error(Some(&e));
            return;
        }
    };
    let options = OUTPUTS[app.tab].options;
    if let Some(preview) = by_id("preview") {
        match engine.templates().render_prepared(&prepared, options, &[]) {
            Ok(text) if options.format == Format::HtmlFragment => super::preview::show(&preview, &text),
            Ok(text) if options.format == Format::Svg => {
                super::preview::forget();
                preview.set_inner_html(&text)
            }
            Ok(text) if options.format == Format::Servicenow => {
                super::preview::forget();
                servicenow_fields(&preview, &text)
            }
            Ok(text) => {
                super::preview::forget();
                preview.set_inner_html("");
                append(&preview, &text_el("pre", &[("class", "source")], &text));
            }
            Err(e) => {
                show_error(Some(&e));
            }
        }
    }
    findings(&prepared.plan().findings);
}

/// ServiceNow's fields one under the other, each with its own Copy button.
fn servicenow_fields(preview: &Element, json: &str) {
    preview.set_inner_html("");
    let Ok(fields) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) else { return };
    for (key, label) in crate::render::SERVICENOW_FIELDS {
        let text = fields.get(*key).and_then(|v| v.as_str()).unwrap_or_default();
        let section = el("section", &[("class", "field-output")]);
        let heading = el("div", &[("class", "field-heading")]);
        append(&heading, &text_el("h3", &[("id", &format!("sn-{key}"))], label));
        let copy_label = format!("Copy {}", label.to_ascii_lowercase());
        append(
            &heading,
            &text_el("button", &[("type", "button"), ("data-copy-field", key), ("aria-label", &copy_label)], "Copy"),
        );
        append(&section, &heading);
        append(&section, &text_el("pre", &[("class", "source"), ("aria-labelledby", &format!("sn-{key}"))], text));
        append(preview, &section);
    }
}

/// Copies one ServiceNow field, for the button inside its section.
pub fn copy_field(event: web_sys::Event) {
    let Some(button) = dom::target_element(&event).and_then(|t| t.closest("[data-copy-field]").ok().flatten()) else {
        return;
    };
    let key = button.get_attribute("data-copy-field").unwrap_or_default();
    let label = crate::render::SERVICENOW_FIELDS.iter().find(|(k, _)| *k == key).map_or("the field", |(_, l)| *l);
    let text = button
        .closest("section")
        .ok()
        .flatten()
        .and_then(|s| s.query_selector("pre").ok().flatten())
        .and_then(|pre| pre.text_content())
        .unwrap_or_default();
    copy(&text, &format!("the {}", label.to_ascii_lowercase()));
}

fn findings(findings: &[crate::Finding]) {
    thread_local! {
        static SHOWN: std::cell::RefCell<Vec<crate::Finding>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // Most keystrokes leave the findings as they were; then the list is left alone.
    if SHOWN.with(|shown| shown.borrow().as_slice() == findings) && !findings.is_empty() {
        return;
    }
    let Ok((summary, list)) = findings_html(findings) else { return };
    SHOWN.with(|shown| *shown.borrow_mut() = findings.to_vec());
    if let Some(e) = by_id("findings-summary") {
        dom::fill(&e, &summary);
    }
    if let Some(e) = by_id("findings-list") {
        dom::fill(&e, &list);
    }
}

/// The summary line and the list items of the findings panel.
pub fn findings_html(findings: &[crate::Finding]) -> Result<(String, String), JsValue> {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let counts = serde_json::json!({
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "notes": count(Severity::Info),
    });
    let items: Vec<_> = findings
        .iter()
        .map(|f| {
            let field = form_path(&f.path);
            serde_json::json!({ "severity": f.severity.as_str(), "id": f.id, "field": field, "message": f.message, "fix": f.fix })
        })
        .collect();
    let summary = page_template("page/summary.html.j2", counts)?;
    let list = page_template("page/findings.html.j2", serde_json::json!({ "findings": items }))?;
    Ok((summary.trim().to_string(), list))
}

/// Shows (or with `None`, hides) the error that keeps the spec from parsing, at the top and at its
/// field; returns whether a field was marked.
pub fn show_error(error: Option<&Error>) -> bool {
    let Some(banner) = by_id("error-banner") else { return false };
    match error {
        None => {
            if !banner.has_attribute("hidden") {
                banner.set_text_content(None);
                dom::set_hidden(&banner, true);
            }
            false
        }
        Some(e) => {
            banner.set_text_content(Some(&format!("The preview shows the last valid spec. {e}")));
            dom::set_hidden(&banner, false);
            if let Some(path) = &e.path {
                if let Some(input) = input_for(&form_path(path)) {
                    let _ = input.set_attribute("aria-invalid", "true");
                    let id = input.id();
                    if let Some(message) = by_id(&format!("e-{}", id.trim_start_matches("f-"))) {
                        message.set_text_content(Some(&e.message));
                        dom::set_hidden(&message, false);
                    }
                    return true;
                }
            }
            false
        }
    }
}

/// Clears every field's error mark.
pub fn clear_field_errors() {
    let document = dom::document();
    if let Ok(nodes) = document.query_selector_all("[aria-invalid=true]") {
        for i in 0..nodes.length() {
            if let Some(e) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = e.remove_attribute("aria-invalid");
            }
        }
    }
    if let Ok(nodes) = document.query_selector_all(".field-error:not([hidden])") {
        for i in 0..nodes.length() {
            if let Some(e) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.set_text_content(None);
                dom::set_hidden(&e, true);
            }
        }
    }
}

/// The input for a form path: the field itself, or the first field inside it (a list item).
fn input_for(path: &str) -> Option<Element> {
    if let Some(e) = super::field_for(path) {
        return Some(e);
    }
    let document = dom::document();
    let inputs = document.query_selector_all("[data-path]").ok()?;
    let prefix = format!("{path}.");
    (0..inputs.length())
        .filter_map(|i| inputs.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .find(|e| e.get_attribute("data-path").is_some_and(|p| p.starts_with(&prefix)))
}

/// Focuses the field for a path; a list without that row focuses the list's Add button.
pub fn focus_path(path: &str) {
    let path = path.trim_end_matches('.');
    match input_for(path) {
        Some(input) => dom::focus(&input),
        None => focus_list(path),
    }
}

/// Focuses a list's Add button, or the section holding the path.
pub fn focus_list(list: &str) {
    let document = dom::document();
    if let Ok(Some(section)) = document.query_selector(&format!("fieldset[data-list=\"{list}\"] .add")) {
        return dom::focus(&section);
    }
    let section_id = list.split('.').next().unwrap_or(list);
    if let Some(section) = by_id(&format!("sec-{section_id}")) {
        let _ = section.set_attribute("tabindex", "-1");
        dom::focus(&section);
    }
}

/// Announces a message in the status line; `alert` marks it as a problem.
pub fn status(message: &str, alert: bool) {
    if let Some(s) = by_id("status-text") {
        s.set_text_content(Some(message));
    }
    if let Some(s) = by_id("status") {
        let _ = s.set_attribute("class", if alert { "status alert" } else { "status" });
        dom::set_hidden(&s, false);
    }
    if let Some(undo) = by_id("undo") {
        dom::set_hidden(&undo, true);
    }
}

/// Announces a message with an Undo button; `alert` marks it as a problem.
pub fn status_with_undo(message: &str, alert: bool) {
    status(message, alert);
    if let Some(undo) = by_id("undo") {
        dom::set_hidden(&undo, false);
    }
}

fn copy(text: &str, what: &str) {
    let clipboard = dom::window().navigator().clipboard();
    let done = format!("Copied {what}.");
    let failed = format!("Could not copy {what}: the browser refused access to the clipboard.");
    let promise = clipboard.write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status(&done, false),
            Err(_) => status(&failed, true),
        }
    });
}

fn download(text: &str, name: &str, media_type: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let a = el("a", &[("href", &url), ("download", name)]);
    if let Some(a) = a.dyn_ref::<HtmlElement>() {
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    status(&format!("Downloaded {name}."), false);
}

/// A file name part from the component's name: letters, digits and dashes only.
fn slug(app: &App) -> String {
    let name = app.spec.as_ref().map_or("plan", |s| s.component.name.as_str());
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "plan".into()
    } else {
        slug.chars().take(60).collect()
    }
}

pub fn copy_current(app: &App) {
    if let Some(text) = current_text(app) {
        copy(&text, OUTPUTS[app.tab].label);
    }
}

pub fn download_current(app: &App) {
    let output = &OUTPUTS[app.tab];
    if let Some(text) = current_text(app) {
        let name = format!("{}-{}.{}", slug(app), output.id, output.options.format.extension());
        download(&text, &name, output.options.format.media_type());
    }
}

/// Downloads the spec as YAML (when it is valid) or JSON (always, so nothing is ever lost).
pub fn export(app: &App, yaml: bool) {
    if yaml {
        match crate::parse_spec_json(&app.state) {
            Ok(spec) => {
                download(&crate::source::to_yaml(&spec), &format!("{}.planb.yaml", slug(app)), "application/yaml")
            }
            Err(e) => {
                status(&format!("Fix the spec before exporting YAML ({e}); JSON export keeps it as it is."), true)
            }
        }
    } else {
        let text = serde_json::to_string_pretty(&app.state).unwrap_or_default() + "\n";
        download(&text, &format!("{}.planb.json", slug(app)), "application/json");
    }
}

/// What to share.
pub enum Share {
    /// The page's permalink.
    Link,
    /// An `<iframe>` of the embed view.
    Iframe,
    /// Confluence Cloud's iframe macro, in storage format.
    Confluence,
}

/// Copies the permalink, or the code that embeds the plan in a wiki.
pub fn copy_link(app: &App, share: Share) {
    let Some(spec) = &app.spec else {
        return status("Fix the spec first: a link holds a valid spec.", true);
    };
    if crate::permalink::compact_json(spec).len() > crate::permalink::MAX_DECODED {
        return status("This spec is larger than a link can hold (1 MiB): export it as a file to share it.", true);
    }
    let location = dom::window().location();
    let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    match share {
        Share::Iframe => copy(&crate::share::iframe(&base, spec), "the embed code"),
        Share::Confluence => copy(&crate::share::confluence_iframe(&base, spec), "the Confluence iframe macro"),
        Share::Link => {
            let url = crate::share::link(&base, spec);
            let what = if url.len() > crate::permalink::LONG_LINK {
                format!("the link ({} characters: chat tools and wikis may cut it)", url.len())
            } else {
                "the link".to_string()
            };
            copy(&url, &what);
        }
    }
}

/// The embed page: the plan alone, from the permalink in the address (and again when it changes).
pub fn start_embed() -> Result<(), JsValue> {
    show_embedded()?;
    dom::on(&dom::window(), "hashchange", |_| {
        let _ = show_embedded();
    });
    Ok(())
}

fn show_embedded() -> Result<(), JsValue> {
    let hash = dom::window().location().hash().unwrap_or_default();
    let preview = by_id("preview").ok_or("no preview")?;
    let engine = super::engine()?;
    let result = crate::permalink::decode(&hash).and_then(|spec| {
        let options = crate::RenderOptions { format: Format::HtmlFragment, style: crate::Style::Detailed };
        engine.render(&spec, options)
    });
    match result {
        Ok(html) => preview.set_inner_html(&html),
        Err(e) => {
            let message = if hash.len() <= 1 {
                "This embed shows a plan from a planb link: add the link's #v1.… part to the address.".to_string()
            } else {
                e.to_string()
            };
            preview.set_inner_html("");
            append(&preview, &text_el("p", &[("class", "status alert"), ("role", "alert")], &message));
        }
    }
    if let Some(body) = dom::document().body() {
        let _ = body.set_attribute("data-ready", "true");
    }
    super::mark("planb:plan-visible");
    Ok(())
}
