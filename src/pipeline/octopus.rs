//! Octopus Deploy's config-as-code deployment process (`.octopus/deployment_process.ocl`): its steps
//! in order, which deploy, which wait for a person (manual interventions), and which run after a
//! failure (run condition `Failure`, or a variable condition on `Octopus.Deployment.Error`).
//!
//! What Octopus does with a step's run condition and a manual intervention is cited in
//! `templates/lint/octopus.yaml`: after a failed step (an aborted intervention is one), only steps
//! whose condition lets them run after a failure run.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::ocl::{self, Block, Entry, Item, Value};
use super::roles::{self, Role};
use super::{Place, Reading, Subject};
use crate::error::{Error, Mark};

/// The action types of each role, and what they deploy to (`templates/lint/octopus-actions.yaml`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ActionTypes {
    deploy: Vec<String>,
    manual: Vec<String>,
    platforms: BTreeMap<String, String>,
    deployment_styles: BTreeMap<String, String>,
}

fn action_types() -> &'static ActionTypes {
    static TYPES: OnceLock<ActionTypes> = OnceLock::new();
    // planb's own file, read by its tests; were it broken, steps would be placed by name only.
    TYPES.get_or_init(|| {
        crate::source::parse_as(include_str!("../../templates/lint/octopus-actions.yaml")).unwrap_or_default()
    })
}

/// The step properties that hold a variable run condition: the one Octopus writes, and the older
/// one its guidance names (to confirm which the server reads; both are read).
const CONDITION_EXPRESSIONS: &[&str] =
    &["Octopus.Step.ConditionVariableExpression", "Octopus.Action.ConditionVariableExpression"];

/// One step, read.
struct Step<'a> {
    block: &'a Block,
    name: String,
    condition: &'a str,
    condition_mark: Option<Mark>,
    role: Role,
    manual: Option<&'a Block>,
    /// The first live deploying action.
    deploys: Option<&'a Block>,
    live: bool,
    environments: Vec<String>,
    excluded: Vec<String>,
}

impl<'a> Step<'a> {
    fn of(block: &'a Block) -> Step<'a> {
        let types = action_types();
        let text = |b: &'a Block, key: &str| b.attribute(key).and_then(|e| e.value.text());
        let name = text(block, "name").or(block.labels.first().map(String::as_str)).unwrap_or("").to_string();
        let condition_entry = block.attribute("condition");
        let condition = condition_entry.and_then(|e| e.value.text()).unwrap_or("Success");
        let actions: Vec<&Block> = block.blocks("action").collect();
        let live_actions: Vec<&Block> = actions
            .iter()
            .copied()
            .filter(|a| a.attribute("is_disabled").map(|e| &e.value) != Some(&Value::Bool(true)))
            .collect();
        let kind = |a: &'a Block| text(a, "action_type").unwrap_or("");
        let deploys = live_actions.iter().copied().find(|a| types.deploy.iter().any(|t| t == kind(a)));
        let manual = live_actions.iter().copied().find(|a| types.manual.iter().any(|t| t == kind(a)));
        let by_name = roles::role_of("", Some(&name), &[]);
        let role = match (deploys, manual, by_name) {
            (_, _, Role::Fallback) => Role::Fallback,
            (Some(_), _, _) => Role::Deploy,
            (None, _, role) => role,
        };
        let list = |key: &str| -> Vec<String> {
            let mut out = Vec::new();
            for a in &live_actions {
                if let Some(Entry { value: Value::List(items), .. }) = a.attribute(key) {
                    out.extend(items.iter().filter_map(|(v, _)| v.text().map(str::to_string)));
                }
            }
            out
        };
        Step {
            block,
            name,
            condition,
            condition_mark: condition_entry.map(|e| e.key_mark),
            role,
            manual,
            deploys,
            live: !live_actions.is_empty() || actions.is_empty(),
            environments: list("environments"),
            excluded: list("excluded_environments"),
        }
    }

    /// Whether it runs after a failed step: run condition `Failure`, or a variable condition on
    /// `Octopus.Deployment.Error` (`#{if Octopus.Deployment.Error}…`).
    fn runs_after_failure(&self) -> bool {
        match self.condition {
            "Failure" => true,
            "Variable" => {
                let properties = self.block.attribute("properties").map(|e| &e.value);
                let expression = CONDITION_EXPRESSIONS
                    .iter()
                    .find_map(|k| properties.and_then(|p| ocl::entry(p, k)).and_then(|e| e.value.text()));
                expression.is_some_and(|x| {
                    let compact: String = x.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                    compact.contains("#{ifOctopus.Deployment.Error}")
                })
            }
            _ => false,
        }
    }

    /// Whether it runs in every environment `other` runs in (an action's `environments`, unset for
    /// all, less its `excluded_environments`).
    fn covers(&self, other: &Step<'_>) -> bool {
        let included = self.environments.is_empty()
            || (!other.environments.is_empty() && other.environments.iter().all(|e| self.environments.contains(e)));
        let excluded = match other.environments.is_empty() {
            true => !self.excluded.is_empty(),
            false => other.environments.iter().any(|e| self.excluded.contains(e)),
        };
        included && !excluded
    }
}

/// Whether a text is a deployment process: OCL with at least one `step` block.
pub(super) fn is_process(text: &str) -> bool {
    ocl::parse(text).is_ok_and(|items| ocl::blocks(&items, "step").next().is_some())
}

pub(super) fn read(file: &str, text: &str, reading: &mut Reading) -> Result<(), Error> {
    let items = ocl::parse(text).map_err(|e| e.with_origin(file))?;
    let at = |path: String, mark: Mark| Place { file: file.to_string(), path, mark };
    let steps: Vec<Step> = ocl::blocks(&items, "step").map(Step::of).collect();
    for item in &items {
        if let Item::Block(b) = item {
            if b.name != "step" {
                let line = b.mark.line;
                reading
                    .draft
                    .note(format!("Not read: block {} ({file}:{line}): a deployment process holds steps", b.name));
            }
        }
    }
    let path_of = |s: &Step<'_>| format!("step.{}", s.block.labels.first().map_or(s.name.as_str(), String::as_str));
    // The last live step that deploys, and the steps that run after a failure.
    let deploy = steps.iter().rposition(|s| s.live && s.deploys.is_some());
    let failure_path_after = |i: usize, covering: Option<&Step<'_>>| {
        steps[i + 1..].iter().any(|s| s.live && s.runs_after_failure() && covering.is_none_or(|d| s.covers(d)))
    };

