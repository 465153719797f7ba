//! Argo Rollouts, from its docs (argo-rollouts.readthedocs.io) and source at 9f8d111d8f8e (R).

use planb::plan::RungKind;

use super::support::*;

/// R:docs/getting-started.md#L40-41: "Initial creations of any Rollout will immediately scale up the
/// replicas to 100% (skipping any canary upgrade steps, analysis, etc...)"; R:cmd/undo/undo.go#L172:
/// undo finds no revision on a first deploy. So the plan cannot lean on abort or undo: the ladder
/// routes traffic away and deletes the Rollout itself.
#[test]
fn a_first_deployment_is_removed_because_abort_and_undo_have_nothing_to_return_to() {
    let p = plan(&spec("argo-rollouts", "kubernetes", "canary", false, ""));
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("straight to 100%") && effect.contains("skipping the canary steps"), "{effect}");
    assert!(effect.contains("no revision found"), "{effect}");
    assert!(source_keys(&p).contains(&"AR-GS"), "the initial-deploy fact cites the getting-started page");
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(removal.how.contains("kubectl --namespace shop delete rollout orders-api"), "{}", removal.how);
}

/// R:docs/generated/kubectl-argo-rollouts/kubectl-argo-rollouts_abort.md: abort makes "the previous
/// ReplicaSet ... active", but "the 'spec.template' still represents the new rollout version. If the
/// Rollout leaves the aborted state, it will try to go to the new version". So the way back is abort
/// and then undo, and nothing deletes the Rollout that serves 5.1.3, except a last step called an outage.
#[test]
fn an_update_aborts_then_undoes_and_keeps_the_running_version() {
    let p = plan(&spec("argo-rollouts", "kubernetes", "canary", true, ""));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2, "right after the kill switch");
    assert!(back.title.contains("5.1.3"), "{}", back.title);
    assert!(back.how.contains("kubectl argo rollouts abort orders-api --namespace shop"), "{}", back.how);
    assert!(back.how.contains("kubectl argo rollouts undo orders-api --namespace shop"), "{}", back.how);
    assert!(back.verify.contains("Healthy") && back.verify.contains("5.1.3"), "{}", back.verify);
    assert!(!p.ladder.iter().any(|r| r.kind == RungKind::RouteAway), "the earlier version keeps its route");
    let removals: Vec<_> = p.ladder.iter().filter(|r| r.kind == RungKind::RemoveWorkload).collect();
    assert_eq!(removals.len(), 1);
    assert!(removals[0].title.contains("outage"), "{}", removals[0].title);
    assert_eq!(removals[0].step + 1, p.ladder.len(), "the outage comes last, before fixing forward");
}

/// R:docs/index.md: "Argo Rollouts is a Kubernetes controller"; R:docs/FAQ.md#L63: BlueGreen,
/// Canary and Rolling Update are its strategies.
#[test]
fn other_platforms_and_an_all_at_once_release_are_refused() {
    for platform in ["ecs", "serverless", "vm", "other"] {
        assert!(refused(&plan(&spec("argo-rollouts", platform, "canary", false, ""))), "{platform}");
    }
    assert!(refused(&plan(&spec("argo-rollouts", "kubernetes", "all-at-once", true, ""))));
    assert!(!refused(&plan(&spec("argo-rollouts", "kubernetes", "rolling", true, ""))));
}

/// R:docs/features/analysis.md#L175-179 and argoproj/argo-rollouts#1666: a background metric with a
/// count stops after that many measurements; without one it runs to the end of the update. The
/// snippet's background analysis has no count, fails at the first crossing, and a first deployment
/// gets the command that creates the run by hand (kubectl-argo-rollouts_create_analysisrun.md).
#[test]
fn the_snippet_guards_the_whole_canary_and_a_first_deployment_runs_the_analysis_by_hand() {
    let first = plan(&spec("argo-rollouts", "kubernetes", "canary", false, ""));
    let docs = yaml_docs(snippet(&first));
    let template = docs.iter().find(|d| d["kind"] == "AnalysisTemplate").unwrap();
    let metrics = template["spec"]["metrics"].as_sequence().unwrap();
    assert_eq!(metrics.len(), 2, "one metric per KPI");
    assert_eq!(metrics[0]["failureCondition"], "result[0] > 2.5");
    assert_eq!(metrics[1]["failureCondition"], "result[0] < 40.0");
    for m in metrics {
        assert!(m.get("count").is_none(), "a background metric without a count runs to the end");
        assert_eq!(m["failureLimit"].as_u64(), Some(0), "the first crossing fails the run");
    }
    let rollout = docs.iter().find(|d| d["kind"] == "Rollout").unwrap();
    assert_eq!(rollout["metadata"]["name"], "orders-api", "the workload's name without its kind");
    let canary = &rollout["spec"]["strategy"]["canary"];
    assert_eq!(canary["analysis"]["templates"][0]["templateName"], template["metadata"]["name"]);
    let weights: Vec<u64> =
        canary["steps"].as_sequence().unwrap().iter().filter_map(|s| s["setWeight"].as_u64()).collect();
    assert_eq!(weights, [10, 50, 100]);
    assert!(snippet(&first).contains("kubectl argo rollouts create analysisrun --from orders-api-abort-criteria"));
    let update = plan(&spec("argo-rollouts", "kubernetes", "canary", true, ""));
    assert!(!snippet(&update).contains("create analysisrun"), "an update runs its analysis itself");
}

/// validation_references.go#L170-181: pre-promotion analysis may not run indefinitely, so the
/// blue-green template's metrics carry a count (and, count > 1, an interval: factory.go#L206).
#[test]
fn blue_green_waits_for_promote_and_its_pre_promotion_analysis_ends() {
    let p = plan(&spec("argo-rollouts", "kubernetes", "blue-green", true, ""));
    let docs = yaml_docs(snippet(&p));
    let rollout = docs.iter().find(|d| d["kind"] == "Rollout").unwrap();
    let bg = &rollout["spec"]["strategy"]["blueGreen"];
    assert_eq!(bg["autoPromotionEnabled"].as_bool(), Some(false), "promote is the approval");
    assert_eq!(bg["activeService"], "orders-api");
    let template = docs.iter().find(|d| d["kind"] == "AnalysisTemplate").unwrap();
    for m in template["spec"]["metrics"].as_sequence().unwrap() {
        assert!(m["count"].as_u64().is_some_and(|c| c > 0) && m["interval"].is_string());
    }
}

/// Issue "Tool truth" point 10: say precisely that a background metric with count: 3 stops after
/// three measurements (analysis.go#L612-616, #1666) on an update.
#[test]
fn the_update_verification_note_says_a_counted_background_metric_stops() {
    let p = plan(&spec("argo-rollouts", "kubernetes", "canary", true, ""));
    let note = p.tool_notes.iter().find(|n| n.title == "Verification of an update").unwrap();
    assert!(note.text.contains("count: 3 ends after three"), "{}", note.text);
    assert!(note.sources.iter().any(|s| s.key == "AR-1666"));
}
