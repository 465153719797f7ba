"""Flagger: what the controller does with a Canary and its MetricTemplates, beyond the CRD.

Sources, at fluxcd/flagger 15bd6ad555e6c935da55f0ab95977be74c149bd6 (F):
- F:pkg/apis/flagger/v1beta1/canary.go#L502-515 and docs/gitbook/usage/how-it-works.md#L19-22,
  #L56: targetRef is {apiVersion, kind, name} with the bare name of a Deployment or DaemonSet
  (Flagger reads `deployments/<name>`; `deployment/x` names nothing);
- F:docs/gitbook/usage/metrics.md#L11, #L67-84 and pkg/controller/scheduler_metrics.go#L271-349:
  only request-success-rate and request-duration are built in; any other metric needs templateRef to
  a MetricTemplate ("no usable metrics template and query were configured", #L346-348);
  without thresholdRange the deprecated `threshold` (0) is compared, so any value above 0 fails (#L341);
- F:docs/gitbook/usage/metrics.md (Datadog, New Relic, Dynatrace, Splunk, CloudWatch sections):
  those providers read their credentials from secretRef, CloudWatch needs region;
- F:pkg/apis/flagger/v1beta1/canary.go#L692-711 and deployment-strategies.md#L305-306: iterations
  make a blue/green, stepWeight(s) a canary release;
- F:docs/gitbook/usage/deployment-strategies.md#L73-76 and scheduler.go#L778-850: skipAnalysis
  promotes without analysis, and scheduler.go#L363-378 consults rollback webhooks only without it;
- F:docs/gitbook/usage/webhooks.md#L509-532, pkg/loadtester/server.go#L144-238: the manual rollback
  is a `rollback` webhook on /rollback/check, opened with /rollback/open and closed with /rollback/close;
- F:docs/gitbook/usage/how-it-works.md#L310-334 and pkg/canary/deployment_controller.go#L272-286: on
  a first deployment the fallback deletes the Canary (its -primary objects carry it as owner) and the
  target; on an update it never deletes anything: the primary serves the earlier version.
"""
import re

from common import bash_n

CHECK = "Flagger behaviour (targetRef, metrics, strategy, fallback)"
COMMANDS_CHECK = "fallback commands parse in bash (bash -n, real commands)"
BUILTIN = {"request-success-rate", "request-duration"}
NEEDS_SECRET = {"datadog", "newrelic", "dynatrace", "splunk"}
COMMAND = re.compile(r"^#   \$ (.*)$")


def check(entry, report, docs):
    errors = []
    cell = entry.get("cell") or {}
    canaries = [d for d in docs if isinstance(d, dict) and d.get("kind") == "Canary"]
    templates = {}
    for d in docs:
        if isinstance(d, dict) and d.get("kind") == "MetricTemplate":
            name = (d.get("metadata") or {}).get("name")
            if name in templates:
                errors.append(f"MetricTemplate {name} is written twice")
            templates[name] = d
    if len(canaries) != 1:
        errors.append(f"the snippet needs exactly one Canary, not {len(canaries)}")
    referenced = set()
    for canary in canaries:
        spec = canary.get("spec") or {}
        errors += target_ref(spec.get("targetRef") or {})
        analysis = spec.get("analysis") or {}
        skip = spec.get("skipAnalysis") is True
        for metric in analysis.get("metrics") or []:
            name = metric.get("name")
            ref = metric.get("templateRef")
            if ref:
                referenced.add(ref.get("name"))
                if ref.get("name") not in templates:
                    errors.append(f"metric {name}: templateRef {ref.get('name')} names no MetricTemplate of the snippet")
            elif name not in BUILTIN:
                errors.append(f"metric {name} is not built in (only {sorted(BUILTIN)} are) and has no templateRef")
            if metric.get("query"):
                errors.append(f"metric {name}: the inline query is deprecated; use a MetricTemplate")
            rng = metric.get("thresholdRange") or {}
            if rng.get("min") is None and rng.get("max") is None:
                errors.append(f"metric {name} has no thresholdRange: the deprecated threshold 0 fails any value above 0")
        if not skip and not analysis.get("metrics"):
            errors.append("the analysis has no metric: no abort criterion is checked")
        errors += strategy(cell, analysis, skip)
        hooks = analysis.get("webhooks") or []
        rollback = [h for h in hooks if h.get("type") == "rollback"]
        if not skip and not any(str(h.get("url", "")).endswith("/rollback/check") for h in rollback):
            errors.append("no rollback webhook on the loadtester's /rollback/check: the update has no manual fallback")
        errors += fallback_commands(entry, report, canary, cell)
    for name, template in templates.items():
        spec = template.get("spec") or {}
        provider = spec.get("provider") or {}
        if name not in referenced:
            errors.append(f"MetricTemplate {name} is not referenced by any metric")
        if not str(spec.get("query", "")).strip():
            errors.append(f"MetricTemplate {name} has an empty query")
        if provider.get("type") in NEEDS_SECRET and not provider.get("secretRef"):
            errors.append(f"MetricTemplate {name}: provider {provider.get('type')} reads its credentials from secretRef")
        if provider.get("type") == "cloudwatch" and not provider.get("region"):
            errors.append(f"MetricTemplate {name}: the cloudwatch provider needs a region")
        if provider.get("type") == "prometheus" and not provider.get("address"):
            errors.append(f"MetricTemplate {name}: the prometheus provider needs an address")
    report.add(entry, CHECK, errors)