    let mut process = Subject::new("octopus", "process", at(String::new(), Mark { line: 1, column: 1 }));
    process.fact("file", file);
    match deploy {
        Some(d) => {
            let step = &steps[d];
            process.fact_at("deploy_step", step.name.as_str(), at(path_of(step), step.block.mark));
            process.fact("failure_path_after_deploy", failure_path_after(d, Some(step)));
        }
        None => {
            process.fact("deploy_step", Json::Null);
        }
    }
    let failure_steps: Vec<usize> =
        (0..steps.len()).filter(|i| steps[*i].live && steps[*i].runs_after_failure()).collect();
    let only_before = deploy.is_some_and(|d| !failure_steps.is_empty() && failure_steps.iter().all(|i| *i < d));
    process.fact("failure_only_before_deploy", only_before);
    if let Some(first) = failure_steps.first().map(|i| &steps[*i]) {
        let mark = first.condition_mark.unwrap_or(first.block.mark);
        process.fact_at("failure_step", first.name.as_str(), at(format!("{}.condition", path_of(first)), mark));
    }
    reading.subjects.push(process);

    for (i, step) in steps.iter().enumerate() {
        let Some(action) = step.manual else { continue };
        let properties = action.attribute("properties").map(|e| &e.value);
        let teams = properties.and_then(|p| ocl::entry(p, "Octopus.Action.Manual.ResponsibleTeamIds"));
        let has_team = teams.and_then(|e| e.value.text()).is_some_and(|t| !t.trim().is_empty());
        let required = action.attribute("is_required").map(|e| &e.value) == Some(&Value::Bool(true));
        let mut subject = Subject::new("octopus", "intervention", at(path_of(step), step.block.mark));
        subject.fact("step", step.name.as_str()).fact("required", required);
        match teams {
            Some(e) => subject.fact_at(
                "responsible_team",
                has_team,
                at(format!("{}.action.properties", path_of(step)), e.key_mark),
            ),
            None => subject.fact("responsible_team", false),
        };
        subject.fact("after_deploy", deploy.is_some_and(|d| i > d));
        subject.fact("failure_path_after", failure_path_after(i, deploy.map(|d| &steps[d])));
        reading.subjects.push(subject);
    }

    draft(file, &steps, deploy, reading);
    Ok(())
}

