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
