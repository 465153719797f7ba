//! Tool and platform knowledge, read from data files under `templates/` embedded at compile time.
//!
//! Adding a tool means adding its file here and its tests, not editing plan logic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::source::parse_as;
use crate::spec::{Platform, Strategy, Tool};

/// The tools with their own knowledge file; every other tool uses `other.yaml`.
const TOOL_FILES: &[(Tool, &str)] = &[
    (Tool::Harness, include_str!("../../templates/tools/harness.yaml")),
    (Tool::ArgoRollouts, include_str!("../../templates/tools/argo-rollouts.yaml")),
    (Tool::ArgoCd, include_str!("../../templates/tools/argo-cd.yaml")),
    (Tool::Flagger, include_str!("../../templates/tools/flagger.yaml")),
    (Tool::Spinnaker, include_str!("../../templates/tools/spinnaker.yaml")),
    (Tool::GithubActions, include_str!("../../templates/tools/github-actions.yaml")),
    (Tool::Gitlab, include_str!("../../templates/tools/gitlab.yaml")),
    (Tool::Jenkins, include_str!("../../templates/tools/jenkins.yaml")),
    (Tool::Octopus, include_str!("../../templates/tools/octopus.yaml")),
    (Tool::Codedeploy, include_str!("../../templates/tools/codedeploy.yaml")),
    (Tool::Other, include_str!("../../templates/tools/other.yaml")),
];

const PLATFORMS: &str = include_str!("../../templates/platforms.yaml");

/// What planb knows about one deployment tool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolKnowledge {
    pub id: String,
    pub name: String,
    /// The tool's own words for the things every plan talks about.
    pub words: Words,
    pub strategies: Strategies,
    /// What the tool's rollback does on a first deployment, in general.
    pub rollback_summary: String,
    pub rollback_sources: Vec<String>,
    /// How each fallback action is carried out with this tool.
    pub how: How,
    pub verification: VerificationFacts,
    pub approvals: String,
    pub approval_sources: Vec<String>,
    pub failure_strategy: String,
    pub failure_strategy_sources: Vec<String>,
    pub notifications: String,
    pub notification_sources: Vec<String>,
    pub chained_pipelines: String,
    pub chained_sources: Vec<String>,
    pub post_deployment_rollback: String,
    pub post_deployment_sources: Vec<String>,
    /// The explicit fallback that replaces the tool's rollback on a first deployment, in a few words
    /// (the support table in `docs/tools.md`).
    pub first_deploy_fallback: String,
    /// Tool-specific findings, evaluated against the spec when it names this tool.
    #[serde(default)]
    pub findings: Vec<DataFinding>,
    /// The config snippet that enforces the plan, when the tool has one.
    #[serde(default)]
    pub snippet: Option<SnippetInfo>,
    /// Source keys used above, and the documents they point at.
    pub sources: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub canary: String,
    pub blue_green: String,
    pub rolling: String,
    pub all_at_once: String,
    pub verification: String,
    pub approval: String,
    pub abort: String,
    pub rollback: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategies {
    pub canary: StrategyFacts,
    pub blue_green: StrategyFacts,
    pub rolling: StrategyFacts,
    pub all_at_once: StrategyFacts,
}

/// The tool's steps for one strategy, and what its rollback does on a first deployment.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyFacts {
    pub steps: Vec<String>,
    pub first_deploy: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct How {
    pub kill_switch: String,
    pub route_away: ByKey,
    pub remove_workload: ByKey,
    pub revert_shared: String,
    pub restore_data: String,
}

/// A phrase that may differ by strategy or platform, with a default.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ByKey {
    pub default: String,
    #[serde(flatten)]
    pub specific: BTreeMap<String, String>,
}