/// What the process gives the spec.
fn draft(file: &str, steps: &[Step<'_>], deploy: Option<usize>, reading: &mut Reading) {
    let types = action_types();
    let at = |path: String, mark: Mark| Some(Place { file: file.to_string(), path, mark });
    let draft = &mut reading.draft;
    draft.read_from(file);
    let first = steps.first().map_or(Mark { line: 1, column: 1 }, |s| s.block.mark);
    draft.set("deployment.tool", "octopus", at(String::new(), first));
    // The project is the folder the file is in (`.octopus/<project>/deployment_process.ocl`), when
    // there is one; `.octopus/` alone names none.
    let folder = file.replace('\\', "/").rsplit('/').nth(1).map(str::to_string);
    let project = folder.filter(|f| f != ".octopus" && !f.is_empty() && f != ".");
    match &project {
        Some(p) => {
            let note = "the project's folder: to confirm the component's name";
            draft.set_noted("component.name", p.as_str(), None, note);
            draft.set_noted("deployment.pipeline", p.as_str(), None, "the project's folder: to confirm");
        }
        None => {
            let named = deploy.map_or("component", |d| steps[d].name.as_str());
            let note = "the deploy step's name (the file's folder names no project): to confirm the component's";
            draft.set_noted("component.name", named, None, note);
        }
    }
    if let Some((step, action)) = deploy.and_then(|d| Some((&steps[d], steps[d].deploys?))) {
        let kind_entry = action.attribute("action_type");
        let kind = kind_entry.and_then(|e| e.value.text()).unwrap_or("");
        let path = format!("step.{}.action.action_type", step.block.labels.first().cloned().unwrap_or_default());
        match types.platforms.get(kind) {
            Some(p) => draft.set("deployment.platform", p.as_str(), kind_entry.and_then(|e| at(path.clone(), e.mark))),
            None => draft.ask("deployment.platform", "other", &format!("where {kind} deploys to")),
        }
        if let [one] = step.environments.as_slice() {
            draft.set(
                "component.environment",
                one.as_str(),
                at(format!("step.{}.action.environments", step.name), step.block.mark),
            );
        }
        let properties = action.attribute("properties").map(|e| &e.value);
        let style = properties.and_then(|p| ocl::entry(p, "Octopus.Action.KubernetesContainers.DeploymentStyle"));
        let window =
            step.block.attribute("properties").and_then(|p| ocl::entry(&p.value, "Octopus.Action.MaxParallelism"));
        match (style.and_then(|e| Some((e, types.deployment_styles.get(e.value.text()?)?))), window) {
            (Some((e, strategy)), _) => draft.set_noted(
                "rollout.strategy",
                strategy.as_str(),
                at(path.replace("action_type", "properties"), e.mark),
                "its DeploymentStyle",
            ),
            (None, Some(e)) => {
                let note = "a rolling deployment's window (MaxParallelism)";
                draft.set_noted(
                    "rollout.strategy",
                    "rolling",
                    at(format!("step.{}.properties", step.name), e.mark),
                    note,
                )
            }
            (None, None) => {
                draft.ask("rollout.strategy", "rolling", "the deploy step names no deployment style or rolling window")
            }
        }
    }
    for step in steps.iter().filter(|s| s.live) {
        let from = at(format!("step.{}", step.name), step.block.mark);
        if step.manual.is_some() {
            draft.set_noted("rollout.approval", "manual", from.clone(), "a manual intervention waits for a person");
        }
        if step.runs_after_failure() {
            let how = if step.condition == "Failure" {
                "run condition Failure"
            } else {
                "a variable condition on Octopus.Deployment.Error"
            };
            let action = format!("Octopus step {} (runs after a failed step: {how})", step.name);
            draft.push("fallback.steps", json!({ "action": action }), from);
        } else if step.role == Role::Verify {
            draft.push("abort.triggers", format!("Octopus step {} fails", step.name), from);
        } else if step.deploys.is_none() && step.manual.is_none() && step.role == Role::Other {
            let template = step.block.blocks("action").any(|a| a.attribute("action_type").is_none());
            let what = if template {
                "uses a step template: what it does"
            } else {
                "neither deploys, verifies, waits nor falls back by its type or name"
            };
            draft.note(format!("Not read: step {} ({file}:{}) {what}: to confirm", step.name, step.block.mark.line));
        }
    }
    let name = project.unwrap_or_else(|| "component".to_string());
    super::ask_the_unknowable(reading, &name);
}
