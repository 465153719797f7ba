//! Writing a spec back out as YAML: block style, deterministic, and re-readable to the same spec.

use serde_json::Value;

use crate::spec::Spec;

/// The spec as YAML, with empty values left out.
pub fn to_yaml(spec: &Spec) -> String {
    let value: Value = crate::permalink::compact_value(spec);
    let mut out = String::from("# planb spec\n");
    write_map(&value, 0, &mut out);
    out
}

fn write_map(value: &Value, indent: usize, out: &mut String) {
    let Some(map) = value.as_object() else { return };
    for (key, v) in map {
        push_indent(indent, out);
        out.push_str(&scalar(key));
        out.push(':');
        write_value(v, indent, out);
    }
}

/// Writes a value after `key:` or `- `, on the same line when it is a scalar.
fn write_value(v: &Value, indent: usize, out: &mut String) {
    match v {
        Value::Object(map) if map.is_empty() => out.push_str(" {}\n"),
        Value::Object(_) => {
            out.push('\n');
            write_map(v, indent + 2, out);
        }
        Value::Array(items) if items.is_empty() => out.push_str(" []\n"),
        Value::Array(items) => {
            out.push('\n');
            for item in items {
                push_indent(indent + 2, out);
                out.push('-');
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first key sits on the dash's line; the rest align under it.
                        let mut first = true;
                        for (key, inner) in map {
                            if first {
                                out.push(' ');
                                first = false;
                            } else {
                                push_indent(indent + 4, out);
                            }
                            out.push_str(&scalar(key));
                            out.push(':');
                            write_value(inner, indent + 4, out);
                        }
                    }
                    _ => write_value(item, indent + 2, out),
                }
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar_value(v));
            out.push('\n');
        }
    }
}

fn push_indent(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn scalar_value(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string, else double-quoted.
pub(crate) fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn is_plain_safe(s: &str) -> bool {
    let first = match s.chars().next() {
        Some(c) => c,
        None => return false,
    };
    let keyword = matches!(
        s.to_ascii_lowercase().as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | ".inf" | "-.inf" | ".nan"
    );
    let numeric = s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E' | b'_'));
    // ASCII only: anything else is quoted, which is always correct (and keeps Unicode tables out of Wasm).
    first.is_ascii_alphabetic()
        && !keyword
        && !numeric
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || " _-./()@,'".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_survive_export_and_import() {
        for (name, text) in crate::examples::ALL {
            let spec = crate::parse_spec(text).unwrap();
            let yaml = to_yaml(&spec);
            let back = crate::parse_spec(&yaml).unwrap_or_else(|e| panic!("{name}: {e}\n{yaml}"));
            assert_eq!(back, spec, "{name}\n{yaml}");
        }
    }

    #[test]
    fn strings_that_look_like_other_things_are_quoted() {
        for s in ["yes", "10", "1.10", "a: b", "#x", "- y", "", " lead", "x #y", "@dana", "\"q\"", "[a]"] {
            let quoted = scalar(s);
            assert!(quoted.starts_with('"'), "{s:?} -> {quoted}");
        }
        assert_eq!(scalar("payments-api"), "payments-api");
        assert_eq!(scalar("Dana Kim (incident lead)"), "Dana Kim (incident lead)");
    }

    #[test]
    fn nested_lists_are_indented_under_their_key() {
        let spec =
            crate::parse_spec("component: { name: a }\nkill_switches: [{ kind: feature-flag, flag_key: f }]").unwrap();
        let yaml = to_yaml(&spec);
        assert!(yaml.contains("kill_switches:\n  - kind: feature-flag\n    flag_key: f\n"), "{yaml}");
    }
}
