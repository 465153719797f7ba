//! Spinnaker pipelines, as Deck saves them and `spin pipeline get` prints them (JSON): the stage
//! graph, which stages deploy, judge, verify and fall back, and whether a fallback can start when
//! the stage before it fails.
//!
//! What orca does with a failed stage (cited in `templates/lint/spinnaker.yaml`): `continuePipeline`
//! makes it FAILED_CONTINUE and the stages after it start; otherwise it is TERMINAL (`failPipeline`
//! unset or true) or STOPPED, and no stage after it starts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Value};

use super::roles::{self, Role};
use super::{place, Place, Reading, Subject};
use crate::source::node::Node;

/// The stage types of each role (`templates/lint/spinnaker-stages.yaml`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StageTypes {
    deploy: Vec<String>,
    verify: Vec<String>,
    judgment: Vec<String>,
    fallback: Vec<String>,
}

fn stage_types() -> &'static StageTypes {
    static TYPES: OnceLock<StageTypes> = OnceLock::new();
    // planb's own file, read by its tests; were it broken, stages would be placed by name only.
    TYPES.get_or_init(|| {
        crate::source::parse_as(include_str!("../../templates/lint/spinnaker-stages.yaml")).unwrap_or_default()
    })
}

/// What a stage is for in a fallback plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deploy,
    Verify,
    Judgment,
    Fallback,
    Other,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Deploy => "deploy",
            Kind::Verify => "verify",
            Kind::Judgment => "judgment",
            Kind::Fallback => "fallback",
            Kind::Other => "other",
        }
    }
}

/// One stage, read.
struct Stage<'a> {
    index: usize,
    node: &'a Node,
    reference: String,
    name: &'a str,
    kind_of: &'a str,
    kind: Kind,
    requires: Vec<String>,
    /// The status orca gives the stage when it fails (orca-kotlin `Stage.failureStatus()`).
    fails_to: &'static str,
    /// The `stageEnabled` expression, when the stage runs only if it holds.
    condition: Option<&'a str>,
}

