"""GitLab CI/CD: when GitLab runs, skips or offers each job of the snippet, beyond its CI schema.

The rules are GitLab's own, simulated on the snippet (gitlabhq/gitlabhq, GitLab's mirror):
- WHEN: docs.gitlab.com/ci/yaml/#when: "on_success (default): Run the job only when no jobs in
  earlier stages fail"; "on_failure: Run the job only when at least one job in an earlier stage
  fails"; "Jobs with allow_failure: true in earlier stages are considered successful, even if they
  failed"; "Skipped jobs in earlier stages, for example manual jobs that have not been started, are
  considered successful"; allow_failure defaults to true with when: manual.
- ATOMIC: app/services/ci/pipeline_processing/atomic_processing_service.rb@0aa1eeb2#L129-L141: a job
  with `needs` (DAG) looks at the status of its needed jobs only; any other job at every job of the
  earlier stages.
- COMPOSITE: lib/gitlab/ci/status/composite.rb@14bd84b6#L38-L76: the combined status; for a DAG job
  "skipped" as soon as one need was skipped ("The DAG job is skipped if one of the needs does not run
  at all"); otherwise failed + skipped is "failed", only success/skipped is "success"; no status at
  all is "success" (status_collection.rb: `result || 'success'`).
- PROCESS: app/services/ci/process_build_service.rb@0351d9ed#L5-L12 and #L33-L44: on_success, manual
  and delayed proceed on %w[success] (DAG) or %w[success skipped] (stages), on_failure on %w[failed],
  always on %w[success failed skipped]; anything else skips the job. A manual job that proceeds
  becomes playable (`build.actionize`).
- EXPAND: docs.gitlab.com/ci/yaml/#variablesexpand: GitLab expands `$NAME` in variable values unless
  the variable has `expand: false`.
- ENVIRONMENT: docs.gitlab.com/ci/yaml/#environmentaction and #environmenton_stop: `action: stop`
  stops the environment; `on_stop` names the job that does.
"""
import copy

from common import bash_n, direction_errors, situation

SCHEDULE = "GitLab fallback can start after a failed verify or deploy (stage, when and needs rules)"
REFERENCES = "GitLab references resolve (stages, needs, extends, on_stop)"
EXPAND = "GitLab variables holding $ are not expanded (expand false)"
SITUATION = "GitLab fallback fits the situation (an update stops and deletes nothing)"

GLOBAL_KEYS = {"stages", "variables", "default", "include", "workflow", "image", "services", "cache",
               "before_script", "after_script", "spec"}
DEFAULT_STAGES = [".pre", "build", "test", "deploy", ".post"]


def check(entry, report, config):
    if not isinstance(config, dict):
        report.add(entry, SCHEDULE, ["the file is not a mapping of jobs"])
        return
    reference_errors = []
    jobs = resolve(config, reference_errors)
    stages = config.get("stages") or DEFAULT_STAGES
    for name, job in jobs.items():
        stage = job.get("stage", "test")
        if stage not in stages:
            reference_errors.append(f"{name}: stage {stage!r} is not in stages")
        for need in needs(job) or []:
            if need not in jobs:
                reference_errors.append(f"{name}: needs {need!r}, which is no job")
        on_stop = (job.get("environment") or {}).get("on_stop") if isinstance(job.get("environment"), dict) else None
        if on_stop is not None and on_stop not in jobs:
            reference_errors.append(f"{name}: on_stop names {on_stop!r}, which is no job")
    report.add(entry, REFERENCES, reference_errors)
    report.add(entry, SCHEDULE, schedule_errors(jobs, stages) if not reference_errors else ["references do not resolve"])
    report.add(entry, EXPAND, expand_errors(config))
    scripts = []
    for name, job in jobs.items():
        lines = []
        for key in ("before_script", "script", "after_script"):
            value = job.get(key) or []
            lines += [value] if isinstance(value, str) else [l for l in value if isinstance(l, str)]
        if lines:
            scripts.append((f"{name}.script", "\n".join(lines) + "\n"))
    bash_n(entry, report, scripts)
    report.add(entry, SITUATION, situation_errors(entry, jobs))


def merge(base, over):
    """GitLab's `extends`: a reverse deep merge of hashes; other values are replaced."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def resolve(config, errors):
    """Every job (hidden ones left out) with its `extends` merged in."""
    templates = {k: v for k, v in config.items() if k not in GLOBAL_KEYS and isinstance(v, dict)}

    def expand(name, seen):
        job = templates[name]
        parents = job.get("extends") or []
        parents = [parents] if isinstance(parents, str) else parents
        merged = {}
        for parent in parents:
            if parent not in templates or parent in seen:
                errors.append(f"{name}: extends {parent!r}, which is no job")
                continue
            merged = merge(merged, expand(parent, seen | {parent}))
        merged = merge(merged, {k: v for k, v in job.items() if k != "extends"})
        return merged

    return {k: expand(k, {k}) for k in templates if not k.startswith(".")}


def needs(job):
    """The names a job needs, or None when it has no `needs` (it then runs in stage order)."""
    if "needs" not in job:
        return None
    out = []
    for need in job.get("needs") or []:
        out.append(need.get("job") if isinstance(need, dict) else need)
    return out


def composite(statuses, dag):
    """COMPOSITE#status for the statuses GitLab sees (with WHEN's allow_failure rules applied)."""
    if not statuses:
        return "success"
    found = set(statuses)

    def only(*names):
        return found <= set(names)

    if dag and found & {"skipped", "ignored"}:
        return "skipped"
    if dag and not only("success", "failed", "canceled", "skipped", "success_with_warnings"):
        return "pending"
    if only("skipped", "ignored"):
        return "skipped"
    if only("success", "skipped", "success_with_warnings", "ignored"):
        return "success"
    if found & {"created", "pending", "running"}:
        return "running"
    if "manual" in found:
        return "manual"
    return "failed"