impl ByKey {
    pub fn get(&self, key: &str) -> &str {
        self.specific.get(key).unwrap_or(&self.default)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationFacts {
    pub first_deploy: String,
    pub remedy: String,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnippetInfo {
    /// The template under `templates/` that renders it.
    pub template: String,
    pub language: String,
    pub title: String,
}

/// A finding declared in a tool's knowledge file: it fires when every `when` condition holds (and,
/// if `any` is given, every condition of at least one of its entries).
///
/// Paths start with `spec.` (the spec as JSON) or `derived.` (`derived.first_deployment`: planb's
/// reading of whether the deployment can roll back). A condition is a value (equal; a missing field is
/// `null`), `{ one_of: [...] }`, `{ not: value }` or `{ empty: true|false }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFinding {
    /// Stable id, `PB1xx`: never one of the built-in rules' ids.
    pub id: String,
    pub name: String,
    pub severity: crate::findings::Severity,
    pub when: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub any: Vec<BTreeMap<String, serde_json::Value>>,
    /// The spec field the finding points at.
    pub path: String,
    pub message: String,
    pub why: String,
    pub fix: String,
    /// A spec that fires the finding, and the same spec with the gap closed.
    pub example: String,
    pub fixed: String,
    pub sources: Vec<String>,
}

/// How to take a workload out of service on one platform.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformKnowledge {
    pub name: String,
    pub remove: String,
    pub scale_to_zero: String,
    pub verify_removed: String,
}

/// All knowledge files, parsed once.
#[derive(Debug)]
pub struct Knowledge {
    /// Each tool's file, parsed on first use: the page starts sooner parsing only the tool it shows.
    tools: Vec<(Tool, &'static str, std::sync::OnceLock<Option<ToolKnowledge>>)>,
    /// Tool-neutral knowledge, for tools without a file of their own.
    neutral: ToolKnowledge,
    platforms: BTreeMap<String, PlatformKnowledge>,
    /// Platform-neutral knowledge, for `other` and unstated platforms.
    neutral_platform: PlatformKnowledge,
}

impl Knowledge {
    /// Parses the embedded knowledge files.
    pub fn load() -> Result<Knowledge, Error> {
        let tools: Vec<_> = TOOL_FILES.iter().map(|(tool, text)| (*tool, *text, std::sync::OnceLock::new())).collect();
        let platforms: BTreeMap<String, PlatformKnowledge> =
            parse_as(PLATFORMS).map_err(|e| e.with_origin("templates/platforms.yaml"))?;
        let missing = |what: &str| Error::new(crate::error::ErrorKind::Render, format!("knowledge files lack {what}"));
        let neutral_text = TOOL_FILES.iter().find(|(t, _)| *t == Tool::Other).map(|(_, text)| *text);
        let neutral = parse_tool(Tool::Other, neutral_text.ok_or_else(|| missing("tools/other.yaml"))?)?;
        let neutral_platform = platforms.get("other").cloned().ok_or_else(|| missing("the `other` platform"))?;
        Ok(Knowledge { tools, neutral, platforms, neutral_platform })
    }

    /// The knowledge for a tool, or the tool-neutral knowledge when it has no file yet.
    ///
    /// Every embedded file parses (a test checks each); were one not to, its tool would get the
    /// neutral knowledge rather than an error in the middle of a plan.
    pub fn tool(&self, tool: Tool) -> &ToolKnowledge {
        match self.tools.iter().find(|(t, _, _)| *t == tool) {
            Some((t, text, cell)) => cell.get_or_init(|| parse_tool(*t, text).ok()).as_ref().unwrap_or(&self.neutral),
            None => &self.neutral,
        }
    }

    /// Every tool with its own knowledge file, in the order of `TOOL_FILES` (without `other`).
    pub fn known_tools(&self) -> impl Iterator<Item = (Tool, &ToolKnowledge)> {
        self.tools.iter().filter(|(t, _, _)| *t != Tool::Other).map(|(t, _, _)| (*t, self.tool(*t)))
    }

    /// Whether planb has knowledge specific to this tool.
    pub fn knows(&self, tool: Tool) -> bool {
        tool != Tool::Other && self.tools.iter().any(|(t, _, _)| *t == tool)
    }

