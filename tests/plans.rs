//! Behaviour of plans, reasoned from the spec rather than copied from output.

use planb::plan::RungKind;
use planb::{Engine, Format, Plan, RenderOptions, Severity, Style};

fn plan(yaml: &str) -> Plan {
    Engine::new().unwrap().plan(&planb::parse_spec(yaml).unwrap()).unwrap()
}

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn markdown(yaml: &str) -> String {
    let engine = Engine::new().unwrap();
    engine
        .render(&planb::parse_spec(yaml).unwrap(), RenderOptions { format: Format::Markdown, style: Style::Detailed })
        .unwrap()
}

const HARNESS_CANARY: &str = "
component: { name: orders-api, owner_team: Orders }
deployment: { tool: harness, platform: kubernetes, first_deployment: true, namespace: orders, workload: deployment/orders-api }
rollout: { strategy: canary, steps: [20, 100], bake_time: 10m }
";

#[test]
fn harness_canary_first_deployment_names_canary_delete_and_the_empty_rollback() {
    let text = markdown(HARNESS_CANARY);
    assert!(text.contains("Canary Delete"), "must name Canary Delete");
    assert!(text.contains("no previous release"), "must say the stage rollback has nothing to return to");
    let p = plan(HARNESS_CANARY);
    assert!(p.first_deployment);
    assert_eq!(p.tool_rollback.steps, ["Canary Deployment", "Verify", "Canary Delete", "Rolling Deployment"]);
}

#[test]
fn harness_canary_ladder_has_explicit_removal_steps_in_order() {
    let p = plan(HARNESS_CANARY);
    let kinds: Vec<RungKind> = p.ladder.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let removal = &p.ladder[1];
    assert!(removal.how.contains("K8sDelete"), "{}", removal.how);
    assert!(removal.how.contains("kubectl --namespace orders delete deployment/orders-api"), "{}", removal.how);
    assert!(p.ladder[0].how.contains("K8sCanaryDelete"));
    assert_eq!(p.ladder.iter().map(|r| r.step).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn kill_switches_come_first_least_drastic_first_then_team_steps() {
    let p = plan(
        "
component: { name: a }
kill_switches:
  - { kind: scale-to-zero, target: deployment/a }
  - { kind: feature-flag, flag_key: a-on, flag_system: LaunchDarkly, owner: SRE, takes_effect: 30s }
fallback:
  steps: [{ action: Revert the CDN rule, owner: Edge team, duration: 5m, verify: CDN serves the old page }]
",
    );
    let titles: Vec<&str> = p.ladder.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles[0], "Turn feature flag a-on off");
    assert!(titles[1].starts_with("Scale deployment/a to zero"), "{titles:?}");
    assert_eq!(titles[2], "Revert the CDN rule");
    assert_eq!(p.ladder[0].owner, "SRE");
    assert_eq!(p.ladder[0].duration, "30s");
    assert_eq!(p.ladder.last().unwrap().kind, RungKind::FixForward);
}

#[test]
fn ladder_total_adds_known_durations_and_counts_unknown_ones() {
    let p = plan(
        "
component: { name: a }
kill_switches: [{ kind: feature-flag, flag_key: f, takes_effect: 1m }]
shared_resources: [{ kind: dns, name: a.example.com, revert: point it back, revert_time: 4m }]
data_changes: [{ description: drop x, kind: destructive }]
",
    );
    // 1m + 5m (route away) + 10m (removal) + 4m; the restore has no stated duration.
    assert_eq!(p.ladder_total, "about 20m plus 1 step of unknown duration");
}

#[test]
fn destructive_migration_without_restore_test_is_an_error_and_critical_risk() {
    let spec = example("harness-blue-green-destructive.yaml");
    let p = plan(&spec);
    let f = p.findings.iter().find(|f| f.id == "PB003").expect("PB003 fires");
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.path, "data_changes[0].restore_tested");
    assert_eq!(p.risk.level, planb::plan::RiskLevel::Critical);
    assert!(p.ladder.iter().any(|r| r.kind == RungKind::RestoreData));
    assert!(p.residual_risk.iter().any(|r| r.contains("cannot be undone") && r.contains("untested")));
}

#[test]
fn expand_only_migration_stays_in_place_and_needs_no_restore() {
    let p = plan(&example("harness-canary-first-deploy.yaml"));
    assert!(!p.ladder.iter().any(|r| r.kind == RungKind::RestoreData));
    assert!(p.data[0].handling.starts_with("Backward compatible"));
    assert!(p.findings.iter().all(|f| f.severity != Severity::Error), "{:?}", p.findings);
}