VALID = {  # PROCESS#L33-L44: (DAG, stages)
    "on_success": (["success"], ["success", "skipped"]),
    "manual": (["success"], ["success", "skipped"]),
    "delayed": (["success"], ["success", "skipped"]),
    "on_failure": (["failed"], ["failed"]),
    "always": (["success", "failed", "skipped"], ["success", "failed", "skipped"]),
}


def simulate(jobs, stages, outcomes):
    """Each job's status once the pipeline settles: `outcomes` says how the jobs that run end."""
    status = {}
    order = sorted(jobs, key=lambda n: stages.index(jobs[n].get("stage", "test")))
    for _ in range(len(order) + 1):  # DAG jobs may wait for jobs of their own or a later stage
        for name in order:
            if name in status:
                continue
            job = jobs[name]
            wanted = needs(job)
            if wanted is not None and any(n not in status for n in wanted):
                continue
            before = wanted if wanted is not None else [
                n for n in jobs if stages.index(jobs[n].get("stage", "test")) < stages.index(job.get("stage", "test"))
            ]
            if any(n not in status for n in before):
                continue
            seen = [seen_as(status[n], jobs[n]) for n in before]
            previous = composite(seen, dag=wanted is not None)
            when = job.get("when", "on_success")
            dag_ok, stage_ok = VALID.get(when, ([], []))
            if previous not in (dag_ok if wanted is not None else stage_ok):
                status[name] = "skipped"
            elif when == "manual":
                status[name] = "manual"
            else:
                status[name] = outcomes.get(name, "success")
    return status


def seen_as(status, job):
    """WHEN: a failed job with allow_failure counts as successful, a manual job not started too."""
    allow = job.get("allow_failure", job.get("when") == "manual")
    if allow is True and status == "failed":
        return "success_with_warnings"
    if status == "manual" and allow is True:
        return "ignored"
    return status


def schedule_errors(jobs, stages):
    fallbacks = [n for n in jobs if n.startswith("fallback")]
    for name in ("deploy", "verify"):
        if name not in jobs:
            return [f"no {name} job"]
    if not fallbacks:
        return ["no fallback job (a job whose name starts with fallback)"]
    errors = []
    for label, outcomes, wanted in [
        ("deploy succeeds, verify fails", {"verify": "failed"}, True),
        ("deploy fails", {"deploy": "failed"}, True),
    ]:
        status = simulate(jobs, stages, outcomes)
        ready = {n: status.get(n) for n in fallbacks}
        if not any(s in ("success", "failed", "manual") for s in ready.values()):
            errors.append(f"{label}: no fallback job can start ({ready})")
    status = simulate(jobs, stages, {})
    ran = [n for n in fallbacks if status.get(n) in ("success", "failed")]
    if ran:
        errors.append(f"deploy and verify succeed, yet {', '.join(ran)} runs by itself")
    return errors


def expand_errors(config):
    errors = []

    def walk(where, variables):
        for key, value in (variables or {}).items():
            text = value.get("value") if isinstance(value, dict) else value
            expand = value.get("expand", True) if isinstance(value, dict) else True
            if isinstance(text, str) and "$" in text and expand is not False:
                errors.append(f"{where}.variables.{key} holds $ and GitLab expands it")

    walk("", config.get("variables") if isinstance(config.get("variables"), dict) else {})
    for name, job in config.items():
        if isinstance(job, dict) and isinstance(job.get("variables"), dict):
            walk(name, job["variables"])
    return errors


def situation_errors(entry, jobs):
    """The fallback jobs' scripts, held to the issue's rule 1 (common.direction_errors); besides, an
    update stops nothing (stopping the environment runs its stop job, which takes the running
    version down), and a first deployment's fallback jobs stop the environment."""
    fallbacks = {n: j for n, j in jobs.items() if n.startswith("fallback")}
    scripts = []
    for job in fallbacks.values():
        value = job.get("script") or []
        scripts += [value] if isinstance(value, str) else [l for l in value if isinstance(l, str)]
    errors = direction_errors(entry, scripts, "# Update from")
    stoppers = [n for n, j in jobs.items() if isinstance(j.get("environment"), dict) and j["environment"].get("action") == "stop"]
    if situation(entry, "# Update from") == "update":
        if stoppers:
            errors.append(f"an update stops the environment that runs the earlier version: {', '.join(stoppers)}")
    else:
        deploy_env = (jobs.get("deploy") or {}).get("environment") or {}
        on_stop = deploy_env.get("on_stop") if isinstance(deploy_env, dict) else None
        if on_stop not in stoppers:
            errors.append("the deploy job's environment has no on_stop job that stops it")
        for name in fallbacks:
            if name not in stoppers:
                errors.append(f"{name} does not stop the environment (environment action stop)")
    return errors
