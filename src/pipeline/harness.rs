//! Harness CD NextGen pipelines in v0 YAML: a pipeline, or a stage or pipeline template.
//!
//! Key names from Harness's v0 schema (`../shared/schemas/harness/pipeline.json`, template.json); what
//! Harness does with them is cited in `templates/lint/harness.yaml`: a Deployment stage must hold a
//! failure strategy on exactly `[AllErrors]`, a step inherits its step group's or stage's strategies, an
//! empty Rollback section undoes nothing, a Kubernetes rolling rollback with no earlier release skips
//! and succeeds, a Verify step passes on no data unless `failOnNoAnalysis`, and an approval can be
//! made to pass when it times out.

use serde_json::{json, Value};

use super::{place, Place, Reading, Subject};
use crate::source::node::Node;

/// Rollback steps that return the workload to its earlier release and, with none, skip and succeed
/// (K8sRollingRollbackBaseHandler in harness-core). Other tools' rollbacks (Helm's, a service swap)
/// are not listed: no source here says what they do on a first deployment.
const TOOL_ROLLBACKS: &[&str] = &["K8sRollingRollback"];

pub(super) fn read(file: &str, doc: &Node, reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    // A pipeline, a pipeline template (its spec holds the stages) or a stage template (its spec is
    // the stage).
    let mut stages: Vec<(String, &Node)> = Vec::new();
    let pipeline = doc.get("pipeline");
    let template = doc.get("template");
    let (root_path, root) = match (pipeline, template) {
        (Some(p), _) => ("pipeline", p),
        (None, Some(t)) => ("template.spec", t.get("spec").unwrap_or(t)),
        (None, None) => return,
    };
    if template.and_then(|t| t.get("type")).and_then(Node::text) == Some("Stage") {
        stages.push((root_path.to_string(), root));
    } else {
        for (i, item) in root.get("stages").map(Node::items).unwrap_or_default().iter().enumerate() {
            collect_stages(item, &format!("{root_path}.stages[{i}]"), &mut stages);
        }
    }
    let name = pipeline.or(template).and_then(|p| p.get("name")).and_then(Node::text).unwrap_or("pipeline");

    let draft = &mut reading.draft;
    draft.read_from(file);
    let kind = doc.key("pipeline").or(doc.key("template")).unwrap_or(doc);
    draft.set("deployment.tool", "harness", Some(at(root_path, kind)));
    if let Some(n) = pipeline.or(template).and_then(|p| p.get("name")) {
        draft.set("deployment.pipeline", name, Some(at(&format!("{}.name", root_path.trim_end_matches(".spec")), n)));
    }
    let mut component = None;
    for (path, stage) in &stages {
        if stage.get("type").and_then(Node::text) != Some("Deployment") {
            // A stage made from a template holds its reference, not its steps.
            if let Some(t) = stage.get("template").and_then(|t| t.get("templateRef")).and_then(Node::text) {
                let line = stage.mark.line;
                reading
                    .draft
                    .note(format!("Not read: stage template {t} ({file}:{line}): give planb the template's file"));
            }
            continue;
        }
        // A stage template's stage has no identifier of its own: the template's names it.
        let id = stage.get("identifier").or(template.and_then(|t| t.get("identifier"))).and_then(Node::text);
        read_stage(file, path, stage, id.unwrap_or(""), reading, &mut component);
    }
    let component = component.unwrap_or_else(|| name.to_string());
    if !reading.draft.has("component.name") {
        reading.draft.set_noted(
            "component.name",
            component.as_str(),
            None,
            "the pipeline's name: to confirm the component's",
        );
    }
    super::ask_the_unknowable(reading, &component);
}

/// The stage nodes of a `stages` item: `stage`, or each of a `parallel` list.
fn collect_stages<'a>(item: &'a Node, path: &str, out: &mut Vec<(String, &'a Node)>) {
    if let Some(stage) = item.get("stage") {
        out.push((format!("{path}.stage"), stage));
    }
    for (i, inner) in item.get("parallel").map(Node::items).unwrap_or_default().iter().enumerate() {
        collect_stages(inner, &format!("{path}.parallel[{i}]"), out);
    }
}

/// One step of an execution with its path and the failure strategies it inherits.
struct Step<'a> {
    path: String,
    /// The `step:` key, where a finding about the step points.
    key: &'a Node,
    node: &'a Node,
    /// The failure strategies that apply to it: its own, else its step group's, else the stage's.
    strategies: Option<(String, &'a Node)>,
}

