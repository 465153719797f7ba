//! What holds for every tool: an update returns to the version that ran before with the tool's own
//! rollback and takes nothing down but in a last step called an outage; a first deployment removes
//! the new version; every fact about the tool has a source or is marked to confirm.

use planb::plan::RungKind;
use planb::spec::{Platform, Situation, Strategy, Tool};

use super::support::*;

const STRATEGIES: [Strategy; 4] = [Strategy::Canary, Strategy::BlueGreen, Strategy::Rolling, Strategy::AllAtOnce];

/// Every supported cell of every tool: (tool, platform, strategy).
fn cells() -> Vec<(Tool, Platform, Strategy)> {
    let mut out = Vec::new();
    for tool in Tool::ALL.into_iter().filter(|t| *t != Tool::Other) {
        for platform in Platform::ALL {
            for strategy in STRATEGIES {
                let p = plan(&spec(tool.key(), platform.key(), strategy.key(), true, ""));
                if !refused(&p) {
                    out.push((tool, platform, strategy));
                }
            }
        }
    }
    out
}

#[test]
fn an_update_rolls_back_with_the_tool_and_keeps_the_running_version() {
    for (tool, platform, strategy) in cells() {
        let cell = format!("{tool:?} × {platform:?} × {strategy:?}");
        let p = plan(&spec(tool.key(), platform.key(), strategy.key(), true, ""));
        assert_eq!(p.situation, Situation::Update, "{cell}");
        // The kill switch (a feature flag) first, then the tool's own way back.
        assert_eq!(p.ladder[0].kind, RungKind::KillSwitch, "{cell}");
        assert_eq!(
            p.ladder[1].kind,
            RungKind::ToolRollback,
            "{cell}: the tool's rollback comes right after the kill switch"
        );
        assert!(
            p.ladder[1].title.contains("5.1.3") || p.ladder[1].how.contains("5.1.3"),
            "{cell}: names the version: {:?}",
            p.ladder[1]
        );
        assert!(
            !p.ladder.iter().any(|r| r.kind == RungKind::RouteAway),
            "{cell}: nothing unroutes the running version"
        );
        let last_drastic = p.ladder.len() - 2;
        for (i, r) in p.ladder.iter().enumerate() {
            if r.kind == RungKind::RemoveWorkload {
                assert_eq!(i, last_drastic, "{cell}: the only removal is the last step before fixing forward");
                assert!(r.title.contains("outage"), "{cell}: {}", r.title);
            }
        }
        assert!(p.summary.contains("replacing 5.1.3"), "{cell}: {}", p.summary);
        assert!(!p.summary.contains("no earlier version"), "{cell}: {}", p.summary);
        assert!(!p.tool_rollback.sources.is_empty() || p.tool_rollback.effect.contains("[to confirm"), "{cell}: cited");
    }
}

#[test]
fn a_first_deployment_removes_the_new_version_and_never_claims_a_rollback_to_an_earlier_one() {
    for (tool, platform, strategy) in cells() {
        let cell = format!("{tool:?} × {platform:?} × {strategy:?}");
        let p = plan(&spec(tool.key(), platform.key(), strategy.key(), false, ""));
        assert_eq!(p.situation, Situation::First, "{cell}");
        assert!(!p.ladder.iter().any(|r| r.kind == RungKind::ToolRollback), "{cell}");
        let removal = rung(&p, RungKind::RemoveWorkload);
        assert!(!removal.title.contains("outage"), "{cell}");
        assert!(p.summary.contains("no earlier version"), "{cell}: {}", p.summary);
        assert!(!p.tool_rollback.sources.is_empty() || p.tool_rollback.effect.contains("[to confirm"), "{cell}: cited");
    }
}

/// `previous_version` takes true, false or the version itself; false means nothing to return to.
#[test]
fn previous_version_false_true_and_a_version_string() {
    let with = |value: &str| {
        plan(&format!(
        "component: {{ name: a }}\ndeployment: {{ tool: argo-rollouts, platform: kubernetes, first_deployment: false, previous_version: {value}, workload: rollout/a }}\n"
    ))
    };
    let none = with("false");
    assert_eq!(none.situation, Situation::First, "no earlier version: a first deployment in all but name");
    let unnamed = with("true");
    assert_eq!(unnamed.situation, Situation::Update);
    assert_eq!(unnamed.previous_version, None);
    assert!(unnamed.to_confirm.iter().any(|c| c == "the earlier version to return to"), "{:?}", unnamed.to_confirm);
    let named = with("\"5.1.3\"");
    assert_eq!(named.previous_version.as_deref(), Some("5.1.3"));
    assert!(!named.to_confirm.iter().any(|c| c == "the earlier version to return to"));
    assert!(rung(&named, RungKind::ToolRollback).title.contains("5.1.3"));
    // A bare number in YAML is a version too; a decimal one must be quoted (YAML reads 5.10 as 5.1).
    assert_eq!(with("5").previous_version.as_deref(), Some("5"));
    let err = planb::parse_spec("component: { name: a }\ndeployment: { previous_version: 5.10 }\n").unwrap_err();
    assert!(err.to_string().contains("quoted string"), "{err}");
    let err = planb::parse_spec("component: { name: a }\ndeployment: { previous_version: \" \" }\n").unwrap_err();
    assert!(err.to_string().contains("deployment.previous_version"), "{err}");
}

/// A first deployment's snippet removes the workload when a step fails: kept in the pipeline for the
/// next release, it would remove the version that then runs. The plan asks to take it out once the
/// first version runs; an update's, which names the version it returns to, to plan it again.
#[test]
fn the_checklist_asks_to_retire_the_snippets_fallback_after_the_change() {
    for (tool, platform, strategy) in cells() {
        let cell = format!("{tool:?} × {platform:?} × {strategy:?}");
        let first = plan(&spec(tool.key(), platform.key(), strategy.key(), false, ""));
        assert!(
            first.validation.iter().any(|c| c.item.contains("first-deployment fallback is taken out of the pipeline")),
            "{cell}"
        );
        let update = plan(&spec(tool.key(), platform.key(), strategy.key(), true, ""));
        assert!(
            update
                .validation
                .iter()
                .any(|c| c.item.contains("planned again for the next release") && c.item.contains("5.1.3")),
            "{cell}"
        );
    }
}
