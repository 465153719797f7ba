//! Argo Rollouts and Flagger resources: a Rollout and the AnalysisTemplates it names, a Canary and
//! its MetricTemplates and AlertProviders, in one file or several.
//!
//! Field names and defaults follow the CRDs in `../shared/schemas` (argo-rollouts at 9f8d111d8f8e,
//! flagger v1.44.0) and the docs cited in `templates/tools/{argo-rollouts,flagger}.yaml`.

use serde_json::{json, Value};

use super::{place, Reading, Subject};
use crate::source::node::Node;
use crate::spec::Duration;

/// The files' documents, with their file names.
type Files<'a> = [(&'a str, &'a [Node])];

pub(super) fn read(files: &Files<'_>, reading: &mut Reading) {
    let documents = || files.iter().flat_map(|(name, docs)| docs.iter().map(move |d| (*name, d)));
    let of_kind = |kinds: &'static [&'static str]| {
        documents().filter(move |(_, d)| d.get("kind").and_then(Node::text).is_some_and(|k| kinds.contains(&k)))
    };
    let templates: Vec<(&str, &Node)> = of_kind(&["AnalysisTemplate", "ClusterAnalysisTemplate"]).collect();
    for (file, doc) in of_kind(&["Rollout"]) {
        rollout(file, doc, &templates, reading);
    }
    for (file, doc) in &templates {
        analysis_template(file, doc, reading);
    }
    let metric_templates: Vec<(&str, &Node)> = of_kind(&["MetricTemplate"]).collect();
    for (file, doc) in of_kind(&["Canary"]) {
        canary(file, doc, &metric_templates, reading);
    }
    for (file, _) in files {
        reading.draft.read_from(file);
    }
}

/// The key node of `parent`'s field `key` (where a finding about the field points); `parent` itself
/// when the key is not there.
fn key_of<'a>(parent: Option<&'a Node>, key: &str, doc: &'a Node) -> &'a Node {
    parent.map_or(doc, |p| p.key(key).unwrap_or(p))
}

/// The name of a resource (`metadata.name`).
fn name_of(doc: &Node) -> Option<&str> {
    doc.get("metadata").and_then(|m| m.get("name")).and_then(Node::text)
}

/// A duration as the spec writes it: Kubernetes resources give seconds as a number or a Go duration
/// string (`30s`, `1h30m`); `None` for anything else (an expression, a template).
fn duration(node: &Node) -> Option<String> {
    let text = node.text()?;
    if let Ok(seconds) = text.parse::<u32>() {
        return Some(Duration::from_secs(seconds).to_string());
    }
    Duration::parse(text).ok().map(|d| d.to_string())
}