/// Every step of `steps`, through `parallel` and `stepGroup`.
fn collect_steps<'a>(items: &'a [Node], path: &str, inherited: Option<(String, &'a Node)>, out: &mut Vec<Step<'a>>) {
    for (i, item) in items.iter().enumerate() {
        let here = format!("{path}[{i}]");
        if let Some(step) = item.get("step") {
            let own = step.get("failureStrategies").map(|f| (format!("{here}.step.failureStrategies"), f));
            let key = item.key("step").unwrap_or(step);
            out.push(Step {
                path: format!("{here}.step"),
                key,
                node: step,
                strategies: own.or_else(|| inherited.clone()),
            });
        }
        if let Some(parallel) = item.get("parallel") {
            collect_steps(parallel.items(), &format!("{here}.parallel"), inherited.clone(), out);
        }
        if let Some(group) = item.get("stepGroup") {
            let own = group.get("failureStrategies").map(|f| (format!("{here}.stepGroup.failureStrategies"), f));
            let steps = group.get("steps").map(Node::items).unwrap_or_default();
            collect_steps(steps, &format!("{here}.stepGroup.steps"), own.or_else(|| inherited.clone()), out);
        }
    }
}

fn read_stage(file: &str, path: &str, stage: &Node, id: &str, reading: &mut Reading, component: &mut Option<String>) {
    let at = |p: &str, node: &Node| place(file, p, node);
    let spec = stage.get("spec");
    let execution = spec.and_then(|s| s.get("execution"));
    let mut subject = Subject::new("harness", "stage", at(path, stage));
    subject.fact("id", id);

    // Failure strategies: Harness refuses a Deployment stage without one on exactly [AllErrors].
    let strategies_node = stage.get("failureStrategies");
    let strategies = strategies_node.map(Node::items).unwrap_or_default();
    let errors_of = |s: &Node| -> Vec<String> {
        let errors = s.get("onFailure").and_then(|o| o.get("errors"));
        errors.map(Node::items).unwrap_or_default().iter().filter_map(|e| e.text().map(str::to_string)).collect()
    };
    fn action_of(s: &Node) -> Option<&str> {
        s.get("onFailure").and_then(|o| o.get("action")).and_then(|a| a.get("type")).and_then(Node::text)
    }
    let all_errors = strategies.iter().any(|s| errors_of(s) == ["AllErrors"]);
    match stage.key("failureStrategies") {
        Some(key) => subject.fact_at("all_errors_strategy", all_errors, at(&format!("{path}.failureStrategies"), key)),
        None => subject.fact("all_errors_strategy", false),
    };
    let is_input = strategies_node.and_then(Node::text).is_some_and(|t| t.starts_with("<+input>"));
    subject.fact("strategies_are_input", is_input);
    subject.fact("stage_rollback", strategies.iter().any(|s| action_of(s) == Some("StageRollback")));

    // The Rollback section.
    let rollback = execution.and_then(|e| e.get("rollbackSteps"));
    let mut rollback_steps = Vec::new();
    collect_steps(
        rollback.map(Node::items).unwrap_or_default(),
        &format!("{path}.spec.execution.rollbackSteps"),
        None,
        &mut rollback_steps,
    );
    let types: Vec<&str> = rollback_steps.iter().filter_map(|s| s.node.get("type").and_then(Node::text)).collect();
    subject.fact("rollback_steps", rollback_steps.len());
    subject.fact("rollback_only_tool_rollback", !types.is_empty() && types.iter().all(|t| TOOL_ROLLBACKS.contains(t)));
    let rollback_place = match execution.and_then(|e| e.key("rollbackSteps")) {
        Some(key) => at(&format!("{path}.spec.execution.rollbackSteps"), key),
        None => at(
            &format!("{path}.spec.execution"),
            execution.and_then(|_| spec.and_then(|s| s.key("execution"))).unwrap_or(stage),
        ),
    };
    subject.places.insert("rollback_steps".into(), rollback_place.clone());
    subject.places.insert("rollback_only_tool_rollback".into(), rollback_place);
    reading.subjects.push(subject);

    // The steps, each with the strategies it inherits.
    let stage_strategies = strategies_node.map(|f| (format!("{path}.failureStrategies"), f));
    let mut steps = Vec::new();
    let items = execution.and_then(|e| e.get("steps")).map(Node::items).unwrap_or_default();
    collect_steps(items, &format!("{path}.spec.execution.steps"), stage_strategies, &mut steps);
    for step in &steps {
        read_step(file, step, reading);
    }

    draft_stage(file, path, stage, &steps, reading, component);
}

