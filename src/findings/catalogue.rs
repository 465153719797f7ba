//! Every rule planb checks, described the one way `docs/findings.md` and the reports for CI
//! (SARIF's rule list) both use: the spec rules, each tool's own findings, the pipeline file rules.

use super::{pipeline_rules, Severity, RULES};
use crate::error::Error;
use crate::spec::Tool;
use crate::tools::Knowledge;

/// Which rules a described rule belongs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A spec rule: every spec.
    Spec,
    /// A tool's own finding on a spec that names the tool.
    Tool(Tool),
    /// A rule over a tool's pipeline files.
    PipelineFile(Tool),
}

/// One rule, as its documentation describes it.
#[derive(Debug, Clone)]
pub struct RuleDoc<'k> {
    pub id: &'k str,
    pub name: &'k str,
    pub severity: Severity,
    pub scope: Scope,
    /// Why the gap matters.
    pub why: &'k str,
    pub fix: &'k str,
    /// A file that fires the rule, and the same file with the gap closed.
    pub fires_on: &'k str,
    pub quiet_on: &'k str,
    /// The sources of what the rule says about the tool: (key, address).
    pub sources: Vec<(&'k str, &'k str)>,
}

impl RuleDoc<'_> {
    /// The language of its example files, for a fenced code block: JSON for a Spinnaker pipeline or
    /// a CodeDeploy deployment group, Groovy for a Jenkinsfile, HCL for OCL (its superset), YAML for
    /// the rest.
    pub fn example_language(&self) -> &'static str {
        let text = self.fires_on.trim_start();
        if text.starts_with('{') {
            "json"
        } else if text.starts_with("pipeline {") {
            "groovy"
        } else if text.starts_with("step \"") {
            "hcl"
        } else {
            "yaml"
        }
    }

    /// The scope in words: `Harness CD`, `Harness CD file`, or nothing for a spec rule.
    pub fn scope_name(&self) -> String {
        match self.scope {
            Scope::Spec => String::new(),
            Scope::Tool(tool) => tool.display_name().to_string(),
            Scope::PipelineFile(tool) => format!("{} file", tool.display_name()),
        }
    }
}

/// Every rule, in the order of `docs/findings.md`: spec rules, tools' findings, pipeline file rules.
pub fn catalogue(knowledge: &Knowledge) -> Result<Vec<RuleDoc<'_>>, Error> {
    let mut out: Vec<RuleDoc> = RULES
        .iter()
        .map(|r| RuleDoc {
            id: r.id,
            name: r.name,
            severity: r.severity,
            scope: Scope::Spec,
            why: r.why,
            fix: r.fix,
            fires_on: r.example,
            quiet_on: r.fixed,
            sources: Vec::new(),
        })
        .collect();
    for (tool, k) in knowledge.known_tools() {
        for f in &k.findings {
            let sources = f.sources.iter().filter_map(|s| k.sources.get_key_value(s)).map(as_strs).collect();
            out.push(RuleDoc {
                id: &f.id,
                name: &f.name,
                severity: f.severity,
                scope: Scope::Tool(tool),
                why: f.why.trim(),
                fix: f.fix.trim(),
                fires_on: &f.example,
                quiet_on: &f.fixed,
                sources,
            });
        }
    }
    for set in pipeline_rules()? {
        let tool = Tool::ALL.iter().copied().find(|t| t.key() == set.tool).unwrap_or(Tool::Other);
        let tool_sources = &knowledge.tool(tool).sources;
        for r in &set.rules {
            // A rule's source is its lint file's, else its tool knowledge file's.
            let source = |key: &String| set.sources.get_key_value(key).or_else(|| tool_sources.get_key_value(key));
            out.push(RuleDoc {
                id: &r.id,
                name: &r.name,
                severity: r.severity,
                scope: Scope::PipelineFile(tool),
                why: r.why.trim(),
                fix: r.fix.trim(),
                fires_on: &r.bad,
                quiet_on: &r.good,
                sources: r.sources.iter().filter_map(source).map(as_strs).collect(),
            });
        }
    }
    Ok(out)
}

fn as_strs<'k>((key, url): (&'k String, &'k String)) -> (&'k str, &'k str) {
    (key, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_described_once_with_its_scope_and_its_sources() {
        let knowledge = Knowledge::load().unwrap();
        let rules = catalogue(&knowledge).unwrap();
        let tool_findings: usize = knowledge.known_tools().map(|(_, k)| k.findings.len()).sum();
        let pipeline: usize = pipeline_rules().unwrap().iter().map(|set| set.rules.len()).sum();
        assert_eq!(rules.len(), RULES.len() + tool_findings + pipeline);
        let ids: std::collections::BTreeSet<&str> = rules.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), rules.len(), "ids are unique");
        let rule = |id: &str| rules.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no {id}"));
        // A spec rule, a tool's own finding, a pipeline file rule: each in its own words.
        assert_eq!((rule("PB001").scope, rule("PB001").scope_name()), (Scope::Spec, String::new()));
        assert_eq!(
            (rule("PB101").scope, rule("PB101").scope_name()),
            (Scope::Tool(Tool::ArgoRollouts), "Argo Rollouts".into())
        );
        assert_eq!(
            (rule("PB231").scope, rule("PB231").scope_name()),
            (Scope::PipelineFile(Tool::Gitlab), "GitLab CI/CD file".into())
        );
        // Whatever a rule says of a tool is sourced: a key and the address it stands for.
        for r in rules.iter().filter(|r| r.scope != Scope::Spec) {
            assert!(!r.sources.is_empty(), "{} has no source", r.id);
            for (key, url) in &r.sources {
                assert!(!key.is_empty() && url.starts_with("https://"), "{}: {key} {url}", r.id);
            }
        }
    }
}