fn rollout(file: &str, doc: &Node, templates: &[(&str, &Node)], reading: &mut Reading) {
    let name = name_of(doc).unwrap_or("");
    let at = |path: &str, node: &Node| place(file, path, node);
    let spec = doc.get("spec");
    let strategy = spec.and_then(|s| s.get("strategy"));
    let canary = strategy.and_then(|s| s.get("canary"));
    let blue_green = strategy.and_then(|s| s.get("blueGreen"));
    let mut subject = Subject::new("argo-rollouts", "rollout", at("", doc));
    subject.fact("name", name);

    let draft = &mut reading.draft;
    let kind = doc.get("kind").unwrap_or(doc);
    draft.set("deployment.tool", "argo-rollouts", Some(at("kind", kind)));
    draft.set("deployment.platform", "kubernetes", Some(at("kind", kind)));
    if let Some(ns) = doc.get("metadata").and_then(|m| m.get("namespace")) {
        if let Some(text) = ns.text() {
            draft.set("deployment.namespace", text, Some(at("metadata.namespace", ns)));
        }
    }
    if let Some(n) = doc.get("metadata").and_then(|m| m.get("name")) {
        draft.set("component.name", name, Some(at("metadata.name", n)));
        draft.set("deployment.workload", format!("rollout/{name}"), Some(at("metadata.name", n)));
    }

    // Background analysis and analysis steps name templates; their metrics are the abort criteria.
    let mut analyses: Vec<&Node> = Vec::new();
    if let Some(canary) = canary {
        let steps = canary.get("steps").map(Node::items).unwrap_or_default();
        let strategy_word = if steps.is_empty() { "rolling" } else { "canary" };
        let written = key_of(strategy, "canary", doc);
        subject.fact_at("strategy", "canary", at("spec.strategy.canary", written));
        draft.set("rollout.strategy", strategy_word, Some(at("spec.strategy.canary", written)));
        let background = canary.get("analysis");
        subject.fact("steps", steps.len());
        match background {
            Some(_) => subject.fact_at(
                "background_analysis",
                true,
                at("spec.strategy.canary.analysis", key_of(Some(canary), "analysis", doc)),
            ),
            None => subject.fact("background_analysis", false),
        };
        analyses.extend(background);
        let mut analysis_steps = 0;
        let mut indefinite_pause = None;
        // Each setWeight is a step; a timed pause after it is that step's watch.
        let mut weights: Vec<(u64, Option<String>, super::Place)> = Vec::new();
        for (i, step) in steps.iter().enumerate() {
            let step_path = format!("spec.strategy.canary.steps[{i}]");
            if let Some(a) = step.get("analysis") {
                analysis_steps += 1;
                analyses.push(a);
            }
            if step.get("experiment").is_some() {
                subject.fact_at("experiment_step", true, at(&step_path, step));
            }
            for (key, _) in step.entries() {
                let key = key.text().unwrap_or("");
                if !matches!(key, "setWeight" | "pause" | "analysis" | "experiment") {
                    let line = step.mark.line;
                    draft.note(format!("Not read: canary step {key} ({file}:{line}): planb maps no field from it"));
                }
            }
            if let Some(w) = step.get("setWeight") {
                if let Some(w) = w.text().and_then(|t| t.parse::<u64>().ok()).filter(|w| (1..=100).contains(w)) {
                    weights.push((w, None, at(&format!("{step_path}.setWeight"), step)));
                }
            }
            if let Some(pause) = step.get("pause") {
                match pause.get("duration") {
                    Some(d) => {
                        if let Some(last) = weights.last_mut().filter(|w| w.1.is_none()) {
                            last.1 = duration(d);
                        }
                    }
                    None => {
                        indefinite_pause.get_or_insert_with(|| at(&format!("{step_path}.pause"), pause));
                    }
                }
            }
        }
        // One watch for every step is the rollout's bake time; else each step keeps its own.
        let first_bake = weights.first().and_then(|w| w.1.clone());
        let same = first_bake.is_some() && weights.iter().all(|w| w.1 == first_bake);
        if let (true, Some(bake)) = (same, first_bake) {
            draft.set("rollout.bake_time", bake, weights.first().map(|w| w.2.clone()));
        }
        for (w, bake, from) in weights {
            match bake.filter(|_| !same) {
                Some(bake) => draft.push("rollout.steps", json!({ "percent": w, "bake_time": bake }), Some(from)),
                None => draft.push("rollout.steps", w, Some(from)),
            }
        }
        subject.fact("analysis_steps", analysis_steps);
        if let Some(p) = indefinite_pause {
            draft.set_noted("rollout.approval", "manual", Some(p), "a pause with no duration waits for a promote");
        }
    }
    if let Some(bg) = blue_green {
        let written = key_of(strategy, "blueGreen", doc);
        subject.fact_at("strategy", "blue-green", at("spec.strategy.blueGreen", written));
        draft.set("rollout.strategy", "blue-green", Some(at("spec.strategy.blueGreen", written)));
        // autoPromotionEnabled is true unless set (the CRD's description and AR-BG).
        match bg.get("autoPromotionEnabled") {
            Some(n) => subject.fact_at(
                "auto_promotion",
                n.truth() != Some(false),
                at("spec.strategy.blueGreen.autoPromotionEnabled", n),
            ),
            None => subject.fact("auto_promotion", true),
        };
        if bg.get("autoPromotionEnabled").and_then(Node::truth) == Some(false) {
            let n = bg.get("autoPromotionEnabled").unwrap_or(bg);
            draft.set_noted(
                "rollout.approval",
                "manual",
                Some(at("spec.strategy.blueGreen.autoPromotionEnabled", n)),
                "promotion waits for a promote",
            );
        }
        for (key, fact) in
            [("prePromotionAnalysis", "pre_promotion_analysis"), ("postPromotionAnalysis", "post_promotion_analysis")]
        {
            match bg.get(key) {
                Some(a) => {
                    subject.fact_at(
                        fact,
                        true,
                        at(&format!("spec.strategy.blueGreen.{key}"), key_of(Some(bg), key, doc)),
                    );
                    analyses.push(a);
                }
                None => {
                    subject.fact(fact, false);
                }
            }
        }
    }
    match spec.and_then(|s| s.get("progressDeadlineAbort")) {
        Some(n) => {
            subject.fact_at("progress_deadline_abort", n.truth() == Some(true), at("spec.progressDeadlineAbort", n))
        }
        None => subject.fact("progress_deadline_abort", false),
    };

    // The templates the analyses name, each noted when it is not in the files given; whether the
    // background analysis stops measuring before the rollout ends is known only when all of its
    // templates are there.
    let background = canary.and_then(|c| c.get("analysis"));
    let mut background_known = true;
    let mut counted_only = background.is_some();
    for analysis in &analyses {
        let is_background = background.is_some_and(|b| std::ptr::eq(b, *analysis));
        for t in analysis.get("templates").map(Node::items).unwrap_or_default() {
            let wanted = t.get("templateName").and_then(Node::text).unwrap_or("");
            let cluster = t.get("clusterScope").and_then(Node::truth) == Some(true);
            let kind = if cluster { "ClusterAnalysisTemplate" } else { "AnalysisTemplate" };
            let found = templates
                .iter()
                .find(|(_, d)| name_of(d) == Some(wanted) && d.get("kind").and_then(Node::text) == Some(kind));
            match found {
                Some((_, template)) if is_background => {
                    let metrics =
                        template.get("spec").and_then(|s| s.get("metrics")).map(Node::items).unwrap_or_default();
                    counted_only &= !metrics.is_empty() && metrics.iter().all(measures_a_set_number_of_times);
                }
                Some(_) => {}
                None => {
                    background_known &= !is_background;
                    reading
                        .draft
                        .note(format!("Not read: {kind} {wanted} ({file}:{}): not in the files given", t.mark.line));
                }
            }
        }
    }
    subject.fact("background_ends_early", if background_known { Value::Bool(counted_only) } else { Value::Null });
    super::ask_the_unknowable(reading, name);
    reading.subjects.push(subject);
}

