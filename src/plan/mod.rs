//! The plan: everything a change board and an on-call engineer need, derived from a spec.
//!
//! Building a plan is pure and infallible; whatever the spec leaves out becomes a visible
//! "to confirm" placeholder rather than an error.

mod ladder;
mod risk;
mod sections;

use serde::Serialize;

use crate::findings::{Finding, Severity};
use crate::spec::{Person, Spec, Strategy};
use crate::tools::{Knowledge, PlatformKnowledge, ToolKnowledge};

pub use risk::{Risk, RiskLevel};
pub(crate) use sections::lower_first;

/// The version of the plan's JSON shape; bumped on any breaking change.
pub const PLAN_SCHEMA_VERSION: u32 = 1;

/// A complete fallback plan.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Plan {
    pub schema_version: u32,
    pub component: ComponentView,
    pub change: ChangeView,
    pub tool: ToolView,
    pub platform: String,
    /// The platform's commands for this workload.
    pub platform_commands: PlatformCommands,
    /// True when there is no earlier version to return to.
    pub first_deployment: bool,
    /// True when the spec did not say, and planb assumed a first deployment.
    pub first_deployment_assumed: bool,
    pub strategy: Option<String>,
    pub summary: String,
    pub risk: Risk,
    /// What the tool's own rollback does here, and why it is not the fallback.
    pub tool_rollback: ToolRollback,
    pub validation: Vec<Check>,
    pub stages: Vec<Stage>,
    pub abort: AbortPlan,
    /// Ordered fallback actions, least drastic first.
    pub ladder: Vec<Rung>,
    /// The known total time of the ladder up to (not including) fixing forward.
    pub ladder_total: String,
    pub comms: Comms,
    pub data: Vec<DataItem>,
    pub post_fallback: Vec<String>,
    pub residual_risk: Vec<String>,
    /// Facts about the tool that matter for this plan, with their sources.
    pub tool_notes: Vec<Note>,
    pub snippet: Option<Snippet>,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// What the spec left out, in the order the plan needed it.
    pub to_confirm: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ComponentView {
    pub name: String,
    pub description: Option<String>,
    pub owner_team: String,
    pub tier: Option<String>,
    pub artifact: Option<String>,
    pub version: Option<String>,
    pub environment: String,
    pub user_facing: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PlatformCommands {
    pub remove: String,
    pub scale_to_zero: String,
    pub verify_removed: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ChangeView {
    pub id: String,
    pub window: String,
    pub approvers: String,
    pub cab: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ToolView {
    pub key: String,
    pub name: String,
    /// Whether planb has knowledge specific to this tool.
    pub known: bool,
    pub rollback_word: String,
    pub verification_word: String,
    pub approval_word: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ToolRollback {
    pub effect: String,
    pub steps: Vec<String>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Source {
    pub key: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Check {
    pub item: String,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Done,
    ToDo,
    ToConfirm,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Stage {
    pub name: String,
    pub traffic: String,
    pub bake: String,
    pub gate: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AbortPlan {
    pub criteria: Vec<AbortCriterion>,
    pub decision_owner: String,
    pub decision_window: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct AbortCriterion {
    pub trigger: String,
    pub owner: String,
    pub time_limit: String,
}

/// One action of the fallback ladder.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Rung {
    pub step: usize,
    pub kind: RungKind,
    pub title: String,
    /// How to do it with this tool and platform.
    pub how: String,
    pub owner: String,
    pub duration: String,
    pub precondition: String,
    pub verify: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RungKind {
    KillSwitch,
    TeamStep,
    RouteAway,
    RemoveWorkload,
    RevertShared,
    RestoreData,
    FixForward,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Comms {
    pub rows: Vec<CommsRow>,
    /// Message texts, filled in by the engine from `templates/messages/`.
    pub messages: Messages,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct CommsRow {
    pub when: String,
    pub who: String,
    pub audience: String,
    pub channel: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Messages {
    pub start: String,
    pub abort: String,
    pub all_clear: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct DataItem {
    pub description: String,
    pub kind: String,
    pub reversible: String,
    pub backup: String,
    pub handling: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Note {
    pub title: String,
    pub text: String,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Snippet {
    pub title: String,
    pub language: String,
    /// Filled in by the engine from the tool's snippet template.
    pub body: String,
    /// The template that renders the body: planb's own detail, left out of the JSON output.
    #[serde(skip)]
    pub template: String,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Shared state while a plan is built: the spec, the knowledge, and what is missing.
pub(crate) struct Ctx<'a> {
    pub spec: &'a Spec,
    pub tool: &'a ToolKnowledge,
    pub platform: &'a PlatformKnowledge,
    to_confirm: Vec<String>,
}

impl<'a> Ctx<'a> {
    /// The value, or a visible placeholder that is also listed under "to confirm".
    pub fn or_confirm(&mut self, value: Option<&str>, what: &str) -> String {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => v.to_string(),
            None => self.confirm(what),
        }
    }

    /// A placeholder for something the spec does not say.
    pub fn confirm(&mut self, what: &str) -> String {
        if !self.to_confirm.iter().any(|w| w == what) {
            self.to_confirm.push(what.to_string());
        }
        format!("[to confirm: {what}]")
    }

    /// A person's name and contact, or a placeholder naming the role.
    pub fn person(&mut self, person: Option<&Person>, role: &str) -> String {
        match person.and_then(|p| p.name.as_deref()).map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => match person.and_then(|p| p.contact.as_deref()).filter(|c| !c.trim().is_empty()) {
                Some(contact) => format!("{name} ({})", contact.trim()),
                None => name.to_string(),
            },
            None => self.confirm(role),
        }
    }

    /// The decision owner: the named one, else the incident lead, else a placeholder.
    pub fn decision_owner(&mut self) -> String {
        let spec = self.spec;
        match spec.abort.decision_owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(owner) => owner.to_string(),
            None if spec.people.incident_lead.as_ref().and_then(|p| p.name.as_ref()).is_some() => {
                self.person(spec.people.incident_lead.as_ref(), "incident lead")
            }
            None => self.confirm("decision owner"),
        }
    }

    /// Fills a knowledge phrase; `{workload}` and `{namespace}` become placeholders only when used.
    pub fn fill(&mut self, phrase: &str, extra: &[(&str, &str)]) -> String {
        let workload = if phrase.contains("{workload}") { self.workload() } else { String::new() };
        let namespace = if phrase.contains("{namespace}") { self.namespace() } else { String::new() };
        let mut values = vec![
            ("workload", workload.as_str()),
            ("namespace", namespace.as_str()),
            ("component", self.spec.component.name.as_str()),
        ];
        values.extend_from_slice(extra);
        crate::tools::fill(phrase, &values)
    }

    pub fn workload(&mut self) -> String {
        let spec = self.spec;
        self.or_confirm(spec.deployment.workload.as_deref(), "workload name")
    }

    pub fn namespace(&mut self) -> String {
        let spec = self.spec;
        self.or_confirm(spec.deployment.namespace.as_deref(), "namespace or cluster")
    }

    fn sources(&self, keys: &[String]) -> Vec<Source> {
        keys.iter()
            .filter_map(|k| self.tool.sources.get(k).map(|url| Source { key: k.clone(), url: url.clone() }))
            .collect()
    }
}

/// Builds the plan for a spec, given the findings already computed for it.
///
/// Messages and the snippet body are left empty here; the engine renders them from templates.
pub fn build(spec: &Spec, knowledge: &Knowledge, findings: Vec<Finding>) -> Plan {
    let tool_key = spec.tool();
    let tool = knowledge.tool(tool_key);
    let platform = knowledge.platform(spec.deployment.platform);
    let mut cx = Ctx { spec, tool, platform, to_confirm: Vec::new() };

    let component = sections::component(&mut cx);
    let change = sections::change(&mut cx);
    let strategy = spec.rollout.strategy;
    let stages = sections::stages(&mut cx);
    let abort = sections::abort(&mut cx);
    let ladder = ladder::build(&mut cx);
    let ladder_total = ladder::total(&ladder);
    let validation = sections::validation(&mut cx);
    let comms = sections::comms(&mut cx);
    let data = sections::data(&mut cx);
    let post_fallback = sections::post_fallback(&mut cx);
    let residual_risk = sections::residual_risk(&mut cx, &ladder_total);
    let tool_notes = sections::tool_notes(&cx);
    let platform_commands = sections::platform_commands(&mut cx);

    let counts = Counts {
        errors: findings.iter().filter(|f| f.severity == Severity::Error).count(),
        warnings: findings.iter().filter(|f| f.severity == Severity::Warning).count(),
        infos: findings.iter().filter(|f| f.severity == Severity::Info).count(),
    };
    let risk = risk::assess(spec, &counts);
    let first_deployment = spec.cannot_roll_back();
    let effect = match strategy {
        Some(s) => tool.strategy(s).first_deploy.clone(),
        None => tool.rollback_summary.clone(),
    };
    let mut rollback_sources = tool.rollback_sources.clone();
    if let Some(s) = strategy {
        rollback_sources.extend(tool.strategy(s).sources.iter().cloned());
    }
    let mut seen = std::collections::BTreeSet::new();
    rollback_sources.retain(|k| seen.insert(k.clone()));
    let tool_rollback = ToolRollback {
        effect,
        steps: strategy.map(|s| tool.strategy(s).steps.clone()).unwrap_or_default(),
        sources: cx.sources(&rollback_sources),
    };
    let snippet = tool.snippet.as_ref().map(|s| Snippet {
        title: s.title.clone(),
        language: s.language.clone(),
        body: String::new(),
        template: s.template.clone(),
    });
    let summary = sections::summary(&mut cx, &ladder, &ladder_total);

    Plan {
        schema_version: PLAN_SCHEMA_VERSION,
        component,
        change,
        tool: ToolView {
            key: tool_key.key().to_string(),
            name: if knowledge.knows(tool_key) { tool.name.clone() } else { tool_key.display_name().to_string() },
            known: knowledge.knows(tool_key),
            rollback_word: tool.words.rollback.clone(),
            verification_word: tool.words.verification.clone(),
            approval_word: tool.words.approval.clone(),
        },
        platform: platform.name.clone(),
        platform_commands,
        first_deployment,
        first_deployment_assumed: spec.deployment.first_deployment.is_none(),
        strategy: strategy.map(|s| tool.strategy_word(s).to_string()),
        summary,
        risk,
        tool_rollback,
        validation,
        stages,
        abort,
        ladder,
        ladder_total,
        comms,
        data,
        post_fallback,
        residual_risk,
        tool_notes,
        snippet,
        findings,
        counts,
        to_confirm: cx.to_confirm,
    }
}

impl Strategy {
    pub fn key(self) -> &'static str {
        match self {
            Strategy::Canary => "canary",
            Strategy::BlueGreen => "blue_green",
            Strategy::Rolling => "rolling",
            Strategy::AllAtOnce => "all_at_once",
        }
    }
}

#[cfg(test)]
mod generated_files {
    //! `schema/plan.schema.json` documents the JSON output (`--format json`); generated from the types above.

    #[test]
    fn plan_schema_file_matches_the_plan_types() {
        let mut schema = schemars::schema_for!(super::Plan);
        schema.insert("title".into(), "planb plan (JSON output)".into());
        schema.insert(
            "description".into(),
            format!("The plan and its findings, as `planb render --format json` prints them. schema_version {}: a breaking change raises it.", super::PLAN_SCHEMA_VERSION).into(),
        );
        let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        crate::test_support::assert_generated("schema/plan.schema.json", &generated);
    }
}
