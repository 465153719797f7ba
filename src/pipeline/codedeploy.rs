//! AWS CodeDeploy: an AppSpec file (ECS, Lambda, or EC2/on-premises) and a deployment group as
//! `aws deploy get-deployment-group` prints it. The group says how a deployment stops and rolls
//! back (alarms, automatic rollback, what becomes of the original fleet); the AppSpec which hooks
//! check the new version before traffic reaches it.
//!
//! Field names follow botocore's CodeDeploy model (`DeploymentGroupInfo`, botocore 1.44.18) and the
//! AppSpec reference of the CodeDeploy User Guide; what CodeDeploy does with them is cited in
//! `templates/lint/codedeploy.yaml` and `templates/tools/codedeploy.yaml`.

use serde_json::{json, Value};

use super::{place, Draft, Place, Reading, Subject};
use crate::source::node::Node;

/// The hooks that can stop a deployment before production traffic reaches the new version, by
/// platform (CD-HOOKS): on ECS `AfterAllowTestTraffic` (with a test listener) and
/// `BeforeAllowTraffic`; on Lambda only `BeforeAllowTraffic` (`AfterAllowTraffic` runs once all
/// traffic has moved); on EC2 `ValidateService`, which checks the revision on each instance.
const ECS_CHECKS: &[&str] = &["AfterAllowTestTraffic", "BeforeAllowTraffic"];
const LAMBDA_CHECKS: &[&str] = &["BeforeAllowTraffic"];
const SERVER_CHECKS: &[&str] = &["ValidateService"];

/// The EC2 agent reads these top-level keys in lower case only: a capitalised `Hooks`, `Files` or
/// `Permissions` is ignored (CD-AGENT-KEYS).
const SERVER_KEYS: &[&str] = &["hooks", "files", "permissions"];

pub(super) fn read(file: &str, doc: &Node, reading: &mut Reading) {
    match doc.get("deploymentGroupInfo") {
        Some(group) => deployment_group(file, "deploymentGroupInfo.", group, reading),
        None if doc.get("deploymentGroupName").is_some() => deployment_group(file, "", doc, reading),
        None => appspec(file, doc, reading),
    }
    reading.draft.read_from(file);
}

/// A field of an ECS or Lambda AppSpec: the User Guide writes these keys both capitalised and in
/// lower case (`Resources`, `resources`), so either is read.
fn field<'a>(node: &'a Node, key: &str) -> Option<(&'a Node, &'a Node)> {
    node.entries().iter().find(|(k, _)| k.text().is_some_and(|t| t.eq_ignore_ascii_case(key))).map(|(k, v)| (k, v))
}

