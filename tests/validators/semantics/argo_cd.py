"""Argo CD: what the API server and controller do with an Application, beyond the CRD.

Sources, at argoproj/argo-cd 37ee0097cf851bc2dd7665fc081bbce61a7e836e (A):
- A:docs/user-guide/app_deletion.md#L25-59: `kubectl delete` of an Application deletes its resources
  only with resources-finalizer.argocd.argoproj.io; `argocd app delete` adds it itself (cascade is
  the default, A:cmd/argocd/commands/app.go#L1351) and A:server/application/application.go#L1180-1196
  removes it for `--cascade=false`, which orphans the resources;
- A:server/application/application.go#L2283-2285 and docs/user-guide/auto_sync.md#L146: rollback is
  refused while automated sync is on (`automated` set with `enabled` unset or true, types.go#L1537);
- A:cmd/util/app.go#L224-232: `argocd app set APP --sync-policy none` turns automated sync off;
- A:cmd/argocd/commands/app.go#L2692-2700: `argocd app rollback APP` without an ID takes the
  next-to-last history entry and needs two; A:controller/sync.go#L483-484: only a successful sync
  writes an entry, so a first deployment has none to return to;
- A:util/argo/argo.go#L1102: a destination with both `name` and `server` is refused.
"""
import re

from common import bash_n

CHECK = "Argo CD behaviour (finalizer, sync policy, fallback commands)"
COMMANDS_CHECK = "fallback commands parse in bash (bash -n, real commands)"
FINALIZERS = {
    "resources-finalizer.argocd.argoproj.io",
    "resources-finalizer.argocd.argoproj.io/foreground",
    "resources-finalizer.argocd.argoproj.io/background",
}
COMMAND = re.compile(r"^#   \$ (.*)$")


def check(entry, report, docs):
    errors = []
    apps = [d for d in docs if isinstance(d, dict) and d.get("kind") == "Application"]
    if len(apps) != 1:
        errors.append(f"the snippet needs exactly one Application, not {len(apps)}")
    for app in apps:
        meta = app.get("metadata") or {}
        spec = app.get("spec") or {}
        finalizer = FINALIZERS & set(meta.get("finalizers") or [])
        first = (entry.get("cell") or {}).get("situation", "first") == "first"
        if first and not finalizer:
            errors.append("no resources-finalizer.argocd.argoproj.io: kubectl delete of the Application leaves its resources running")
        if not first and finalizer:
            # An update pastes over an Application that runs the earlier version: the finalizer would
            # make a later `kubectl delete application` delete that running version (app_deletion.md#L25-38).
            errors.append("an update's Application carries the deletion finalizer, so deleting it later removes the running version")
        automated = (spec.get("syncPolicy") or {}).get("automated")
        if automated is not None and automated.get("enabled") is not False:
            errors.append("automated sync is on: argocd app rollback is refused and selfHeal undoes a fallback made by hand")
        dest = spec.get("destination") or {}
        if bool(dest.get("server")) == bool(dest.get("name")):
            errors.append("the destination needs exactly one of server and name")
        errors += fallback_commands(entry, report, meta.get("name"))
    report.add(entry, CHECK, errors)


def fallback_commands(entry, report, name):
    with open(entry["file"], encoding="utf-8") as fh:
        whole = fh.read()
    lines = [m.group(1) for m in map(COMMAND.match, whole.splitlines()) if m]
    bash_n(entry, report, [("fallback commands", "\n".join(lines) + "\n")] if lines else [], check=COMMANDS_CHECK)
    errors = []
    argocd = [l.split() for l in lines if l.startswith("argocd ")]
    for words in argocd:
        if len(words) > 3 and words[1] == "app" and words[3] != str(name) and not words[3].startswith("-"):
            errors.append(f"`{' '.join(words[:4])}` names another Application than {name}")
    acting = [w for w in argocd if w[2] in ("rollback", "delete", "sync")]
    off = [i for i, w in enumerate(argocd) if w[2] == "set" and "--sync-policy" in w and w[w.index("--sync-policy") + 1:][:1] in (["none"], ["manual"])]
    if acting and (not off or off[0] > argocd.index(acting[0])):
        errors.append("automated sync is not turned off (argocd app set APP --sync-policy none) before the fallback acts")
    cell = entry.get("cell") or {}
    rollbacks = [w for w in argocd if w[2] == "rollback"]
    deletes = [w for w in argocd if w[2] == "delete"]
    situation = cell.get("situation") or ("first" if "\n# First deployment:" in whole else "update")
    if situation == "first":
        if rollbacks:
            errors.append("a first deployment has no history entry to roll back to")
        if not deletes:
            errors.append("a first deployment's fallback deletes the Application with its resources")
        for w in deletes:
            if "--cascade=false" in w:
                errors.append("argocd app delete --cascade=false removes the finalizer and leaves the resources running")
    else:
        if deletes or any(re.search(r"\bkubectl\b.*\b(delete|scale)\b", l) for l in lines):
            errors.append("an update's fallback deletes or scales the running version")
        if not rollbacks:
            errors.append("an update's fallback rolls back to a history entry")
        for w in rollbacks:
            if len([a for a in w[3:] if not a.startswith("-")]) < 2:
                errors.append("argocd app rollback without an ID takes the next-to-last entry, which may not be the earlier version")
    return errors
