//! The plan's decisions off the examples' path, each reasoned from what the plan must do:
//! the ladder's order for every kind of kill switch and every pair of them, on a first deployment
//! and on an update (`src/plan/ladder.rs`'s contract), and the risk level, one factor at a time and
//! over every combination (the table in `docs/findings.md`, "Risk level").

use planb::plan::{RiskLevel, RungKind};
use planb::{Engine, Plan};
use serde_json::{json, Value};

fn plan_of(engine: &Engine, spec: &Value) -> Plan {
    let spec = planb::parse_spec_json(spec).unwrap_or_else(|e| panic!("{e}\n{spec:#}"));
    engine.plan(&spec).unwrap()
}

/// The kinds of kill switch, least drastic first, as the spec names them (`None`: unstated).
const KINDS: [Option<&str>; 6] = [
    None,
    Some("feature-flag"),
    Some("config-toggle"),
    Some("endpoint-disable"),
    Some("route-removal"),
    Some("scale-to-zero"),
];

/// Where a kind goes among kill switches: an unstated kind is a feature flag (the plan words it so).
fn rank(kind: Option<&str>) -> usize {
    match kind {
        None | Some("feature-flag") => 0,
        Some("config-toggle") => 1,
        Some("endpoint-disable") => 2,
        Some("route-removal") => 3,
        Some("scale-to-zero") => 4,
        Some(other) => panic!("unknown kind {other}"),
    }
}

/// Whether a switch takes the whole workload down, the earlier version too on an update.
fn takes_workload_down(kind: Option<&str>) -> bool {
    matches!(kind, Some("route-removal" | "scale-to-zero"))
}

/// A rung as the test expects it: its kind and, for a kill switch or a team step, its owner.
#[derive(Debug, PartialEq)]
struct Expected(RungKind, Option<String>);

fn ladder_spec(switches: &[Option<&str>], update: bool) -> Value {
    let switches: Vec<Value> = switches
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut ks = json!({ "owner": format!("switch {i}"), "target": format!("target-{i}") });
            if let Some(kind) = kind {
                ks["kind"] = json!(kind);
            }
            ks
        })
        .collect();
    let deployment = if update {
        json!({ "tool": "harness", "platform": "kubernetes", "first_deployment": false, "previous_version": "1.4.0" })
    } else {
        json!({ "tool": "harness", "platform": "kubernetes", "first_deployment": true })
    };
    json!({
        "component": { "name": "orders", "owner_team": "Orders" },
        "deployment": deployment,
        "rollout": { "strategy": "canary", "steps": [10, 100] },
        "kill_switches": switches,
        "fallback": { "steps": [{ "action": "drain the queue", "owner": "team step" }] },
        "shared_resources": [{ "name": "dns", "revert": "restore the record", "owner": "DNS team" }],
        "data_changes": [{ "kind": "destructive", "description": "drop a column", "restore_tested": true }],
    })
}

/// The ladder `src/plan/ladder.rs` promises for these switches (in spec order).
fn expected_ladder(switches: &[Option<&str>], update: bool) -> Vec<Expected> {
    let mut order: Vec<(usize, Option<&str>)> = switches.iter().copied().enumerate().collect();
    order.sort_by_key(|(_, kind)| rank(*kind)); // stable: the spec's order within a kind
    let switch = |i: usize| Expected(RungKind::KillSwitch, Some(format!("switch {i}")));
    let mut out = Vec::new();
    if update {
        out.extend(order.iter().filter(|(_, k)| !takes_workload_down(*k)).map(|(i, _)| switch(*i)));
        out.push(Expected(RungKind::TeamStep, Some("team step".into())));
        out.push(Expected(RungKind::ToolRollback, None));
        out.push(Expected(RungKind::RevertShared, None));
        out.push(Expected(RungKind::RestoreData, None));
        out.extend(order.iter().filter(|(_, k)| takes_workload_down(*k)).map(|(i, _)| switch(*i)));
        if !switches.contains(&Some("scale-to-zero")) {
            out.push(Expected(RungKind::RemoveWorkload, None));
        }
    } else {
        out.extend(order.iter().map(|(i, _)| switch(*i)));
        out.push(Expected(RungKind::TeamStep, Some("team step".into())));
        if !switches.contains(&Some("route-removal")) {
            out.push(Expected(RungKind::RouteAway, None));
        }
        out.push(Expected(RungKind::RemoveWorkload, None));
        out.push(Expected(RungKind::RevertShared, None));
        out.push(Expected(RungKind::RestoreData, None));
    }
    out.push(Expected(RungKind::FixForward, None));
    out
}

