//! Builds the spec form from `templates/form.yaml` and reads values back from its inputs.
//!
//! Inputs carry their spec path in `data-path` and their kind in `data-kind`; one listener on
//! the form handles them all.

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use super::dom::{append, el, text_el};
use super::state::{get, parse_path};
use crate::form::{Field, FieldKind, Section};

/// Replaces the form's content with fields for every section, filled from `state`.
pub fn build(form: &Element, sections: &[Section], state: &Value) {
    form.set_inner_html("");
    for section in sections {
        let set = el("fieldset", &[("class", "section"), ("id", &format!("sec-{}", section.id))]);
        append(&set, &text_el("legend", &[], &section.section));
        match &section.list {
            None => {
                for field in &section.fields {
                    append(&set, &field_el(field, &field.key, state));
                }
            }
            Some(list) => {
                let _ = set.set_attribute("data-list", list);
                let _ = set.class_list().add_1("list");
                let item = section.item.as_deref().unwrap_or("Item");
                let rows = el("div", &[("class", "rows")]);
                let count = get(state, &parse_path(list)).and_then(Value::as_array).map_or(0, Vec::len);
                for i in 0..count {
                    let row = el("fieldset", &[("class", "row")]);
                    append(&row, &text_el("legend", &[], &format!("{item} {}", i + 1)));
                    for field in &section.fields {
                        append(&row, &field_el(field, &format!("{list}.{i}.{}", field.key), state));
                    }
                    let index = i.to_string();
                    let label = format!("Remove {} {}", item.to_ascii_lowercase(), i + 1);
                    append(
                        &row,
                        &text_el(
                            "button",
                            &[
                                ("type", "button"),
                                ("class", "remove"),
                                ("data-action", "remove"),
                                ("data-list", list),
                                ("data-index", &index),
                            ],
                            &label,
                        ),
                    );
                    append(&rows, &row);
                }
                append(&set, &rows);
                let add_id = format!("add-{}", section.id);
                let add = text_el(
                    "button",
                    &[
                        ("type", "button"),
                        ("class", "add"),
                        ("id", &add_id),
                        ("data-action", "add"),
                        ("data-list", list),
                    ],
                    &format!("Add {}", item.to_ascii_lowercase()),
                );
                append(&set, &add);
            }
        }
        append(form, &set);
    }
}

fn field_el(field: &Field, path: &str, state: &Value) -> Element {
    let id = format!("f-{path}");
    let wrap = el("div", &[("class", "field")]);
    let label = text_el("label", &[("for", &id)], &field.label);
    if field.required {
        append(&label, &text_el("span", &[("class", "required"), ("aria-hidden", "true")], " *"));
    }
    append(&wrap, &label);

    let current = get(state, &parse_path(path));
    let kind = kind_name(field.kind);
    let error_id = format!("e-{path}");
    let hint_id = format!("h-{path}");
    let described = if field.hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    let common: [(&str, &str); 4] =
        [("id", &id), ("data-path", path), ("data-kind", kind), ("aria-describedby", &described)];
    let input = match field.kind {
        FieldKind::Choice | FieldKind::Yesno => {
            let select = el("select", &common);
            let options: Vec<(String, String)> = match field.kind {
                FieldKind::Yesno => vec![("yes".into(), "yes".into()), ("no".into(), "no".into())],
                _ => field.options.iter().map(|o| (o.clone(), o.clone())).collect(),
            };
            append(&select, &text_el("option", &[("value", "")], "—"));
            let selected = match current {
                Some(Value::Bool(true)) => "yes".to_string(),
                Some(Value::Bool(false)) => "no".to_string(),
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            for (value, text) in options {
                let option = text_el("option", &[("value", &value)], &text);
                if value == selected {
                    let _ = option.set_attribute("selected", "");
                }
                append(&select, &option);
            }
            select
        }
        FieldKind::Long | FieldKind::Lines => {
            let area = el("textarea", &common);
            let _ = area.set_attribute("rows", if field.kind == FieldKind::Long { "4" } else { "3" });
            let text = match current {
                Some(Value::Array(items)) => items.iter().map(scalar_text).collect::<Vec<_>>().join("\n"),
                Some(v) => scalar_text(v),
                None => String::new(),
            };
            area.set_text_content(Some(&text));
            area
        }
        _ => {
            let input = el("input", &common);
            let (kind_attr, mode) = match field.kind {
                FieldKind::Number => ("text", Some("decimal")),
                _ => ("text", None),
            };
            let _ = input.set_attribute("type", kind_attr);
            if let Some(mode) = mode {
                let _ = input.set_attribute("inputmode", mode);
            }
            let placeholder = match field.kind {
                FieldKind::Duration => Some("e.g. 15m, 1h30m"),
                FieldKind::Datetime => Some("YYYY-MM-DD HH:MM"),
                _ => field.placeholder.as_deref(),
            };
            if let Some(p) = placeholder {
                let _ = input.set_attribute("placeholder", p);
            }
            if field.required {
                let _ = input.set_attribute("required", "");
                let _ = input.set_attribute("aria-required", "true");
            }
            let _ = input.set_attribute("autocomplete", "off");
            if let Some(v) = current {
                let _ = input.set_attribute("value", &scalar_text(v));
            }
            input
        }
    };
    append(&wrap, &input);
    if let Some(hint) = &field.hint {
        append(&wrap, &text_el("p", &[("class", "hint"), ("id", &hint_id)], hint));
    }
    let error = text_el("p", &[("class", "field-error"), ("id", &error_id)], "");
    let _ = error.set_attribute("hidden", "");
    append(&wrap, &error);
    wrap
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
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
