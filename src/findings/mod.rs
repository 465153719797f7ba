//! Findings: a lint of the spec that names the gaps a change board would find.
//!
//! Each rule has a stable id, one severity, and documentation (why, fix, an example that
//! fires and one that does not); `docs/findings.md` is generated from [`RULES`] and the
//! tests run every example.

mod data;
mod rules;
#[cfg(not(target_arch = "wasm32"))]
mod sections;

use std::fmt;

use serde::Serialize;

use crate::spec::Spec;
use crate::tools::Knowledge;

pub use rules::RULES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

/// The rules documentation page, `docs/findings.md`, generated from [`RULES`] and the
/// tool-specific findings of the knowledge files.
pub fn docs_markdown() -> String {
    let knowledge = Knowledge::load().ok();
    let data: Vec<(&'static str, &crate::tools::DataFinding)> = knowledge
        .iter()
        .flat_map(|k| k.known_tools())
        .flat_map(|(tool, k)| k.findings.iter().map(move |f| (tool.display_name(), f)))
        .collect();
    let mut md = String::from(
        "# planb findings\n\n<!-- Generated from src/findings/rules.rs and templates/tools/*.yaml by `cargo test`; do not edit by hand. -->\n\n\
         `planb check` exits 1 when any error-level finding fires, 0 otherwise.\n\n\
         | id | name | severity |\n|---|---|---|\n",
    );
    for r in RULES {
        md.push_str(&format!("| [{}](#{}) | {} | {} |\n", r.id, r.id.to_lowercase(), r.name, r.severity));
    }
    for (tool, f) in &data {
        md.push_str(&format!("| [{}](#{}) | {} ({tool}) | {} |\n", f.id, f.id.to_lowercase(), f.name, f.severity));
    }
    for r in RULES {
        md.push_str(&format!(
            "\n## {}\n\n**{}** · severity **{}**\n\n{}\n\n**Fix:** {}\n\nFires on:\n\n```yaml\n{}```\n\nDoes not fire on:\n\n```yaml\n{}```\n",
            r.id, r.name, r.severity, r.why, r.fix, r.example, r.fixed
        ));
    }
    if !data.is_empty() {
        md.push_str(
            "\n## Tool-specific findings\n\nDeclared as data in `templates/tools/<tool>.yaml` (`findings:`); they fire only when \
             `deployment.tool` names that tool.\n",
        );
    }
    for (tool, f) in &data {
        let sources: Vec<String> = knowledge
            .iter()
            .flat_map(|k| k.known_tools())
            .filter(|(_, k)| k.findings.iter().any(|g| g.id == f.id))
            .flat_map(|(_, k)| f.sources.iter().filter_map(|s| k.sources.get(s).map(|url| format!("[{s}]({url})"))))
            .collect();
        md.push_str(&format!(
            "\n## {}\n\n**{}** · {tool} · severity **{}**\n\n{}\n\n**Fix:** {}\n\nSources: {}\n\nFires on:\n\n```yaml\n{}```\n\nDoes not fire on:\n\n```yaml\n{}```\n",
            f.id, f.name, f.severity, f.why.trim(), f.fix.trim(), sources.join(", "), f.example, f.fixed
        ));
    }
    md
}

#[cfg(test)]
mod generated_files {
    #[test]
    fn findings_docs_match_the_rules() {
        crate::test_support::assert_generated("docs/findings.md", &super::docs_markdown());
    }
}
