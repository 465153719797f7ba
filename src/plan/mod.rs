//! The plan: everything a change board and an on-call engineer need, derived from a spec.
//!
//! Building a plan is pure and infallible; whatever the spec leaves out becomes a visible
//! "to confirm" placeholder rather than an error.

mod ladder;
pub(crate) mod risk;
mod sections;

use serde::Serialize;

use crate::findings::{Finding, Severity};
use crate::spec::{Person, Situation, Spec, Strategy};
use crate::tools::{script, Case, Knowledge, PlatformKnowledge, ScriptLine, ScriptValue, ToolKnowledge, Unsupported};

pub use risk::{Risk, RiskLevel};
pub(crate) use sections::lower_first;

/// The version of the plan's JSON shape; bumped on any breaking change.
/// 2: `situation`, `previous_version`, the `tool-rollback` rung and the scripts of `platform_commands`.
pub const PLAN_SCHEMA_VERSION: u32 = 2;

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
    /// The workload, as the snippets name it.
    pub workload: Workload,
    /// True when there is no earlier version to return to.
    pub first_deployment: bool,
    /// True when the spec did not say, and planb assumed a first deployment.
    pub first_deployment_assumed: bool,
    /// First deployment or update: which way the fallback goes.
    pub situation: Situation,
    /// The version running before this change, when the spec names it.
    pub previous_version: Option<String>,
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

/// The platform's commands for this workload, for people and for scripts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct PlatformCommands {
    pub remove: String,
    /// `remove` as a bash script: values quoted, what the spec lacks stops it with a message.
    pub remove_script: String,
    pub scale_to_zero: String,
    pub scale_to_zero_script: String,
    pub verify_removed: String,
}