fn actual_ladder(plan: &Plan) -> Vec<Expected> {
    plan.ladder
        .iter()
        .map(|r| {
            let owner = matches!(r.kind, RungKind::KillSwitch | RungKind::TeamStep).then(|| r.owner.clone());
            Expected(r.kind, owner)
        })
        .collect()
}

#[test]
fn the_ladder_orders_every_kind_of_kill_switch_and_every_pair_on_a_first_deployment_and_an_update() {
    let engine = Engine::new().unwrap();
    let mut cases: Vec<Vec<Option<&str>>> = vec![vec![]];
    cases.extend(KINDS.iter().map(|k| vec![*k]));
    cases.extend(KINDS.iter().flat_map(|a| KINDS.iter().map(move |b| vec![*a, *b])));
    for switches in &cases {
        for update in [false, true] {
            let plan = plan_of(&engine, &ladder_spec(switches, update));
            let what = format!("{switches:?}, {}", if update { "update" } else { "first deployment" });
            assert_eq!(actual_ladder(&plan), expected_ladder(switches, update), "{what}");
            for (i, rung) in plan.ladder.iter().enumerate() {
                assert_eq!(rung.step, i + 1, "{what}: steps are numbered in order");
            }
            // On an update, what takes the workload down says that it is an outage, and nothing else does.
            for rung in &plan.ladder {
                let outage = rung.title.contains("an outage");
                let down = match rung.kind {
                    RungKind::KillSwitch => {
                        let i: usize = rung.owner.trim_start_matches("switch ").parse().unwrap();
                        takes_workload_down(switches[i])
                    }
                    RungKind::RemoveWorkload => true,
                    _ => false,
                };
                assert_eq!(outage, update && down, "{what}: {:?} {:?}", rung.kind, rung.title);
            }
        }
    }
}

/// Each rung after the first starts when the one before did not bring the KPIs back; the first
/// when an abort criterion is met.
#[test]
fn each_step_of_the_ladder_waits_for_the_one_before() {
    let engine = Engine::new().unwrap();
    let plan = plan_of(&engine, &ladder_spec(&[Some("config-toggle"), Some("feature-flag")], false));
    assert!(plan.ladder[0].precondition.contains("abort criterion"), "{}", plan.ladder[0].precondition);
    assert_eq!(plan.ladder[1].precondition, "Step 1 did not bring every KPI back within its threshold.");
    assert_eq!(plan.ladder[2].precondition, "Step 2 did not bring every KPI back within its threshold.");
}

// ---- Risk ----

/// A change with no risk factor: an update of an internal, tier-low component, staged, with a tested
/// kill switch, a rehearsed fallback and abort criteria; no data or shared-resource change.
fn calm() -> Value {
    json!({
        "component": { "name": "reports", "user_facing": false, "tier": "low" },
        "deployment": { "tool": "gitlab", "platform": "kubernetes", "first_deployment": false, "previous_version": "2.0.0" },
        "rollout": { "strategy": "canary", "steps": [10, 100] },
        "kill_switches": [{ "kind": "feature-flag", "owner": "SRE", "takes_effect": "1m", "tested": true }],
        "verification": { "kpis": [{ "metric": "errors", "threshold": 1, "duration": "5m" }] },
        "abort": { "decision_owner": "Dana", "decision_window": "10m" },
        "rehearsal": { "done": true, "took": "20m" },
    })
}

