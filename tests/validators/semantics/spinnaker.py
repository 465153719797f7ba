"""Spinnaker: what orca, deck and clouddriver do with the stages planb writes, beyond a JSON parse.

Spinnaker publishes no JSON Schema of pipelines (../shared/schemas/README.md): stage types are Java,
Groovy and Kotlin classes in orca, TypeScript in deck. Each rule cites the file it comes from, at
spinnaker/orca 2fdb327a9f67345c4919e1503ff5119fa3c31caf (O), spinnaker/deck
3f2418ea6d1ecf61b7e9d38e8c90d74ff7619ef6 (D), spinnaker/clouddriver
2f5e98f0320a672ab2692a7ffc6841e4bc57cfa9 (C) and spinnaker/spinnaker.io
3bc6188527fba6af2187162593a4d59b90656872 (S; content/en/docs/X is spinnaker.io/docs/X).

- Graph: O:orca-kotlin/src/main/kotlin/com/netflix/spinnaker/orca/ext/Stage.kt#L76-L83 —
  upstreamStages() keeps the stages whose refId is in requisiteStageRefIds, so an entry naming no
  stage is silently dropped and the stage starts without waiting; a stage on a cycle never starts.
- Fields: O:orca-validation/src/main/resources/schemas/*.json (the fields of manualJudgment, pipeline,
  enable/disable/destroyServerGroup; `_meta.builtIn` marks the fields every stage takes); C's
  operation descriptions for the manifest stages; D's stage registrations for the required fields.
- Manifest names: C:clouddriver-kubernetes/.../description/KubernetesCoordinates.java#L53-L67 —
  "Expected a full resource name of the form <kind> <name>".
- #judgment: O:orca-core/.../expressions/functions/StageExpressionFunctionProvider.java#L183-L210 and
  S:content/en/docs/reference/pipeline/expressions/_index.md#L177-L194 — it takes the judgment stage's
  NAME, case-sensitive, and throws when no manualJudgment stage of that name holds a judgmentInput;
  O:orca-core/.../pipeline/model/OptionalStageSupport.java#L75-L82 — an expression that throws
  skips the stage, so a misspelt name silently disables the fallback.
- SpEL in text: O:orca-core/.../pipeline/expressions/PipelineExpressionEvaluator.java#L135 — every
  string of a stage is a Spring template with `${…}` expressions.
- Stop and Continue: O:orca-echo/.../pipeline/ManualJudgmentStage.groovy#L92-L100 (Stop is
  TERMINAL), D:packages/core/.../manualJudgment/ManualJudgmentApproval.tsx#L150-L172 (both buttons
  wait for a chosen input), O:orca-kotlin/.../ext/Stage.kt#L124-L132 (failPipeline unset or true:
  the pipeline halts).
- Update keeps the running version: C:.../op/manifest/KubernetesUndoRolloutManifestOperation.java
  #L71-L79 (undo needs an earlier revision), O:.../tasks/cluster/DetermineRollbackCandidatesTask.java
  #L300-L311 (Rollback Cluster needs two server groups), O:.../utils/LambdaCloudDriverUtils.java
  #L329-L332 ($PREVIOUS needs two published versions).
"""
import re

from common import strings

GRAPH = "Spinnaker stage graph (unique refIds, every requisiteStageRefIds entry exists, no cycle)"
FIELDS = "Spinnaker stage fields (types and fields orca, deck and clouddriver read)"
JUDGMENT = "Spinnaker judgment expressions (#judgment names a manualJudgment stage exactly)"
SPEL = "Spinnaker SpEL in text (orca evaluates ${...} in every string)"
FALLBACK = "Spinnaker fallback (Fall back plus Continue runs it, Stop fails the pipeline, an update keeps the running version)"

# Fields every stage takes: the pipeline graph (O:orca-core/.../pipeline/model/StageExecutionImpl.java
# #L132, #L294) and the fields orca-validation's schemas mark `_meta.builtIn`
# (O:orca-validation/src/main/resources/schemas/manualJudgment.json#L5-L86); completeOtherBranchesThenFail
# is written by "If stage fails" (D:packages/core/.../overrideFailure/OverrideFailure.tsx#L55-L80).
COMMON = {
    "refId", "requisiteStageRefIds", "type", "name",
    "comments", "continuePipeline", "failPipeline", "completeOtherBranchesThenFail", "notifications",
    "overrideTimeout", "restrictExecutionDuringTimeWindow", "restrictedExecutionWindow",
    "sendNotifications", "stageEnabled", "stageTimeoutMs",
}

