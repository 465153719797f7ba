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
    tools: Vec<(Tool, ToolKnowledge)>,
    /// Tool-neutral knowledge, for tools without a file of their own.
    neutral: ToolKnowledge,
    platforms: BTreeMap<String, PlatformKnowledge>,
    /// Platform-neutral knowledge, for `other` and unstated platforms.
    neutral_platform: PlatformKnowledge,
}

impl Knowledge {
    /// Parses the embedded knowledge files.
    pub fn load() -> Result<Knowledge, Error> {
        let tools = TOOL_FILES
            .iter()
            .map(|(tool, text)| {
                parse_as::<ToolKnowledge>(text)
                    .map(|k| (*tool, k))
                    .map_err(|e| e.with_origin(format!("templates/tools/{}.yaml", tool.key())))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let platforms: BTreeMap<String, PlatformKnowledge> =
            parse_as(PLATFORMS).map_err(|e| e.with_origin("templates/platforms.yaml"))?;
        let missing = |what: &str| Error::new(crate::error::ErrorKind::Render, format!("knowledge files lack {what}"));
        let neutral = tools.iter().find(|(t, _)| *t == Tool::Other).map(|(_, k)| k.clone());
        let neutral = neutral.ok_or_else(|| missing("tools/other.yaml"))?;
        let neutral_platform = platforms.get("other").cloned().ok_or_else(|| missing("the `other` platform"))?;
        Ok(Knowledge { tools, neutral, platforms, neutral_platform })
    }

    /// The knowledge for a tool, or the tool-neutral knowledge when it has no file yet.
    pub fn tool(&self, tool: Tool) -> &ToolKnowledge {
        self.tools.iter().find(|(t, _)| *t == tool).map_or(&self.neutral, |(_, k)| k)
    }

    /// Whether planb has knowledge specific to this tool.
    pub fn knows(&self, tool: Tool) -> bool {
        tool != Tool::Other && self.tools.iter().any(|(t, _)| *t == tool)
    }

    pub fn platform(&self, platform: Option<Platform>) -> &PlatformKnowledge {
        let key = platform.map_or("other", Platform::key);
        self.platforms.get(key).unwrap_or(&self.neutral_platform)
    }
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
    fn every_knowledge_file_parses_and_cites_only_known_sources() {
        let k = Knowledge::load().unwrap();
        for (tool, facts) in &k.tools {
            let cited = [&facts.rollback_sources, &facts.verification.sources, &facts.approval_sources]
                .into_iter()
                .chain([&facts.failure_strategy_sources, &facts.notification_sources, &facts.chained_sources])
                .chain([&facts.post_deployment_sources])
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
