//! Findings declared as data in the tool knowledge files (`findings:` in `templates/tools/<tool>.yaml`).
//!
//! Each is a set of conditions over the spec as JSON; see [`crate::tools::DataFinding`]. The
//! built-in rules stay in Rust (`rules.rs`); these carry the tool-specific gaps, with ids `PB1xx`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde_json::Value;

use super::Finding;
use crate::spec::Spec;
use crate::tools::{DataFinding, Knowledge};

/// The findings of the spec's tool that fire on it, in the order of the knowledge file.
pub(super) fn check(spec: &Spec, knowledge: &Knowledge, out: &mut Vec<Finding>) {
    let tool = spec.tool();
    if !knowledge.knows(tool) {
        return;
    }
    let findings = &knowledge.tool(tool).findings;
    if findings.is_empty() {
        return;
    }
    let subject = subject(spec, findings);
    for f in findings.iter().filter(|f| fires(f, &subject)) {
        out.push(Finding {
            id: intern(&f.id),
            rule: intern(&f.name),
            severity: f.severity,
            message: f.message.clone(),
            path: f.path.clone(),
            fix: intern(&f.fix),
            location: None,
        });
    }
}

/// What the conditions are evaluated against: `{ spec: …, derived: { first_deployment } }`.
fn subject(spec: &Spec, findings: &[DataFinding]) -> Value {
    // Natively only the sections the conditions read are serialized (all of it took a third of
    // planning); the Wasm build serializes the whole spec with code it has anyway, and stays smaller.
    #[cfg(not(target_arch = "wasm32"))]
    let spec_json = super::sections::to_json(spec, findings);
    #[cfg(target_arch = "wasm32")]
    let spec_json = {
        let _ = findings;
        serde_json::to_value(spec).unwrap_or(Value::Null)
    };
    serde_json::json!({
        "spec": spec_json,
        "derived": { "first_deployment": spec.cannot_roll_back() },
    })
}

pub(crate) fn fires(f: &DataFinding, subject: &Value) -> bool {
    conditions_hold(&f.when, &f.any, subject)
}

/// Whether every condition of `when` holds and, when `any` lists groups, every condition of one of them.
pub(super) fn conditions_hold(
    when: &BTreeMap<String, Value>,
    any: &[BTreeMap<String, Value>],
    subject: &Value,
) -> bool {
    all_hold(when, subject) && (any.is_empty() || any.iter().any(|c| all_hold(c, subject)))
}

fn all_hold(conditions: &BTreeMap<String, Value>, subject: &Value) -> bool {
    conditions.iter().all(|(path, expected)| holds(expected, lookup(subject, path)))
}

/// The value at a dotted path; a missing field reads as `null`.
fn lookup<'a>(subject: &'a Value, path: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    path.split('.').try_fold(subject, |v, key| v.get(key)).unwrap_or(&NULL)
}

fn holds(expected: &Value, actual: &Value) -> bool {
    if let Value::Object(op) = expected {
        if op.len() == 1 {
            if let Some(Value::Array(options)) = op.get("one_of") {
                return options.iter().any(|o| holds(o, actual));
            }
            if let Some(v) = op.get("not") {
                return !holds(v, actual);
            }
            if let Some(Value::Bool(want)) = op.get("empty") {
                let empty = match actual {
                    Value::Null => true,
                    Value::Array(a) => a.is_empty(),
                    Value::String(s) => s.trim().is_empty(),
                    Value::Object(o) => o.is_empty(),
                    _ => false,
                };
                return empty == *want;
            }
        }
    }
    expected == actual
}

/// A `&'static str` for a text of an embedded knowledge file. Each distinct text is stored once per
/// process, so this stays bounded by the knowledge files' size however many specs are checked.
pub(super) fn intern(s: &str) -> &'static str {
    static POOL: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = pool.get(s) {
        return found;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    pool.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_spec;

    #[test]
    fn every_data_finding_fires_on_its_example_and_not_on_its_fix() {
        let knowledge = Knowledge::load().unwrap();
        let mut ids = BTreeSet::new();
        for (tool, k) in knowledge.known_tools() {
            for f in &k.findings {
                assert!(ids.insert(f.id.clone()), "{} is used twice", f.id);
                let n: u32 = f.id.strip_prefix("PB").and_then(|n| n.parse().ok()).unwrap_or(0);
                assert!((101..1000).contains(&n), "{}: data findings use PB101 and up", f.id);
                assert!(!super::super::RULES.iter().any(|r| r.id == f.id), "{} collides with a built-in rule", f.id);
                for path in f.when.keys().chain(f.any.iter().flat_map(|c| c.keys())) {
                    assert!(path.starts_with("spec.") || path.starts_with("derived."), "{}: bad path {path}", f.id);
                }
                let example = parse_spec(&f.example).unwrap_or_else(|e| panic!("{}: {e}", f.id));
                assert_eq!(example.tool(), tool, "{}: the example names the tool", f.id);
                let fired = crate::findings::check(&example, &knowledge);
                assert!(fired.iter().any(|x| x.id == f.id), "{} does not fire on its example", f.id);
                let fixed = parse_spec(&f.fixed).unwrap_or_else(|e| panic!("{}: {e}", f.id));
                let fired = crate::findings::check(&fixed, &knowledge);
                assert!(!fired.iter().any(|x| x.id == f.id), "{} fires on its fixed example", f.id);
            }
        }
        assert!(ids.len() >= 3, "at least three tool-specific findings");
    }

    #[test]
    fn conditions_compare_values_membership_negation_and_emptiness() {
        let subject = serde_json::json!({ "spec": { "a": "x", "list": [], "n": null } });
        let cond = |v: Value| holds(&v, lookup(&subject, "spec.a"));
        assert!(cond(serde_json::json!("x")));
        assert!(cond(serde_json::json!({ "one_of": ["y", "x"] })));
        assert!(cond(serde_json::json!({ "not": "y" })));
        assert!(!cond(serde_json::json!({ "empty": true })));
        assert!(holds(&serde_json::json!({ "empty": true }), lookup(&subject, "spec.list")));
        assert!(holds(&serde_json::json!(null), lookup(&subject, "spec.missing.deeper")));
        assert!(holds(&serde_json::json!(null), lookup(&subject, "spec.n")));
        assert_eq!(intern("same"), intern(&String::from("same")));
    }

    /// `empty: true` holds for what a spec leaves out: a missing or null value, a blank string, an
    /// empty list or mapping; `empty: false` for anything else, numbers and booleans included.
    #[test]
    fn emptiness_is_missing_null_blank_or_no_items() {
        let empty = serde_json::json!({ "empty": true });
        let filled = serde_json::json!({ "empty": false });
        for value in
            [Value::Null, serde_json::json!("  "), serde_json::json!(""), serde_json::json!([]), serde_json::json!({})]
        {
            assert!(holds(&empty, &value), "{value} is empty");
            assert!(!holds(&filled, &value), "{value} is not filled");
        }
        for value in [
            serde_json::json!("x"),
            serde_json::json!([1]),
            serde_json::json!({ "a": 1 }),
            serde_json::json!(0),
            serde_json::json!(false),
        ] {
            assert!(!holds(&empty, &value), "{value} is not empty");
            assert!(holds(&filled, &value), "{value} is filled");
        }
    }
}
