//! Findings: a lint of the spec that names the gaps a change board would find.
//!
//! Each rule has a stable id, one severity, and documentation (why, fix, an example that
//! fires and one that does not); `docs/findings.md` is generated from [`RULES`] and the
//! tests run every example.

mod catalogue;
mod data;
#[cfg(test)]
mod lint_docs;
mod pipeline;
mod rules;
#[cfg(not(target_arch = "wasm32"))]
mod sections;

use serde::Serialize;

use crate::spec::Spec;
use crate::tools::Knowledge;

pub use crate::severity::Severity;
pub use catalogue::{catalogue, RuleDoc, Scope};
pub use pipeline::{check_pipeline, pipeline_rules, PipelineRule, RuleSet};
pub use rules::RULES;

/// One gap found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Finding {
    /// Stable id, e.g. `PB001`.
    pub id: &'static str,
    /// Short kebab-case name of the rule.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The spec field it concerns, e.g. `data_changes[0].restore_tested`.
    pub path: String,
    /// How to close the gap.
    pub fix: &'static str,
    /// Where in a pipeline file the gap is (`planb check` on a pipeline file); a spec finding has
    /// none, its `path` names the field.
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub location: Option<Location>,
}

/// A place in a pipeline file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Location {
    /// The file as it was given (a path, or `<stdin>`).
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

/// A documented check over the spec.
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// Why the gap matters, in a sentence or two.
    pub why: &'static str,
    pub fix: &'static str,
    /// A spec that triggers the rule.
    pub example: &'static str,
    /// The same spec with the gap closed.
    pub fixed: &'static str,
    check: fn(&Spec, &Knowledge, &mut Emit<'_>),
}

/// Collects the findings of one rule.
pub(crate) struct Emit<'a> {
    rule: &'a Rule,
    out: &'a mut Vec<Finding>,
}

impl Emit<'_> {
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.out.push(Finding {
            id: self.rule.id,
            rule: self.rule.name,
            severity: self.rule.severity,
            message: message.into(),
            path: path.into(),
            fix: self.rule.fix,
            location: None,
        });
    }
}

/// Runs every rule over a spec; findings come most severe first, then by rule id and path.
pub fn check(spec: &Spec, knowledge: &Knowledge) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(spec, knowledge, &mut Emit { rule, out: &mut out });
    }
    // Then the spec's tool's own findings (ids PB1xx), declared in its knowledge file.
    data::check(spec, knowledge, &mut out);
    // Rules run in id order and data findings after them, so grouping by severity gives
    // (severity, id, path) order.
    [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .flat_map(|s| out.iter().filter(move |f| f.severity == *s).cloned())
        .collect()
}