fn analysis_template(file: &str, doc: &Node, reading: &mut Reading) {
    let template = name_of(doc).unwrap_or("");
    let metrics = doc.get("spec").and_then(|s| s.get("metrics")).map(Node::items).unwrap_or_default();
    for (i, metric) in metrics.iter().enumerate() {
        let path = format!("spec.metrics[{i}]");
        let at = |p: &str, n: &Node| place(file, format!("{path}{p}"), n);
        let name = metric.get("name").and_then(Node::text).unwrap_or("");
        let mut subject = Subject::new("argo-rollouts", "analysis-metric", at("", metric));
        subject.fact("template", template).fact("name", name);
        let provider = metric.get("provider").and_then(|p| p.entries().first()).map(|(k, _)| k.text().unwrap_or(""));
        subject.fact("provider", provider.unwrap_or(""));
        for (key, fact) in [("successCondition", "success_condition"), ("failureCondition", "failure_condition")] {
            match metric.get(key) {
                Some(n) => subject.fact_at(fact, n.text().unwrap_or(""), at(&format!(".{key}"), n)),
                None => subject.fact(fact, Value::Null),
            };
        }
        // `len(result) == 0 || …` makes an empty result a success (the docs' own pattern for it).
        let success = metric.get("successCondition").and_then(Node::text).unwrap_or("");
        let compact: String = success.chars().filter(|c| !c.is_whitespace()).collect();
        subject.fact("empty_result_passes", compact.starts_with("len(result)==0||"));
        // `spec.dryRun` names metrics (or `.*` for all) whose failures change nothing.
        let dry_run = doc.get("spec").and_then(|s| s.get("dryRun")).map(Node::items).unwrap_or_default();
        let dry = dry_run
            .iter()
            .find(|d| matches!(d.get("metricName").and_then(Node::text), Some(n) if n == name || n == ".*"));
        match dry {
            Some(d) => subject.fact_at("dry_run", true, place(file, "spec.dryRun", d)),
            None => subject.fact("dry_run", false),
        };
        // The KPI the metric implies, when its condition is a plain comparison of the result.
        let condition =
            metric.get("successCondition").map(|n| (n, true)).or(metric.get("failureCondition").map(|n| (n, false)));
        if let Some((node, success)) = condition {
            let text = node.text().unwrap_or("");
            let verdict = if success { "fails unless" } else { "fails when" };
            let trigger = format!("AnalysisTemplate {template}, metric {name}: {verdict} {text}");
            reading.draft.push("abort.triggers", trigger, Some(at(".condition", node)));
            if let Some((comparison, threshold)) = comparison(text, success) {
                let kpi = json!({ "metric": name, "comparison": comparison, "threshold": threshold });
                reading.draft.push("verification.kpis", kpi, Some(at(".condition", node)));
            }
        }
        if let Some(p) = provider {
            if let Some(source) = health_source(p) {
                reading.draft.set(
                    "verification.health_source",
                    source,
                    Some(at(".provider", key_of(Some(metric), "provider", doc))),
                );
            }
        }
        reading.subjects.push(subject);
    }
    if !metrics.is_empty() {
        reading.draft.set(
            "verification.analysis",
            "threshold",
            Some(place(file, "spec.metrics", key_of(doc.get("spec"), "metrics", doc))),
        );
    }
}

