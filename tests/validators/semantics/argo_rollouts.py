"""Argo Rollouts: what the controller does with a Rollout and its AnalysisTemplates, beyond the CRD.

Sources, at argoproj/argo-rollouts 9f8d111d8f8e3e88b6d7f8bbdf62fd3cd863ef9d (R):
- R:docs/features/analysis.md#L175-179: a background metric runs until the end of the Rollout only
  without a count; R:analysis/analysis.go#L612-616: a metric that reached its count is Successful
  (the background run ends, argoproj/argo-rollouts#1666);
- R:pkg/apis/rollouts/validation/validation_references.go#L170-181: pre/post-promotion and step
  analysis may not run indefinitely (a metric needs a count);
- R:utils/analysis/factory.go#L206-207: "interval must be specified when count > 1";
- R:analysis/analysis.go#L662-669: a run fails when failed measurements > failureLimit;
- R:pkg/apis/rollouts/validation/validation.go: setWeight between 0 and 100, selector matching the
  pod template's labels.
"""
CHECK = "Argo Rollouts behaviour (analysis guards the update, references resolve)"


def check(entry, report, docs):
    errors = []
    templates = {d["metadata"]["name"]: d for d in docs if isinstance(d, dict) and d.get("kind") == "AnalysisTemplate"}
    rollouts = [d for d in docs if isinstance(d, dict) and d.get("kind") == "Rollout"]
    if not templates or not rollouts:
        errors.append("the snippet needs an AnalysisTemplate and the Rollout that runs it")
    for name, template in templates.items():
        for metric in template.get("spec", {}).get("metrics", []):
            count = metric.get("count")
            if isinstance(count, int) and count > 1 and not metric.get("interval"):
                errors.append(f"{name}/{metric.get('name')}: count > 1 without an interval (factory.go#L206)")
            if metric.get("failureLimit", 0) != 0:
                errors.append(f"{name}/{metric.get('name')}: an abort criterion must fail at its first crossing (failureLimit 0)")
    for rollout in rollouts:
        spec = rollout.get("spec", {})
        labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
        wanted = spec.get("selector", {}).get("matchLabels", {})
        if any(labels.get(k) != v for k, v in wanted.items()):
            errors.append("the selector does not match the pod template's labels")
        strategy = spec.get("strategy", {})
        canary, blue_green = strategy.get("canary"), strategy.get("blueGreen")
        if canary is not None:
            for step in canary.get("steps", []):
                weight = step.get("setWeight")
                if weight is not None and not 0 <= weight <= 100:
                    errors.append(f"setWeight {weight} is outside 0-100")
            for ref in (canary.get("analysis") or {}).get("templates", []):
                metrics = known(templates, ref, errors)
                for metric in metrics:
                    if metric.get("count") is not None:
                        errors.append(
                            f"background metric {metric.get('name')} has a count: it stops after that many "
                            "measurements and leaves the rest of the canary unguarded (analysis.md#L175-179)"
                        )
                    if not metric.get("interval"):
                        errors.append(f"background metric {metric.get('name')} has no interval: one measurement only")
        if blue_green is not None:
            for key in ("prePromotionAnalysis", "postPromotionAnalysis"):
                for ref in (blue_green.get(key) or {}).get("templates", []):
                    for metric in known(templates, ref, errors):
                        if metric.get("interval") and metric.get("count") is None:
                            errors.append(f"{key} metric {metric.get('name')} runs indefinitely, which the controller refuses")
    report.add(entry, CHECK, errors)


def known(templates, ref, errors):
    template = templates.get(ref.get("templateName"))
    if template is None:
        errors.append(f"templateName {ref.get('templateName')} names no AnalysisTemplate of the snippet")
        return []
    return template.get("spec", {}).get("metrics", [])