#[test]
fn a_spec_with_only_a_name_yields_a_whole_plan_with_placeholders() {
    let p = plan("component: { name: lonely }");
    for section in ["owner team", "change id", "decision owner", "deployer", "rollout strategy"] {
        assert!(p.to_confirm.iter().any(|t| t == section), "{section} missing from {:?}", p.to_confirm);
    }
    let text = markdown("component: { name: lonely }");
    for heading in ["## Fallback ladder", "## Abort criteria", "## Communication", "## Residual risk", "## To confirm"]
    {
        assert!(text.contains(heading), "{heading}");
    }
    assert!(text.contains("\\[to confirm: decision owner\\]"));
}

#[test]
fn risk_reasons_explain_the_level() {
    let low = plan(
        "
component: { name: a, user_facing: false }
deployment: { first_deployment: false, previous_version: true }
rollout: { strategy: canary, steps: [10, 100] }
verification: { kpis: [{ metric: errors, threshold: 1, duration: 5m }] }
",
    );
    assert_eq!(low.risk.level, planb::plan::RiskLevel::Low);
    let high = plan("component: { name: a, tier: critical }\ndeployment: { first_deployment: true }");
    assert_eq!(high.risk.level, planb::plan::RiskLevel::High);
    assert!(high.risk.reasons.iter().any(|r| r.text.contains("tier critical")));
    assert!(high.risk.reasons.windows(2).all(|w| w[0].level >= w[1].level), "reasons sorted by level");
}

#[test]
fn abort_criteria_come_from_kpis_with_owner_and_time_limit() {
    let p = plan(
        "
component: { name: a }
verification:
  kpis: [{ metric: error_rate, comparison: above, threshold: 2.5, unit: '%', duration: 5m }]
abort: { decision_owner: Ana, decision_window: 7m }
",
    );
    let c = &p.abort.criteria[0];
    assert_eq!(c.trigger, "error_rate above 2.5% for 5m");
    assert_eq!((c.owner.as_str(), c.time_limit.as_str()), ("Ana", "7m"));
}

#[test]
fn comms_plan_names_people_channels_and_messages() {
    let p = plan(&example("harness-canary-first-deploy.yaml"));
    assert_eq!(p.comms.rows.len(), 5);
    assert!(p.comms.rows[2].channel.contains("status.example.com"), "user-facing abort goes to the status page");
    assert!(p.comms.messages.start.contains("CHG0031337"));
    assert!(p.comms.messages.abort.contains("Dana Kim"));
    assert!(p.comms.messages.all_clear.starts_with("All clear"));
}

#[test]
fn tools_without_knowledge_use_neutral_words_and_say_so() {
    let spec = "component: { name: search-ranker }\ndeployment: { tool: other, first_deployment: true }\n";
    let p = plan(spec);
    assert_eq!(p.tool.name, "the deployment tool");
    assert!(!p.tool.known);
    assert!(p.findings.iter().any(|f| f.id == "PB022"));
    assert!(p.snippet.is_none());
    let text = markdown(spec);
    assert!(!text.contains("Harness"), "no Harness vocabulary in a non-Harness plan");
}

#[test]
fn yaml_and_json_forms_of_a_spec_give_the_same_plan() {
    let yaml = "component: { name: a, version: '1.10' }\nrollout: { steps: [10, 50] }\n";
    let json = r#"{"component": {"name": "a", "version": "1.10"}, "rollout": {"steps": [10, 50]}}"#;
    let engine = Engine::new().unwrap();
    let a = engine.render(&planb::parse_spec(yaml).unwrap(), RenderOptions::default()).unwrap();
    let b = engine.render(&planb::parse_spec(json).unwrap(), RenderOptions::default()).unwrap();
    assert_eq!(a, b);
    // A plain scalar keeps its text: 1.10 is a version, not the number 1.1.
    assert_eq!(
        planb::parse_spec("component: { name: a, version: 1.10 }").unwrap().component.version.as_deref(),
        Some("1.10")
    );
}

#[test]
fn user_text_cannot_break_the_markdown_structure() {
    let text = markdown(
        "
component: { name: \"x | y\\n# injected\" , owner_team: \"<script>alert(1)</script>\" }
change: { id: \"[click](javascript:alert(1))\" }
",
    );
    assert!(text.contains("| Change | \\[click\\](javascript:alert(1)) |"), "{text}");
    assert!(!text.contains("<script>"));
    assert!(!text.contains("\n# injected"));
    // The line break became a space, so `#` no longer starts a line and needs no escape.
    assert!(text.contains("x \\| y # injected"));
}

#[test]
fn the_approval_gate_opens_the_rollout() {
    let canary = plan("component: { name: a }\nrollout: { strategy: canary, steps: [10, 100], approval: servicenow }");
    assert!(canary.stages[0].gate.starts_with("Starts once a ServiceNow Approval step is granted."));
    assert!(!canary.stages[1].gate.contains("Approval"));
    let bg = plan("component: { name: a }\nrollout: { strategy: blue-green, approval: jira }");
    assert_eq!(bg.stages[0].gate, "Smoke tests pass, then a Jira Approval step.");
}