def target_ref(ref):
    errors = []
    name = str(ref.get("name", ""))
    if "/" in name:
        errors.append(f"targetRef.name {name!r} is kind/name; Flagger wants the bare name")
    if ref.get("kind") not in ("Deployment", "DaemonSet"):
        errors.append(f"targetRef.kind {ref.get('kind')!r}: a Canary targets a Deployment or a DaemonSet")
    if ref.get("apiVersion") != "apps/v1":
        errors.append(f"targetRef.apiVersion {ref.get('apiVersion')!r}: Deployments and DaemonSets are apps/v1")
    return errors


def strategy(cell, analysis, skip):
    """The analysis' shape makes the strategy (canary.go#L692-711); skipAnalysis is all-at-once only."""
    errors = []
    iterations = analysis.get("iterations")
    weights = analysis.get("stepWeight") or analysis.get("stepWeights") or analysis.get("maxWeight")
    if iterations and weights:
        errors.append("iterations together with traffic weights: Flagger runs it as blue/green and ignores the weights")
    if skip and weights:
        errors.append("skipAnalysis: true with traffic weights: a canary release that promotes without any check")
    wanted = cell.get("strategy")
    if wanted == "blue-green" and not iterations:
        errors.append("a blue-green release needs analysis.iterations")
    if wanted == "canary" and not weights:
        errors.append("a canary release needs stepWeight or stepWeights")
    if wanted == "all-at-once" and not skip:
        errors.append("an all-at-once release is skipAnalysis: true")
    if wanted in ("canary", "blue-green") and skip:
        errors.append(f"a {wanted} release with skipAnalysis: true promotes without any check")
    for w in analysis.get("stepWeights") or []:
        if not isinstance(w, int) or not 0 < w < 100:
            errors.append(f"stepWeights value {w!r} is not between 1 and 99")
    return errors


def fallback_commands(entry, report, canary, cell):
    """The "#   $ ..." lines: bash -n, and what they do in the situation."""
    with open(entry["file"], encoding="utf-8") as fh:
        whole = fh.read()
    lines = [m.group(1) for m in map(COMMAND.match, whole.splitlines()) if m]
    bash_n(entry, report, [("fallback commands", "\n".join(lines) + "\n")] if lines else [], check=COMMANDS_CHECK)
    errors = []
    text = "\n".join(lines)
    name = (canary.get("metadata") or {}).get("name")
    situation = cell.get("situation") or ("first" if "\n# First deployment:" in whole else "update")
    if situation == "first":
        if not re.search(rf"delete canary {re.escape(str(name))}$", text, re.M):
            errors.append(f"a first deployment's fallback deletes the Canary {name} (how-it-works.md#L310-334)")
        if "suspend" not in text:
            errors.append("the Canary is suspended before its route is taken away, or Flagger corrects the route")
    else:
        if re.search(r"\bdelete\b|\bscale\b", text):
            errors.append("an update's fallback deletes or scales the workload: the primary serves the earlier version")
        skip = (canary.get("spec") or {}).get("skipAnalysis") is True
        if not skip:
            for call in ("/rollback/open", "/rollback/close"):
                body = f'\\"name\\": \\"{name}\\"'
                if not any(call in line and body in line for line in lines):
                    errors.append(f"the update's fallback calls {call} for the Canary {name}")
    return errors
