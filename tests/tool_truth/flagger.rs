//! Flagger, from its docs (docs.flagger.app, source docs/gitbook/) and source at 15bd6ad555e6 (F,
//! v1.44.0). Every test fails on the old knowledge file, which was in the old format and did not
//! even parse as the new one (the plan fell back to the tool-neutral text); each comment names the
//! old behaviour it also catches.

use planb::plan::RungKind;

use super::support::*;

fn canary(docs: &[serde_yaml_ng::Value]) -> &serde_yaml_ng::Value {
    let found: Vec<_> = docs.iter().filter(|d| d["kind"] == "Canary").collect();
    assert_eq!(found.len(), 1, "one Canary");
    found[0]
}

fn metric_templates(docs: &[serde_yaml_ng::Value]) -> Vec<&serde_yaml_ng::Value> {
    docs.iter().filter(|d| d["kind"] == "MetricTemplate").collect()
}

/// The lines of the snippet's fallback block ("#   $ ..."), as commands.
fn commands(body: &str) -> Vec<&str> {
    body.lines().filter_map(|l| l.strip_prefix("#   $ ")).collect()
}

/// Issue "Tool truth" point 6: F:pkg/apis/flagger/v1beta1/canary.go#L502-515 (`LocalObjectReference`:
/// APIVersion, Kind, Name) and F:docs/gitbook/usage/how-it-works.md#L19-22 (`name: podinfo`, the bare
/// name) and #L56 ("A canary resource can target a Kubernetes Deployment or DaemonSet"). The old
/// snippet wrote `name: deployment/orders-api` (the spec's workload as it is) and always `kind:
/// Deployment`.
#[test]
fn target_ref_is_api_version_kind_and_the_bare_name() {
    let p = plan(&spec("flagger", "kubernetes", "canary", false, ""));
    let docs = yaml_docs(snippet(&p));
    let target = &canary(&docs)["spec"]["targetRef"];
    assert_eq!(target["apiVersion"], "apps/v1");
    assert_eq!(target["kind"], "Deployment");
    assert_eq!(target["name"], "orders-api", "the bare name, not deployment/orders-api");

    let ds = spec("flagger", "kubernetes", "canary", true, "").replace("deployment/orders-api", "daemonset/orders-api");
    let docs = yaml_docs(snippet(&plan(&ds)));
    assert_eq!(canary(&docs)["spec"]["targetRef"]["kind"], "DaemonSet");
    assert_eq!(canary(&docs)["spec"]["targetRef"]["name"], "orders-api");
}

/// Issue point 6: F:docs/gitbook/usage/metrics.md#L11 ("two builtin metric checks: HTTP request
/// success rate and duration") and #L67-84 (custom metrics: `templateRef` to a MetricTemplate);
/// F:pkg/controller/scheduler_metrics.go#L346-348 fails any other metric without a template. The
/// metrics.md Datadog section reads the API keys from `secretRef`. The old snippet pointed
/// `templateRef.name` at the KPI's metric name and printed no MetricTemplate at all.
#[test]
fn a_kpi_that_is_not_built_in_gets_a_metric_template_and_the_built_ins_do_not() {
    let p = plan(&spec("flagger", "kubernetes", "canary", true, ""));
    let docs = yaml_docs(snippet(&p));
    let templates = metric_templates(&docs);
    assert_eq!(templates.len(), 2, "error_rate and orders_per_minute are not built in");
    let metrics = canary(&docs)["spec"]["analysis"]["metrics"].as_sequence().unwrap().clone();
    for (metric, template) in metrics.iter().zip(&templates) {
        assert_eq!(metric["templateRef"]["name"], template["metadata"]["name"]);
        assert_eq!(template["spec"]["provider"]["type"], "prometheus", "health_source: prometheus");
        let query = template["spec"]["query"].as_str().unwrap();
        assert!(query.starts_with("planb: replace"), "a placeholder, clearly marked: {query}");
    }
    // error_rate above 2.5: a maximum; orders_per_minute below 40: a minimum (scheduler_metrics.go#L329-340).
    assert_eq!(metrics[0]["thresholdRange"]["max"].as_f64(), Some(2.5));
    assert_eq!(metrics[1]["thresholdRange"]["min"].as_f64(), Some(40.0));

    let builtin = spec("flagger", "kubernetes", "canary", true, "")
        .replace("metric: error_rate", "metric: request-success-rate")
        .replace("comparison: above, threshold: 2.5", "comparison: below, threshold: 99")
        .replace("prometheus", "datadog");
    let docs = yaml_docs(snippet(&plan(&builtin)));
    let metrics = canary(&docs)["spec"]["analysis"]["metrics"].as_sequence().unwrap().clone();
    assert_eq!(metrics[0]["name"], "request-success-rate");
    assert!(metrics[0].get("templateRef").is_none(), "a built-in needs no template");
    assert_eq!(metrics[0]["thresholdRange"]["min"].as_f64(), Some(99.0));
    let templates = metric_templates(&docs);
    assert_eq!(templates.len(), 1, "only orders_per_minute");
    let provider = &templates[0]["spec"]["provider"];
    assert_eq!(provider["type"], "datadog", "the provider follows verification.health_source");
    assert!(provider["secretRef"]["name"].is_string(), "Datadog reads its keys from a Secret");
}

