"""Harness CD (NextGen, v0 YAML): what Harness does with a Deployment stage, beyond the v0 schema.

The v0 pipeline schema (harness/harness-schema 1bb19b672ae1, `v0/pipeline.json`, here S) rejects
unknown step types and missing required keys, but closes only 25 of its 3,821 objects: a misspelled
optional key (`rolbackSteps`, `skipDryRn`) and an unknown failure action (`StageRollbak`) pass. These
rules close that gap and check what the stage does on the platform planb wrote it for. Sources, at
harness/harness-core 042d99c86a7260688e4852fdb168fdb16fa0e2bd (C), harness/harness-core-ui
34c93979b2f4cac741d310c70ba4923e29d87316 (UI) and developer.harness.io (D):

- keys: every object's keys must be among those S lists for it, the `if`/`then` branch of its `type`
  included (the schema's own property lists, which it does not close); plus the Verify fields the
  backend reads and S does not list, C:srm-service/.../cvng/cdng/beans/VerificationJobSpec.java#L60-64
  (`failOnNoAnalysis`, `failIfAnyCustomMetricInNoAnalysis`).
- names and identifiers: D:platform/references/harness-entity-reference ("There cannot be 2 or more
  steps with the same Id within the stage"; reserved words); D:.../cd-steps/utilities/shell-script-step
  ("Shell Script step names cannot contain dots").
- step types per deployment type: C:960-ng-core-beans/.../ServiceDefinitionType.java#L24-99 (each
  type's strategies) and C:125-cd-nextgen/src/main/resources/executionStrategyYaml/<type>-<strategy>.yaml
  (the steps and rollback steps Harness generates for each).
- rollback, first deployment: K8sRollingRollback logs "Can't rollback" and reports success
  (C:930-delegate-tasks/.../k8s/K8sRollingRollbackBaseHandler.java#L372-377, #L873-877) and
  K8sBGSwapServices only swaps selectors (.../K8sSwapServiceSelectorsBaseHandler.java#L79-84): a
  Kubernetes stage needs a K8sDelete by release name (D:.../kubernetes-executions/delete-kubernetes-resources).
  The ECS and Lambda rollbacks delete what the stage created (.../ecs/EcsRollingRollbackCommandTaskHandler.java
  #L125-131, EcsBasicRollbackTaskHandler.java#L74-82, EcsBlueGreenRollbackCommandTaskHandler.java#L184-210,
  .../aws/lambda/AwsLambdaRollbackTaskCommandHandler.java#L64-67). A Command step in rollbackSteps runs as a
  rollback (C:125-cd-nextgen/.../creator/plan/steps/CommandStepPlanCreator.java#L63-64) and is skipped
  without an earlier successful deployment (.../cdng/ssh/SshCommandStepHelper.java#L446-459).
- rollback, update: the deployment type's rollback step, never a delete of the running version.
- Verify: `spec.type` is a plain string in S (#L80193), so its values come from the if/then branches;
  `duration` ends in m and is a multiple of 5 and `deploymentTag` is @NotNull (VerificationJobSpec.java
  #L48-55, #L93-107); Canary, Blue Green and Rolling need `sensitivity`
  (.../BlueGreenCanaryVerificationJobSpec.java#L50-51; values: contracts/.../Sensitivity.java#L30-43);
  Simple Verification has no Fail On No Analysis and no sensitivity: the form hides and clears both
  (UI:.../ConfigureFields/ConfigureFields.tsx#L142-167, .../SelectVerificationType.tsx#L33-38); without
  `failOnNoAnalysis` a run with no data passes (C:.../VerificationJobInstanceServiceImpl.java#L547-556);
  `failIfAnyCustomMetricInNoAnalysis` fails custom metrics without analysis
  (.../DeploymentTimeSeriesAnalysisServiceImpl.java#L138-142).
- failure strategies: the action `type` has no enum in S (#L82505), only if/then branches for these
  actions; D:.../executions/step-and-stage-failure-strategy (a CD stage needs an All Errors strategy;
  the Manual Intervention's timeout and Post Timeout Action); runs marked successful by Ignore Failure
  cannot use post deployment rollback (D:continuous-delivery/manage-deployments/rollback-deployments).
- expressions: "At pipeline runtime, Harness evaluates any expressions present in the pipeline"
  (D:platform/variables-and-expressions/harness-variables), so `<+` may appear only in the expressions
  planb writes, never in text from the spec.
- scripts: every inline script passes `bash -n` and holds commands (common.bash_n).
"""
import json
import re

