//! Findings on the pipeline files themselves (`planb check rollout.yaml`), ids `PB2xx`.
//!
//! A reader (`crate::pipeline`) turns the files into subjects with facts; each rule here, read from
//! `templates/lint/<tool>.yaml`, is a set of conditions over one kind of subject's facts, with its
//! wording, a bad and a good file, and the sources that say why.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::data::{conditions_hold, intern};
use super::{Finding, Location};
use crate::error::Error;
use crate::pipeline::Subject;
use crate::severity::Severity;

/// A rule file of `templates/lint/`: whole where the rules' documentation is read (the command
/// line, natively or in Node, writes docs/findings.md and SARIF); without it in the page's and the
/// importer's Wasm modules, which only report findings (see `lint_docs`).
#[cfg(any(not(target_arch = "wasm32"), feature = "node-cli"))]
macro_rules! lint_file {
    ($name:literal) => {
        include_str!(concat!("../../templates/lint/", $name))
    };
}
#[cfg(not(any(not(target_arch = "wasm32"), feature = "node-cli")))]
macro_rules! lint_file {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/lint/", $name))
    };
}

/// The rule files, by the tool whose knowledge file holds their sources, in the order of their ids
/// (PB20x Argo Rollouts … PB29x Jenkins), which docs/findings.md keeps.
pub const PIPELINE_RULES: &[(&str, &str)] = &[
    ("argo-rollouts", lint_file!("argo-rollouts.yaml")),
    ("flagger", lint_file!("flagger.yaml")),
    ("github-actions", lint_file!("github-actions.yaml")),
    ("gitlab", lint_file!("gitlab.yaml")),
    ("harness", lint_file!("harness.yaml")),
    ("argo-cd", lint_file!("argo-cd.yaml")),
    ("spinnaker", lint_file!("spinnaker.yaml")),
    ("codedeploy", lint_file!("codedeploy.yaml")),
    ("octopus", lint_file!("octopus.yaml")),
    ("jenkins", lint_file!("jenkins.yaml")),
];

/// One lint rule over a kind of subject of a pipeline file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineRule {
    /// Stable id, `PB2xx`.
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// The kind of subject it is checked on (`rollout`, `canary`, `analysis-metric`, …).
    pub subject: String,
    #[serde(default)]
    pub when: BTreeMap<String, Value>,
    #[serde(default)]
    pub any: Vec<BTreeMap<String, Value>>,
    /// The fact whose place the finding points at; the subject's own place when it is not stated.
    #[serde(default)]
    pub at: Vec<String>,
    pub message: String,
    /// Why the gap matters; with `bad`, `good` and `sources`, the rule's documentation, which the
    /// page's and the importer's modules are built without (empty there).
    #[serde(default)]
    pub why: String,
    pub fix: String,
    /// A file that fires the rule, and the same file with the gap closed.
    #[serde(default)]
    pub bad: String,
    #[serde(default)]
    pub good: String,
    /// Keys of the `sources` of the tool's knowledge file.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    tool: String,
    /// Sources only the lint rules cite, beside the tool knowledge file's.
    #[serde(default)]
    sources: BTreeMap<String, String>,
    rules: Vec<PipelineRule>,
}

/// The rules of one tool's file, with the sources they cite that the tool's knowledge file lacks.
pub struct RuleSet {
    pub tool: String,
    pub sources: BTreeMap<String, String>,
    pub rules: Vec<PipelineRule>,
}

/// Every tool's pipeline rules, read once.
pub fn pipeline_rules() -> Result<&'static [RuleSet], Error> {
    static RULES: OnceLock<Result<Vec<RuleSet>, Error>> = OnceLock::new();
    let read = || {
        PIPELINE_RULES
            .iter()
            .map(|(tool, text)| {
                let file: RuleFile =
                    crate::source::parse_as(text).map_err(|e| e.with_origin(format!("templates/lint/{tool}.yaml")))?;
                Ok(RuleSet { tool: file.tool, sources: file.sources, rules: file.rules })
            })
            .collect()
    };
    RULES.get_or_init(read).as_deref().map_err(Clone::clone)
}