    pub fn platform(&self, platform: Option<Platform>) -> &PlatformKnowledge {
        let key = platform.map_or("other", Platform::key);
        self.platforms.get(key).unwrap_or(&self.neutral_platform)
    }
}

impl Knowledge {
    /// The tool support page, `docs/tools.md`, generated from the knowledge files.
    pub fn docs_markdown(&self) -> String {
        use crate::render::escape::markdown as md;
        let mut out = String::from(
            "# Deployment tools\n\n<!-- Generated from templates/tools/*.yaml by `cargo test`; do not edit by hand. -->\n\n\
             What planb knows of each tool: its words, what its rollback does on a **first** deployment, the \
             explicit fallback that replaces it, and the config snippet each plan carries. Every fact has a \
             source in the tool's file, `templates/tools/<tool>.yaml`.\n\n\
             | tool | canary | blue-green | verification | approval | first-deploy fallback | snippet |\n\
             |---|---|---|---|---|---|---|\n",
        );
        for (tool, k) in self.known_tools() {
            let snippet =
                k.snippet.as_ref().map_or("none".to_string(), |s| format!("{} ({})", md(&s.title), s.language));
            out.push_str(&format!(
                "| [{}](#{}) | {} | {} | {} | {} | {} | {} |\n",
                md(&k.name),
                tool.key(),
                md(&k.words.canary),
                md(&k.words.blue_green),
                md(&k.words.verification),
                md(&k.words.approval),
                md(&k.first_deploy_fallback),
                snippet,
            ));
        }
        for (tool, k) in self.known_tools() {
            out.push_str(&format!(
                "\n## {}\n\n<a id=\"{}\"></a>`deployment.tool: {}`\n\n",
                md(&k.name),
                tool.key(),
                tool.key()
            ));
            out.push_str(&format!("**Rollback on a first deployment.** {}\n\n", md(k.rollback_summary.trim())));
            out.push_str(&format!(
                "**Verification.** {} {}\n\n",
                md(k.verification.first_deploy.trim()),
                md(k.verification.remedy.trim())
            ));
            if !k.findings.is_empty() {
                let ids: Vec<String> = k
                    .findings
                    .iter()
                    .map(|f| format!("[{}](findings.md#{}) {}", f.id, f.id.to_lowercase(), f.name))
                    .collect();
                out.push_str(&format!("**Findings.** {}\n\n", ids.join(", ")));
            }
            let sources: Vec<String> = k.sources.iter().map(|(key, url)| format!("[{key}]({url})")).collect();
            out.push_str(&format!("**Sources.** {}\n", sources.join(", ")));
        }
        out
    }
}

fn parse_tool(tool: Tool, text: &str) -> Result<ToolKnowledge, Error> {
    parse_as::<ToolKnowledge>(text).map_err(|e| e.with_origin(format!("templates/tools/{}.yaml", tool.key())))
}

impl ToolKnowledge {
    pub fn strategy(&self, strategy: Strategy) -> &StrategyFacts {
        match strategy {
            Strategy::Canary => &self.strategies.canary,
            Strategy::BlueGreen => &self.strategies.blue_green,
            Strategy::Rolling => &self.strategies.rolling,
            Strategy::AllAtOnce => &self.strategies.all_at_once,
        }
    }

    pub fn strategy_word(&self, strategy: Strategy) -> &str {
        match strategy {
            Strategy::Canary => &self.words.canary,
            Strategy::BlueGreen => &self.words.blue_green,
            Strategy::Rolling => &self.words.rolling,
            Strategy::AllAtOnce => &self.words.all_at_once,
        }
    }
}

impl Tool {
    /// Every tool, in the order the CLI's help lists them.
    pub const ALL: [Tool; 11] = [
        Tool::Harness,
        Tool::ArgoRollouts,
        Tool::ArgoCd,
        Tool::Flagger,
        Tool::Spinnaker,
        Tool::GithubActions,
        Tool::Gitlab,
        Tool::Jenkins,
        Tool::Octopus,
        Tool::Codedeploy,
        Tool::Other,
    ];