from common import bash_n, strings

S_PATH = "harness/pipeline.json"

CHECK_KEYS = "Harness keys planb writes (misspelled optional keys)"
CHECK_NAMES = "Harness names and identifiers"
CHECK_TYPES = "Harness step types per deployment type"
CHECK_ROLLBACK = "Harness rollback per deployment type and situation"
CHECK_VERIFY = "Harness Verify step fields"
CHECK_FAILURE = "Harness failure strategies"
CHECK_EXPRESSIONS = "Harness expressions only where planb writes them"

# planb's platforms and the Harness deployment types it writes for them (templates/tools/harness.yaml).
DEPLOYMENT_TYPES = {"kubernetes": {"Kubernetes"}, "ecs": {"ECS"}, "serverless": {"AwsLambda"}, "vm": {"Ssh", "WinRm"}}

# Deploy steps and rollback steps per deployment type and strategy: executionStrategyYaml at C
# (kubernetes-*.yaml, ecs-*.yaml, awslambda-basic.yaml, ssh-*.yaml; ssh-basic-jar.yaml#L103-112 for
# the Command rollback). Kubernetes has no Basic strategy, AWS Lambda only Basic, SSH/WinRM no Blue
# Green (ServiceDefinitionType.java#L26-29, #L36-46, #L93-95).
EXPECTED = {
    ("Kubernetes", "canary"): (["K8sCanaryDeploy", "K8sCanaryDelete", "K8sRollingDeploy"], ["K8sCanaryDelete", "K8sRollingRollback"]),
    ("Kubernetes", "blue-green"): (["K8sBlueGreenDeploy", "K8sBGSwapServices"], ["K8sBGSwapServices"]),
    ("Kubernetes", "rolling"): (["K8sRollingDeploy"], ["K8sRollingRollback"]),
    ("ECS", "canary"): (["EcsCanaryDeploy", "EcsCanaryDelete", "EcsRollingDeploy"], ["EcsCanaryDelete", "EcsRollingRollback"]),
    ("ECS", "blue-green"): (["EcsBlueGreenCreateService", "EcsBlueGreenSwapTargetGroups"], ["EcsBlueGreenRollback"]),
    ("ECS", "rolling"): (["EcsRollingDeploy"], ["EcsRollingRollback"]),
    ("ECS", "all-at-once"): (["EcsServiceSetup", "EcsUpgradeContainer"], ["EcsBasicRollback"]),
    ("AwsLambda", "all-at-once"): (["AwsLambdaDeploy"], ["AwsLambdaRollback"]),
    ("Ssh", "canary"): (["Command"], ["Command"]),
    ("Ssh", "rolling"): (["Command"], ["Command"]),
    ("Ssh", "all-at-once"): (["Command"], ["Command"]),
}
# Steps that belong to one deployment type (prefixes of the types above); others (Verify,
# ShellScript, approvals) go anywhere.
OWNER_PREFIXES = {"K8s": {"Kubernetes"}, "Ecs": {"ECS"}, "AwsLambda": {"AwsLambda"}, "Command": {"Ssh", "WinRm"}}
DEFAULT_STRATEGY = {"Kubernetes": "rolling", "ECS": "rolling", "AwsLambda": "all-at-once", "Ssh": "all-at-once", "WinRm": "all-at-once"}

