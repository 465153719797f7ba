"""Octopus Deploy: what Octopus reads in the OCL planb writes, beyond an HCL parse.

Octopus publishes no schema of `.octopus/deployment_process.ocl` (../shared/schemas/README.md). The
rules cite the OCL library OctopusDeploy/Ocl at 6056fac4032e29f24ed13b12d5d657c73e7b9cc6 (OCL), the
docs at octopus.com/docs (read in OctopusDeploy/docs, commits in /work/research/spinnaker-octopus.md)
and the official samples OctopusSamples/OctoHR at 2bcc51786f33de875f948802801a498677ef1102 (HR):

- Form: OCL:README.md#L11-L38 (EBNF: `attribute = name, "=", literal | dictionary`, one a line, no
  commas between attributes or dictionary entries), #L122-L125 (name, `=` and value on one line),
  #L159-L162 (a closing brace on a line by itself); OCL:source/Ocl/Parsing/QuotedStringParser.cs
  #L8-L38 (a quoted string takes the escapes \\" \\n \\t \\r \\\\ and no other: "Unrecognised character
  escape").
- Steps and actions: https://octopus.com/docs/projects/version-control/ocl-file-format — a step is a
  block labelled with its slug; `step.condition` takes Success, Failure, Always or Variable,
  `step.action.condition` only Success or Variable; the action attributes; HR:.octopus/
  deployment_process.ocl#L1-L18 (a Manual Intervention action: `notes` and every property a string).
- Run conditions: https://octopus.com/docs/projects/steps/conditions ("Only if the previous step
  failed"); an Abort at a Manual Intervention is a failure, after which Failure steps run
  (https://octopus.com/docs/projects/built-in-step-templates/manual-intervention-and-approvals and
  OctopusDeploy/docs#2580).
- Values: "all Octopus variables are strings", and `##{` is a literal `#{`
  (https://octopus.com/docs/projects/variables/variable-substitutions).
- Updates: https://octopus.com/docs/deployments/patterns/rollbacks — the way back is REDEPLOY of the
  previous release; nothing in the fallback may take the running version down.
"""
import re

from common import bash_n

FORM = "OCL form (one attribute a line, no commas, OCL string escapes)"
CONDITIONS = "Octopus run conditions (Failure on the step, an action takes Success or Variable)"
FIELDS = "Octopus step fields (step and action attributes, string properties, Instructions a string)"
SUBST = "Octopus variable substitution (text keeps #{ as ##{)"
FALLBACK = "Octopus fallback (a Failure step after the go / no-go, an update keeps the running version)"

# ocl-file-format: the attributes of a step and of an action.
STEP_ATTRS = {"name", "condition", "start_trigger", "package_requirement", "properties", "action"}
ACTION_ATTRS = {"action_type", "properties", "worker_pool", "worker_pool_variable", "environments",
                "excluded_environments", "channels", "tenant_tags", "is_disabled", "is_required", "notes",
                "container", "packages", "condition", "name"}
STEP_CONDITIONS = {"Success", "Failure", "Always", "Variable"}
ACTION_CONDITIONS = {"Success", "Variable"}
START_TRIGGERS = {"StartAfterPrevious", "StartWithPrevious"}
# The action types planb writes: a Manual Intervention (HR#L9) and Run a Script (ocl-file-format's
# example, OctopusSamples/OctoPub .octopus/Octopub Frontend/deployment_process.ocl#L712-L743).
ACTION_TYPES = {"Octopus.Manual", "Octopus.Script"}
MANUAL_PROPERTIES = {"Octopus.Action.Manual.Instructions", "Octopus.Action.Manual.ResponsibleTeamIds",
                     "Octopus.Action.Manual.BlockConcurrentDeployments", "Octopus.Action.RunOnServer"}
SCRIPT_PROPERTIES = {"Octopus.Action.RunOnServer", "Octopus.Action.Script.ScriptBody",
                     "Octopus.Action.Script.ScriptSource", "Octopus.Action.Script.Syntax"}

# Commands that take a workload down: never the fallback of an update.
TAKES_DOWN = re.compile(r"\bkubectl\b.*\bdelete\b|--replicas=0|\bhelm\s+uninstall\b|"
                        r"\baws\s+ecs\s+delete-service\b|\baws\s+lambda\s+delete-function\b|--desired-count\s+0")


