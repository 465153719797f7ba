//! Builds the spec form from `templates/form.yaml` and reads values back from its inputs.
//!
//! Inputs carry their spec path in `data-path` and their kind in `data-kind`; one listener on
//! the form handles them all.

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::importer::Shown;
use super::long;
use super::state::{get, parse_path};
use crate::form::{Field, FieldKind, Section};

/// Replaces the form's content with fields for every section, filled from `state`; `sources` holds
/// the text shown under an imported field or list item (its source, or what to confirm).
///
/// The form is written as HTML text and parsed by the browser in one go: for a spec with a
/// thousand rows that is many times faster than creating each element through the DOM.
pub fn build(form: &Element, sections: &[Section], state: &Value, sources: Option<&Shown>) {
    let mut html = Html { sources, ..Html::default() };
    // Rows past the first few go in later tasks, a batch at a time (see `fill_later`).
    let mut later: Vec<(String, Html)> = Vec::new();
    for section in sections {
        let id = format!("sec-{}", section.id);
        match &section.list {
            Some(list) => html.open("fieldset", &[("class", "section list"), ("id", &id), ("data-list", list)]),
            None => html.open("fieldset", &[("class", "section"), ("id", &id)]),
        }
        html.element("legend", &[], &section.section);
        match &section.list {
            None => {
                for field in &section.fields {
                    field_html(&mut html, field, &field.key, state);
                }
            }
            Some(list) => {
                let item = section.item.as_deref().unwrap_or("Item");
                let rows_id = format!("rows-{}", section.id);
                let count = get(state, &parse_path(list)).and_then(Value::as_array).map_or(0, Vec::len);
                // Many rows are laid out lazily (see `.many` in www/style.css).
                let class = if count > ROWS_AT_ONCE { "rows many" } else { "rows" };
                html.open("div", &[("class", class), ("id", &rows_id)]);
                for i in 0..count {
                    if i >= ROWS_AT_ONCE && i % ROWS_AT_ONCE == 0 {
                        later.push((rows_id.clone(), Html { sources, ..Html::default() }));
                    }
                    let html = match later.last_mut() {
                        Some((_, batch)) if i >= ROWS_AT_ONCE => batch,
                        _ => &mut html,
                    };
                    html.open("fieldset", &[("class", "row")]);
                    html.element("legend", &[], &format!("{item} {}", i + 1));
                    if let Some(source) = html.source(&format!("{list}.{i}")) {
                        html.element("p", &[("class", "from")], source);
                    }
                    for field in &section.fields {
                        field_html(html, field, &format!("{list}.{i}.{}", field.key), state);
                    }
                    let label = format!("Remove {} {}", item.to_ascii_lowercase(), i + 1);
                    let index = i.to_string();
                    let attrs = [
                        ("type", "button"),
                        ("class", "remove"),
                        ("data-action", "remove"),
                        ("data-list", list.as_str()),
                        ("data-index", index.as_str()),
                    ];
                    html.element("button", &attrs, &label);
                    html.close("fieldset");
                }
                html.close("div");
                let add_id = format!("add-{}", section.id);
                let attrs = [
                    ("type", "button"),
                    ("class", "add"),
                    ("id", &add_id),
                    ("data-action", "add"),
                    ("data-list", list),
                ];
                html.element("button", &attrs, &format!("Add {}", item.to_ascii_lowercase()));
            }
        }
        html.close("fieldset");
    }
    form.set_inner_html(&html.out);
    set_exact(html.exact);
    fill_later(form, later);
}

/// Rows written at once; the rest follow in batches of as many, one task each, so that a spec
/// with a thousand rows never freezes the page while its form is built.
const ROWS_AT_ONCE: usize = 50;

thread_local! {
    /// Counts form builds, so the batches of a form that was rebuilt since are dropped.
    static BUILDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Adds the batches of rows one task at a time; the form is `aria-busy` until they are all in.
fn fill_later(form: &Element, batches: Vec<(String, Html)>) {
    // Only the text outlives the build.
    let batches: Vec<_> = batches.into_iter().map(|(rows_id, batch)| (rows_id, batch.out, batch.exact)).collect();
    let build = BUILDS.get() + 1;
    BUILDS.set(build);
    if batches.is_empty() {
        let _ = form.remove_attribute("aria-busy");
        return;
    }
    let _ = form.set_attribute("aria-busy", "true");
    let form = form.clone();
    wasm_bindgen_futures::spawn_local(async move {
        for (rows_id, out, exact) in batches {
            super::dom::next_task().await;
            if BUILDS.get() != build {
                return;
            }
            if let Some(rows) = super::dom::by_id(&rows_id) {
                let _ = rows.insert_adjacent_html("beforeend", &out);
                set_exact(exact);
            }
        }
        let _ = form.remove_attribute("aria-busy");
    });
}

/// The HTML parser turns U+0000 into U+FFFD: such values are set exactly through the DOM.
fn set_exact(values: Vec<(String, String)>) {
    for (id, value) in values {
        let Some(input) = super::dom::by_id(&id) else { continue };
        if let Some(area) = input.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(&value);
        } else {
            let _ = input.set_attribute("value", &value);
        }
    }
}