# Kubernetes manifest stages: C:.../description/KubernetesAtomicOperationDescription.java#L33-L34
# (account), C:.../description/manifest/KubernetesManifestOperationDescription.java#L28-L30
# (manifestName, location), D:packages/kubernetes/src/manifest/selector/IManifestSelector.ts#L8-L25
# (mode, kind, cluster, criteria, cloudProvider) and O:.../tasks/manifest/ResolveTargetManifestTask.java
# #L95-L102 (app, kind, cluster, criteria, location).
MANIFEST = {"account", "cloudProvider", "manifestName", "location", "mode", "kind", "cluster", "criteria", "app"}
# Server-group stages: O:orca-validation/.../schemas/{enable,disable,destroy}ServerGroup.json and
# O:.../pipeline/servergroup/support/TargetServerGroup.java#L237-L269 (moniker, serverGroupName).
SERVER_GROUP = {"cloudProvider", "cloudProviderType", "cluster", "credentials", "regions", "target",
                "moniker", "serverGroupName", "interestingHealthProviderNames"}

KNOWN = {
    # O:orca-validation/src/main/resources/schemas/manualJudgment.json#L5-L86
    "manualJudgment": {"clusters", "instructions", "judgmentInputs", "propagateAuthenticationContext"},
    # C:.../description/manifest/KubernetesDeleteManifestDescription.java#L35-L39
    "deleteManifest": MANIFEST | {"options", "kinds", "labelSelectors"},
    # C:.../description/manifest/KubernetesUndoRolloutManifestDescription.java#L25-L28
    "undoRolloutManifest": MANIFEST | {"revision", "numRevisionsBack"},
    # C:.../description/manifest/KubernetesEnableDisableManifestDescription.java#L30-L34
    "enableManifest": MANIFEST | {"targetPercentage", "loadBalancers"},
    "disableManifest": MANIFEST | {"targetPercentage", "loadBalancers"},
    # C:.../description/manifest/KubernetesScaleManifestDescription.java#L25-L26
    "scaleManifest": MANIFEST | {"replicas"},
    # O:orca-validation/src/main/resources/schemas/enableServerGroup.json, disableServerGroup.json,
    # destroyServerGroup.json
    "enableServerGroup": SERVER_GROUP,
    "disableServerGroup": SERVER_GROUP | {"preferLargerOverNewer", "remainingEnabledServerGroups"},
    "destroyServerGroup": SERVER_GROUP,
    # O:.../pipeline/cluster/RollbackClusterStage.java#L122-L129 and
    # O:.../tasks/cluster/DetermineRollbackCandidatesTask.java#L541-L551; `cluster` from
    # D:packages/amazon/src/pipeline/stages/rollbackCluster/awsRollbackClusterStage.js#L16-L20
    "rollbackCluster": {"credentials", "cloudProvider", "regions", "waitTimeBetweenRegions",
                        "additionalRollbackContext", "moniker", "serverGroup",
                        "targetHealthyRollbackPercentage", "cluster", "interestingHealthProviderNames"},
    # O:orca-validation/src/main/resources/schemas/pipeline.json
    "pipeline": {"application", "pipeline", "pipelineParameters", "waitForCompletion"},
    # O:.../tasks/providers/aws/lambda/model/input/LambdaTrafficUpdateInput.java#L27-L54
    "Aws.LambdaTrafficRoutingStage": {
        "credentials", "account", "region", "appName", "functionName", "qualifier", "latestVersionQualifier",
        "payload", "deploymentStrategy", "isNew", "aliasName", "aliasDescription", "versionNameA",
        "versionNameB", "versionNumberA", "versionNumberB", "trafficPercentA", "trafficPercentB",
        "majorFunctionVersion", "minorFunctionVersion", "weightToMinorFunctionVersion",
        "payloadArtifact", "outputArtifact", "timeout", "provisionedConcurrentExecutions",
    },
    # O:.../tasks/providers/aws/lambda/model/input/LambdaDeleteStageInput.java#L26-L32
    "Aws.LambdaDeleteStage": {"appName", "region", "credentials", "account", "functionName", "version",
                              "versionNumber", "qualifier", "retentionNumber"},
}