    /// The spec's spelling of the tool.
    pub fn key(self) -> &'static str {
        match self {
            Tool::Harness => "harness",
            Tool::ArgoRollouts => "argo-rollouts",
            Tool::ArgoCd => "argo-cd",
            Tool::Flagger => "flagger",
            Tool::Spinnaker => "spinnaker",
            Tool::GithubActions => "github-actions",
            Tool::Gitlab => "gitlab",
            Tool::Jenkins => "jenkins",
            Tool::Octopus => "octopus",
            Tool::Codedeploy => "codedeploy",
            Tool::Other => "other",
        }
    }
}

impl Platform {
    pub fn key(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::Ecs => "ecs",
            Platform::Serverless => "serverless",
            Platform::Vm => "vm",
            Platform::Other => "other",
        }
    }
}

/// Replaces `{name}` placeholders in a knowledge phrase; unknown names stay as written.
pub fn fill(phrase: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(phrase.len() + 32);
    let mut rest = phrase;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) => match values.iter().find(|(k, _)| *k == name) {
                Some((_, value)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            },
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_is_listed_once_with_its_spec_spelling() {
        for (i, tool) in Tool::ALL.iter().enumerate() {
            assert_eq!(serde_json::to_value(tool).unwrap(), tool.key(), "{tool:?}");
            assert!(!Tool::ALL[..i].contains(tool), "{tool:?} twice");
        }
    }

    #[test]
    fn every_knowledge_file_parses_and_cites_only_known_sources() {
        let k = Knowledge::load().unwrap();
        for (tool, text) in TOOL_FILES {
            let facts = &parse_tool(*tool, text).unwrap();
            let cited = [&facts.rollback_sources, &facts.verification.sources, &facts.approval_sources]
                .into_iter()
                .chain([&facts.failure_strategy_sources, &facts.notification_sources, &facts.chained_sources])
                .chain([&facts.post_deployment_sources])
                .chain(facts.findings.iter().map(|f| &f.sources))
                .chain([&facts.strategies.canary.sources, &facts.strategies.blue_green.sources])
                .chain([&facts.strategies.rolling.sources, &facts.strategies.all_at_once.sources])
                .flatten();
            for key in cited {
                assert!(facts.sources.contains_key(key), "{tool:?} cites unknown source {key}");
            }
        }
        for p in [Platform::Kubernetes, Platform::Ecs, Platform::Serverless, Platform::Vm, Platform::Other] {
            assert!(k.platforms.contains_key(p.key()), "platforms.yaml lacks {p:?}");
        }
    }

    #[test]
    fn every_tool_has_its_own_knowledge_file_with_a_snippet() {
        let k = Knowledge::load().unwrap();
        let known: Vec<Tool> = k.known_tools().map(|(t, _)| t).collect();
        for tool in Tool::ALL.into_iter().filter(|t| *t != Tool::Other) {
            assert!(known.contains(&tool), "{tool:?} has no knowledge file");
            let facts = k.tool(tool);
            assert_eq!(facts.id, tool.key(), "the file's id is the spec's spelling");
            let snippet = facts.snippet.as_ref().unwrap_or_else(|| panic!("{tool:?} has no snippet"));
            assert!(snippet.template.starts_with("snippets/"), "{tool:?}");
            assert!(!facts.sources.is_empty(), "{tool:?} cites no source");
        }
    }

    #[test]
    fn tools_docs_match_the_knowledge_files() {
        crate::test_support::assert_generated("docs/tools.md", &Knowledge::load().unwrap().docs_markdown());
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let out = fill(
            "kubectl -n {namespace} delete {workload} {unknown} {",
            &[("namespace", "pay"), ("workload", "deploy/api")],
        );
        assert_eq!(out, "kubectl -n pay delete deploy/api {unknown} {");
        // Values are inserted literally, never re-expanded.
        assert_eq!(fill("{a}", &[("a", "{a}")]), "{a}");
    }
}