/// Checks the subjects read from pipeline files; findings come most severe first, then by id, file,
/// line and column.
pub fn check_pipeline(subjects: &[Subject]) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    for set in pipeline_rules()? {
        for (rule, subject) in set.rules.iter().flat_map(|r| subjects.iter().map(move |s| (r, s))) {
            if subject.tool != set.tool || subject.kind != rule.subject {
                continue;
            }
            let facts = Value::Object(subject.facts.clone());
            if !conditions_hold(&rule.when, &rule.any, &facts) {
                continue;
            }
            // The first stated fact of `at` is where the finding points.
            let fact = rule.at.iter().find(|f| subject.places.contains_key(*f)).map(String::as_str);
            let place = subject.place_of(fact);
            out.push(Finding {
                id: intern(&rule.id),
                rule: intern(&rule.name),
                severity: rule.severity,
                message: message(&rule.message, &subject.facts),
                path: place.path.clone(),
                fix: intern(&rule.fix),
                location: Some(Location { file: place.file.clone(), line: place.mark.line, column: place.mark.column }),
            });
        }
    }
    out.sort_by(|a, b| {
        let at = |f: &Finding| f.location.as_ref().map(|l| (l.file.clone(), l.line, l.column));
        (a.severity, a.id, at(a)).cmp(&(b.severity, b.id, at(b)))
    });
    Ok(out)
}

/// A rule's message with `{fact}` replaced by the subject's fact (a name, a count).
fn message(template: &str, facts: &serde_json::Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        match facts.get(&rest[open + 1..close]) {
            Some(Value::String(s)) => out.push_str(s),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => out.push_str(&v.to_string()),
            _ => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{PipelineRule, RuleFile, PIPELINE_RULES};

    /// The page's and the importer's modules read the rules without their documentation: every
    /// rule must read the same there, bar the documentation.
    #[test]
    fn rules_without_their_documentation_check_the_same() {
        let logic = |r: &PipelineRule| {
            (r.id.clone(), r.name.clone(), r.severity, r.subject.clone(), r.when.clone(), r.any.clone())
        };
        for (tool, text) in PIPELINE_RULES {
            let whole: RuleFile = crate::source::parse_as(text).unwrap();
            let stripped = crate::findings::lint_docs::strip(text);
            let bare: RuleFile =
                crate::source::parse_as(&stripped).unwrap_or_else(|e| panic!("{tool}: {e}\n{stripped}"));
            assert_eq!(whole.tool, bare.tool);
            assert_eq!(whole.sources, bare.sources, "{tool}: the file's own source list stays");
            assert_eq!(whole.rules.len(), bare.rules.len(), "{tool}");
            for (w, b) in whole.rules.iter().zip(&bare.rules) {
                assert_eq!(logic(w), logic(b), "{tool}");
                assert_eq!((&w.at, &w.message, &w.fix), (&b.at, &b.message, &b.fix), "{}", w.id);
                assert!(b.why.is_empty() && b.bad.is_empty() && b.good.is_empty() && b.sources.is_empty(), "{}", w.id);
                assert!(
                    !w.why.is_empty() && !w.bad.is_empty() && !w.good.is_empty() && !w.sources.is_empty(),
                    "{}",
                    w.id
                );
            }
        }
    }

    #[test]
    fn a_message_fills_each_placeholder_with_its_fact_and_keeps_the_rest() {
        let facts = json!({ "name": "ledger", "seconds": 30, "auto": true, "list": [1] });
        let facts = facts.as_object().unwrap();
        assert_eq!(
            super::message(
                "Rollout {name} waits {seconds}s (auto: {auto}); {list} {missing} stay, as does {open",
                facts
            ),
            "Rollout ledger waits 30s (auto: true); {list} {missing} stay, as does {open"
        );
        assert_eq!(super::message("{name}", facts), "ledger");
    }
}