/// HTML text under construction.
#[derive(Default)]
struct Html<'s> {
    out: String,
    /// Inputs whose value HTML text cannot carry exactly: (element id, value).
    exact: Vec<(String, String)>,
    /// What to show under an imported field (see [`build`]).
    sources: Option<&'s Shown>,
}

impl<'s> Html<'s> {
    /// The source to show under the field or list item at `path`, when it was imported.
    fn source(&self, path: &str) -> Option<&'s str> {
        self.sources?.source(path)
    }

    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.text(value);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn close(&mut self, tag: &str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    fn element(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag);
    }

    /// Text or an attribute value, escaped so the parser reads back exactly `s` (but for U+0000,
    /// see [`Html::exact`]). A carriage return is a reference, which the parser's newline
    /// normalisation leaves alone; other characters are written as they are.
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                '\r' => self.out.push_str("&#13;"),
                c => self.out.push(c),
            }
        }
    }
}

fn field_html(html: &mut Html, field: &Field, path: &str, state: &Value) {
    let id = format!("f-{path}");
    html.open("div", &[("class", "field")]);
    html.open("label", &[("for", &id)]);
    html.text(&field.label);
    if field.required {
        html.element("span", &[("class", "required"), ("aria-hidden", "true")], " *");
    }
    html.close("label");

    let current = get(state, &parse_path(path));
    let kind = kind_name(field.kind);
    let error_id = format!("e-{path}");
    let hint_id = format!("h-{path}");
    let source_id = format!("s-{path}");
    let source = html.source(path);
    let mut described = error_id.clone();
    for (shown, id) in [(source.is_some(), &source_id), (field.hint.is_some(), &hint_id)] {
        if shown {
            described = format!("{id} {described}");
        }
    }
    let common = [("id", id.as_str()), ("data-path", path), ("data-kind", kind), ("aria-describedby", &described)];
    match field.kind {
        FieldKind::Choice | FieldKind::Yesno => {
            html.open("select", &common);
            let options: Vec<String> = match field.kind {
                FieldKind::Yesno => vec!["yes".into(), "no".into()],
                _ => field.options.clone(),
            };
            html.element("option", &[("value", "")], "—");
            let selected = match current {
                Some(Value::Bool(true)) => "yes".to_string(),
                Some(Value::Bool(false)) => "no".to_string(),
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            for value in &options {
                let attrs: &[(&str, &str)] =
                    if *value == selected { &[("value", value), ("selected", "")] } else { &[("value", value)] };
                html.element("option", attrs, value);
            }
            html.close("select");
        }
        FieldKind::Long | FieldKind::Lines => {
            let rows = if field.kind == FieldKind::Long { "4" } else { "3" };
            let text = field_text(current);
            let long = text.len() > long::LONG;
            let described_long = format!("{described} l-{path}");
            let mut attrs = common.to_vec();
            attrs.push(("rows", rows));
            if long {
                read_only(&mut attrs, &described_long);
            }
            html.open("textarea", &attrs);
            // The parser drops one newline right after `<textarea>`: this one, not the text's own.
            html.out.push('\n');
            let shown = if long { long::start(&text) } else { &text };
            if shown.contains('\0') {
                html.exact.push((id.clone(), shown.to_string()));
            }
            html.text(shown);
            html.close("textarea");
            if long {
                long_note(html, path, &text);
            }
        }
        _ => {
            let mut attrs = common.to_vec();
            attrs.push(("type", "text"));
            if field.kind == FieldKind::Number {
                attrs.push(("inputmode", "decimal"));
            }
            let placeholder = match field.kind {
                FieldKind::Duration => Some("e.g. 15m, 1h30m"),
                FieldKind::Datetime => Some("YYYY-MM-DD HH:MM"),
                _ => field.placeholder.as_deref(),
            };
            if let Some(p) = placeholder {
                attrs.push(("placeholder", p));
            }
            if field.required {
                attrs.push(("required", ""));
                attrs.push(("aria-required", "true"));
            }
            attrs.push(("autocomplete", "off"));
            let value = current.map(scalar_text).unwrap_or_default();
            let long = value.len() > long::LONG;
            let described_long = format!("{described} l-{path}");
            if long {
                read_only(&mut attrs, &described_long);
            }
            let shown = if long { long::start(&value) } else { &value };
            if !shown.is_empty() {
                if shown.contains('\0') {
                    html.exact.push((id.clone(), shown.to_string()));
                }
                attrs.push(("value", shown));
            }
            html.open("input", &attrs);
            if long {
                long_note(html, path, &value);
            }
        }
    }
    if let Some(source) = source {
        html.element("p", &[("class", "from"), ("id", &source_id)], source);
    }
    if let Some(hint) = &field.hint {
        html.element("p", &[("class", "hint"), ("id", &hint_id)], hint);
    }
    html.element("p", &[("class", "field-error"), ("id", &error_id), ("hidden", "")], "");
    html.close("div");
}

/// The text a text area shows for a value: a list is one item a line.
fn field_text(current: Option<&Value>) -> String {
    match current {
        Some(Value::Array(items)) => items.iter().map(scalar_text).collect::<Vec<_>>().join("\n"),
        Some(v) => scalar_text(v),
        None => String::new(),
    }
}

/// Makes the field of a long value read-only, described by its note too (see [`long_note`]).
fn read_only<'a>(attrs: &mut Vec<(&'a str, &'a str)>, described: &'a str) {
    attrs.retain(|(name, _)| *name != "aria-describedby");
    attrs.extend([("aria-describedby", described), ("readonly", "")]);
}