# A rollback on an update must not take the earlier version down: these remove or stop a workload.
DESTRUCTIVE = re.compile(
    r"\bkubectl\b.*\b(delete|scale)\b|\bhelm\s+(uninstall|delete)\b|\baws\s+ecs\s+(delete-service|update-service.*--desired-count\s+0)"
    r"|\baws\s+lambda\s+(delete-function|put-function-concurrency)|\bsystemctl\s+stop\b|\bserverless\s+remove\b"
)

# The failure actions S has if/then branches for (FailureStrategyActionConfig, #L82505 on).
ACTIONS = {"Ignore", "Retry", "MarkAsSuccess", "Abort", "StageRollback", "StepGroupRollback", "PipelineRollback",
           "ManualIntervention", "ProceedWithDefaultValues", "MarkAsFailure", "RetryStepGroup"}
VERIFY_TYPES = {"Auto", "Bluegreen", "Canary", "LoadTest", "Rolling", "SimpleVerification"}
SENSITIVITIES = {"HIGH", "High", "MEDIUM", "Medium", "LOW", "Low"}
# Keys the backend reads that S does not list (VerificationJobSpec.java#L60-64).
EXTRA_KEYS = {"VerificationJobSpec": {"failOnNoAnalysis", "failIfAnyCustomMetricInNoAnalysis"}}
# The expressions planb writes: runtime inputs, the hosts of an SSH stage and the artifact tag
# (ssh-basic.yaml#L17, ssh-basic-jar.yaml#L64; VerificationJobSpec.java#L49-50).
EXPRESSIONS = {"<+input>", "<+stage.output.hosts>", "<+serviceConfig.artifacts.primary.tag>", "<+service.name>", "<+env.name>"}
RESERVED_IDS = {"or", "and", "eq", "ne", "lt", "gt", "le", "ge", "div", "mod", "not", "null", "true", "false", "new", "var", "return"}


def check(entry, report, parsed):
    import check_examples

    _, schema = check_examples.schema_named(S_PATH)
    cell = entry.get("cell") or cell_of_fixture(entry["file"])
    stage = (parsed or {}).get("stage") if isinstance(parsed, dict) else None
    if not isinstance(stage, dict):
        for name in (CHECK_KEYS, CHECK_NAMES, CHECK_TYPES, CHECK_ROLLBACK, CHECK_VERIFY, CHECK_FAILURE, CHECK_EXPRESSIONS):
            report.add(entry, name, ["the snippet must be one document `stage: {...}` (a Deployment stage)"])
        return
    spec = stage.get("spec") or {}
    execution = spec.get("execution") or {}
    steps = list(flatten(execution.get("steps") or []))
    rollback = list(flatten(execution.get("rollbackSteps") or [], "rollbackSteps"))

    root = lookup(schema, "#/definitions/pipeline/stages/cd/DeploymentStageNode")
    key_errors = []
    closed_keys(schema, root, stage, "stage", key_errors)
    report.add(entry, CHECK_KEYS, key_errors)
    report.add(entry, CHECK_NAMES, names(execution))
    report.add(entry, CHECK_TYPES, types(spec, steps, rollback, cell))
    report.add(entry, CHECK_ROLLBACK, rollback_rules(spec, rollback, cell))
    report.add(entry, CHECK_VERIFY, verify_rules(steps, rollback, cell))
    report.add(entry, CHECK_FAILURE, failure_rules(stage.get("failureStrategies")))
    report.add(entry, CHECK_EXPRESSIONS, expressions(stage))
    scripts = [(f"{where} script", s) for where, s in inline_scripts(steps + rollback)]
    if scripts:
        bash_n(entry, report, scripts)
    else:
        report.add(entry, "bash -n and real commands (every inline script)", [])