fn deployment_group(file: &str, prefix: &str, group: &Node, reading: &mut Reading) {
    let at = |path: &str, node: &Node| match path {
        "" => place(file, prefix.trim_end_matches('.'), node),
        _ => place(file, format!("{prefix}{path}"), node),
    };
    let text = |key: &str| group.get(key).and_then(Node::text);
    let name = text("deploymentGroupName").unwrap_or("");
    let platform = platform_of_group(group);
    let mut subject = Subject::new("codedeploy", "deployment-group", at("", group));
    subject.fact("name", name).fact("platform", platform.map_or(Value::Null, Value::from));

    // Automatic rollback: off unless `enabled` is true; then only for the events it lists.
    let rollback = group.get("autoRollbackConfiguration");
    let rollback_on = rollback.and_then(|r| r.get("enabled")).and_then(Node::truth) == Some(true);
    let events = rollback.and_then(|r| r.get("events")).map(Node::items).unwrap_or_default();
    let on = |event: &str| rollback_on && events.iter().any(|e| e.text() == Some(event));
    let rollback_key = group.key("autoRollbackConfiguration");
    for (fact, event) in
        [("rollback_on_failure", "DEPLOYMENT_FAILURE"), ("rollback_on_alarm", "DEPLOYMENT_STOP_ON_ALARM")]
    {
        match rollback_key {
            Some(key) => subject.fact_at(fact, on(event), at("autoRollbackConfiguration", key)),
            None => subject.fact(fact, on(event)),
        };
    }

    // Alarms stop a deployment only while the configuration is enabled.
    let alarm_config = group.get("alarmConfiguration");
    let alarms_on = alarm_config.and_then(|a| a.get("enabled")).and_then(Node::truth) == Some(true);
    let alarms: &[Node] = match alarms_on {
        true => alarm_config.and_then(|a| a.get("alarms")).map(Node::items).unwrap_or_default(),
        false => &[],
    };
    match group.key("alarmConfiguration") {
        Some(key) => subject.fact_at("alarms", alarms.len(), at("alarmConfiguration", key)),
        None => subject.fact("alarms", 0),
    };
    match alarm_config.and_then(|a| a.get("ignorePollAlarmFailure")) {
        Some(n) => subject.fact_at(
            "ignores_alarm_poll_failure",
            alarms_on && n.truth() == Some(true),
            at("alarmConfiguration.ignorePollAlarmFailure", n),
        ),
        None => subject.fact("ignores_alarm_poll_failure", false),
    };

    // Blue/green: when the original task set or instances go once traffic has moved. Every ECS
    // deployment is blue/green; the termination option does not apply to Lambda.
    let style = group.get("deploymentStyle");
    let blue_green = platform == Some("ECS")
        || (platform != Some("Lambda")
            && style.and_then(|s| s.get("deploymentType")).and_then(Node::text) == Some("BLUE_GREEN"));
    subject.fact("blue_green", blue_green);
    let config = group.get("blueGreenDeploymentConfiguration");
    let termination = config.and_then(|c| c.get("terminateBlueInstancesOnDeploymentSuccess"));
    let action = termination.and_then(|t| t.get("action")).and_then(Node::text);
    subject.fact("terminates_original", blue_green && action == Some("TERMINATE"));
    // The wait's default is not documented: unstated, it is unknown (null), not 0.
    let path =
        "blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes";
    match termination.and_then(|t| t.get("terminationWaitTimeInMinutes")) {
        Some(n) => subject.fact_at("termination_wait", n.text().and_then(|t| t.parse::<u64>().ok()), at(path, n)),
        None => subject.fact("termination_wait", Value::Null),
    };
    reading.subjects.push(subject);

    let draft = &mut reading.draft;
    let group_at = Some(at("", group));
    draft.set("deployment.tool", "codedeploy", group_at.clone());
    if let Some(n) = group.get("applicationName") {
        if let Some(app) = n.text() {
            let note = "the CodeDeploy application's name: to confirm the component's";
            draft.set_noted("component.name", app, Some(at("applicationName", n)), note);
        }
    }
    if let Some(n) = group.get("deploymentGroupName") {
        draft.set("deployment.pipeline", name, Some(at("deploymentGroupName", n)));
    }
    let platform_key = |p: &str| match p {
        "ECS" => "ecs",
        "Lambda" => "serverless",
        _ => "vm",
    };
    match (group.get("computePlatform"), platform) {
        (Some(n), Some(p)) => draft.set("deployment.platform", platform_key(p), Some(at("computePlatform", n))),
        (None, Some(p)) => {
            let note = "told from the group's targets (no computePlatform): to confirm";
            draft.set_noted("deployment.platform", platform_key(p), group_at.clone(), note);
        }
        (_, None) => {
            draft.ask("deployment.platform", "serverless", "the group names no computePlatform and no targets")
        }
    }
    if let Some(key) = rollback_key {
        let from = Some(at("autoRollbackConfiguration", key));
        draft.set("deployment.tool_settings.auto_rollback", on("DEPLOYMENT_FAILURE"), from);
    }
    match group.get("deploymentConfigName") {
        Some(config) => {
            let name = config.text().unwrap_or("");
            draft_config(draft, name, blue_green, Some(at("deploymentConfigName", config)));
        }
        // Unset on the group and the deployment, CodeDeploy uses OneAtATime (CD-CONFIGS).
        None if platform == Some("Server") && !blue_green => {
            draft.set_noted("rollout.strategy", "rolling", group_at.clone(), "no deploymentConfigName: OneAtATime")
        }
        None => {}
    }
    for (i, alarm) in alarms.iter().enumerate() {
        if let Some(name) = alarm.get("name").and_then(Node::text) {
            let from = Some(at(&format!("alarmConfiguration.alarms[{i}]"), alarm));
            draft.push("abort.triggers", format!("CloudWatch alarm {name} goes into ALARM (CodeDeploy stops)"), from);
        }
    }
    if !alarms.is_empty() {
        let key = group.key("alarmConfiguration").unwrap_or(group);
        draft.set("verification.health_source", "cloudwatch", Some(at("alarmConfiguration", key)));
    }
    super::ask_the_unknowable(reading, name);
}