def as_hcl(text):
    """The HCL text that python-hcl2 reads as the same characters Octopus reads in the OCL.

    OCL has no templates: a string is "double_quote, { not_a_double_quote }, double_quote" or a
    heredoc (OctopusDeploy/Ocl README.md#L18, #L67-L118), so `${` and `%{` are plain text to Octopus.
    HCL reads them as template interpolation and directives, and rejects or evaluates them; its own
    escapes for the literal characters are `$${` and `%%{`. Writing those before parsing, and reading
    them back in `text_of`, hands python-hcl2 the text Octopus reads. OCL has neither sequence outside
    strings, so the whole file can be rewritten.
    """
    return text.replace("${", "$${").replace("%{", "%%{")


def from_hcl(s):
    return s.replace("$${", "${").replace("%%{", "%{")


def text_of(raw, errors, where):
    """A string value as python-hcl2 returns it (quotes and escapes kept), as Octopus reads it."""
    if not isinstance(raw, str):
        errors.append(f"{where}: {raw!r} is not a string")
        return ""
    if raw.startswith("<<"):
        lines = raw.split("\n")
        body = lines[1:-1]
        if raw.startswith("<<-"):
            indent = min((len(l) - len(l.lstrip()) for l in body if l.strip()), default=0)
            body = [l[indent:] for l in body]
        return from_hcl("\n".join(body) + ("\n" if body else ""))
    if not (len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"'):
        errors.append(f"{where}: {raw!r} is not a quoted string")
        return raw
    out, i, inner = [], 0, raw[1:-1]
    while i < len(inner):
        c = inner[i]
        if c == "\\" and i + 1 < len(inner):
            nxt = inner[i + 1]
            if nxt not in '"ntr\\':
                errors.append(f"{where}: \\{nxt} is not an OCL escape (QuotedStringParser.cs#L36-L37)")
            out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return from_hcl("".join(out))


def key_of(raw):
    """A dictionary key as python-hcl2 returns it: `${Octopus.Action.X}` or a quoted string."""
    if raw.startswith("${") and raw.endswith("}"):
        return raw[2:-1]
    if raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1]
    return raw


def read(tree, errors):
    """Steps in order: {label, attrs, properties, actions: [{attrs, properties}]}, strings decoded."""
    steps = []
    for top, blocks in tree.items():
        if top.startswith("__"):
            continue
        if top != "step":
            errors.append(f"{top!r} is not a block of deployment_process.ocl (its blocks are `step`)")
            continue
        for block in blocks:
            for label, body in block.items():
                name = text_of(label, errors, "step label")
                steps.append(read_step(name, body, errors))
    return steps


def read_attrs(body, where, errors, nested):
    attrs, properties, children = {}, {}, []
    for key, value in body.items():
        if key.startswith("__"):
            continue
        if key == "properties":
            if not isinstance(value, dict):
                errors.append(f"{where}: properties must be a dictionary")
                continue
            for k, v in value.items():
                if k.startswith("__"):
                    continue
                if isinstance(v, list):  # not a string: kept for the field check to report
                    properties[key_of(k)] = [text_of(x, errors, f"{where} property {key_of(k)}") for x in v]
                else:
                    properties[key_of(k)] = text_of(v, errors, f"{where} property {key_of(k)}")
        elif key in nested:
            children = value if isinstance(value, list) else [value]
        elif isinstance(value, list):
            attrs[key] = [text_of(v, errors, f"{where} {key}") for v in value]
        else:
            attrs[key] = text_of(value, errors, f"{where} {key}")
    return attrs, properties, children


def read_step(label, body, errors):
    attrs, properties, actions = read_attrs(body, f"step {label!r}", errors, {"action"})
    read_actions = []
    for i, action in enumerate(actions):
        a_attrs, a_props, _ = read_attrs(action, f"step {label!r} action {i}", errors, {"container", "packages"})
        read_actions.append({"attrs": a_attrs, "properties": a_props, "keys": set(k for k in action if not k.startswith("__"))})
    return {"label": label, "attrs": attrs, "properties": properties, "actions": read_actions,
            "keys": set(k for k in body if not k.startswith("__"))}