impl<'a> Stage<'a> {
    fn of(index: usize, node: &'a Node) -> Stage<'a> {
        let text = |key: &str| node.get(key).and_then(Node::text);
        let truth = |key: &str| node.get(key).and_then(Node::truth);
        let kind_of = text("type").unwrap_or("");
        let name = text("name").unwrap_or(kind_of);
        let types = stage_types();
        let listed = |list: &[String]| list.iter().any(|t| t == kind_of);
        let kind = if listed(&types.deploy) {
            Kind::Deploy
        } else if listed(&types.verify) {
            Kind::Verify
        } else if listed(&types.judgment) {
            Kind::Judgment
        } else if listed(&types.fallback) {
            Kind::Fallback
        } else {
            match roles::role_of("", Some(name), &[]) {
                Role::Fallback => Kind::Fallback,
                Role::Verify => Kind::Verify,
                Role::Deploy => Kind::Deploy,
                Role::Other => Kind::Other,
            }
        };
        let fails_to = if truth("continuePipeline") == Some(true) {
            "FAILED_CONTINUE"
        } else if truth("failPipeline") != Some(false) {
            "TERMINAL"
        } else {
            "STOPPED"
        };
        let requires = node.get("requisiteStageRefIds").map(Node::items).unwrap_or_default();
        let condition = node.get("stageEnabled").and_then(|e| e.get("expression")).and_then(Node::text);
        Stage {
            index,
            node,
            // A refId may be written as a number; orca compares them as text.
            reference: text("refId").unwrap_or("").to_string(),
            name,
            kind_of,
            kind,
            requires: requires.iter().filter_map(Node::text).map(str::to_string).collect(),
            fails_to,
            condition: condition.filter(|c| !c.trim().is_empty()),
        }
    }

    /// Whether its `stageEnabled` expression reads the status of `other`, by name or refId.
    fn reads_status_of(&self, other: &Stage<'_>) -> bool {
        let Some(condition) = self.condition else { return false };
        let named = [format!("'{}'", other.name), format!("\"{}\"", other.name)];
        let by_ref = [format!("'{}'", other.reference), format!("\"{}\"", other.reference)];
        condition.contains("status") && named.iter().chain(&by_ref).any(|n| condition.contains(n.as_str()))
    }

    /// Whether it runs only on a person's judgment (`#judgment('…')`, also spelt `#judgement`): a
    /// judgment that was skipped makes the expression throw, and orca skips the stage.
    fn judged(&self) -> bool {
        self.condition.is_some_and(|c| c.contains("#judgment(") || c.contains("#judgement("))
    }

    /// Whether it is gated on `other` having failed (FAILED_CONTINUE, or not SUCCEEDED).
    fn runs_when_failed(&self, other: &Stage<'_>) -> bool {
        let failed = self.condition.is_some_and(|c| {
            let compact: String = c.chars().filter(|ch| !ch.is_ascii_whitespace()).collect();
            compact.contains("FAILED_CONTINUE")
                || compact.contains("!='SUCCEEDED'")
                || compact.contains("!=\"SUCCEEDED\"")
        });
        failed && self.reads_status_of(other)
    }
}

pub(super) fn read(file: &str, doc: &Node, reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    let stages: Vec<Stage> = doc
        .get("stages")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, s)| Stage::of(i, s))
        .collect();
    let by_ref: BTreeMap<&str, &Stage> = stages.iter().map(|s| (s.reference.as_str(), s)).collect();
    let pipeline_name = doc.get("name").and_then(Node::text).unwrap_or("");

    // Each stage's ancestors, once: the stages it waits for, directly or through others.
    let ancestry: Vec<Vec<String>> = stages.iter().map(|s| ancestors(s, &by_ref)).collect();
    let after = |reference: &str| -> Vec<&Stage> {
        stages.iter().zip(&ancestry).filter(|(_, a)| a.iter().any(|r| r == reference)).map(|(s, _)| s).collect()
    };

    let mut fallback_on_failure = false;
    for (stage, ancestors) in stages.iter().zip(&ancestry) {
        let path = format!("stages[{}]", stage.index);
        let mut subject = Subject::new("spinnaker", "stage", at(&path, stage.node));
        subject.fact("name", stage.name).fact("type", stage.kind_of).fact("role", stage.kind.key());
        subject.fact("fails_to", stage.fails_to);
        for key in ["continuePipeline", "failPipeline"] {
            if let Some(k) = stage.node.key(key) {
                subject.places.entry("fails_to".into()).or_insert_with(|| at(&format!("{path}.{key}"), k));
            }
        }
        if let Some(k) = stage.node.key("requisiteStageRefIds") {
            subject.places.insert("requisiteStageRefIds".into(), at(&format!("{path}.requisiteStageRefIds"), k));
        }
        // A fallback after a stage that halts on failure never starts when that stage fails.
        let halting = ancestors
            .iter()
            .filter_map(|r| by_ref.get(r.as_str()))
            .find(|a| matches!(a.kind, Kind::Deploy | Kind::Verify) && a.fails_to != "FAILED_CONTINUE");
        subject.fact("halted_by", halting.map_or(Value::Null, |a| Value::from(a.name)));
        subject.fact("halted_by_status", halting.map_or(Value::Null, |a| Value::from(a.fails_to)));
        // Stages after a deploy that ignores its failure, not gated on its status: they run on a
        // failed deploy as on a good one.
        if stage.kind == Kind::Deploy {
            let ungated = after(&stage.reference).iter().filter(|s| !s.reads_status_of(stage) && !s.judged()).count();
            subject.fact("ungated_after", ungated);
            fallback_on_failure |= stage.fails_to == "FAILED_CONTINUE"
                && after(&stage.reference).iter().any(|s| s.runs_when_failed(stage));
            fallback_on_failure |= rolls_back_on_failure(stage.node);
        }
        if stage.kind == Kind::Judgment {
            match stage.node.get("stageTimeoutMs") {
                Some(n) => subject.fact_at(
                    "timeout_ms",
                    n.text().and_then(|t| t.parse::<u64>().ok()),
                    at(&format!("{path}.stageTimeoutMs"), n),
                ),
                None => subject.fact("timeout_ms", Value::Null),
            };
            if let Some(k) = stage.node.key("type") {
                subject.places.entry("timeout_ms".into()).or_insert_with(|| at(&format!("{path}.type"), k));
            }
        }
        if stage.kind_of == "kayentaCanary" {
            subject.fact("automatic", stage.node.get("deployments").is_some());
        }
        reading.subjects.push(subject);
    }

    let triggered_on_failure = doc.get("triggers").map(Node::items).unwrap_or_default().iter().any(|t| {
        let statuses = t.get("status").map(Node::items).unwrap_or_default();
        t.get("type").and_then(Node::text) == Some("pipeline")
            && t.get("enabled").and_then(Node::truth) != Some(false)
            && statuses.iter().any(|s| s.text() == Some("failed"))
    });
    let mut pipeline = Subject::new("spinnaker", "pipeline", at("", doc));
    pipeline.fact("name", pipeline_name);
    pipeline.fact("deploys", stages.iter().filter(|s| s.kind == Kind::Deploy).count());
    pipeline.fact("fallback_on_failure", fallback_on_failure).fact("triggered_on_failure", triggered_on_failure);
    if let Some(k) = doc.key("stages") {
        pipeline.places.insert("stages".into(), at("stages", k));
    }
    reading.subjects.push(pipeline);

    draft(file, doc, &stages, triggered_on_failure, reading);
}