/// Issue point 6: F:docs/gitbook/usage/deployment-strategies.md#L73-76 ("When skip analysis is
/// enabled, Flagger checks if the canary deployment is healthy and promotes it without analysing
/// it") and F:pkg/controller/scheduler.go#L778-850. The old file had no finding for it.
#[test]
fn skip_analysis_is_a_finding_and_the_snippet_keeps_the_analysis_on() {
    let on = plan(&spec("flagger", "kubernetes", "canary", true, "").replace(
        "workload: deployment/orders-api }",
        "workload: deployment/orders-api, tool_settings: { skip_analysis: true } }",
    ));
    let finding = on.findings.iter().find(|f| f.id == "PB111").expect("PB111 fires on skip_analysis: true");
    assert_eq!(finding.severity, planb::Severity::Warning);
    assert!(finding.message.contains("without any metric check"), "{}", finding.message);
    let docs = yaml_docs(snippet(&on));
    assert_eq!(canary(&docs)["spec"]["skipAnalysis"].as_bool(), Some(false), "the plan's Canary analyses");
    let off = plan(&spec("flagger", "kubernetes", "canary", true, ""));
    assert!(!off.findings.iter().any(|f| f.id == "PB111"));
}

/// F:pkg/controller/scheduler.go#L199-278: a new Canary is initialised (primary created from the
/// target, Service pointed at it, target scaled to zero, phase Initialized) with no analysis
/// (fluxcd/flagger#676). F:docs/gitbook/usage/how-it-works.md#L310-323 ("Canary finalizers"):
/// deleting a Canary leaves what Flagger does not own; F:pkg/canary/deployment_controller.go#L279-285
/// makes the Canary the owner of the -primary Deployment, so Kubernetes deletes it with the Canary.
/// #L395-401: a suspended Canary's generated resources "are not corrected". The old plan removed
/// "the Canary (which removes the primary and generated Services) and the target" with no source.
#[test]
fn a_first_deployment_is_initialised_without_analysis_and_removed_with_its_canary() {
    let p = plan(&spec("flagger", "kubernetes", "canary", false, ""));
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("Initialized") && effect.contains("no metric check"), "{effect}");
    assert!(effect.contains("nothing older to return to"), "{effect}");
    assert!(source_keys(&p).contains(&"FLG-INIT-SRC") && source_keys(&p).contains(&"FLG-FINALIZERS"));
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let away = rung(&p, RungKind::RouteAway);
    assert!(away.how.contains("patch canary orders-api") && away.how.contains("suspend"), "{}", away.how);
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(removal.how.contains("kubectl --namespace shop delete canary orders-api"), "{}", removal.how);
    assert!(removal.how.contains("orders-api-primary"), "{}", removal.how);
    assert!(removal.how.contains("revertOnDeletion"), "{}", removal.how);
    assert!(
        removal.how.contains("kubectl --namespace shop delete deployment/orders-api"),
        "the target too: {}",
        removal.how
    );
    let body = snippet(&p);
    let lines = commands(body);
    let delete_canary =
        lines.iter().position(|l| l.contains("delete canary orders-api")).expect("the Canary is deleted");
    let delete_target = lines.iter().position(|l| l.contains("delete deployment/orders-api")).expect("and the target");
    assert!(delete_canary < delete_target);
    assert!(!lines.iter().any(|l| l.contains("rollback/open")), "a first deployment has nothing to roll back to");
}

