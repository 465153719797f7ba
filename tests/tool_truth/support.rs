//! Helpers shared by the tool modules: a spec for a cell, its plan, its snippet parsed.
#![allow(dead_code)]

use planb::plan::{Rung, RungKind};
use planb::{Engine, Plan};

/// A spec for `tool` on `platform` with `strategy`, as a first deployment (`update: false`) or an
/// update from 5.1.3, with the fields snippets use; `extra` is appended as more YAML.
pub fn spec(tool: &str, platform: &str, strategy: &str, update: bool, extra: &str) -> String {
    let situation =
        if update { "first_deployment: false, previous_version: \"5.1.3\"" } else { "first_deployment: true" };
    let workload = if platform == "kubernetes" { "deployment/orders-api" } else { "orders-api" };
    format!(
        "
component: {{ name: orders-api, environment: production, version: 5.2.0 }}
deployment: {{ tool: {tool}, platform: {platform}, {situation}, namespace: shop, workload: {workload} }}
rollout: {{ strategy: {strategy}, steps: [10, 50, 100], bake_time: 10m }}
kill_switches: [{{ kind: feature-flag, flag_key: orders-on, flag_system: LaunchDarkly }}]
verification:
  health_source: prometheus
  kpis:
    - {{ metric: error_rate, comparison: above, threshold: 2.5, duration: 5m }}
    - {{ metric: orders_per_minute, comparison: below, threshold: 40, duration: 10m }}
abort: {{ decision_owner: Dana Kim, decision_window: 12m }}
{extra}"
    )
}

pub fn plan(yaml: &str) -> Plan {
    Engine::new().unwrap().plan(&planb::parse_spec(yaml).unwrap()).unwrap()
}

pub fn snippet(plan: &Plan) -> &str {
    &plan.snippet.as_ref().expect("a supported cell has a snippet").body
}

/// Every YAML document of a snippet, parsed by an independent parser.
pub fn yaml_docs(body: &str) -> Vec<serde_yaml_ng::Value> {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(body)
        .map(|d| serde_yaml_ng::Value::deserialize(d).unwrap_or_else(|e| panic!("snippet does not parse: {e}\n{body}")))
        .collect()
}

pub fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("snippet does not parse: {e}\n{body}"))
}

pub fn rung(plan: &Plan, kind: RungKind) -> &Rung {
    plan.ladder.iter().find(|r| r.kind == kind).unwrap_or_else(|| panic!("no {kind:?} rung: {:#?}", plan.ladder))
}

pub fn kinds(plan: &Plan) -> Vec<RungKind> {
    plan.ladder.iter().map(|r| r.kind).collect()
}

pub fn source_keys(plan: &Plan) -> Vec<&str> {
    plan.tool_rollback.sources.iter().map(|s| s.key.as_str()).collect()
}

/// Whether an unsupported combination is said so: an error finding, no snippet.
pub fn refused(plan: &Plan) -> bool {
    plan.snippet.is_none()
        && plan.tool_rollback.unsupported.is_some()
        && plan.findings.iter().any(|f| f.id == "PB023" && f.severity == planb::Severity::Error)
}