/// Whether a timed-out step goes on as if it passed: a strategy on Timeout (or AllErrors) that marks
/// it a success or ignores it, directly or after a manual intervention's timeout.
fn timeout_proceeds(strategies: &Node) -> Option<(usize, &Node)> {
    strategies.items().iter().enumerate().find(|(_, s)| {
        let on = s.get("onFailure");
        let errors: Vec<&str> = on
            .and_then(|o| o.get("errors"))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::text)
            .collect();
        let catches_timeout = errors.iter().any(|e| matches!(*e, "Timeout" | "AllErrors"));
        let action = on.and_then(|o| o.get("action"));
        let kind = action.and_then(|a| a.get("type")).and_then(Node::text);
        // What comes after a manual intervention's timeout (`onTimeout`) or a retry's last failure
        // (`onRetryFailure`).
        let then = |key: &str| {
            let next = action.and_then(|a| a.get("spec")).and_then(|s| s.get(key)).and_then(|t| t.get("action"));
            next.and_then(|a| a.get("type")).and_then(Node::text)
        };
        let (after_manual, after_retry) = (then("onTimeout"), then("onRetryFailure"));
        let proceeds = |k: Option<&str>| matches!(k, Some("MarkAsSuccess" | "Ignore"));
        catches_timeout
            && (proceeds(kind)
                || (kind == Some("ManualIntervention") && proceeds(after_manual))
                || (kind == Some("Retry") && proceeds(after_retry)))
    })
}

fn read_step(file: &str, step: &Step<'_>, reading: &mut Reading) {
    let at = |p: &str, node: &Node| place(file, p, node);
    let kind = step.node.get("type").and_then(Node::text).unwrap_or("");
    let mut subject = Subject::new("harness", "step", at(&step.path, step.key));
    let name = step.node.get("name").and_then(Node::text).unwrap_or("");
    subject
        .fact("id", step.node.get("identifier").and_then(Node::text).unwrap_or(""))
        .fact("name", name)
        .fact("type", kind);
    // Verify: failOnNoAnalysis is false unless set (VerificationJobSpec in harness-core).
    let inner = step.node.get("spec").and_then(|s| s.get("spec"));
    match inner.and_then(|s| s.key("failOnNoAnalysis")) {
        Some(key) => subject.fact_at(
            "fail_on_no_analysis",
            inner.and_then(|s| s.get("failOnNoAnalysis")).and_then(Node::truth) == Some(true),
            at(&format!("{}.spec.spec.failOnNoAnalysis", step.path), key),
        ),
        None => subject.fact("fail_on_no_analysis", false),
    };
    // Approvals: does a timeout let the step pass?
    let auto = step.node.get("spec").and_then(|s| s.get("autoApproval"));
    let auto_approves = auto.and_then(|a| a.get("action")).and_then(Node::text) == Some("APPROVE");
    let by_strategy =
        step.strategies.as_ref().and_then(|(p, s)| timeout_proceeds(s).map(|(i, n)| (format!("{p}[{i}]"), n)));
    let proceeds_at: Option<Place> = match (auto_approves, &by_strategy) {
        (true, _) => step
            .node
            .get("spec")
            .and_then(|s| s.key("autoApproval"))
            .map(|k| at(&format!("{}.spec.autoApproval", step.path), k)),
        (false, Some((path, node))) => Some(at(path, node)),
        (false, None) => None,
    };
    match proceeds_at {
        Some(p) => subject.fact_at("timeout_proceeds", true, p),
        None => subject.fact("timeout_proceeds", false),
    };
    reading.subjects.push(subject);
}