def cell_of_fixture(path):
    """A broken fixture has no cell from the matrix: its first line says `# cell: {json}`."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
    except OSError:
        return {}
    m = re.match(r"#\s*cell:\s*(\{.*\})\s*$", first)
    return json.loads(m.group(1)) if m else {}


# --- walking the stage ---------------------------------------------------------------------------


def flatten(wrappers, where="steps"):
    """Every step of a step list with where it is, step groups and parallel blocks included."""
    for i, w in enumerate(wrappers):
        if not isinstance(w, dict):
            continue
        if isinstance(w.get("step"), dict):
            yield f"{where}[{i}]", w["step"]
        if isinstance(w.get("stepGroup"), dict):
            yield from flatten(w["stepGroup"].get("steps") or [], f"{where}[{i}].stepGroup")
        if isinstance(w.get("parallel"), list):
            yield from flatten(w["parallel"], f"{where}[{i}].parallel")


def types_of(steps):
    return [s.get("type") for _, s in steps]


def group_ids(wrappers):
    for w in wrappers or []:
        if isinstance(w, dict) and isinstance(w.get("stepGroup"), dict):
            yield w["stepGroup"].get("identifier")
            yield from group_ids(w["stepGroup"].get("steps"))


# --- keys: S's own property lists, closed --------------------------------------------------------


def lookup(schema, ref):
    node = schema
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def branches(schema, node, value):
    """The schema nodes that apply to `value`: $refs followed, allOf and the matching if/then."""
    out, todo = [], [node]
    while todo:
        n = todo.pop()
        if not isinstance(n, dict):
            continue
        if "$ref" in n:
            todo.append(lookup(schema, n["$ref"]))
        out.append(n)
        for sub in n.get("allOf", []):
            todo.append(sub)
            cond = sub.get("if", {}).get("properties") if isinstance(sub, dict) else None
            if cond and isinstance(value, dict) and all(matches(c, value.get(k)) for k, c in cond.items()):
                todo.append(sub.get("then", {}))
        alts = [a for a in n.get("oneOf", []) + n.get("anyOf", []) if fits(schema, a, value)]
        typed = [a for a in alts if declares_type(schema, a, value)]
        todo.extend(typed or alts)
    return out


def matches(cond, actual):
    if "const" in cond:
        return actual == cond["const"]
    if "enum" in cond:
        return actual in cond["enum"]
    return True


def fits(schema, alt, value):
    """Whether a oneOf branch is for this kind of value (object, array, string...)."""
    n = lookup(schema, alt["$ref"]) if "$ref" in alt else alt
    kind = n.get("type")
    if kind is None:
        return "properties" in n or "allOf" in n or "oneOf" in n
    want = {"object": dict, "array": list, "string": str, "boolean": bool}.get(kind)
    return want is None or isinstance(value, want)


def declares_type(schema, alt, value):
    """A step node whose `type` enum names the step's type (the oneOf of every step node)."""
    if not isinstance(value, dict):
        return False
    n = lookup(schema, alt["$ref"]) if "$ref" in alt else alt
    t = n.get("properties", {}).get("type", {})
    return value.get("type") in t.get("enum", []) or value.get("type") == t.get("const")


def branch_tests_type(node):
    return any("type" in (sub.get("if", {}).get("properties") or {}) for sub in node.get("allOf", []) if isinstance(sub, dict))


def definition_name(schema, node):
    return node.get("title", "")