/// The workload the deployment creates or replaces.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Workload {
    /// Its name without a kind (`payments-api` of `deployment/payments-api`); the component's name
    /// when the spec names no workload.
    pub name: String,
    /// The kind before the slash, when the spec gives one (`deployment`).
    pub kind: Option<String>,
    /// Whether the spec names the workload (else `name` is the component's).
    pub stated: bool,
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
    /// What the tool's own rollback does in this situation, on this platform, with this strategy,
    /// ending with the ids of its sources.
    pub effect: String,
    pub steps: Vec<String>,
    pub sources: Vec<Source>,
    /// Set when the tool cannot deploy this way: why.
    pub unsupported: Option<String>,
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
    /// An update: the tool's own way back to the version that ran before.
    ToolRollback,
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
    /// The tool's own validator that accepts it (planb's tests run it on every snippet).
    pub validated_by: String,
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
    pub situation: Situation,
    /// The tool's case for this platform × strategy × situation (the neutral one when it has none,
    /// or cannot deploy this way).
    pub case: &'a Case,
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

    /// Fills a knowledge phrase; `{workload}`, `{namespace}` and `{previous_version}` become
    /// placeholders only when used.
    pub fn fill(&mut self, phrase: &str, extra: &[(&str, &str)]) -> String {
        let workload = if phrase.contains("{workload}") { self.workload() } else { String::new() };
        let namespace = if phrase.contains("{namespace}") { self.namespace() } else { String::new() };
        let previous = if phrase.contains("{previous_version}") { self.previous_version() } else { String::new() };
        let name = if phrase.contains("{workload_name}") { self.workload_name() } else { String::new() };
        let k8s_component = if phrase.contains("{k8s_component}") {
            crate::names::kubernetes_name(&self.spec.component.name)
        } else {
            String::new()
        };
        let mut values = vec![
            ("k8s_component", k8s_component.as_str()),
            ("workload", workload.as_str()),
            ("workload_name", name.as_str()),
            ("namespace", namespace.as_str()),
            ("previous_version", previous.as_str()),
            ("component", self.spec.component.name.as_str()),
        ];
        values.extend_from_slice(extra);
        crate::tools::fill(phrase, &values)
    }

    /// Platform commands for people: values as written, placeholders where the spec is silent.
    pub fn commands(&mut self, lines: &[ScriptLine]) -> String {
        let (workload, namespace) = self.prose_values(lines);
        script::prose(lines, &[("workload", workload.as_str()), ("namespace", namespace.as_str())])
    }

    /// Platform commands as a bash script (see [`crate::tools::script`]).
    pub fn script(&mut self, lines: &[ScriptLine]) -> String {
        let (prose_workload, prose_namespace) = self.prose_values(lines);
        let workload_word = self.platform.workload_word.clone();
        let qualified = stated(self.spec.deployment.workload.as_deref()).map(|w| self.qualified(w));
        let workload = match &qualified {
            Some(w) => ScriptValue::Known(w),
            None => ScriptValue::Missing { var: "WORKLOAD", what: &workload_word },
        };
        let namespace = match stated(self.spec.deployment.namespace.as_deref()) {
            Some(n) => ScriptValue::Known(n),
            None => ScriptValue::Missing { var: "NAMESPACE", what: "namespace or cluster" },
        };
        script::script(
            lines,
            &[("workload", workload), ("namespace", namespace)],
            &[("workload", prose_workload.as_str()), ("namespace", prose_namespace.as_str())],
        )
    }

    /// The workload and namespace for people, each only when a line uses it (so that an unused
    /// one is not listed as missing).
    fn prose_values(&mut self, lines: &[ScriptLine]) -> (String, String) {
        let uses =
            |name: &str| lines.iter().filter_map(|l| l.run.as_deref().or(l.todo.as_deref())).any(|t| t.contains(name));
        let workload = if uses("{workload}") { self.workload() } else { String::new() };
        let namespace = if uses("{namespace}") { self.namespace() } else { String::new() };
        (workload, namespace)
    }

    /// The workload as a command names it: on Kubernetes `kind/name`, the platform's default kind
    /// assumed (and listed to confirm) when the spec gives none.
    fn qualified(&mut self, workload: &str) -> String {
        match &self.platform.default_kind {
            Some(kind) if !workload.contains('/') => {
                let kind = kind.clone();
                self.confirm(&format!("Kubernetes kind of {workload} ({kind} assumed)"));
                format!("{kind}/{workload}")
            }
            _ => workload.to_string(),
        }
    }

    pub fn workload(&mut self) -> String {
        match stated(self.spec.deployment.workload.as_deref()) {
            Some(w) => self.qualified(w),
            None => {
                let what = self.platform.workload_word.clone();
                self.confirm(&what)
            }
        }
    }

    /// The workload's name without its kind (`payments-api` of `deployment/payments-api`).
    pub fn workload_name(&mut self) -> String {
        match self.workload_view() {
            Workload { stated: true, name, .. } => name,
            _ => {
                let what = self.platform.workload_word.clone();
                self.confirm(&what)
            }
        }
    }

    pub fn namespace(&mut self) -> String {
        let spec = self.spec;
        self.or_confirm(spec.deployment.namespace.as_deref(), "namespace or cluster")
    }

    /// The version to return to on an update: the named one, or a placeholder.
    pub fn previous_version(&mut self) -> String {
        let spec = self.spec;
        self.or_confirm(spec.previous_version(), "the earlier version to return to")
    }

    fn workload_view(&self) -> Workload {
        match stated(self.spec.deployment.workload.as_deref()) {
            Some(w) => match w.split_once('/') {
                Some((kind, name)) if !kind.is_empty() && !name.is_empty() => {
                    Workload { name: name.to_string(), kind: Some(kind.to_string()), stated: true }
                }
                _ => Workload { name: w.to_string(), kind: None, stated: true },
            },
            None => Workload { name: self.spec.component.name.clone(), kind: None, stated: false },
        }
    }

    fn sources(&self, keys: &[String]) -> Vec<Source> {
        keys.iter()
            .filter_map(|k| self.tool.sources.get(k).map(|url| Source { key: k.clone(), url: url.clone() }))
            .collect()
    }
}