/// Issue point 1 with F:pkg/controller/scheduler.go#L363-378 (a `rollback` webhook that answers 2xx
/// while Progressing, Waiting or WaitingPromotion calls `rollback`), #L948-998 (`rollback`: all
/// traffic to the primary, the canary scaled to zero, phase Failed), F:docs/gitbook/usage/
/// webhooks.md#L509-532 (/rollback/open and /rollback/close on the loadtester) and F:pkg/canary/
/// spec.go#L39-42 (a target equal to the last promoted spec starts no canary run). The old plan
/// deleted the Canary and its target on every deployment, the running primary included.
#[test]
fn an_update_sends_traffic_back_to_the_primary_and_keeps_the_running_version() {
    for strategy in ["canary", "blue-green"] {
        let p = plan(&spec("flagger", "kubernetes", strategy, true, ""));
        let back = rung(&p, RungKind::ToolRollback);
        assert_eq!(back.step, 2, "{strategy}: right after the kill switch");
        assert!(back.title.contains("5.1.3"), "{}", back.title);
        assert!(back.how.contains("orders-api-primary still serves 5.1.3"), "{}", back.how);
        assert!(back.how.contains("http://localhost:8080/rollback/open"), "{}", back.how);
        assert!(back.how.contains("/rollback/close"), "the gate is closed again: {}", back.how);
        assert!(back.verify.contains("Failed") && back.verify.contains("5.1.3"), "{}", back.verify);
        assert!(!p.ladder.iter().any(|r| r.kind == RungKind::RouteAway));
        assert!(!p.ladder.iter().any(|r| r.how.contains("delete canary")), "{strategy}: the Canary stays");
        let body = snippet(&p);
        let lines = commands(body);
        assert!(lines
            .iter()
            .any(|l| l.ends_with("http://localhost:8080/rollback/open") && l.contains(r#"\"name\": \"orders-api\""#)));
        assert!(lines.iter().any(|l| l.ends_with("http://localhost:8080/rollback/close")));
        assert!(!lines.iter().any(|l| l.contains(" delete ") || l.contains(" scale ")), "{strategy}: {lines:?}");
        let docs = yaml_docs(body);
        let hooks = canary(&docs)["spec"]["analysis"]["webhooks"].as_sequence().unwrap().clone();
        assert!(hooks
            .iter()
            .any(|h| h["type"] == "rollback" && h["url"].as_str().unwrap().ends_with("/rollback/check")));
    }
}

/// F:docs/gitbook/usage/deployment-strategies.md#L3-14 lists canary release, A/B testing, blue/green
/// and blue/green mirroring, and no rolling update; F:docs/gitbook/README.md: "a progressive
/// delivery Kubernetes operator". #L52-54 and #L73-76: skipAnalysis deploys "straight to production
/// without the metrics and webhook checks" (the all-at-once release). The old file listed no
/// platforms and described rolling as "a Canary resource without traffic weights".
#[test]
fn other_platforms_and_a_rolling_update_are_refused_and_all_at_once_is_skip_analysis() {
    for platform in ["ecs", "serverless", "vm", "other"] {
        assert!(refused(&plan(&spec("flagger", platform, "canary", true, ""))), "{platform}");
    }
    let rolling = plan(&spec("flagger", "kubernetes", "rolling", false, ""));
    assert!(refused(&rolling));
    assert!(rolling.tool_rollback.unsupported.as_deref().unwrap().contains("no rolling-update strategy"));
    let all = plan(&spec("flagger", "kubernetes", "all-at-once", true, ""));
    assert!(!refused(&all));
    let docs = yaml_docs(snippet(&all));
    assert_eq!(canary(&docs)["spec"]["skipAnalysis"].as_bool(), Some(true));
    assert!(all.tool_rollback.effect.contains("never consults a rollback webhook"), "{}", all.tool_rollback.effect);
    let back = rung(&all, RungKind::ToolRollback);
    assert!(back.title.contains("5.1.3 again through the target"), "a redeploy: {}", back.title);
}

/// F:pkg/apis/flagger/v1beta1/canary.go#L692-711 and deployment-strategies.md#L305-316: iterations
/// make blue/green; #L144-164: `stepWeights` is the ordered list of canary weights, promotion after the
/// last. The spec's steps [10, 50, 100] are the weights 10 and 50, then promotion; a blue-green bake
/// time of 10m is ten 1m iterations. The old snippet wrote `maxWeight: 50` and `stepWeight` of the
/// first step whatever the steps were.
#[test]
fn the_strategy_shapes_the_analysis() {
    let docs = yaml_docs(snippet(&plan(&spec("flagger", "kubernetes", "canary", true, ""))));
    let analysis = &canary(&docs)["spec"]["analysis"];
    let weights: Vec<u64> =
        analysis["stepWeights"].as_sequence().unwrap().iter().map(|w| w.as_u64().unwrap()).collect();
    assert_eq!(weights, [10, 50]);
    assert!(analysis.get("iterations").is_none());
    assert_eq!(analysis["threshold"].as_u64(), Some(1), "the first failed check rolls back");
    let docs = yaml_docs(snippet(&plan(&spec("flagger", "kubernetes", "blue-green", true, ""))));
    let analysis = &canary(&docs)["spec"]["analysis"];
    assert_eq!(analysis["iterations"].as_u64(), Some(10));
    assert!(analysis.get("stepWeights").is_none() && analysis.get("stepWeight").is_none());
}

/// Issue point 6 on verification: F:pkg/controller/scheduler_metrics.go#L318-324 ("Halt advancement
/// no values found") counts a metric with no values as a failed check, and metrics.md#L11 names the
/// two built-ins. The old note said nothing of either.
#[test]
fn the_update_verification_note_names_the_built_ins_and_no_data() {
    let p = plan(&spec("flagger", "kubernetes", "canary", true, ""));
    let note = p.tool_notes.iter().find(|n| n.title == "Verification of an update").unwrap();
    assert!(note.text.contains("request-success-rate and request-duration"), "{}", note.text);
    assert!(note.text.contains("no value at all"), "{}", note.text);
    assert!(note.sources.iter().any(|s| s.key == "FLG-METRICS-SRC"));
}

/// how-it-works.md: after a promotion the primary (`<name>-primary`) runs the version users get,
/// and a rollback scales the target to zero. So the last-resort outage of an update scales the
/// primary, after suspending the Canary so Flagger does not scale it back; never the target.
#[test]
fn the_outage_of_an_update_scales_the_primary_that_serves_users() {
    let p = plan(&spec("flagger", "kubernetes", "canary", true, ""));
    let last = p.ladder.iter().rev().find(|r| r.kind == planb::plan::RungKind::RemoveWorkload).unwrap();
    assert!(last.title.contains("outage"), "{}", last.title);
    assert!(last.how.contains("scale deployment orders-api-primary --replicas=0"), "{}", last.how);
    assert!(last.how.contains("\"suspend\":true"), "{}", last.how);
}