# Fields deck refuses to save a stage without.
REQUIRED = {
    # D:packages/kubernetes/src/pipelines/stages/validators/manifestSelectorValidators.ts#L10-L11
    "deleteManifest": {"location", "account"},
    "enableManifest": {"location", "account"},
    "disableManifest": {"location", "account"},
    "scaleManifest": {"location", "account", "replicas"},
    # D:packages/kubernetes/src/pipelines/stages/undoRolloutManifest/undoRolloutManifestStage.ts#L17-L20
    "undoRolloutManifest": {"location", "account", "numRevisionsBack"},
    # D:packages/ecs/src/pipeline/stages/{enable,disable,destroy}Asg/*.js, e.g. ecsEnableAsgStage.js#L17-L22
    "enableServerGroup": {"cluster", "target", "regions", "credentials"},
    "disableServerGroup": {"cluster", "target", "regions", "credentials"},
    "destroyServerGroup": {"cluster", "target", "regions", "credentials"},
    # D:awsRollbackClusterStage.js#L16-L20; DetermineRollbackCandidatesTask.java#L128-L133 reads moniker
    "rollbackCluster": {"cluster", "regions", "credentials", "moniker"},
    # D:packages/core/src/pipeline/config/stages/pipeline/pipelineStage.js#L33
    "pipeline": {"pipeline", "application"},
    # D:packages/amazon/src/pipeline/stages/deleteLambda/LambdaDeleteStage.tsx#L61-L72
    "Aws.LambdaDeleteStage": {"account", "region", "functionName", "version"},
    # D:packages/amazon/src/pipeline/stages/routeLambda/RouteLambdaFunctionStageForm.tsx (account,
    # region, functionName, aliasName, deploymentStrategy fields)
    "Aws.LambdaTrafficRoutingStage": {"account", "region", "functionName", "aliasName", "deploymentStrategy"},
}

# D:packages/core/src/pipeline/config/stages/stageConstants.ts#L24-L39 and #L74-L100
TARGETS = {"current_asg_dynamic", "ancestor_asg_dynamic", "oldest_asg_dynamic", "current_asg", "ancestor_asg"}
CRITERIA = {"newest", "second_newest", "oldest", "largest", "smallest"}
# D:packages/kubernetes/src/manifest/selector/IManifestSelector.ts#L21-L25
MODES = {"static", "dynamic", "label"}
# D:packages/amazon/src/pipeline/stages/routeLambda/constants/strategy.constants.tsx#L10-L26 and
# versions.constants.ts#L10-L31; deleteLambda/constants/deleteVersion.constants.ts#L10-L37
LAMBDA_STRATEGIES = {"$SIMPLE", "$WEIGHTED", "$BLUEGREEN"}
LAMBDA_VERSIONS = {"$LATEST", "$PREVIOUS", "$OLDEST", "$PROVIDED"}
LAMBDA_DELETE_VERSIONS = {"$LATEST", "$PREVIOUS", "$MOVING", "$PROVIDED", "$ALL"}

# Stage types that need an earlier version, and those that take a version down.
NEEDS_EARLIER = {"undoRolloutManifest", "rollbackCluster", "enableServerGroup"}
TAKES_DOWN = {"deleteManifest", "destroyServerGroup", "Aws.LambdaDeleteStage", "scaleManifest"}

JUDGMENT_CALL = re.compile(r"#judge?ment\(\s*(['\"])(.*?)\1\s*\)")
FALLBACK_EXPRESSION = re.compile(r"^#judgment\('([^']*)'\) == '([^']*)'$")


def check(entry, report, doc):
    stages = doc.get("stages") if isinstance(doc, dict) else None
    if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
        for name in (GRAPH, FIELDS, JUDGMENT, SPEL, FALLBACK):
            report.add(entry, name, ["the snippet has no list of stage objects under `stages`"])
        return
    report.add(entry, GRAPH, graph_errors(stages))
    report.add(entry, FIELDS, field_errors(stages))
    report.add(entry, JUDGMENT, judgment_errors(stages))
    report.add(entry, SPEL, spel_errors(doc))
    report.add(entry, FALLBACK, fallback_errors(entry, stages))