/// The group's compute platform: `computePlatform`, or else told from what it targets (a file for
/// `create-deployment-group` has none); `None` when nothing tells.
fn platform_of_group(group: &Node) -> Option<&str> {
    if let Some(p) = group.get("computePlatform").and_then(Node::text) {
        return Some(p);
    }
    if group.get("ecsServices").is_some_and(|s| !s.items().is_empty()) {
        return Some("ECS");
    }
    let targets =
        ["ec2TagFilters", "ec2TagSet", "autoScalingGroups", "onPremisesInstanceTagFilters", "onPremisesTagSet"];
    targets.iter().any(|t| group.get(t).is_some()).then_some("Server")
}

/// The rollout a deployment configuration names: CodeDeploy's predefined ones by name (CD-CONFIGS);
/// a custom one is noted to confirm.
fn draft_config(draft: &mut Draft, name: &str, blue_green: bool, from: Option<Place>) {
    let shape =
        name.strip_prefix("CodeDeployDefault.").map(|n| n.trim_start_matches("ECS").trim_start_matches("Lambda"));
    let strategy = match shape {
        Some("AllAtOnce") if blue_green => "blue-green",
        Some("AllAtOnce") => "all-at-once",
        Some("HalfAtATime" | "OneAtATime") => "rolling",
        Some(s) if s.starts_with("Canary") || s.starts_with("Linear") => "canary",
        _ => {
            draft.note(format!(
                "Not read: deployment configuration {name}: a custom configuration's steps are to confirm"
            ));
            return;
        }
    };
    draft.set_noted("rollout.strategy", strategy, from.clone(), name);
    // Canary10Percent5Minutes: 10% of traffic for 5 minutes, then the rest.
    if let Some((percent, minutes)) = shape.and_then(|s| s.strip_prefix("Canary")).and_then(percent_minutes) {
        draft.push("rollout.steps", json!({ "percent": percent, "bake_time": format!("{minutes}m") }), from);
    }
}

/// `10Percent5Minutes` as (10, 5).
fn percent_minutes(text: &str) -> Option<(u64, u64)> {
    let (percent, rest) = text.split_once("Percent")?;
    let minutes = rest.strip_suffix("Minutes").or_else(|| rest.strip_suffix("Minute"))?;
    Some((percent.parse().ok()?, minutes.parse().ok()?))
}

/// The platform of an AppSpec (CD-APPSPEC): an ECS service or a Lambda function among its
/// resources, or else EC2/on-premises when it has `os`, `files`, `permissions` or hooks as a
/// mapping of scripts; `None` when nothing tells.
fn platform_of_appspec(doc: &Node) -> Option<(&'static str, Option<(usize, &Node)>)> {
    let resources = field(doc, "Resources").map(|(_, r)| r.items()).unwrap_or_default();
    let typed = |wanted: &str| {
        resources.iter().enumerate().find_map(|(i, r)| {
            let (_, body) = r.entries().first()?;
            let kind = field(body, "Type").and_then(|(_, t)| t.text());
            (kind == Some(wanted)).then_some((i, body))
        })
    };
    if let Some(r) = typed("AWS::ECS::Service") {
        return Some(("ECS", Some(r)));
    }
    if let Some(r) = typed("AWS::Lambda::Function") {
        return Some(("Lambda", Some(r)));
    }
    let scripts = field(doc, "hooks").is_some_and(|(_, h)| !h.entries().is_empty());
    let server = ["os", "files", "permissions"].iter().any(|k| field(doc, k).is_some());
    (server || scripts).then_some(("Server", None))
}