def closed_keys(schema, node, value, path, errors):
    """Every key of every object must be listed by S for that object (or in EXTRA_KEYS)."""
    nodes = branches(schema, node, value)
    if isinstance(value, dict):
        props = {}
        for n in nodes:
            props.update(n.get("properties", {}))
        listed = bool(props) or any(n.get("allOf") for n in nodes)
        extra = set()
        for n in nodes:
            for name, keys in EXTRA_KEYS.items():
                if definition_name(schema, n).endswith(name):
                    extra |= keys
        if not listed:
            return  # a free-form object (tags, variables) or one S leaves open entirely
        for key, sub in value.items():
            if key in props:
                closed_keys(schema, props[key], sub, f"{path}.{key}", errors)
            elif key == "type" and any(branch_tests_type(n) for n in nodes):
                errors.append(f"{path}: type {sub!r} is none of the types S has a branch for")
            elif key not in extra:
                errors.append(f"{path}: unknown key {key!r} (not among {', '.join(sorted(props))[:300]})")
    elif isinstance(value, list):
        items = [n.get("items") for n in nodes if isinstance(n.get("items"), dict)]
        for i, v in enumerate(value):
            for item in items[:1]:
                closed_keys(schema, item, v, f"{path}[{i}]", errors)


# --- names and identifiers -----------------------------------------------------------------------


def names(execution):
    errors, seen = [], {}
    steps = list(flatten(execution.get("steps") or [])) + list(flatten(execution.get("rollbackSteps") or [], "rollbackSteps"))
    for where, step in steps:
        ident = step.get("identifier")
        if ident in seen:
            errors.append(f"{where}: step identifier {ident!r} is used twice in the stage (also {seen[ident]})")
        seen[ident] = where
        if isinstance(ident, str) and ident.lower() in RESERVED_IDS:
            errors.append(f"{where}: identifier {ident!r} is a reserved word")
        if step.get("type") == "ShellScript" and "." in str(step.get("name", "")):
            errors.append(f"{where}: Shell Script step names cannot contain dots: {step.get('name')!r}")
    for ident in group_ids((execution.get("steps") or []) + (execution.get("rollbackSteps") or [])):
        if ident in seen:
            errors.append(f"step group identifier {ident!r} is also a step's")
    return errors


# --- step types per deployment type --------------------------------------------------------------


def strategy_of(spec, cell):
    dtype = spec.get("deploymentType")
    return (cell or {}).get("strategy") or DEFAULT_STRATEGY.get(dtype)


def types(spec, steps, rollback, cell):
    errors = []
    dtype = spec.get("deploymentType")
    platform = (cell or {}).get("platform")
    if platform in DEPLOYMENT_TYPES and dtype not in DEPLOYMENT_TYPES[platform]:
        errors.append(f"deploymentType {dtype!r} for platform {platform}: planb writes {sorted(DEPLOYMENT_TYPES[platform])}")
    if platform not in DEPLOYMENT_TYPES and platform is not None and dtype is not None:
        errors.append(f"deploymentType {dtype!r}: the platform {platform!r} does not tell planb the deployment type")
    for where, step in steps + rollback:
        t = str(step.get("type", ""))
        for prefix, owners in OWNER_PREFIXES.items():
            if t.startswith(prefix) and dtype not in owners:
                errors.append(f"{where}: {t} belongs in a stage of deployment type {'/'.join(sorted(owners))}, not {dtype}")
    expected = EXPECTED.get((dtype, strategy_of(spec, cell)))
    if dtype in DEFAULT_STRATEGY and expected is None:
        errors.append(f"{dtype} has no {strategy_of(spec, cell)} strategy (ServiceDefinitionType.java#L24-99)")
    elif expected:
        deployed = types_of(steps)
        missing = [t for t in expected[0] if t not in deployed]
        if missing:
            errors.append(f"the {strategy_of(spec, cell)} steps of {dtype} lack {missing} (executionStrategyYaml)")
        order = [t for t in deployed if t in expected[0]]
        if order and dedupe(order) != [t for t in expected[0] if t in order]:
            errors.append(f"the {dtype} steps run in the order {order}, not {expected[0]}")
    return errors


def dedupe(items):
    out = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


# --- rollback ------------------------------------------------------------------------------------