/// Every stage a stage waits for, directly or through others.
fn ancestors(stage: &Stage<'_>, by_ref: &BTreeMap<&str, &Stage<'_>>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    // In the order a depth-first walk meets them: the first halting one is the one named.
    let mut todo: Vec<&str> = stage.requires.iter().map(String::as_str).collect();
    while let Some(r) = todo.pop() {
        if seen.insert(r.to_string()) {
            order.push(r.to_string());
            if let Some(s) = by_ref.get(r) {
                todo.extend(s.requires.iter().map(String::as_str));
            }
        }
    }
    order
}

/// A `deploy` stage whose clusters roll back on their own when it fails (`rollback.onFailure`, or
/// `rollback.destroyLatest`, which removes the new server group).
fn rolls_back_on_failure(stage: &Node) -> bool {
    stage.get("clusters").map(Node::items).unwrap_or_default().iter().any(|c| {
        let rollback = c.get("rollback");
        let on = |key: &str| rollback.and_then(|r| r.get(key)).and_then(Node::truth) == Some(true);
        on("onFailure") || on("destroyLatest")
    })
}

/// What the pipeline gives the spec.
fn draft(file: &str, doc: &Node, stages: &[Stage<'_>], triggered_on_failure: bool, reading: &mut Reading) {
    let at = |path: &str, node: &Node| Some(place(file, path, node));
    let draft = &mut reading.draft;
    draft.read_from(file);
    let stages_key = doc.key("stages").unwrap_or(doc);
    draft.set("deployment.tool", "spinnaker", at("stages", stages_key));
    let application = doc.get("application");
    let name = doc.get("name");
    let component = application.and_then(Node::text).or_else(|| name.and_then(Node::text)).unwrap_or("component");
    if let Some(app) = application.filter(|a| a.text().is_some()) {
        let note = "the Spinnaker application's name: to confirm the component's";
        draft.set_noted("component.name", component, at("application", app), note);
    }
    if let Some(n) = name.filter(|n| n.text().is_some()) {
        draft.set("deployment.pipeline", n.text().unwrap_or(""), at("name", n));
    }
    if triggered_on_failure {
        draft.note(format!(
            "{file}: this pipeline is started when another pipeline fails (a pipeline trigger on status failed): \
             read as a fallback pipeline, to confirm"
        ));
    }
    let ask = "the deploy stages name no strategy (a Deployment's own rolling update, or a canary before them?)";
    draft.ask("rollout.strategy", "rolling", ask);
    for stage in stages {
        let path = format!("stages[{}]", stage.index);
        let from = at(&path, stage.node);
        match stage.kind {
            Kind::Deploy => draft_deploy(file, &path, stage, draft),
            Kind::Judgment => {
                let note = "a Manual Judgment stage waits for a person";
                draft.set_noted("rollout.approval", "manual", from.clone(), note);
            }
            Kind::Verify if stage.kind_of == "kayentaCanary" => {
                draft.set("rollout.strategy", "canary", from.clone());
                draft.set("verification.analysis", "baseline", from.clone());
                let thresholds = stage.node.get("canaryConfig").and_then(|c| c.get("scoreThresholds"));
                let marginal = thresholds.and_then(|t| t.get("marginal")).and_then(Node::text);
                let trigger = match marginal {
                    Some(m) => format!("Spinnaker canary analysis {} scores {m} or less", stage.name),
                    None => format!("Spinnaker canary analysis {} fails", stage.name),
                };
                draft.push("abort.triggers", trigger, from);
            }
            Kind::Verify => draft.push("abort.triggers", format!("Spinnaker stage {} fails", stage.name), from),
            Kind::Fallback => {
                let when = match stage.condition {
                    Some(c) => format!(" (runs when {})", c.trim()),
                    None => String::new(),
                };
                let step = json!({ "action": format!("Spinnaker stage {} ({}){when}", stage.name, stage.kind_of) });
                draft.push("fallback.steps", step, from);
            }
            Kind::Other => draft.note(format!(
                "Not read: stage {} ({}, {file}:{}) neither deploys, verifies, judges nor falls back by its type or name: \
                 to confirm",
                stage.name, stage.kind_of, stage.node.mark.line
            )),
        }
    }
    super::ask_the_unknowable(reading, component);
}

/// A deploy stage's platform, namespace, workload and strategy.
fn draft_deploy(file: &str, path: &str, stage: &Stage<'_>, draft: &mut super::Draft) {
    let at = |p: &str, node: &Node| Some(place(file, format!("{path}.{p}"), node));
    let node = stage.node;
    let type_node = node.get("type").unwrap_or(node);
    let platform = match stage.kind_of {
        "deployManifest" => Some("kubernetes"),
        "Aws.LambdaDeploymentStage" | "Aws.LambdaTrafficRoutingStage" => Some("serverless"),
        _ => node.get("clusters").and_then(|c| c.items().first()).and_then(|c| {
            let provider = c.get("cloudProvider").or_else(|| c.get("provider")).and_then(Node::text)?;
            Some(match provider {
                "kubernetes" => "kubernetes",
                "ecs" => "ecs",
                _ => "vm",
            })
        }),
    };
    if let Some(p) = platform {
        draft.set("deployment.platform", p, at("type", type_node));
    }
    if stage.kind_of == "deployManifest" {
        let manifests = node.get("manifests").map(Node::items).unwrap_or_default();
        let workload = manifests.iter().enumerate().find(|(_, m)| {
            matches!(m.get("kind").and_then(Node::text), Some("Deployment" | "StatefulSet" | "DaemonSet" | "Rollout"))
        });
        match node.get("namespaceOverride").filter(|n| n.text().is_some_and(|t| !t.is_empty())) {
            Some(ns) => draft.set("deployment.namespace", ns.text().unwrap_or(""), at("namespaceOverride", ns)),
            None => {
                let ns = workload.and_then(|(i, m)| Some((i, m.get("metadata")?.get("namespace")?)));
                if let Some((i, ns)) = ns.filter(|(_, n)| n.text().is_some()) {
                    draft.set(
                        "deployment.namespace",
                        ns.text().unwrap_or(""),
                        at(&format!("manifests[{i}].metadata.namespace"), ns),
                    );
                }
            }
        }
        if let Some((i, m)) = workload {
            let kind = m.get("kind").and_then(Node::text).unwrap_or("").to_ascii_lowercase();
            if let Some(n) = m.get("metadata").and_then(|md| md.get("name")).filter(|n| n.text().is_some()) {
                let workload = format!("{kind}/{}", n.text().unwrap_or(""));
                draft.set("deployment.workload", workload, at(&format!("manifests[{i}].metadata.name"), n));
            }
        }
        let traffic = node.get("trafficManagement");
        let enabled = traffic.and_then(|t| t.get("enabled")).and_then(Node::truth) == Some(true);
        let strategy = traffic.and_then(|t| t.get("options")).and_then(|o| o.get("strategy"));
        if let Some(s) = strategy.filter(|_| enabled) {
            draft_strategy(s.text().unwrap_or(""), at("trafficManagement.options.strategy", s), draft);
        }
    }
    for (i, cluster) in node.get("clusters").map(Node::items).unwrap_or_default().iter().enumerate() {
        if let Some(s) = cluster.get("strategy").filter(|s| s.text().is_some_and(|t| !t.is_empty())) {
            draft_strategy(s.text().unwrap_or(""), at(&format!("clusters[{i}].strategy"), s), draft);
        }
    }
}

/// A deploy strategy's key as the spec names it (templates/tools/spinnaker.yaml's `words`).
fn draft_strategy(key: &str, from: Option<Place>, draft: &mut super::Draft) {
    let strategy = match key {
        "redblack" | "bluegreen" => "blue-green",
        "rollingredblack" => "rolling",
        "highlander" => "all-at-once",
        _ => return,
    };
    draft.set_noted("rollout.strategy", strategy, from, format!("Spinnaker's {key} strategy"));
}