def check(entry, report, parsed):
    tree, text = parsed
    decode_errors = []
    steps = read(tree, decode_errors)
    report.add(entry, FORM, form_errors(text) + decode_errors)
    report.add(entry, CONDITIONS, condition_errors(steps))
    report.add(entry, FIELDS, field_errors(steps))
    report.add(entry, SUBST, substitution_errors(steps))
    report.add(entry, FALLBACK, fallback_errors(entry, steps))
    scripts = [(f"step {s['label']!r} ScriptBody", a["properties"]["Octopus.Action.Script.ScriptBody"])
               for s in steps for a in s["actions"] if isinstance(a["properties"].get("Octopus.Action.Script.ScriptBody"), str)]
    bash_n(entry, report, scripts)


def outside_quotes(line):
    """The line with quoted strings blanked out (OCL strings hold no line break)."""
    out, quoted, escaped = [], False, False
    for c in line:
        if quoted:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                quoted = False
                out.append('"')
            continue
        if c == '"':
            quoted = True
        out.append(c)
    return "".join(out)


def form_errors(text):
    errors, heredoc = [], None
    for n, line in enumerate(text.splitlines(), 1):
        if heredoc:
            if line.strip() == heredoc:
                heredoc = None
            continue
        bare = outside_quotes(line).strip()
        marker = re.search(r"<<-?(\S+)$", bare)
        if marker:
            heredoc = marker.group(1)
            bare = bare[: marker.start()] + '"'
        if not bare:
            continue
        depth, commas = 0, False
        for c in bare:
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
            elif c == "," and depth == 0:
                commas = True
        if commas:
            errors.append(f"line {n}: a comma between attributes; OCL puts each attribute on its own line (README.md#L28-L35)")
        if bare.count("=") > 1:
            errors.append(f"line {n}: more than one attribute on a line (README.md#L28-L35)")
        if "}" in bare and bare != "}":
            errors.append(f"line {n}: a closing brace must be on a line by itself (README.md#L161)")
        if "{" in bare and not bare.endswith("{"):
            errors.append(f"line {n}: a block or dictionary opens at the end of its line (README.md#L161)")
        if "=" in bare and bare.rstrip().endswith("="):
            errors.append(f"line {n}: the value must start on the line of its name (README.md#L125)")
    return errors


def condition_errors(steps):
    errors = []
    for s in steps:
        condition = s["attrs"].get("condition", "Success")
        if condition not in STEP_CONDITIONS:
            errors.append(f"step {s['label']!r}: condition {condition!r} is none of {sorted(STEP_CONDITIONS)}")
        trigger = s["attrs"].get("start_trigger")
        if trigger is not None and trigger not in START_TRIGGERS:
            errors.append(f"step {s['label']!r}: start_trigger {trigger!r} is none of {sorted(START_TRIGGERS)}")
        if condition == "Variable" and "Octopus.Step.ConditionVariableExpression" not in s["properties"]:
            errors.append(f"step {s['label']!r}: condition Variable needs Octopus.Step.ConditionVariableExpression")
        for a in s["actions"]:
            ac = a["attrs"].get("condition")
            if ac is not None and ac not in ACTION_CONDITIONS:
                errors.append(f"step {s['label']!r}: the action's condition {ac!r} is not allowed (an action takes "
                              f"{sorted(ACTION_CONDITIONS)}; Failure belongs on the step)")
    return errors