def graph_errors(stages):
    errors, ids = [], []
    for i, s in enumerate(stages):
        ref = s.get("refId")
        if not isinstance(ref, str) or not ref:
            errors.append(f"stage {i}: refId must be a non-empty string")
        elif ref in ids:
            errors.append(f"stage {i}: refId {ref!r} is used twice")
        ids.append(ref)
        reqs = s.get("requisiteStageRefIds", [])
        if not isinstance(reqs, list) or not all(isinstance(r, str) for r in reqs):
            errors.append(f"stage {i}: requisiteStageRefIds must be a list of refIds")
    known = {r for r in ids if isinstance(r, str)}
    for i, s in enumerate(stages):
        for r in s.get("requisiteStageRefIds", []) if isinstance(s.get("requisiteStageRefIds"), list) else []:
            if r not in known:
                errors.append(f"stage {i} ({s.get('name')}): requisiteStageRefIds names {r!r}, which no stage has "
                              "(orca drops it and starts the stage at once, Stage.kt#L76-L77)")
            elif r == s.get("refId"):
                errors.append(f"stage {i}: waits for itself")
    if not errors and cyclic(stages):
        errors.append("requisiteStageRefIds form a cycle: its stages never start (Stage.kt#L82-L83)")
    return errors


def upstream(stages):
    return {s.get("refId"): set(s.get("requisiteStageRefIds") or []) for s in stages}


def ancestors(stages, ref):
    graph, seen, todo = upstream(stages), set(), [ref]
    while todo:
        for parent in graph.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def cyclic(stages):
    return any(s.get("refId") in ancestors(stages, s.get("refId")) for s in stages)


def field_errors(stages):
    errors = []
    for i, s in enumerate(stages):
        kind = s.get("type")
        where = f"stage {i} ({kind})"
        if kind not in KNOWN:
            errors.append(f"stage {i}: type {kind!r} is not a stage type planb knows from orca and deck")
            continue
        for key in sorted(set(s) - COMMON - KNOWN[kind]):
            errors.append(f"{where}: {key!r} is not a field of {kind}"
                          + (" (no such field anywhere in orca or deck)" if key == "abortCriteria" else ""))
        for key in sorted(REQUIRED.get(kind, set()) - set(k for k, v in s.items() if v not in (None, "", []))):
            errors.append(f"{where}: {key!r} is required")
        if not isinstance(s.get("name"), str) or not s.get("name"):
            errors.append(f"{where}: a stage needs a name")
        enabled = s.get("stageEnabled")
        # D:packages/core/.../optionalStage/optionalStage.directive.js#L31-L33;
        # O:orca-core/.../pipeline/model/OptionalStageSupport.java#L45-L47
        if enabled is not None and not (isinstance(enabled, dict) and enabled.get("type") == "expression"
                                        and isinstance(enabled.get("expression"), str)):
            errors.append(f"{where}: stageEnabled must be {{\"type\": \"expression\", \"expression\": \"...\"}}")
        if kind == "manualJudgment":
            if not isinstance(s.get("instructions", ""), str):
                errors.append(f"{where}: instructions must be a string (manualJudgment.json#L26-L33)")
            inputs = s.get("judgmentInputs", [])
            # D:packages/core/.../manualJudgment/manualJudgmentStage.html#L31-L37: {"value": text}
            if not isinstance(inputs, list) or not all(isinstance(j, dict) and set(j) == {"value"}
                                                       and isinstance(j["value"], str) for j in inputs):
                errors.append(f"{where}: judgmentInputs must be a list of {{\"value\": \"text\"}}")
        if kind in MANIFEST_KINDS:
            errors += manifest_errors(where, kind, s)
        if "target" in s and s["target"] not in TARGETS:
            errors.append(f"{where}: target {s['target']!r} is none of {sorted(TARGETS)}")
        for key in ("regions",):
            if key in s and not (isinstance(s[key], list) and all(isinstance(r, str) for r in s[key])):
                errors.append(f"{where}: {key} must be a list of strings")
        if kind == "Aws.LambdaTrafficRoutingStage":
            if s.get("deploymentStrategy") not in LAMBDA_STRATEGIES:
                errors.append(f"{where}: deploymentStrategy {s.get('deploymentStrategy')!r} is none of {sorted(LAMBDA_STRATEGIES)}")
            if s.get("deploymentStrategy") == "$SIMPLE" and s.get("versionNameA") not in LAMBDA_VERSIONS:
                errors.append(f"{where}: versionNameA {s.get('versionNameA')!r} is none of {sorted(LAMBDA_VERSIONS)}")
        if kind == "Aws.LambdaDeleteStage" and s.get("version") not in LAMBDA_DELETE_VERSIONS:
            errors.append(f"{where}: version {s.get('version')!r} is none of {sorted(LAMBDA_DELETE_VERSIONS)}")
        if kind == "rollbackCluster":
            moniker = s.get("moniker")
            if not (isinstance(moniker, dict) and moniker.get("cluster") == s.get("cluster")):
                errors.append(f"{where}: moniker.cluster must name the cluster (DetermineRollbackCandidatesTask.java#L128-L133)")
    return errors