/// Says that a long value is shown in part, with a button to edit all of it (see `long.rs`).
fn long_note(html: &mut Html, path: &str, text: &str) {
    let count = text.chars().count().to_string();
    html.open("p", &[("class", "hint"), ("id", &format!("l-{path}"))]);
    html.text(&format!(
        "{count} characters: only the start is shown, to keep the page quick. The plan's copies, downloads and link keep all of it. "
    ));
    html.element("button", &[("type", "button"), ("data-action", "edit-long"), ("data-path", path)], "Edit all of it");
    html.close("p");
}

/// Puts the whole of a long value in its field, editable, at the user's request.
pub fn edit_long(state: &Value, path: &str) {
    let Some(field) = super::dom::by_id(&format!("f-{path}")) else { return };
    let text = field_text(get(state, &parse_path(path)));
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(&text);
    } else if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
        input.set_value(&text);
    }
    let _ = field.remove_attribute("readonly");
    let note = format!("l-{path}");
    if let Some(described) = field.get_attribute("aria-describedby") {
        let rest: Vec<&str> = described.split(' ').filter(|id| *id != note).collect();
        let _ = field.set_attribute("aria-describedby", &rest.join(" "));
    }
    if let Some(note) = super::dom::by_id(&note) {
        note.remove();
    }
    if let Some(field) = field.dyn_ref::<web_sys::HtmlElement>() {
        let _ = field.focus();
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Long => "long",
        FieldKind::Choice => "choice",
        FieldKind::Yesno => "yesno",
        FieldKind::Number => "number",
        FieldKind::Duration => "duration",
        FieldKind::Datetime => "datetime",
        FieldKind::Lines => "lines",
        FieldKind::Version => "version",
    }
}

/// The JSON value an input holds, or `None` when it is empty (the field is then left out).
pub fn input_value(input: &Element) -> Option<Value> {
    let raw = if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(s) = input.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else if let Some(t) = input.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else {
        return None;
    };
    let kind = input.get_attribute("data-kind").unwrap_or_default();
    if raw.trim().is_empty() {
        return None;
    }
    Some(match kind.as_str() {
        "yesno" => Value::Bool(raw == "yes"),
        // yes / no say only whether an earlier version runs; anything else is the version itself.
        "version" => match raw.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" => Value::Bool(true),
            "no" | "false" => Value::Bool(false),
            _ => Value::String(raw.trim().to_string()),
        },
        "number" => {
            let t = raw.trim();
            match (t.parse::<i64>(), t.parse::<f64>()) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(f)) if f.is_finite() => Value::from(f),
                // Kept as typed: the spec check then names the field and what it expects.
                _ => Value::String(raw),
            }
        }
        "lines" => {
            let items: Vec<Value> =
                raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.to_string())).collect();
            if items.is_empty() {
                return None;
            }
            Value::Array(items)
        }
        _ => Value::String(raw),
    })
}