def rollback_rules(spec, rollback, cell):
    errors = []
    dtype = spec.get("deploymentType")
    situation = (cell or {}).get("situation")
    strategy = strategy_of(spec, cell)
    got = types_of(rollback)
    expected = EXPECTED.get((dtype, strategy), (None, None))[1]
    if not rollback:
        return ["rollbackSteps is empty: the stage rollback would do nothing"]
    if situation == "first":
        if dtype == "Kubernetes":
            deletes = [s for _, s in rollback if s.get("type") == "K8sDelete"
                       and ((s.get("spec") or {}).get("deleteResources") or {}).get("type") == "ReleaseName"]
            if not deletes:
                errors.append("first deployment on Kubernetes: the rollback (K8sRollingRollback / K8sBGSwapServices) "
                              "deletes nothing, so rollbackSteps needs a K8sDelete by ReleaseName")
            elif got.index("K8sDelete") < max((got.index(t) for t in expected or [] if t in got), default=-1):
                errors.append("the K8sDelete must come after the rollback steps it completes")
        elif dtype in ("Ssh", "WinRm"):
            if "Command" in got:
                errors.append("first deployment on SSH/WinRM: a Command step in rollbackSteps runs as a rollback and is "
                              "skipped without an earlier successful deployment (CommandStepPlanCreator.java#L63-64)")
            if "ShellScript" not in got:
                errors.append("first deployment on SSH/WinRM: rollbackSteps needs a Shell Script step that takes the new version out")
        elif dtype is None:
            if "ShellScript" not in got:
                errors.append("first deployment of an unknown deployment type: rollbackSteps needs a step that takes the new version out")
        if expected and dtype not in ("Ssh", "WinRm"):
            missing = [t for t in expected if t not in got]
            if missing:
                errors.append(f"first deployment: rollbackSteps lacks {missing}, the {dtype} rollback of a {strategy} stage")
    elif situation == "update":
        if expected:
            missing = [t for t in expected if t not in got]
            if missing:
                errors.append(f"update: rollbackSteps lacks {missing}, the {dtype} rollback that returns to the earlier version")
        for where, step in rollback:
            if step.get("type") == "K8sDelete":
                errors.append(f"update: {where} K8sDelete would delete the running earlier version")
            for script_where, script in inline_scripts([(where, step)]):
                for n, line in enumerate(script.splitlines(), 1):
                    body = line.strip()
                    if body.startswith(("#", "echo ")):
                        continue
                    if DESTRUCTIVE.search(body):
                        errors.append(f"update: {script_where} line {n} takes the workload down: {body[:120]!r}")
    return errors


# --- Verify --------------------------------------------------------------------------------------


def verify_rules(steps, rollback, cell):
    errors = []
    verifies = [(w, s) for w, s in steps if s.get("type") == "Verify"]
    if (cell or {}).get("kpis") and not verifies:
        errors.append("the spec has KPIs, but the stage has no Verify step")
    if any(s.get("type") == "Verify" for _, s in rollback):
        errors.append("a Verify step in rollbackSteps verifies nothing of the new version")
    for where, step in verifies:
        spec = step.get("spec") or {}
        vtype = spec.get("type")
        inner = spec.get("spec") or {}
        if vtype not in VERIFY_TYPES:
            errors.append(f"{where}: Verify spec.type {vtype!r} is not one of {sorted(VERIFY_TYPES)}")
        duration = str(inner.get("duration", ""))
        m = re.fullmatch(r"(\d+)m", duration)
        if not m:
            errors.append(f"{where}: duration {duration!r} must be whole minutes ending in m (VerificationJobSpec.java#L93-107)")
        elif int(m.group(1)) % 5 or int(m.group(1)) == 0:
            errors.append(f"{where}: duration {duration!r} must be a multiple of 5 minutes (VerificationJobSpec.java#L53-54)")
        if not inner.get("deploymentTag"):
            errors.append(f"{where}: deploymentTag is required (@NotNull, VerificationJobSpec.java#L48-51)")
        if vtype == "SimpleVerification":
            for key in ("failOnNoAnalysis", "sensitivity"):
                if key in inner:
                    errors.append(f"{where}: {key} is not a setting of Simple Verification: the Verify form hides it and "
                                  "clears it (ConfigureFields.tsx#L142, SelectVerificationType.tsx#L33-38)")
        elif vtype in VERIFY_TYPES:
            if vtype in ("Canary", "Bluegreen", "Rolling") and inner.get("sensitivity") not in SENSITIVITIES:
                errors.append(f"{where}: {vtype} verification needs a sensitivity of {sorted(SENSITIVITIES)}")
            if inner.get("failOnNoAnalysis") is not True:
                errors.append(f"{where}: without failOnNoAnalysis: true a run with no data passes "
                              "(VerificationJobInstanceServiceImpl.java#L551-553)")
        if inner.get("failIfAnyCustomMetricInNoAnalysis") is not True:
            errors.append(f"{where}: failIfAnyCustomMetricInNoAnalysis: true, so that a custom metric with no analysis "
                          "fails the step (DeploymentTimeSeriesAnalysisServiceImpl.java#L138-142)")
    return errors


