"""Jenkins declarative Pipeline: the structure Jenkins runs, read from Groovy's own AST by
tests/validators/jenkinsfile_structure.groovy (each call with the calls that enclose it).

Sources:
- SYNTAX: www.jenkins.io/doc/book/pipeline/syntax/ (jenkins-infra/jenkins.io@c2bc4acc,
  content/doc/book/pipeline/syntax.adoc): "The top-level of the Pipeline must be a block,
  specifically: pipeline { }"; `agent` and `stages` are required; `post` is allowed "In the top-level
  pipeline block and each stage block"; its conditions are always, changed, fixed, regression,
  aborted, failure, success, unstable, unsuccessful and cleanup, plus notBuilt in the plugin
  (pipeline-model-definition@42c9dc3e …/model/conditions/Messages.properties#L25-L35).
- ABORT: pipeline-input-step@d2b888df InputStepExecution.java#L303-L310: Abort throws
  FlowInterruptedException(Result.ABORTED); workflow-basic-steps@a789b075 TimeoutStep/help.html#L2-L4:
  an expired timeout throws FlowInterruptedException, "which leads to aborting the build".
- SKIP: pipeline-model-definition@42c9dc3e ModelInterpreter.groovy#L171-L177 and #L244-L250: an error
  thrown out of a stage becomes firstError, and every later stage is skipped before its `when`.
- POST: ModelInterpreter.groovy#L86-L124: the pipeline's post runs after an error too;
  pipeline-model-extensions BuildCondition.java#L179-L186: a FlowInterruptedException gives its own
  result (ABORTED), any other error FAILURE; so the fallback needs `aborted` and `failure` (or
  `unsuccessful`, "Aborted", "Failure" or "Unstable").
- GROOVY: groovy-lang.org/syntax.html#all-strings: a single-quoted string is a plain String; a
  double-quoted one with `${…}` is a GString, interpolated by Groovy before the step sees it.
"""
import re

from common import bash_n, direction_errors

STRUCTURE = "Jenkins declarative structure (pipeline, agent, stages, known post conditions)"
POST = "Jenkins fallback in post (failure and aborted, at the pipeline's top level)"
TIMEOUT = "Jenkins input step inside timeout (the go or no-go decision window)"
CONSTANT = "Jenkins sh scripts are constant strings (no Groovy interpolation)"
SITUATION = "Jenkins fallback fits the situation (an update deletes nothing)"

CONDITIONS = {"always", "changed", "fixed", "regression", "aborted", "failure", "success", "unstable",
              "unsuccessful", "cleanup", "notBuilt"}


def check(entry, report, item):
    if item.get("error"):
        report.add(entry, "Jenkinsfile structure (Groovy AST)", [f"not read: {item['error'][:300]}"])
        return
    calls, sh = item.get("calls", []), item.get("sh", [])
    report.add(entry, STRUCTURE, structure_errors(item, calls))
    report.add(entry, POST, post_errors(calls, sh))
    report.add(entry, TIMEOUT, timeout_errors(calls))
    report.add(entry, CONSTANT, [f"line {s['line']}: the script of sh is not a constant string" for s in sh if s["script"] is None])
    bash_n(entry, report, [(f"sh at line {s['line']} ({'/'.join(s['path'])})", s["script"]) for s in sh if s["script"] is not None])
    report.add(entry, SITUATION, situation_errors(entry, sh))


def structure_errors(item, calls):
    errors = []
    if item.get("pipelines") != 1:
        errors.append(f"{item.get('pipelines')} top-level pipeline blocks, Jenkins needs exactly one")
    top = [c["name"] for c in calls if c["path"] == ["pipeline"]]
    for section in ("agent", "stages"):
        if section not in top:
            errors.append(f"the pipeline has no {section} section")
    for c in calls:
        if c["path"][-1:] == ["post"] and c["name"] not in CONDITIONS:
            errors.append(f"line {c['line']}: {c['name']!r} is no post condition")
    return errors


def post_errors(calls, sh):
    """ABORT, POST: the fallback runs from the pipeline's post for an abort, a timeout and a failure;
    SKIP: a stage after the failure never runs, whatever its `when`."""
    errors = []
    top_post = [c for c in calls if c["path"] == ["pipeline"] and c["name"] == "post"]
    if not top_post:
        errors.append("the pipeline has no post section at its top level")
    fallback = {}
    for s in sh:
        if s["path"][:2] == ["pipeline", "post"] and len(s["path"]) >= 3 and s["script"]:
            fallback.setdefault(s["path"][2], []).append(s["script"])
    covered = set(fallback)
    if "unsuccessful" in covered:
        covered |= {"aborted", "failure"}
    for condition in ("failure", "aborted"):
        if condition not in covered:
            errors.append(f"post has no {condition} condition with an sh step: the fallback does not run on "
                          + ("an abort or a timeout of the input" if condition == "aborted" else "a failed stage"))
    scripts = {script for group in fallback.values() for script in group}
    gate = next((c for c in calls if c["name"] == "input" and "stages" in c["path"]), None)
    if gate is not None:
        order = [c["args"][0] for c in calls if c["name"] == "stage" and c["path"][-1:] == ["stages"] and c["args"]]
        after = order[order.index(gate["stage"]) + 1:] if gate["stage"] in order else []
        for s in sh:
            if s["stage"] in after and (s["script"] in scripts or re.search(r"fall ?back|roll ?back", s["stage"] or "", re.I)):
                errors.append(f"stage {s['stage']!r} after the go / no-go is skipped when the input is aborted or times out")
    for s in sh:
        if "stage" in s["path"] and "post" in s["path"] and s["script"] in scripts:
            errors.append(f"line {s['line']}: the fallback sits in a stage's post, which an earlier failure skips with the stage")
    return errors


def timeout_errors(calls):
    """ABORT: the decision window ends the input with FlowInterruptedException(ABORTED), which the
    pipeline's post { aborted } handles; without it the build waits forever."""
    errors = []
    for c in calls:
        if c["name"] == "input" and "timeout" not in c["path"]:
            errors.append(f"line {c['line']}: the input step is not inside timeout()")
    return errors


def situation_errors(entry, sh):
    """The fallback in the pipeline's post, held to the issue's rule 1 (common.direction_errors);
    the snippet's own header says which situation it is."""
    scripts = [s["script"] for s in sh if s["script"] and s["path"][:2] == ["pipeline", "post"]]
    return direction_errors(entry, scripts, "// Update from")
