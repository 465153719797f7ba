//! The page's form for the spec, described as data in `templates/form.yaml`.
//!
//! Kept beside the spec (not in the Wasm layer) so native tests can check that the form covers
//! every field of the schema.

use serde::Deserialize;

use crate::error::Error;

const FORM: &str = include_str!("../templates/form.yaml");

/// A group of fields, or a list of rows that each hold the same fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading.
    pub section: String,
    /// A stable id for the section's element.
    pub id: String,
    /// For a list: the spec path of the list; field keys are then relative to one item.
    #[serde(default)]
    pub list: Option<String>,
    /// For a list: what one row is called ("Kill switch").
    #[serde(default)]
    pub item: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub placeholder: Option<String>,
    #[serde(default)]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Long,
    /// One of `options`.
    Choice,
    /// Yes, no, or unstated.
    Yesno,
    Number,
    Duration,
    Datetime,
    /// A list of strings, one a line.
    Lines,
    /// An earlier version: its version string, or yes / no when only its existence is known.
    Version,
}

/// The form's sections, in order.
pub fn sections() -> Result<Vec<Section>, Error> {
    crate::source::parse_as(FORM).map_err(|e| e.with_origin("templates/form.yaml"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::*;

    /// Every leaf of the spec schema, by dotted path (`[]` marks a list item), with its enum values.
    fn schema_leaves() -> BTreeMap<String, Vec<String>> {
        let schema: Value = serde_json::from_str(crate::SPEC_SCHEMA).unwrap();
        let mut out = BTreeMap::new();
        walk(&schema, &schema, String::new(), &mut out);
        out
    }

    fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => resolve(root, &root["$defs"][r.trim_start_matches("#/$defs/")]),
            None => node,
        }
    }

    fn walk(root: &Value, node: &Value, path: String, out: &mut BTreeMap<String, Vec<String>>) {
        let node = resolve(root, node);
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (key, child) in props {
                let p = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                walk(root, child, p, out);
            }
            return;
        }
        if let Some(variants) = node.get("anyOf").or_else(|| node.get("oneOf")).and_then(Value::as_array) {
            let variants: Vec<&Value> = variants.iter().map(|v| resolve(root, v)).collect();
            // Prefer the mapping form of a value that also has a short form (a person, a rollout step).
            if let Some(object) = variants.iter().find(|v| v.get("properties").is_some()) {
                return walk(root, object, path, out);
            }
            if let Some(value) = variants.iter().find(|v| v.get("type") != Some(&Value::from("null"))) {
                return walk(root, value, path, out);
            }
        }
        if let Some(items) = node.get("items") {
            let item = resolve(root, items);
            if item.get("properties").is_some() || item.get("anyOf").is_some() {
                return walk(root, item, format!("{path}[]"), out);
            }
        }
        let values = node
            .get("enum")
            .or_else(|| node.get("items").map(|i| resolve(root, i)).and_then(|i| i.get("enum")))
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).map(String::from).collect())
            .unwrap_or_default();
        out.insert(path, values);
    }

    fn form_leaves() -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for section in sections().unwrap() {
            for field in section.fields {
                let path = match &section.list {
                    Some(list) => format!("{list}[].{}", field.key),
                    None => field.key.clone(),
                };
                assert!(out.insert(path.clone(), field.options).is_none(), "{path} appears twice in the form");
            }
        }
        out
    }

    #[test]
    fn the_form_covers_every_field_of_the_schema_with_its_values() {
        let schema = schema_leaves();
        let form = form_leaves();
        let missing: Vec<&String> = schema.keys().filter(|k| !form.contains_key(*k)).collect();
        let unknown: Vec<&String> = form.keys().filter(|k| !schema.contains_key(*k)).collect();
        assert!(missing.is_empty(), "spec fields without a form field: {missing:?}");
        assert!(unknown.is_empty(), "form fields the spec does not have: {unknown:?}");
        for (path, values) in &schema {
            if !values.is_empty() && path != "deployment.failure_strategies[].errors" {
                assert_eq!(&form[path], values, "choices of {path}");
            }
        }
    }
}