/// A risk factor: its name, and the change that adds it to a spec.
type Factor = (&'static str, fn(&mut Value));

/// The risk factors of the table, each as a change to a spec that adds it.
const FACTORS: [Factor; 11] = [
    ("first deployment", |s| {
        s["deployment"] = json!({ "tool": "gitlab", "platform": "kubernetes", "first_deployment": true })
    }),
    ("user-facing", |s| s["component"]["user_facing"] = json!(true)),
    ("tier high or above", |s| {
        if s["component"]["tier"] != "critical" {
            s["component"]["tier"] = json!("high")
        }
    }),
    ("tier critical", |s| s["component"]["tier"] = json!("critical")),
    ("kill switch untested", |s| {
        if let Some(ks) = s["kill_switches"].get_mut(0) {
            ks["tested"] = json!(false)
        }
    }),
    ("no kill switch", |s| s["kill_switches"] = json!([])),
    ("not rehearsed", |s| s["rehearsal"] = json!({ "done": false })),
    ("one-way data change, restore tested", |s| {
        push(s, "data_changes", json!({ "kind": "contract", "restore_tested": true }))
    }),
    ("one-way data change, restore untested", |s| push(s, "data_changes", json!({ "kind": "destructive" }))),
    ("shared resource", |s| {
        push(s, "shared_resources", json!({ "name": "dns", "revert": "restore it", "owner": "DNS" }))
    }),
    ("everyone at once", |s| s["rollout"] = json!({ "strategy": "all-at-once" })),
];

fn push(spec: &mut Value, list: &str, item: Value) {
    match spec.get_mut(list).and_then(Value::as_array_mut) {
        Some(items) => items.push(item),
        None => spec[list] = json!([item]),
    }
}

/// The spec with the factors of `mask` (bit i: `FACTORS[i]`), applied in the table's order.
fn with_factors(mask: usize) -> Value {
    let mut spec = calm();
    for (i, (_, add)) in FACTORS.iter().enumerate() {
        if mask & (1 << i) != 0 {
            add(&mut spec);
        }
    }
    spec
}

fn risk(engine: &Engine, spec: &Value) -> planb::plan::Risk {
    plan_of(engine, spec).risk
}

#[test]
fn each_risk_factor_alone_sets_the_level_its_row_gives() {
    use RiskLevel::*;
    let engine = Engine::new().unwrap();
    let calm_risk = risk(&engine, &calm());
    assert_eq!(calm_risk.level, Low);
    assert_eq!(calm_risk.reasons.len(), 1);
    assert!(calm_risk.reasons[0].text.starts_with("Not a first deployment"), "{:?}", calm_risk.reasons);

    // (factor, level, words its reason must hold). A first deployment alone is contained here: the
    // calm spec is internal, tier low, with a tested switch and a rehearsal.
    let expected: [(&str, RiskLevel, &str); 11] = [
        ("first deployment", Low, "First deployment, contained"),
        ("user-facing", Low, "Not a first deployment"),
        ("tier high or above", Medium, "tier high"),
        ("tier critical", High, "tier critical"),
        ("kill switch untested", Low, "Not a first deployment"),
        ("no kill switch", Low, "Not a first deployment"),
        ("not rehearsed", Low, "Not a first deployment"),
        ("one-way data change, restore tested", High, "with a tested restore"),
        ("one-way data change, restore untested", Critical, "without a tested restore"),
        ("shared resource", Medium, "1 shared resource"),
        ("everyone at once", Low, "Not a first deployment"),
    ];
    for (i, (name, level, words)) in expected.iter().enumerate() {
        assert_eq!(FACTORS[i].0, *name);
        let r = risk(&engine, &with_factors(1 << i));
        assert_eq!(r.level, *level, "{name}: {:?}", r.reasons);
        assert!(r.reasons[0].text.contains(words), "{name}: {:?}", r.reasons);
    }
}

/// The rows that need two factors together, and the trivial change of "Rough edges" (issue 22).
#[test]
fn risk_rows_that_need_more_than_one_factor() {
    use RiskLevel::*;
    let engine = Engine::new().unwrap();
    let index = |name: &str| FACTORS.iter().position(|(n, _)| *n == name).unwrap();
    let level = |names: &[&str]| {
        let mask = names.iter().fold(0, |m, n| m | (1 << index(n)));
        risk(&engine, &with_factors(mask))
    };
    // A first deployment is contained only while every condition holds; each one missing makes it medium.
    // (No kill switch at all is an error-level gap, PB001: high, below.)
    for missing in ["user-facing", "kill switch untested", "not rehearsed", "tier high or above"] {
        let r = level(&["first deployment", missing]);
        assert_eq!(r.level, Medium, "first deployment + {missing}: {:?}", r.reasons);
        assert!(r.reasons.iter().any(|x| x.text.starts_with("First deployment: the tool's rollback")), "{missing}");
    }
    let mut no_tier = with_factors(1 << index("first deployment"));
    no_tier["component"].as_object_mut().unwrap().remove("tier");
    assert_eq!(risk(&engine, &no_tier).level, Medium, "an unstated tier is not known to be low");
    // Every user at once with no kill switch: high only when users see it.
    let r = level(&["user-facing", "everyone at once", "no kill switch"]);
    assert_eq!(r.level, High, "{:?}", r.reasons);
    assert!(r.reasons[0].text.contains("Every user is exposed at once"));
    assert_eq!(level(&["everyone at once", "no kill switch"]).level, Low, "internal");
    assert_eq!(level(&["user-facing", "no kill switch"]).level, Low, "staged (canary), not everyone at once");
    // Exposure decides too: everyone (or unstated) is everyone; a beta cohort or internal users is not.
    for (exposure, expected) in [("everyone", High), ("beta-cohort", Low), ("internal", Low)] {
        let mut spec = with_factors(1 << index("user-facing") | 1 << index("no kill switch"));
        spec["rollout"] = json!({ "strategy": "all-at-once", "exposure": exposure });
        assert_eq!(risk(&engine, &spec).level, expected, "all at once, exposure {exposure}");
    }
    // Counted reasons say how many.
    let r = level(&["shared resource"]);
    assert_eq!(r.reasons[0].text, "Changes 1 shared resource that a workload rollback does not revert.");
    let mut two = with_factors(1 << index("shared resource"));
    push(&mut two, "shared_resources", json!({ "name": "queue", "revert": "drain it", "owner": "Ops" }));
    let r = risk(&engine, &two);
    assert_eq!(r.reasons[0].text, "Changes 2 shared resources that a workload rollback does not revert.");
    // An error-level gap is high on its own: a first deployment with no switch and no step is PB001.
    let mut gap = with_factors(1 << index("no kill switch"));
    gap["deployment"] = json!({ "tool": "gitlab", "platform": "kubernetes", "first_deployment": true });
    let r = risk(&engine, &gap);
    assert_eq!(r.level, High, "{:?}", r.reasons);
    assert!(r.reasons.iter().any(|x| x.text == "1 error-level gap in the plan (see Gaps)."), "{:?}", r.reasons);
    gap["data_changes"] = json!([{ "kind": "destructive", "restore_tested": true }, { "kind": "destructive" }]);
    let r = risk(&engine, &gap);
    assert!(r.reasons.iter().any(|x| x.text == "2 error-level gaps in the plan (see Gaps)."), "{:?}", r.reasons);
    // Reasons come most severe first.
    let r = level(&["tier high or above", "one-way data change, restore untested", "shared resource"]);
    assert!(r.reasons.windows(2).all(|w| w[0].level >= w[1].level), "{:?}", r.reasons);
}

/// Adding a risk factor never lowers the level, and taking one away never raises it: over every
/// combination of the factors (2^11 specs), each one added to each combination without it.
#[test]
fn adding_a_risk_factor_never_lowers_the_level() {
    let engine = Engine::new().unwrap();
    let levels: Vec<RiskLevel> =
        (0..1usize << FACTORS.len()).map(|mask| risk(&engine, &with_factors(mask)).level).collect();
    for (mask, level) in levels.iter().enumerate() {
        for (i, (name, _)) in FACTORS.iter().enumerate() {
            if mask & (1 << i) == 0 {
                let more = levels[mask | (1 << i)];
                assert!(more >= *level, "adding {name} to {mask:#b} lowers {level:?} to {more:?}");
            }
        }
    }
    assert_eq!(levels[0], RiskLevel::Low);
    assert_eq!(*levels.last().unwrap(), RiskLevel::Critical);
}

// ---- People ----

/// A person is named with their contact when both are given; a blank name is no name (the role is
/// to confirm) and a blank contact no contact.
#[test]
fn a_person_is_named_with_a_contact_and_a_blank_is_to_confirm() {
    let engine = Engine::new().unwrap();
    let owner_of_removal = |deployer: Value| {
        let spec = json!({
            "component": { "name": "orders" },
            "deployment": { "tool": "gitlab", "platform": "kubernetes", "first_deployment": true },
            "people": { "deployer": deployer },
        });
        let plan = plan_of(&engine, &spec);
        let rung = plan.ladder.iter().find(|r| r.kind == RungKind::RemoveWorkload).expect("a removal step");
        (rung.owner.clone(), plan.to_confirm.iter().any(|w| w == "deployer"))
    };
    assert_eq!(owner_of_removal(json!({ "name": " Dana ", "contact": " @dana " })), ("Dana (@dana)".into(), false));
    assert_eq!(owner_of_removal(json!({ "name": "Dana", "contact": "  " })), ("Dana".into(), false));
    assert_eq!(owner_of_removal(json!({ "name": "Dana" })), ("Dana".into(), false));
    assert_eq!(owner_of_removal(json!({ "name": "  ", "contact": "@dana" })), ("[to confirm: deployer]".into(), true));
    assert_eq!(owner_of_removal(json!({ "contact": "@dana" })), ("[to confirm: deployer]".into(), true));
}

/// Who calls the fallback: the decision owner, else the incident lead, else a placeholder.
#[test]
fn the_decision_owner_falls_back_to_the_incident_lead() {
    let engine = Engine::new().unwrap();
    let first_precondition = |abort: Value, people: Value| {
        let spec = json!({
            "component": { "name": "orders" },
            "deployment": { "tool": "gitlab", "platform": "kubernetes", "first_deployment": true },
            "kill_switches": [{ "kind": "feature-flag" }],
            "abort": abort,
            "people": people,
        });
        plan_of(&engine, &spec).ladder[0].precondition.clone()
    };
    let lead = json!({ "incident_lead": { "name": "Lee", "contact": "@lee" } });
    assert!(first_precondition(json!({ "decision_owner": "Dana" }), lead.clone()).contains("Dana calls the fallback"));
    assert!(
        first_precondition(json!({ "decision_owner": " " }), lead.clone()).contains("Lee (@lee) calls the fallback")
    );
    assert!(first_precondition(json!({}), lead).contains("Lee (@lee) calls the fallback"));
    assert!(first_precondition(json!({}), json!({})).contains("[to confirm: decision owner] calls the fallback"));
}

// ---- The workload ----

/// `kind/name` names a Kubernetes workload's kind; a name alone gets the platform's default kind,
/// assumed and listed to confirm; a slash with nothing on one side is a name, not a kind.
#[test]
fn the_workload_names_its_kind_or_the_default_kind_is_assumed_and_to_confirm() {
    let engine = Engine::new().unwrap();
    let plan_with = |workload: &str| {
        let spec = json!({
            "component": { "name": "orders" },
            "deployment": { "tool": "gitlab", "platform": "kubernetes", "first_deployment": true, "namespace": "shop", "workload": workload },
        });
        plan_of(&engine, &spec)
    };
    let named = plan_with("statefulset/orders-db");
    assert_eq!((named.workload.kind.as_deref(), named.workload.name.as_str()), (Some("statefulset"), "orders-db"));
    assert!(
        named.platform_commands.remove_script.contains("statefulset/orders-db"),
        "{}",
        named.platform_commands.remove_script
    );
    assert!(!named.to_confirm.iter().any(|w| w.starts_with("Kubernetes kind")), "{:?}", named.to_confirm);

    let bare = plan_with("orders-api");
    assert_eq!((bare.workload.kind.as_deref(), bare.workload.name.as_str()), (None, "orders-api"));
    assert!(
        bare.platform_commands.remove_script.contains("deployment/orders-api"),
        "{}",
        bare.platform_commands.remove_script
    );
    assert!(
        bare.to_confirm.iter().any(|w| w == "Kubernetes kind of orders-api (deployment assumed)"),
        "{:?}",
        bare.to_confirm
    );

    for odd in ["/orders", "deployment/"] {
        let p = plan_with(odd);
        assert_eq!((p.workload.kind.as_deref(), p.workload.name.as_str()), (None, odd), "{odd}");
    }
}

// ---- What the plan reports ----

/// The plan counts its findings by severity, as `planb check` lists them.
#[test]
fn the_plan_counts_its_findings_by_severity() {
    let engine = Engine::new().unwrap();
    // PB001 and PB003 (errors); PB004, PB005 (warnings) among others; PB021 and PB022 (notes).
    let spec = json!({
        "component": { "name": "orders" },
        "data_changes": [{ "kind": "destructive" }],
        "shared_resources": [{ "name": "dns" }, { "name": "queue" }],
    });
    let parsed = planb::parse_spec_json(&spec).unwrap();
    let findings = engine.check(&parsed);
    let count = |s: planb::Severity| findings.iter().filter(|f| f.severity == s).count();
    let counts = engine.plan(&parsed).unwrap().counts;
    assert_eq!(
        (counts.errors, counts.warnings, counts.infos),
        (count(planb::Severity::Error), count(planb::Severity::Warning), count(planb::Severity::Info))
    );
    assert!(counts.errors >= 2 && counts.warnings >= 2 && counts.infos == 2, "{counts:?}");
    // Each count differs from the other two together, so no count can stand in for another.
    assert!(
        counts.warnings != counts.errors + counts.infos && counts.errors != counts.warnings + counts.infos,
        "{counts:?}"
    );
}

/// A strategy's key, which `docs/tools.md` prints for users to write, is the spec's own spelling.
#[test]
fn a_strategy_key_is_the_spelling_the_spec_reads() {
    use planb::spec::Strategy;
    for strategy in [Strategy::Canary, Strategy::BlueGreen, Strategy::Rolling, Strategy::AllAtOnce] {
        let spec =
            planb::parse_spec(&format!("component: {{ name: a }}\nrollout: {{ strategy: {} }}\n", strategy.key()))
                .unwrap();
        assert_eq!(spec.rollout.strategy, Some(strategy), "{}", strategy.key());
    }
}

/// What the tool's rollback does ends with the ids of its sources, each listed with its address; a
/// combination the tool cannot deploy cites nothing.
#[test]
fn the_tool_rollback_line_names_its_sources() {
    let engine = Engine::new().unwrap();
    let supported = plan_of(
        &engine,
        &json!({
            "component": { "name": "orders" },
            "deployment": { "tool": "harness", "platform": "kubernetes", "first_deployment": true },
            "rollout": { "strategy": "canary" },
        }),
    );
    let sources = &supported.tool_rollback.sources;
    assert!(!sources.is_empty());
    let ids: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    assert!(
        supported.tool_rollback.effect.ends_with(&format!(" (sources: {})", ids.join(", "))),
        "{}",
        supported.tool_rollback.effect
    );
    assert!(sources.iter().all(|s| s.url.starts_with("https://")), "{sources:?}");

    let refused = plan_of(
        &engine,
        &json!({
            "component": { "name": "orders" },
            "deployment": { "tool": "argo-rollouts", "platform": "ecs" },
        }),
    );
    assert!(refused.tool_rollback.unsupported.is_some());
    assert!(refused.tool_rollback.sources.is_empty());
    assert!(!refused.tool_rollback.effect.contains("(sources:"), "{}", refused.tool_rollback.effect);
}

/// The ServiceNow fields carry the risk level by its name, as ServiceNow's risk choice list takes it.
#[test]
fn servicenow_fields_name_the_risk_level() {
    let engine = Engine::new().unwrap();
    for (mask, level) in [(0, "low"), (1 << 2, "medium"), (1 << 3, "high"), (1 << 8, "critical")] {
        let spec = planb::parse_spec_json(&with_factors(mask)).unwrap();
        let options = planb::RenderOptions { format: planb::Format::Servicenow, style: planb::Style::Detailed };
        let fields: Value = serde_json::from_str(&engine.render(&spec, options).unwrap()).unwrap();
        assert_eq!(
            fields["risk"],
            level,
            "{}",
            FACTORS
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, f)| f.0)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// On an update, what takes the workload down waits until the rollback failed and the decision owner
/// accepts an outage; every step's check names the first KPI.
#[test]
fn an_outage_step_says_what_it_waits_for_and_checks_name_the_kpi() {
    let engine = Engine::new().unwrap();
    let mut spec = ladder_spec(&[Some("route-removal")], true);
    spec["abort"] = json!({ "decision_owner": "Dana" });
    spec["verification"] = json!({ "kpis": [{ "metric": "checkout errors", "threshold": 1, "duration": "5m" }] });
    let plan = plan_of(&engine, &spec);
    let outage: Vec<_> = plan.ladder.iter().filter(|r| r.title.contains("an outage")).collect();
    assert_eq!(outage.len(), 2, "the route removal and the last resort");
    for rung in outage {
        assert!(rung.precondition.contains("The rollback did not bring every KPI back"), "{}", rung.precondition);
        assert!(rung.precondition.contains("Dana accepts an outage of orders"), "{}", rung.precondition);
    }
    let switch = plan.ladder.iter().find(|r| r.kind == RungKind::KillSwitch).unwrap();
    assert!(switch.verify.ends_with("checkout errors is back within its threshold."), "{}", switch.verify);
    spec["verification"] = json!({});
    let plan = plan_of(&engine, &spec);
    let switch = plan.ladder.iter().find(|r| r.kind == RungKind::KillSwitch).unwrap();
    assert!(switch.verify.ends_with("every KPI is back within its threshold."), "{}", switch.verify);
}

// ---- The plan's other sections ----

/// The readiness checklist: each item done, to do or to confirm by what the spec states.
#[test]
fn the_validation_checklist_follows_what_the_spec_states() {
    use planb::plan::Status::{Done, ToConfirm, ToDo};
    let engine = Engine::new().unwrap();
    let status_of = |spec: Value, item: &str| {
        let plan = plan_of(&engine, &spec);
        let check = plan.validation.iter().find(|c| c.item.contains(item));
        check
            .map(|c| (c.status, c.item.clone()))
            .unwrap_or_else(|| panic!("no item with {item:?}: {:?}", plan.validation))
    };
    let base = |extra: Value| {
        let mut spec = json!({ "component": { "name": "orders" } });
        spec.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        spec
    };
    let (status, item) =
        status_of(base(json!({ "rehearsal": { "done": true, "environment": "staging", "took": "20m" } })), "rehearsed");
    assert_eq!((status, item.as_str()), (Done, "Fallback rehearsed in staging, took 20m."));
    assert_eq!(status_of(base(json!({ "rehearsal": { "done": false } })), "Rehearse the fallback").0, ToDo);
    assert_eq!(
        status_of(base(json!({ "kill_switches": [{ "flag_key": "new-ui", "tested": true }] })), "Kill switch new-ui").0,
        Done
    );
    assert_eq!(status_of(base(json!({ "kill_switches": [{ "flag_key": "new-ui" }] })), "Kill switch new-ui").0, ToDo);
    for (backup, restore, expected) in [
        (Some(true), Some(true), Done),
        (Some(false), None, ToDo),
        (None, Some(false), ToDo),
        (Some(true), None, ToConfirm),
        (None, None, ToConfirm),
    ] {
        let mut change = json!({ "description": "drop t", "kind": "destructive" });
        if let Some(b) = backup {
            change["backup_taken"] = json!(b);
        }
        if let Some(r) = restore {
            change["restore_tested"] = json!(r);
        }
        let got = status_of(base(json!({ "data_changes": [change] })), "Backup taken right before \"drop t\"").0;
        assert_eq!(got, expected, "backup {backup:?}, restore {restore:?}");
    }
    let kpis = json!({ "health_source": "datadog", "kpis": [{ "metric": "errors" }] });
    let (status, item) = status_of(base(json!({ "verification": kpis })), "Dashboards");
    assert_eq!((status, item.as_str()), (ToConfirm, "Dashboards and alerts for every KPI in Datadog."));
    assert_eq!(status_of(base(json!({ "verification": { "health_source": "datadog" } })), "Choose the KPIs").0, ToDo);
    assert_eq!(
        status_of(base(json!({ "verification": { "kpis": [{ "metric": "errors" }] } })), "Choose the KPIs").0,
        ToDo
    );
}

/// After a fallback: the first check says what must be true (the new workload gone, or the earlier
/// version serving), then one per shared resource and data change, and the record and review.
#[test]
fn the_checks_after_a_fallback_follow_the_situation_and_the_spec() {
    let engine = Engine::new().unwrap();
    let mut first = ladder_spec(&[], false);
    first["change"] = json!({ "id": "CHG-7" });
    let p = plan_of(&engine, &first);
    assert!(p.post_fallback[0].starts_with("orders receives no traffic: "), "{:?}", p.post_fallback);
    assert!(p.post_fallback.iter().any(|c| c == "dns matches its state before the change."));
    assert!(p.post_fallback.iter().any(|c| c == "Integrity checks pass for the data touched by \"drop a column\"."));
    assert!(p.post_fallback.iter().any(|c| c.contains("recorded as failed and fallen back")));
    assert!(p.post_fallback.iter().any(|c| c == "CHG-7 is updated with the outcome and the time each step took."));
    assert_eq!(p.post_fallback.last().unwrap(), "A root-cause review with Orders is booked before the next attempt.");

    let p = plan_of(&engine, &ladder_spec(&[], true));
    assert!(p.post_fallback[0].starts_with("orders runs 1.4.0 again: "), "{:?}", p.post_fallback);
    assert!(
        !p.post_fallback.iter().any(|c| c.contains("fallen back")),
        "an update is rolled back: {:?}",
        p.post_fallback
    );
}

/// What stays done after a fallback: users' actions on a user-facing first deployment, the new
/// version's writes on an update; nothing of the kind for an internal first deployment.
#[test]
fn the_residual_risk_names_what_a_fallback_cannot_undo() {
    let engine = Engine::new().unwrap();
    let residual = |user_facing: bool, update: bool| {
        let mut spec = ladder_spec(&[], update);
        spec["component"]["user_facing"] = json!(user_facing);
        plan_of(&engine, &spec).residual_risk
    };
    let users = |r: &[String]| r.iter().any(|x| x.starts_with("Whatever users did with orders"));
    let writes = |r: &[String]| r.iter().any(|x| x.starts_with("Whatever the new version of orders wrote"));
    assert!(users(&residual(true, false)) && !writes(&residual(true, false)));
    assert!(!users(&residual(false, false)) && !writes(&residual(false, false)));
    assert!(writes(&residual(false, true)) && !users(&residual(true, true)));
}

/// Chained pipelines get the tool's note on them only when the spec says the pipeline is chained.
#[test]
fn the_chained_pipelines_note_is_there_when_pipelines_are_chained() {
    let engine = Engine::new().unwrap();
    let notes = |chained: Option<bool>| {
        let mut spec = ladder_spec(&[], false);
        if let Some(c) = chained {
            spec["deployment"]["chained_pipelines"] = json!(c);
        }
        plan_of(&engine, &spec).tool_notes.iter().filter(|n| n.title == "Chained pipelines").count()
    };
    assert_eq!((notes(Some(true)), notes(Some(false)), notes(None)), (1, 0, 0));
}

/// The summary names the tool, also where planb falls back to neutral steps for a combination the
/// tool cannot deploy; the component's tier is shown by its name.
#[test]
fn the_summary_names_the_tool_and_the_tier_its_name() {
    let engine = Engine::new().unwrap();
    let refused = plan_of(
        &engine,
        &json!({
            "component": { "name": "orders", "tier": "high" },
            "deployment": { "tool": "argo-rollouts", "platform": "ecs", "first_deployment": true },
        }),
    );
    assert!(refused.tool_rollback.unsupported.is_some());
    assert!(refused.summary.contains("with Argo Rollouts."), "{}", refused.summary);
    assert_eq!(refused.component.tier.as_deref(), Some("high"));
    let none =
        plan_of(&engine, &json!({ "component": { "name": "orders" }, "deployment": { "first_deployment": true } }));
    assert!(none.summary.contains("with the deployment tool."), "{}", none.summary);
    // The summary says by which step the new workload is out, or the earlier version serves again.
    for (update, pivot, words) in [
        (false, RungKind::RemoveWorkload, "the component is out of service"),
        (true, RungKind::ToolRollback, "the earlier version serves again"),
    ] {
        let plan = plan_of(&engine, &ladder_spec(&[Some("feature-flag"), Some("config-toggle")], update));
        let step = plan.ladder.iter().find(|r| r.kind == pivot).unwrap().step;
        assert!(step > 1);
        assert!(plan.summary.contains(&format!("; by step {step} {words}.")), "{}", plan.summary);
        assert!(plan.summary.contains("The fallback starts with: turn feature flag target-0 off;"), "{}", plan.summary);
    }
}
