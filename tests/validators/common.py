"""What every tool's checks share: the report of one check, and the check of inline scripts."""
import os
import re
import subprocess
import tempfile


def bash_n(entry, report, scripts, check="bash -n and real commands (every inline script)"):
    """Every inline script parses in bash (`bash -n`) and runs commands, never prose.

    `scripts` is a list of (where, text). A line of a script is a command planb writes (see
    COMMANDS), a comment, or the placeholder that stops an unfilled script:
    `echo 'planb: fill in before running: ...' >&2; exit 1`.
    """
    errors = []
    if not scripts:
        errors.append("no inline script found where the snippet should run the fallback")
    for where, script in scripts:
        with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, encoding="utf-8") as fh:
            fh.write(script)
        try:
            p = subprocess.run(["bash", "-n", fh.name], capture_output=True, text=True)
        finally:
            os.unlink(fh.name)
        if p.returncode != 0:
            detail = p.stderr.strip().splitlines()[0] if p.stderr.strip() else "rejected"
            errors.append(f"{where}: bash -n: {detail}")
        errors += prose_lines(where, script)
    report.add(entry, check, errors)


# The commands planb's snippets run: the platforms' CLIs (templates/platforms.yaml), the tools'
# own CLIs, and echo/exit for placeholders and messages. A line of prose starts with none of them.
COMMANDS = re.compile(
    r"^\s*(#.*|"
    r"(kubectl|helm|aws|argocd|echo|exit|set|printf|curl|test|sleep|serverless)\b.*|"
    r"[A-Z_][A-Z0-9_]*=.*)?$"
)


def prose_lines(where, script):
    errors = []
    for n, line in enumerate(script.splitlines(), 1):
        if not COMMANDS.match(line):
            errors.append(f"{where} line {n} is not a command planb writes: {line.strip()[:120]!r}")
    return errors


# The CI tools' fallback scripts (GitHub Actions, GitLab, Jenkins), held to the issue's rule 1.
PLACEHOLDER = "echo 'planb: fill in before running:"
REMOVALS = re.compile(r"\b(delete|delete-service|delete-function|uninstall|destroy)\b|--replicas=0|--desired-count 0")
# What an `sh_todo` placeholder says when the removal is the team's to write.
REMOVAL_WORDS = re.compile(r"\b(remove|stop|delete)\b|out of service|out of the load balancer")


def situation(entry, marker):
    """"first" or "update": the matrix cell's, else the snippet's own header (`marker` opens it)."""
    cell = entry.get("cell") or {}
    if cell.get("situation"):
        return cell["situation"]
    with open(entry["file"], encoding="utf-8") as fh:
        return "update" if marker in fh.read() else "first"


def direction_errors(entry, scripts, marker):
    """An update's fallback returns to the previous version (`VERSION=…`) and takes nothing down; a
    first deployment's takes the new version out (a command, or a placeholder saying so) and
    redeploys nothing, since nothing ran before it."""
    lines = [l for s in scripts for l in s.splitlines() if l.strip()]
    commands = [l for l in lines if not l.strip().startswith(PLACEHOLDER)]
    todos = [l for l in lines if l.strip().startswith(PLACEHOLDER) and ": revert " not in l]
    errors = []
    if situation(entry, marker) == "update":
        for line in commands:
            if REMOVALS.search(line):
                errors.append(f"an update's fallback takes the running version down: {line.strip()[:120]!r}")
        previous = (entry.get("cell") or {}).get("previous_version")
        wanted = [f"VERSION={previous}", f"VERSION='{previous}'"] if previous else ["VERSION="]
        if not any(w in l for l in commands for w in wanted):
            errors.append(f"an update's fallback does not redeploy the previous version ({wanted[0]})")
    else:
        if not any(REMOVALS.search(l) for l in commands) and not any(REMOVAL_WORDS.search(l) for l in todos):
            errors.append("a first deployment's fallback does not take the new version out")
        if any(l.strip().startswith("VERSION=") for l in commands):
            errors.append("a first deployment's fallback redeploys a version, and there is none before it")
    return errors


def strings(value):
    """Every string of a parsed document, mapping keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
