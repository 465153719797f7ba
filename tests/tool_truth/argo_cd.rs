//! Argo CD, from its docs (argo-cd.readthedocs.io, source docs/) and source at 37ee0097cf85 (A,
//! master, 3.6.0 dev). Every test fails on the old knowledge file, which was in the old format and
//! did not even parse as the new one (the plan fell back to the tool-neutral text); each comment
//! names the old behaviour it also catches.

use planb::plan::RungKind;

use super::support::*;

fn application(docs: &[serde_yaml_ng::Value]) -> &serde_yaml_ng::Value {
    let found: Vec<_> = docs.iter().filter(|d| d["kind"] == "Application").collect();
    assert_eq!(found.len(), 1, "one Application");
    found[0]
}

/// The lines of the snippet's fallback block ("#   $ ..."), as commands.
fn commands(body: &str) -> Vec<&str> {
    body.lines().filter_map(|l| l.strip_prefix("#   $ ")).collect()
}

fn position(lines: &[&str], needle: &str) -> usize {
    lines.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no `{needle}` in {lines:?}"))
}

/// Issue "Tool truth" point 12, found half right. A:docs/user-guide/app_deletion.md#L25-39: with
/// kubectl, "To perform a cascade delete set the finalizer" resources-finalizer.argocd.argoproj.io;
/// #L59 and A:server/application/application.go#L1180-1196: `argocd app delete` (cascade by default,
/// A:cmd/argocd/commands/app.go#L1351) adds the finalizer itself, and `--cascade=false` removes it.
/// The old snippet's Application had no finalizer, and the old ladder relied on `argocd app delete
/// --cascade` without saying either.
#[test]
fn deletion_says_which_way_cascades_and_the_application_carries_the_finalizer() {
    let p = plan(&spec("argo-cd", "kubernetes", "rolling", false, ""));
    let removal = rung(&p, RungKind::RemoveWorkload);
    let how = &removal.how;
    assert!(how.contains("argocd app delete orders-api --cascade --wait"), "{how}");
    assert!(how.contains("add resources-finalizer.argocd.argoproj.io before it deletes"), "{how}");
    assert!(how.contains("--cascade=false removes that finalizer"), "{how}");
    assert!(how.contains("kubectl --namespace argocd delete application orders-api"), "{how}");
    assert!(how.contains("only when the Application already carries the finalizer"), "{how}");
    assert!(source_keys(&p).contains(&"ACD-DELETE-SRC") && source_keys(&p).contains(&"ACD-DELETE"));
    let docs = yaml_docs(snippet(&p));
    let finalizers = application(&docs)["metadata"]["finalizers"].as_sequence().unwrap().clone();
    assert!(finalizers.iter().any(|f| f == "resources-finalizer.argocd.argoproj.io"), "{finalizers:?}");
    let lines = commands(snippet(&p));
    assert!(lines.iter().any(|l| l.starts_with("argocd app delete orders-api --cascade")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("--cascade=false")));
}

/// Issue point 12: A:server/application/application.go#L2283-2285 refuses a rollback "when
/// auto-sync is enabled"; A:controller/appcontroller.go#L2601-2627 and docs/user-guide/auto_sync.md
/// #L77-92, #L141: selfHeal syncs changes made by hand back; A:cmd/util/app.go#L224-232: `--sync-policy
/// none` clears `automated`. So every fallback turns automated sync off before it acts. The old
/// snippet had the Application with sync off but no command to turn it off, and the old route-away
/// step for the first deployment did not say why.
#[test]
fn automated_sync_is_turned_off_before_any_fallback() {
    for update in [false, true] {
        let p = plan(&spec("argo-cd", "kubernetes", "canary", update, ""));
        let lines = commands(snippet(&p));
        let off = position(&lines, "argocd app set orders-api --sync-policy none");
        let acts = position(&lines, if update { "argocd app rollback" } else { "argocd app delete" });
        assert!(off < acts, "{lines:?}");
        let docs = yaml_docs(snippet(&p));
        assert!(application(&docs)["spec"]["syncPolicy"]["automated"].is_null(), "no automated sync in the snippet");
        let first_step = if update { rung(&p, RungKind::ToolRollback) } else { rung(&p, RungKind::RouteAway) };
        let how = &first_step.how;
        let off = how.find("argocd app set orders-api --sync-policy none").unwrap_or_else(|| panic!("{how}"));
        let acts = how
            .find(if update { "argocd app rollback orders-api" } else { "remove the route" })
            .unwrap_or_else(|| panic!("{how}"));
        assert!(off < acts, "{how}");
    }
    let on = plan(&spec("argo-cd", "kubernetes", "rolling", true, "").replace(
        "workload: deployment/orders-api }",
        "workload: deployment/orders-api, tool_settings: { auto_sync: true } }",
    ));
    let finding = on.findings.iter().find(|f| f.id == "PB102").expect("PB102 fires on auto_sync: true");
    assert!(finding.message.contains("refused"), "{}", finding.message);
}