/// Whether a metric stops after a set number of measurements: an `interval` and a `count` other than
/// 0, or no `interval` (one measurement). A background AnalysisRun whose metrics all stop then
/// completes and is not started again, so the rest of the rollout goes unmeasured (AR-COUNT-SRC,
/// AR-1666; `EffectiveCount` in pkg/apis/rollouts/v1alpha1/analysis_types.go at 9f8d111d8f8e).
fn measures_a_set_number_of_times(metric: &Node) -> bool {
    // EffectiveCount: no interval means one measurement, whatever the count; with an interval, a
    // count of 0 or none runs until the rollout ends.
    let interval = metric.get("interval").is_some();
    let count = metric.get("count").and_then(Node::text);
    !interval || count.is_some_and(|c| c != "0")
}

/// The spec's health source for a metric provider of Argo Rollouts or Flagger.
fn health_source(provider: &str) -> Option<&'static str> {
    Some(match provider {
        "prometheus" => "prometheus",
        "datadog" => "datadog",
        "newRelic" | "newrelic" => "new-relic",
        "cloudWatch" | "cloudwatch" => "cloudwatch",
        "dynatrace" => "dynatrace",
        _ => return None,
    })
}

/// `result[0] >= 0.95` as the side of the threshold that aborts: a success condition fails below
/// its `>=` bound, a failure condition fires above its `>` bound. `None` for anything else.
fn comparison(condition: &str, success: bool) -> Option<(&'static str, f64)> {
    let rest = condition.trim().strip_prefix("result")?;
    let rest = rest.strip_prefix("[0]").unwrap_or(rest).trim_start();
    let (greater, rest) = if let Some(r) = rest.strip_prefix(">=").or(rest.strip_prefix('>')) {
        (true, r)
    } else if let Some(r) = rest.strip_prefix("<=").or(rest.strip_prefix('<')) {
        (false, r)
    } else {
        return None;
    };
    let threshold: f64 = rest.trim().parse().ok().filter(|t: &f64| t.is_finite())?;
    // Success while greater: it aborts below. A failure condition aborts on its own side.
    let aborts_above = greater != success;
    Some((if aborts_above { "above" } else { "below" }, threshold))
}