def field_errors(steps):
    errors, labels, names = [], set(), set()
    for s in steps:
        where = f"step {s['label']!r}"
        if s["label"] in labels:
            errors.append(f"{where}: the slug is used twice")
        labels.add(s["label"])
        name = s["attrs"].get("name", s["label"])
        if name in names:
            errors.append(f"{where}: the name {name!r} is used twice")
        names.add(name)
        for key in sorted(s["keys"] - STEP_ATTRS):
            errors.append(f"{where}: {key!r} is not a step attribute")
        if len(s["actions"]) != 1:
            errors.append(f"{where}: planb's steps have exactly one action, found {len(s['actions'])}")
        for a in s["actions"]:
            for key in sorted(a["keys"] - ACTION_ATTRS):
                errors.append(f"{where}: {key!r} is not an action attribute")
            kind = a["attrs"].get("action_type")
            if kind not in ACTION_TYPES:
                errors.append(f"{where}: action_type {kind!r} is not one planb writes ({sorted(ACTION_TYPES)})")
            notes = a["attrs"].get("notes")
            if notes is not None and not isinstance(notes, str):
                errors.append(f"{where}: notes must be a string (HR#L11)")
            props = a["properties"]
            for key, value in sorted(props.items()):
                if not isinstance(value, str):
                    errors.append(f"{where}: {key} must be a string, as every Octopus property is "
                                  "(variable-substitutions: all Octopus variables are strings)")
            props = {k: v for k, v in props.items() if isinstance(v, str)}
            if kind == "Octopus.Manual":
                for key in sorted(set(props) - MANUAL_PROPERTIES):
                    errors.append(f"{where}: {key} is not a Manual Intervention property")
                if not props.get("Octopus.Action.Manual.Instructions", "").strip():
                    errors.append(f"{where}: Octopus.Action.Manual.Instructions must be a non-empty string")
            if kind == "Octopus.Script":
                for key in sorted(set(props) - SCRIPT_PROPERTIES):
                    errors.append(f"{where}: {key} is not a Run a Script property")
                if props.get("Octopus.Action.Script.ScriptSource") != "Inline":
                    errors.append(f"{where}: ScriptSource must be Inline for an inline ScriptBody")
                if props.get("Octopus.Action.Script.Syntax") != "Bash":
                    errors.append(f"{where}: Syntax must be Bash (planb's scripts are bash)")
                if not props.get("Octopus.Action.Script.ScriptBody", "").strip():
                    errors.append(f"{where}: ScriptBody is empty")
            for key in ("Octopus.Action.RunOnServer", "Octopus.Action.Manual.BlockConcurrentDeployments"):
                if key in props and props[key] not in ("true", "false", "True", "False"):
                    errors.append(f"{where}: {key} is {props[key]!r}, not \"true\" or \"false\"")
    return errors


def substitution_errors(steps):
    errors = []
    for s in steps:
        values = list(s["attrs"].values()) + list(s["properties"].values())
        for a in s["actions"]:
            values += list(a["attrs"].values()) + list(a["properties"].values())
        for value in values:
            for text in value if isinstance(value, list) else [value]:
                for m in re.finditer(r"#\{", text):
                    if m.start() == 0 or text[m.start() - 1] != "#":
                        errors.append(f"step {s['label']!r}: {text[max(0, m.start() - 20):m.start() + 30]!r}: Octopus "
                                      "substitutes #{...}; text that means it literally is written ##{")
    return errors


def fallback_errors(entry, steps):
    errors = []
    kinds = [(s, s["actions"][0]["attrs"].get("action_type") if s["actions"] else None) for s in steps]
    manual = [i for i, (_, k) in enumerate(kinds) if k == "Octopus.Manual"]
    failure = [i for i, (s, k) in enumerate(kinds) if k == "Octopus.Script" and s["attrs"].get("condition") == "Failure"]
    if not manual:
        errors.append("no Manual Intervention: nothing lets a person call the fallback")
    if not failure:
        errors.append("no Run a Script step with condition = \"Failure\" on the step: the fallback would not run "
                      "after a failed step or an Abort")
    if manual and failure and min(failure) < min(manual):
        errors.append("the Failure step comes before the go / no-go, so an Abort there cannot start it")
    scripts = [a["properties"].get("Octopus.Action.Script.ScriptBody", "")
               for i in failure for a in steps[i]["actions"]]
    body = "\n".join(scripts)
    situation = (entry.get("cell") or {}).get("situation")
    if situation is None:
        situation = "update" if "rollout undo" in body else "first"
    commands = [l for l in body.splitlines() if l.strip() and not l.strip().startswith("#")]
    if situation == "update":
        for line in commands:
            if TAKES_DOWN.search(line):
                errors.append(f"update: {line.strip()[:100]!r} takes down the version that ran before; the way back is "
                              "REDEPLOY of the previous release (rollbacks docs)")
    else:
        for line in commands:
            if "rollout undo" in line:
                errors.append(f"first deployment: {line.strip()[:100]!r} has no earlier revision to return to")
    return errors