MANIFEST_KINDS = {"deleteManifest", "undoRolloutManifest", "enableManifest", "disableManifest", "scaleManifest"}


def manifest_errors(where, kind, s):
    errors = []
    mode = s.get("mode")
    if mode not in MODES:
        errors.append(f"{where}: mode {mode!r} is none of {sorted(MODES)}")
    if s.get("cloudProvider") != "kubernetes":
        # D:.../deleteManifest/DeleteManifestStageConfig.tsx#L20-L28 and the other manifest stages
        errors.append(f"{where}: cloudProvider must be \"kubernetes\"")
    name = s.get("manifestName")
    if mode == "static" or name is not None:
        # C:KubernetesCoordinates.java#L53-L67: exactly two tokens, "<kind> <name>"
        parts = name.split(" ") if isinstance(name, str) else []
        if len(parts) != 2 or not all(parts) or any("/" in p for p in parts):
            errors.append(f"{where}: manifestName {name!r} is not \"<kind> <name>\" (e.g. \"deployment web\")")
    if mode == "dynamic":
        # D:manifestSelectorValidators.ts#L15-L24; O:ResolveTargetManifestTask.java#L55-L57 resolves
        # only when criteria is set
        for key in ("kind", "cluster", "criteria"):
            if not s.get(key):
                errors.append(f"{where}: a dynamic target needs {key}")
        if s.get("criteria") and s["criteria"] not in CRITERIA:
            errors.append(f"{where}: criteria {s['criteria']!r} is none of {sorted(CRITERIA)}")
        cluster = s.get("cluster")
        if isinstance(cluster, str) and len(cluster.split(" ")) != 2:
            errors.append(f"{where}: cluster {cluster!r} is not \"<kind> <name>\" (traffic-management docs: \"replicaSet frontend\")")
        if kind == "undoRolloutManifest":
            # O:.../pipeline/manifest/UndoRolloutManifestStage.java#L33-L39 has no ResolveTargetManifestTask
            errors.append(f"{where}: undoRolloutManifest never resolves a dynamic target: use mode static with manifestName")
    if kind == "undoRolloutManifest":
        n = s.get("numRevisionsBack")
        if not (isinstance(n, int) and not isinstance(n, bool) and n >= 1) and "revision" not in s:
            errors.append(f"{where}: numRevisionsBack must be a whole number of revisions, at least 1")
    return errors