fn canary(file: &str, doc: &Node, metric_templates: &[(&str, &Node)], reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    let name = name_of(doc).unwrap_or("");
    let spec = doc.get("spec");
    let mut subject = Subject::new("flagger", "canary", at("", doc));
    subject.fact("name", name);
    let target = spec.and_then(|s| s.get("targetRef"));
    let target_name = target.and_then(|t| t.get("name")).and_then(Node::text).unwrap_or(name);
    let target_kind = target.and_then(|t| t.get("kind")).and_then(Node::text).unwrap_or("Deployment");
    let draft = &mut reading.draft;
    let kind = doc.get("kind").unwrap_or(doc);
    let name_node = target.and_then(|t| t.get("name")).unwrap_or(kind);
    draft.set("component.name", target_name, Some(at("spec.targetRef.name", name_node)));
    draft.set("deployment.tool", "flagger", Some(at("kind", kind)));
    draft.set("deployment.platform", "kubernetes", Some(at("kind", kind)));
    if let Some(ns) = doc.get("metadata").and_then(|m| m.get("namespace")) {
        if let Some(text) = ns.text() {
            draft.set("deployment.namespace", text, Some(at("metadata.namespace", ns)));
        }
    }
    draft.set(
        "deployment.workload",
        format!("{}/{target_name}", target_kind.to_ascii_lowercase()),
        Some(at("spec.targetRef", key_of(spec, "targetRef", doc))),
    );
    match spec.and_then(|s| s.get("skipAnalysis")) {
        Some(n) => {
            let skip = n.truth() == Some(true);
            subject.fact_at("skip_analysis", skip, at("spec.skipAnalysis", n));
            draft.set("deployment.tool_settings.skip_analysis", skip, Some(at("spec.skipAnalysis", n)));
        }
        None => {
            subject.fact("skip_analysis", false);
        }
    }
    let analysis = spec.and_then(|s| s.get("analysis"));
    let a_at = |key: &str| {
        analysis.and_then(|a| a.get(key)).map(|n| (n, at(&format!("spec.analysis.{key}"), key_of(analysis, key, doc))))
    };
    if let Some((n, p)) = a_at("interval") {
        if let Some(d) = duration(n) {
            draft.set("rollout.bake_time", d, Some(p));
        }
    }
    // Flagger's modes: canary by stepWeight(s), blue/green by iterations, A/B by match (FLG docs).
    let step_weights: Vec<u64> = match a_at("stepWeights") {
        Some((n, _)) => n.items().iter().filter_map(|w| w.text()?.parse().ok()).collect(),
        None => {
            let step = a_at("stepWeight").and_then(|(n, _)| n.text()?.parse::<u64>().ok());
            let max = a_at("maxWeight").and_then(|(n, _)| n.text()?.parse::<u64>().ok()).unwrap_or(100);
            match step.filter(|s| *s > 0) {
                Some(step) => (1..).map(|i| i * step).take_while(|w| *w <= max.min(100)).collect(),
                None => Vec::new(),
            }
        }
    };
    let mode = if !step_weights.is_empty() {
        "canary"
    } else if a_at("match").is_some() {
        "a-b"
    } else if a_at("iterations").is_some() {
        "blue-green"
    } else {
        ""
    };
    subject.fact("mode", mode);
    let strategy_from =
        a_at("stepWeights").or(a_at("stepWeight")).or(a_at("match")).or(a_at("iterations")).map(|(_, p)| p);
    match mode {
        "canary" => {
            draft.set("rollout.strategy", "canary", strategy_from.clone());
            for w in step_weights.iter().filter(|w| (1..=100).contains(*w)) {
                draft.push("rollout.steps", *w, strategy_from.clone());
            }
        }
        "blue-green" => draft.set("rollout.strategy", "blue-green", strategy_from),
        "a-b" => draft.set_noted("rollout.strategy", "canary", strategy_from, "A/B testing by match: to confirm"),
        _ => {}
    }
    let metrics = a_at("metrics").map(|(n, _)| n.items()).unwrap_or_default();
    match a_at("metrics") {
        Some((_, p)) => subject.fact_at("metrics", metrics.len(), p),
        None => subject.fact("metrics", 0),
    };
    let webhooks = a_at("webhooks").map(|(n, _)| n.items()).unwrap_or_default();
    let types: Vec<&str> = webhooks.iter().filter_map(|w| w.get("type").and_then(Node::text)).collect();
    if types.iter().any(|t| matches!(*t, "confirm-rollout" | "confirm-promotion")) {
        draft.set_noted("rollout.approval", "manual", a_at("webhooks").map(|(_, p)| p), "a confirm webhook gates it");
    }
    for (i, metric) in metrics.iter().enumerate() {
        let m_at = |n: &Node| at(&format!("spec.analysis.metrics[{i}]"), n);
        let metric_name = metric.get("name").and_then(Node::text).unwrap_or("");
        let range = metric.get("thresholdRange");
        let (min, max) = (
            range.and_then(|r| r.get("min")).and_then(Node::text).and_then(|t| t.parse::<f64>().ok()),
            range.and_then(|r| r.get("max")).and_then(Node::text).and_then(|t| t.parse::<f64>().ok()),
        );
        let interval = metric.get("interval").and_then(duration);
        let mut checked = Subject::new("flagger", "canary-metric", m_at(metric));
        checked.fact("name", metric_name).fact("canary", name);
        match range {
            Some(_) => checked.fact_at(
                "threshold_range",
                true,
                at(&format!("spec.analysis.metrics[{i}].thresholdRange"), key_of(Some(metric), "thresholdRange", doc)),
            ),
            None => checked.fact("threshold_range", false),
        };
        // Without a range Flagger compares the deprecated `threshold` (0 unless set).
        checked.fact("deprecated_threshold", metric.get("threshold").is_some());
        reading.subjects.push(checked);
        // Flagger's built-in checks: success rate in percent, duration in milliseconds (FLG-METRICS).
        let unit = match metric_name {
            "request-success-rate" => Some("%"),
            "request-duration" => Some(" ms"),
            _ => None,
        };
        for (bound, comparison) in [(min, "below"), (max, "above")] {
            if let Some(threshold) = bound {
                let mut kpi = json!({ "metric": metric_name, "comparison": comparison, "threshold": threshold });
                if let Some(u) = unit {
                    kpi["unit"] = json!(u);
                }
                if let Some(d) = &interval {
                    kpi["duration"] = json!(d);
                }
                reading.draft.push("verification.kpis", kpi, Some(m_at(metric)));
            }
        }
        let template = metric.get("templateRef").and_then(|t| t.get("name")).and_then(Node::text);
        if let Some(wanted) = template {
            match metric_templates.iter().find(|(_, d)| name_of(d) == Some(wanted)) {
                Some((template_file, t)) => {
                    let provider = t.get("spec").and_then(|s| s.get("provider")).and_then(|p| p.get("type"));
                    if let Some(source) = provider.and_then(Node::text).and_then(health_source) {
                        let from = provider.map(|p| place(template_file, "spec.provider.type", p));
                        reading.draft.set("verification.health_source", source, from);
                    }
                }
                None => reading.draft.note(format!(
                    "Not read: MetricTemplate {wanted} ({file}:{}): not in the files given",
                    metric.mark.line
                )),
            }
        } else if unit.is_some() {
            // The built-in metrics query the mesh's or ingress's Prometheus (FLG-METRICS).
            reading.draft.set("verification.health_source", "prometheus", Some(m_at(metric)));
        }
    }
    if !metrics.is_empty() {
        reading.draft.set("verification.analysis", "threshold", a_at("metrics").map(|(_, p)| p));
    }
    super::ask_the_unknowable(reading, target_name);
    reading.subjects.push(subject);
}