fn appspec(file: &str, doc: &Node, reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    let Some((platform, resource)) = platform_of_appspec(doc) else {
        let line = doc.mark.line;
        reading.draft.note(format!(
            "Not read: the AppSpec ({file}:{line}) names no ECS service or Lambda function and no EC2 hooks or \
             files: its platform is to confirm"
        ));
        reading.draft.set("deployment.tool", "codedeploy", Some(at("", doc)));
        super::ask_the_unknowable(reading, "component");
        return;
    };
    // ECS and Lambda: a list of one-key mappings, event to validating function. EC2: a mapping of
    // event to scripts, read by the agent only under the lower-case key.
    let hooks_entry = match platform {
        "Server" => doc.get("hooks").map(|h| (doc.key("hooks").unwrap_or(h), h)),
        _ => field(doc, "Hooks"),
    };
    let hooks: Vec<(&Node, &Node)> = match hooks_entry {
        Some((_, h)) if platform == "Server" => h.entries().iter().map(|(k, v)| (k, v)).collect(),
        Some((_, h)) => h.items().iter().filter_map(|i| i.entries().first()).map(|(k, v)| (k, v)).collect(),
        None => Vec::new(),
    };
    let checks = match platform {
        "ECS" => ECS_CHECKS,
        "Lambda" => LAMBDA_CHECKS,
        _ => SERVER_CHECKS,
    };
    let checking: Vec<&(&Node, &Node)> =
        hooks.iter().filter(|(k, _)| k.text().is_some_and(|e| checks.contains(&e))).collect();

    let mut subject = Subject::new("codedeploy", "appspec", at("", doc));
    subject.fact("platform", platform).fact("checks_before_traffic", checking.len());
    subject.fact("checks", checks.join(" or "));
    if let Some((key, _)) = hooks_entry {
        subject.places.insert("checks_before_traffic".into(), at(key.text().unwrap_or("Hooks"), key));
    }
    // On EC2, a capitalised key the agent ignores: the first one, with its place.
    let ignored = match platform {
        "Server" => doc.entries().iter().find(|(k, _)| {
            k.text()
                .is_some_and(|t| t != t.to_ascii_lowercase() && SERVER_KEYS.contains(&t.to_ascii_lowercase().as_str()))
        }),
        _ => None,
    };
    match ignored {
        Some((key, _)) => {
            let text = key.text().unwrap_or("");
            subject.fact("read_as", text.to_ascii_lowercase());
            subject.fact_at("ignored_key", text, at(text, key))
        }
        None => subject.fact("ignored_key", Value::Null),
    };
    reading.subjects.push(subject);

    let draft = &mut reading.draft;
    draft.set("deployment.tool", "codedeploy", Some(at("", doc)));
    let platform_key = match platform {
        "ECS" => "ecs",
        "Lambda" => "serverless",
        _ => "vm",
    };
    let mut name = String::from("component");
    match resource {
        Some((i, body)) => {
            let kind = field(body, "Type").map_or(body, |(_, t)| t);
            draft.set("deployment.platform", platform_key, Some(at(&format!("Resources[{i}].Type"), kind)));
            let props = field(body, "Properties").map(|(_, p)| p);
            let (holder, key, path, what) = match platform {
                "ECS" => (
                    props.and_then(|p| field(p, "LoadBalancerInfo")).map(|(_, l)| l),
                    "ContainerName",
                    "Properties.LoadBalancerInfo.ContainerName",
                    "the container's name",
                ),
                _ => (props, "Name", "Properties.Name", "the function's name"),
            };
            if let Some((_, n)) = holder.and_then(|h| field(h, key)) {
                if let Some(text) = n.text() {
                    name = text.to_string();
                    let from = Some(at(&format!("Resources[{i}].{path}"), n));
                    draft.set_noted(
                        "component.name",
                        text,
                        from.clone(),
                        format!("{what}: to confirm the component's"),
                    );
                    if platform == "Lambda" {
                        draft.set("deployment.workload", format!("function/{text}"), from);
                    }
                }
            }
        }
        None => {
            let why = "os, files or hooks of scripts: EC2 or on-premises";
            draft.set_noted("deployment.platform", platform_key, Some(at("", doc)), why);
        }
    }
    let hooks_key = hooks_entry.and_then(|(k, _)| k.text()).unwrap_or("Hooks");
    for (event, hook) in &checking {
        let event = event.text().unwrap_or("");
        let what = match hook.text() {
            Some(function) => format!("the {event} hook (Lambda function {function}) reports Failed"),
            None => {
                let scripts: Vec<&str> =
                    hook.items().iter().filter_map(|s| s.get("location")).filter_map(Node::text).collect();
                format!("the {event} hook ({}) fails", scripts.join(", "))
            }
        };
        draft.push("abort.triggers", what, Some(at(&format!("{hooks_key}.{event}"), hook)));
    }
    let ask = "the deployment group's configuration (deploymentConfigName): give planb the group \
               (aws deploy get-deployment-group) to read it";
    draft.ask("rollout.strategy", "canary", ask);
    super::ask_the_unknowable(reading, &name);
}