def judgment_errors(stages):
    errors = []
    judges = {s.get("name"): s for s in stages if s.get("type") == "manualJudgment"}
    for i, s in enumerate(stages):
        enabled = s.get("stageEnabled") if isinstance(s.get("stageEnabled"), dict) else {}
        expression = enabled.get("expression")
        if not isinstance(expression, str):
            continue
        for _, name in JUDGMENT_CALL.findall(expression):
            judge = judges.get(name)
            if judge is None:
                close = [n for n in judges if isinstance(n, str) and n.lower() == name.lower()]
                hint = f" (the stage is called {close[0]!r}: #judgment is case-sensitive)" if close else ""
                errors.append(f"stage {i} ({s.get('name')}): #judgment({name!r}) names no manualJudgment stage{hint}; "
                              "the expression throws and the stage is skipped")
                continue
            if judge.get("refId") not in ancestors(stages, s.get("refId")):
                errors.append(f"stage {i} ({s.get('name')}): reads #judgment({name!r}) but does not wait for that stage")
        match = FALLBACK_EXPRESSION.match(expression.strip())
        if "#judg" in expression and match:
            judge = judges.get(match.group(1))
            values = [j.get("value") for j in (judge or {}).get("judgmentInputs", []) if isinstance(j, dict)]
            if judge is not None and match.group(2) not in values:
                errors.append(f"stage {i}: compares #judgment with {match.group(2)!r}, which is not a judgment input of "
                              f"{match.group(1)!r} ({values})")
        if expression.strip().startswith("${"):
            # D:packages/core/src/help/help.contents.ts#L79-L82; O:OptionalStageSupport.java#L109-L116
            errors.append(f"stage {i}: stageEnabled's expression is wrapped in ${{}}; orca adds the wrapper itself")
    return errors


def spel_errors(doc):
    errors = []
    for text in strings(doc):
        rest = text.replace("${'$'}{", "")
        if "${" in rest:
            errors.append(f"{text[:80]!r}: orca evaluates ${{...}} here as SpEL; a literal ${{ is written ${{'$'}}{{")
    return errors


def fallback_errors(entry, stages):
    errors = []
    judges = [s for s in stages if s.get("type") == "manualJudgment"]
    if not judges:
        return ["no Manual Judgment stage: nothing lets a person call the fallback"]
    judge = judges[0]
    if judge.get("failPipeline") is False:
        errors.append("the judgment has failPipeline false: Stop then ends the branch and the pipeline can still "
                      "succeed (CompleteExecutionHandler.kt#L114-L136); leave it true so Stop fails the pipeline")
    values = [j.get("value") for j in judge.get("judgmentInputs", []) if isinstance(j, dict)]
    if "Fall back" not in values:
        errors.append("the judgment offers no \"Fall back\" input: the fallback is reached by choosing it and Continue")
    instructions = judge.get("instructions", "")
    if not (isinstance(instructions, str) and "Continue" in instructions and "Stop" in instructions):
        errors.append("the instructions must say that Fall back is chosen and then Continue clicked, and that Stop "
                      "fails the pipeline without running the fallback (ManualJudgmentStage.groovy#L92-L100)")
    fallbacks = []
    for s in stages:
        enabled = s.get("stageEnabled") if isinstance(s.get("stageEnabled"), dict) else {}
        match = FALLBACK_EXPRESSION.match(str(enabled.get("expression", "")).strip())
        if match and match.group(1) == judge.get("name") and match.group(2) == "Fall back":
            fallbacks.append(s)
    if not fallbacks:
        errors.append("no stage is enabled by #judgment('<judgment>') == 'Fall back'")
    situation = (entry.get("cell") or {}).get("situation")
    if situation is None:
        situation = "update" if any(s.get("type") in NEEDS_EARLIER for s in fallbacks) else "first"
    for s in fallbacks:
        kind = s.get("type")
        if situation == "update" and kind in TAKES_DOWN:
            errors.append(f"update: {kind} takes down the version that ran before; use its rollback "
                          "(undoRolloutManifest, rollbackCluster, enableServerGroup, Route Lambda Traffic)")
        if situation == "update" and kind in ("disableManifest", "disableServerGroup"):
            newest = s.get("criteria") == "newest" or s.get("target") == "current_asg_dynamic"
            enabled_first = any(p.get("type") in ("enableManifest", "enableServerGroup")
                                for p in stages if p.get("refId") in ancestors(stages, s.get("refId")))
            if not (newest and enabled_first):
                errors.append(f"update: {kind} may only disable the newest version, after the earlier one is enabled")
        if situation == "first" and (kind in NEEDS_EARLIER or
                                     (kind == "Aws.LambdaTrafficRoutingStage" and s.get("versionNameA") == "$PREVIOUS")):
            errors.append(f"first deployment: {kind} needs an earlier version, which does not exist "
                          "(KubernetesUndoRolloutManifestOperation.java#L71-L79, DetermineRollbackCandidatesTask.java#L304-L311)")
    return errors