# --- failure strategies --------------------------------------------------------------------------


def failure_rules(strategies):
    errors = []
    if not isinstance(strategies, list):
        return ["the stage has no failureStrategies"]
    all_errors = False
    for i, fs in enumerate(strategies):
        on = (fs or {}).get("onFailure") or {}
        errs = on.get("errors") or []
        action = on.get("action") or {}
        kind = action.get("type")
        where = f"failureStrategies[{i}]"
        if kind not in ACTIONS:
            errors.append(f"{where}: action {kind!r} is not a Harness failure action ({sorted(ACTIONS)})")
        if kind in ("Ignore", "MarkAsSuccess"):
            errors.append(f"{where}: {kind} turns a failure green: the fallback never starts and post deployment "
                          "rollback refuses such runs")
        if "AllErrors" in errs:
            all_errors = True
        if kind == "ManualIntervention":
            mi = action.get("spec") or {}
            after = ((mi.get("onTimeout") or {}).get("action") or {}).get("type")
            if not re.fullmatch(r"[1-9]\d*[smhdw](\s+[1-9]\d*[smhdw])*", str(mi.get("timeout", ""))):
                errors.append(f"{where}: the Manual Intervention needs a literal timeout (the decision window)")
            if after is None:
                errors.append(f"{where}: the Manual Intervention has no Post Timeout Action")
            elif after not in ACTIONS:
                errors.append(f"{where}: Post Timeout Action {after!r} is not a Harness failure action")
            elif after in ("Ignore", "MarkAsSuccess"):
                errors.append(f"{where}: Post Timeout Action {after} passes the stage when nobody decides")
    if not all_errors:
        errors.append("a CD stage needs a failure strategy for AllErrors (step-and-stage-failure-strategy)")
    return errors


# --- expressions and scripts ---------------------------------------------------------------------


def expressions(stage):
    errors = []
    for s in strings(stage):
        for expr in re.findall(r"<\+[^>]*>?", s):
            if expr not in EXPRESSIONS:
                errors.append(f"Harness would evaluate {expr!r} (in {s[:80]!r}): not an expression planb writes")
    return errors


def inline_scripts(steps):
    """(where, script) of every Shell Script step and every Script unit of a Command step."""
    for where, step in steps:
        spec = step.get("spec") or {}
        if step.get("type") == "ShellScript":
            source = spec.get("source") or {}
            if source.get("type") == "Inline":
                yield f"{where} ({step.get('identifier')})", str((source.get("spec") or {}).get("script", ""))
        if step.get("type") == "Command":
            for unit in spec.get("commandUnits") or []:
                if (unit or {}).get("type") == "Script":
                    source = ((unit.get("spec") or {}).get("source")) or {}
                    if source.get("type") == "Inline":
                        yield (f"{where} ({step.get('identifier')}/{unit.get('identifier')})",
                               str((source.get("spec") or {}).get("script", "")))