/// What a Deployment stage gives the spec.
fn draft_stage(
    file: &str,
    path: &str,
    stage: &Node,
    steps: &[Step<'_>],
    reading: &mut Reading,
    component: &mut Option<String>,
) {
    let at = |p: &str, node: &Node| place(file, p, node);
    let draft = &mut reading.draft;
    let spec = stage.get("spec");
    if let Some(t) = spec.and_then(|s| s.get("deploymentType")) {
        let platform = match t.text().unwrap_or("") {
            "Kubernetes" | "NativeHelm" => Some("kubernetes"),
            "ECS" => Some("ecs"),
            "ServerlessAwsLambda" | "AwsLambda" | "AWS_SAM" | "GoogleCloudFunctions" | "AzureFunction" => {
                Some("serverless")
            }
            "Ssh" | "WinRm" | "Asg" | "Elastigroup" | "GoogleManagedInstanceGroup" => Some("vm"),
            _ => None,
        };
        if let Some(p) = platform {
            draft.set("deployment.platform", p, Some(at(&format!("{path}.spec.deploymentType"), t)));
        }
    }
    // The service and environment: references, kept as written; an expression is to confirm.
    let refs =
        [("service", "serviceRef", "component.name"), ("environment", "environmentRef", "component.environment")];
    for (block, key, field) in refs {
        if let Some(node) = spec.and_then(|s| s.get(block)).and_then(|b| b.get(key)) {
            let text = node.text().unwrap_or("");
            let from = Some(at(&format!("{path}.spec.{block}.{key}"), node));
            if text.starts_with("<+") {
                draft.set_noted(field, text, from, "an expression: to confirm");
            } else if !text.is_empty() {
                draft.set_noted(
                    field,
                    text,
                    from,
                    if field == "component.name" { "the service's reference" } else { "the environment's reference" },
                );
            }
            if field == "component.name" && !text.is_empty() && component.is_none() {
                *component = Some(text.to_string());
            }
        }
    }
    for step in steps {
        let kind = step.node.get("type").and_then(Node::text).unwrap_or("");
        let from = Some(at(&step.path, step.key));
        let name = step.node.get("name").and_then(Node::text).unwrap_or(kind);
        match kind {
            "K8sCanaryDeploy" => draft.set("rollout.strategy", "canary", from),
            "K8sBlueGreenDeploy" => draft.set("rollout.strategy", "blue-green", from),
            "K8sRollingDeploy" => draft.set("rollout.strategy", "rolling", from),
            "HarnessApproval" => draft.set("rollout.approval", "harness", from),
            "JiraApproval" => draft.set("rollout.approval", "jira", from),
            "ServiceNowApproval" => draft.set("rollout.approval", "servicenow", from),
            "Verify" => {
                draft.push("abort.triggers", format!("Harness Verify step {name} fails"), from.clone());
                let inner = step.node.get("spec").and_then(|s| s.get("spec"));
                let fail = inner.and_then(|s| s.get("failOnNoAnalysis")).and_then(Node::truth) == Some(true);
                draft.set_noted("verification.fail_on_no_analysis", fail, from, "failOnNoAnalysis, false unless set");
            }
            _ => draft.note(format!(
                "Not read: step {name} ({kind}, {file}:{}): planb maps no field from it",
                step.key.mark.line
            )),
        }
    }
    // The stage's failure strategies, in the spec's words.
    for (i, s) in stage.get("failureStrategies").map(Node::items).unwrap_or_default().iter().enumerate() {
        match failure_strategy(s) {
            Some(strategy) => draft.push(
                "deployment.failure_strategies",
                strategy,
                Some(at(&format!("{path}.failureStrategies[{i}]"), s)),
            ),
            None => draft.note(format!(
                "Not read: failure strategy {file}:{} (an error type or action the spec has no word for)",
                s.mark.line
            )),
        }
    }
    let rollback = spec.and_then(|s| s.get("execution")).and_then(|e| e.get("rollbackSteps"));
    let mut rollback_steps = Vec::new();
    collect_steps(rollback.map(Node::items).unwrap_or_default(), "", None, &mut rollback_steps);
    for step in rollback_steps {
        let kind = step.node.get("type").and_then(Node::text).unwrap_or("");
        let name = step.node.get("name").and_then(Node::text).unwrap_or(kind);
        let action = json!({ "action": format!("Harness rollback step {name} ({kind})") });
        let from = Some(at(&format!("{path}.spec.execution.rollbackSteps"), step.key));
        draft.push("fallback.steps", action, from);
    }
}

/// A Harness failure strategy in the spec's words; `None` when its action has no spec name.
fn failure_strategy(s: &Node) -> Option<Value> {
    let on = s.get("onFailure")?;
    let action = |a: Option<&Node>| -> Option<&'static str> {
        Some(match a?.get("type")?.text()? {
            "ManualIntervention" => "manual-intervention",
            "Retry" => "retry",
            "MarkAsSuccess" => "mark-as-success",
            "Ignore" => "ignore-failure",
            "Abort" => "abort",
            "MarkAsFailure" => "mark-as-failure",
            "StageRollback" => "rollback-stage",
            "StepGroupRollback" => "rollback-step-group",
            "PipelineRollback" => "rollback-pipeline",
            "ProceedWithDefaultValues" => "proceed-with-default-values",
            _ => return None,
        })
    };
    // Every error type must have a spec name: one dropped would widen or narrow the strategy.
    let errors: Vec<&str> = on
        .get("errors")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            Some(match e.text()? {
                "AllErrors" => "all-errors",
                "Timeout" => "timeout",
                "Verification" => "verification",
                "ApprovalRejection" => "approval-rejection",
                "DelegateRestart" => "delegate-restart",
                "PolicyEvaluationFailure" => "policy-evaluation",
                _ => return None,
            })
        })
        .collect::<Option<_>>()?;
    let a = on.get("action");
    let mut out = json!({ "errors": errors, "action": action(a)? });
    let spec = a.and_then(|a| a.get("spec"));
    if let Some(timeout) = spec.and_then(|s| s.get("timeout")).and_then(Node::text) {
        if crate::spec::Duration::parse(timeout).is_ok() {
            out["timeout"] = json!(timeout);
        }
    }
    if let Some(after) = action(spec.and_then(|s| s.get("onTimeout")).and_then(|t| t.get("action"))) {
        out["on_timeout"] = json!(after);
    }
    Some(out)
}
