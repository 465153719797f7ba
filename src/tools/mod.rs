//! Tool and platform knowledge, read from data files under `templates/` embedded at compile time.
//!
//! A tool's file holds its words and a matrix of [`Case`]s: for a platform × strategy × situation
//! (first deployment or update), what the tool's own rollback does there, how the new version is
//! taken out (first deployment) or the earlier one brought back (update), and the sources that say
//! so. A plan uses the first case whose `when` matches; a test checks that every combination finds
//! one. Adding a tool means adding its file here and its tests, not editing plan logic.

pub mod script;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::severity::Severity;
use crate::source::parse_as;
use crate::spec::{Platform, Situation, Strategy, Tool};

pub use script::{ScriptLine, ScriptValue};

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
    /// The platforms the tool deploys to; a plan for any other says the combination is unsupported.
    pub platforms: Vec<Platform>,
    /// The tool's own words for the things every plan talks about.
    pub words: Words,
    /// The tool's steps for each strategy, unless a case names others.
    pub steps: StrategySteps,
    /// What the tool's rollback does, by platform × strategy × situation; the first match applies.
    pub cases: Vec<Case>,
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
    /// How an earlier release is deployed again with this tool.
    pub post_deployment_rollback: String,
    pub post_deployment_sources: Vec<String>,
    /// The explicit fallback of a first deployment, in a few words (the table in `docs/tools.md`).
    pub first_deploy_fallback: String,
    /// The tool's way back to the earlier version on an update, in a few words (the same table).
    pub update_fallback: String,
    /// Tool-specific findings, evaluated against the spec when it names this tool.
    #[serde(default)]
    pub findings: Vec<DataFinding>,
    /// The config snippet that enforces the plan, when the tool has one.
    #[serde(default)]
    pub snippet: Option<SnippetInfo>,
    /// Source keys used above, and the documents they point at: a page of the tool's documentation,
    /// or a file of its source at a commit.
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

/// The tool's steps for each strategy.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategySteps {
    pub canary: Vec<String>,
    pub blue_green: Vec<String>,
    pub rolling: Vec<String>,
    pub all_at_once: Vec<String>,
}

/// One cell (or a block of cells) of a tool's knowledge matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Where it applies; an empty list or a missing situation matches anything.
    pub when: When,
    /// The tool's steps here, when they differ from the strategy's (`steps` of the tool).
    #[serde(default)]
    pub steps: Option<Vec<String>>,
    /// What the tool's own rollback does here.
    pub rollback: String,
    /// Source keys for `rollback`, `remove` and `undo`.
    pub sources: Vec<String>,
    /// First deployment: how to take the new workload out of service with this tool.
    #[serde(default)]
    pub remove: Option<String>,
    /// First deployment: how to send traffic away from it, when the strategy's phrase does not fit.
    #[serde(default)]
    pub route_away: Option<String>,
    /// Update: the tool's way back to the version that ran before.
    #[serde(default)]
    pub undo: Option<Undo>,
    /// Update, last resort: how to take the running version out of service with this tool (an
    /// outage), where the platform's scale-to-zero would miss it.
    #[serde(default)]
    pub outage: Option<Outage>,
    /// The tool cannot deploy this way: why, in a sentence.
    #[serde(default)]
    pub unsupported: Option<String>,
    /// Facts of this case that no source confirmed: the plan lists each as "to confirm".
    #[serde(default)]
    pub to_confirm: Vec<String>,
}

/// The cells a [`Case`] covers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct When {
    #[serde(default)]
    pub platforms: Vec<Platform>,
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    #[serde(default)]
    pub situation: Option<Situation>,
}

impl When {
    /// Whether the cell platform × strategy × situation is covered. An unstated platform or
    /// strategy is covered only by a case that does not narrow it.
    pub fn covers(&self, platform: Option<Platform>, strategy: Option<Strategy>, situation: Situation) -> bool {
        within(&self.platforms, platform)
            && within(&self.strategies, strategy)
            && self.situation.is_none_or(|s| s == situation)
    }
}

/// Whether a value is in a `when` list; an empty list takes anything, an unstated value only that.
fn within<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
    list.is_empty() || value.is_some_and(|v| list.contains(&v))
}