/// A value the spec states: not missing, not blank.
fn stated(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Builds the plan for a spec, given the findings already computed for it.
///
/// Messages and the snippet body are left empty here; the engine renders them from templates.
pub fn build(spec: &Spec, knowledge: &Knowledge, findings: Vec<Finding>) -> Plan {
    let tool_key = spec.tool();
    let tool = knowledge.tool(tool_key);
    let platform = knowledge.platform(spec.deployment.platform);
    let (platform_key, strategy, situation) = (spec.deployment.platform, spec.rollout.strategy, spec.situation());
    let unsupported = tool.unsupported(platform_key, strategy, situation);
    let neutral = knowledge.tool(crate::spec::Tool::Other);
    let case = match unsupported {
        None => tool.case(platform_key, strategy, situation),
        Some(_) => None,
    };
    // The neutral knowledge covers every cell (a test checks it), so a case is always found.
    let case = case.or_else(|| neutral.case(platform_key, strategy, situation)).unwrap_or(&neutral.cases[0]);
    let mut cx = Ctx { spec, tool, platform, situation, case, to_confirm: Vec::new() };

    let component = sections::component(&mut cx);
    let change = sections::change(&mut cx);
    let stages = sections::stages(&mut cx);
    let abort = sections::abort(&mut cx);
    let ladder = ladder::build(&mut cx);
    let ladder_total = ladder::total(&ladder);
    let validation = sections::validation(&mut cx);
    let comms = sections::comms(&mut cx);
    let data = sections::data(&mut cx);
    let post_fallback = sections::post_fallback(&mut cx);
    let residual_risk = sections::residual_risk(&mut cx, &ladder_total);
    let tool_notes = sections::tool_notes(&mut cx);
    let platform_commands = sections::platform_commands(&mut cx);

    let counts = Counts {
        errors: findings.iter().filter(|f| f.severity == Severity::Error).count(),
        warnings: findings.iter().filter(|f| f.severity == Severity::Warning).count(),
        infos: findings.iter().filter(|f| f.severity == Severity::Info).count(),
    };
    let risk = risk::assess(spec, &counts);
    let tool_rollback = tool_rollback(&mut cx, unsupported);
    let snippet = match tool_rollback.unsupported {
        // A snippet for a combination the tool cannot deploy would be wrong by construction.
        Some(_) => None,
        None => tool.snippet.as_ref().map(|s| Snippet {
            title: s.title.clone(),
            language: s.language.clone(),
            validated_by: s.validated_by.clone(),
            body: String::new(),
            template: s.template.clone(),
        }),
    };
    let summary = sections::summary(&mut cx, &ladder, &ladder_total);
    let workload = cx.workload_view();

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
        workload,
        first_deployment: situation == Situation::First,
        first_deployment_assumed: spec.deployment.first_deployment.is_none(),
        situation,
        previous_version: spec.previous_version().map(str::to_string),
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

/// What the tool's own rollback does here, from the case, with the facts still to confirm.
fn tool_rollback(cx: &mut Ctx<'_>, unsupported: Option<Unsupported<'_>>) -> ToolRollback {
    let (tool, case) = (cx.tool, cx.case);
    let unsupported = unsupported.map(|u| match u {
        Unsupported::Platform => format!(
            "{} does not deploy to {}: it runs on {}.",
            tool.name,
            cx.platform.name,
            tool.platforms.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ")
        ),
        Unsupported::Case(why) => why.to_string(),
    });
    let mut effect = match &unsupported {
        Some(why) => format!("{why} The plan below uses planb's tool-neutral steps."),
        None => cx.fill(&case.rollback, &[]),
    };
    for fact in &case.to_confirm {
        let placeholder = cx.confirm(fact);
        effect.push(' ');
        effect.push_str(&placeholder);
    }
    let steps = match (&case.steps, cx.spec.rollout.strategy) {
        (Some(steps), _) => steps.clone(),
        (None, Some(s)) => tool.strategy_steps(s).to_vec(),
        (None, None) => Vec::new(),
    };
    let sources = if unsupported.is_some() { Vec::new() } else { cx.sources(&case.sources) };
    // The line carries its sources' ids in every format; the documents they name follow it.
    if !sources.is_empty() {
        let ids: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
        effect.push_str(&format!(" (sources: {})", ids.join(", ")));
    }
    ToolRollback { effect, steps, sources, unsupported }
}

impl Strategy {
    /// The spec's spelling of the strategy.
    pub fn key(self) -> &'static str {
        match self {
            Strategy::Canary => "canary",
            Strategy::BlueGreen => "blue-green",
            Strategy::Rolling => "rolling",
            Strategy::AllAtOnce => "all-at-once",
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