/// Issue point 1 with A:cmd/argocd/commands/app.go#L2692-2700 (`rollback APP` without an ID takes
/// `History[l-2]` and needs two entries) and A:controller/sync.go#L483-484 (only a successful full
/// sync writes an entry): the update rolls back by ID, names 5.1.3, and deletes nothing. The old plan
/// deleted the Application with `--cascade` or reverted and pruned, on an update too.
#[test]
fn an_update_rolls_back_by_history_id_and_keeps_the_running_version() {
    let p = plan(&spec("argo-cd", "kubernetes", "rolling", true, ""));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2, "right after the kill switch");
    assert!(back.title.contains("5.1.3"), "{}", back.title);
    assert!(back.how.contains("argocd app history orders-api"), "{}", back.how);
    assert!(back.how.contains("argocd app rollback orders-api ID"), "{}", back.how);
    assert!(back.how.contains("revert the commit in Git and run argocd app sync orders-api"), "{}", back.how);
    assert!(back.verify.contains("5.1.3"), "{}", back.verify);
    assert!(p.tool_rollback.effect.contains("rollback cannot be initiated when auto-sync is enabled"));
    assert!(p.tool_rollback.effect.contains("give the ID"), "{}", p.tool_rollback.effect);
    assert!(!p.ladder.iter().any(|r| r.kind == RungKind::RouteAway));
    assert!(!p.ladder.iter().any(|r| r.how.contains("argocd app delete")), "the Application stays");
    let removals: Vec<_> = p.ladder.iter().filter(|r| r.kind == RungKind::RemoveWorkload).collect();
    assert_eq!(removals.len(), 1);
    assert!(removals[0].title.contains("outage"), "{}", removals[0].title);
    let body = snippet(&p);
    let lines = commands(body);
    assert!(lines.contains(&r#"argocd app rollback orders-api "$HISTORY_ID""#), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("delete")), "{lines:?}");
    let docs = yaml_docs(body);
    let info = application(&docs)["spec"]["info"].as_sequence().unwrap().clone();
    assert!(info.iter().any(|i| i["name"] == "previous version" && i["value"] == "5.1.3"), "{info:?}");
}

/// A:controller/sync.go#L483-484 writes history only after a successful sync, and
/// A:cmd/argocd/commands/app.go#L2696-2697 refuses a rollback without two entries: a first
/// deployment removes, never rolls back.
#[test]
fn a_first_deployment_has_no_history_entry_to_roll_back_to() {
    let p = plan(&spec("argo-cd", "kubernetes", "blue-green", false, ""));
    assert!(p.tool_rollback.effect.contains("no earlier entry to return to"), "{}", p.tool_rollback.effect);
    assert!(p.tool_rollback.effect.contains("no canary or blue-green of its own"), "{}", p.tool_rollback.effect);
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    assert!(p.to_confirm.iter().any(|c| c.contains("re-creates this Application")), "{:?}", p.to_confirm);
    assert!(!commands(snippet(&p)).iter().any(|l| l.contains("rollback")));
}

/// A:docs/index.md#L7: "a declarative, GitOps continuous delivery tool for Kubernetes"; #L83: sync
/// hooks "to support complex application rollouts (e.g. blue/green & canary upgrades)", so every
/// strategy is supported on Kubernetes. The old file listed no platforms.
#[test]
fn other_platforms_are_refused_and_every_strategy_on_kubernetes_is_not() {
    for platform in ["ecs", "serverless", "vm", "other"] {
        assert!(refused(&plan(&spec("argo-cd", platform, "rolling", true, ""))), "{platform}");
    }
    for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
        assert!(!refused(&plan(&spec("argo-cd", "kubernetes", strategy, true, ""))), "{strategy}");
    }
}