/// The tool's own way back to the earlier version.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Undo {
    /// What the step does, as a ladder title ("Roll back with …").
    pub title: String,
    /// The exact step, button or command.
    pub how: String,
    /// How to see that the earlier version runs again.
    pub verify: String,
}

/// The tool's own way to take the running version out of service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outage {
    pub how: String,
    /// How to see that nothing serves any more.
    pub verify: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct How {
    pub kill_switch: String,
    /// How traffic is routed away from the new workload, where a case does not say (`Case::route_away`).
    pub route_away: String,
    pub revert_shared: String,
    pub restore_data: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerificationFacts {
    /// What the tool's verification does on a first deployment.
    pub first_deploy: String,
    /// What it does on an update.
    pub update: String,
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
    /// The tool's validator that accepts it, named in the plan (e.g. "the Harness v0 pipeline schema").
    pub validated_by: String,
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
    pub severity: Severity,
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
    /// Commands that delete the workload, in order; `todo` lines are what planb cannot know.
    pub remove: Vec<ScriptLine>,
    /// A note on other ways to remove it (e.g. a Helm release), for people, not scripts.
    #[serde(default)]
    pub remove_note: Option<String>,
    pub scale_to_zero: Vec<ScriptLine>,
    /// How to see that it is gone.
    pub verify_removed: String,
    /// How to see that it is scaled to zero (still there, serving nothing).
    pub verify_stopped: String,
    /// What `{workload}` names on this platform, for the "to confirm" list.
    pub workload_word: String,
    /// The Kubernetes kind assumed when the workload names none (`payments-api` for `deployment/payments-api`).
    #[serde(default)]
    pub default_kind: Option<String>,
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

fn parse_tool(tool: Tool, text: &str) -> Result<ToolKnowledge, Error> {
    parse_as::<ToolKnowledge>(text).map_err(|e| e.with_origin(format!("templates/tools/{}.yaml", tool.key())))
}

/// Why a tool cannot deploy a combination, when it cannot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsupported<'k> {
    /// The tool does not deploy to this platform at all.
    Platform,
    /// It does, but not with this strategy (or not in this situation): the case says why.
    Case(&'k str),
}

impl ToolKnowledge {
    /// The case for a platform × strategy × situation: the first whose `when` covers it.
    pub fn case(&self, platform: Option<Platform>, strategy: Option<Strategy>, situation: Situation) -> Option<&Case> {
        self.cases.iter().find(|c| c.when.covers(platform, strategy, situation))
    }

    /// Why the tool cannot deploy this way, or `None` when it can (or the platform is unstated).
    pub fn unsupported(
        &self,
        platform: Option<Platform>,
        strategy: Option<Strategy>,
        situation: Situation,
    ) -> Option<Unsupported<'_>> {
        if platform.is_some_and(|p| !self.platforms.contains(&p)) {
            return Some(Unsupported::Platform);
        }
        self.case(platform, strategy, situation).and_then(|c| c.unsupported.as_deref()).map(Unsupported::Case)
    }

    pub fn strategy_steps(&self, strategy: Strategy) -> &[String] {
        match strategy {
            Strategy::Canary => &self.steps.canary,
            Strategy::BlueGreen => &self.steps.blue_green,
            Strategy::Rolling => &self.steps.rolling,
            Strategy::AllAtOnce => &self.steps.all_at_once,
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

    /// Every source key the file cites (a key may come more than once), for the tests.
    pub fn cited_sources(&self) -> impl Iterator<Item = &String> {
        [&self.verification.sources, &self.approval_sources, &self.failure_strategy_sources]
            .into_iter()
            .chain([&self.notification_sources, &self.chained_sources, &self.post_deployment_sources])
            .chain(self.cases.iter().map(|c| &c.sources))
            .chain(self.findings.iter().map(|f| &f.sources))
            .flatten()
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
    /// Every platform, in the form's order.
    pub const ALL: [Platform; 5] =
        [Platform::Kubernetes, Platform::Ecs, Platform::Serverless, Platform::Vm, Platform::Other];

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
mod tests;
