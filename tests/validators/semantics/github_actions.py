"""GitHub Actions: what GitHub does with the workflow's jobs, beyond the schema and actionlint.

Sources (docs.github.com, read in github/docs at the commits named in /work/research/ci-tools.md):
- EXPR: actions/reference/workflows-and-actions/expressions#status-check-functions: "A default status
  check of success() is applied unless you include one of these functions"; success() "Returns true
  when all previous steps have succeeded"; failure() "If you have a chain of dependent jobs,
  failure() returns true if any ancestor job fails"; always() returns true.
- NEEDS: workflow-syntax#jobsjob_idneeds: "If a job fails or is skipped, all jobs that need it are
  skipped unless the jobs use a conditional expression that causes the job to continue."
- ENV: actions/reference/workflows-and-actions/deployments-and-environments and
  workflow-syntax#jobsjob_idenvironment: "All deployment protection rules must pass before a job
  referencing the environment is sent to a runner" (required reviewers, wait timer).
- DISPATCH: events-that-trigger-workflows#workflow_dispatch; inputs are read as `inputs.<name>`.
- Expressions in `run:` are evaluated by GitHub before the shell sees the script; planb's escape
  writes a literal `${{` of user text as the expression `${{ '${{' }}`, which evaluates to `${{`.
"""
import re

from common import bash_n, direction_errors

SCHEDULE = "GitHub fallback job starts after a failed deploy or verify (needs, if, status functions)"
ENVIRONMENT = "GitHub fallback environment is not the deploy job's protected environment"
EXPRESSIONS = "GitHub run scripts hold no expression but an escaped literal"
SITUATION = "GitHub fallback fits the situation (an update deletes nothing)"

ESCAPED = "${{ '${{' }}"


def check(entry, report, workflow):
    jobs = workflow.get("jobs") if isinstance(workflow, dict) else None
    if not isinstance(jobs, dict):
        report.add(entry, SCHEDULE, ["the workflow has no jobs"])
        return
    report.add(entry, SCHEDULE, schedule_errors(jobs))
    report.add(entry, ENVIRONMENT, environment_errors(jobs))
    scripts, expression_errors = [], []
    for name, job in jobs.items():
        for i, step in enumerate((job or {}).get("steps") or []):
            run = step.get("run") if isinstance(step, dict) else None
            if isinstance(run, str):
                where = f"jobs.{name}.steps[{i}].run"
                literal = run.replace(ESCAPED, "")
                if "${{" in literal:
                    expression_errors.append(f"{where}: a ${{{{ … }}}} expression inside the script; pass values through env")
                scripts.append((where, run.replace(ESCAPED, "${{")))
    report.add(entry, EXPRESSIONS, expression_errors)
    bash_n(entry, report, scripts)
    report.add(entry, SITUATION, situation_errors(entry, jobs))


def environment_name(job):
    env = (job or {}).get("environment")
    return env.get("name") if isinstance(env, dict) else env


def environment_errors(jobs):
    """ENV: a job that names the protected environment waits for its reviewers and wait timer."""
    deploy, fallback = environment_name(jobs.get("deploy")), environment_name(jobs.get("fallback"))
    if "fallback" not in jobs:
        return ["no fallback job"]
    if deploy is not None and fallback == deploy:
        return [f"the fallback job names the deploy environment {deploy!r}: it waits for its reviewers and wait timer"]
    return []


# --- a small evaluator of the `if` expressions planb writes --------------------------------------


TOKEN = re.compile(r"\s*(\$\{\{|\}\}|&&|\|\||==|!=|!|\(|\)|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_.-]*)")


def tokens(text):
    text, out, at = text.strip(), [], 0
    while at < len(text):
        m = TOKEN.match(text, at)
        if not m:
            raise ValueError(f"cannot read {text[at:]!r}")
        if m.group(1) not in ("${{", "}}"):
            out.append(m.group(1))
        at = m.end()
    return out


class Expression:
    """`a || b`, `a && b`, `!a`, `x == 'v'`, `x != 'v'`, `f()`, `(…)`, context names and 'strings'."""

    def __init__(self, text):
        self.tokens, self.at = tokens(text), 0
        self.functions = {t for i, t in enumerate(self.tokens) if self.tokens[i + 1 : i + 2] == ["("] and t.isidentifier()}

    def evaluate(self, context, status):
        self.at = 0
        self.context, self.status = context, status
        value = self.either()
        if self.at != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at]!r}")
        return value

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        self.at += 1
        return self.tokens[self.at - 1]

    def either(self):
        value = self.both()
        while self.peek() == "||":
            self.take()
            right = self.both()
            value = value or right
        return value

    def both(self):
        value = self.compare()
        while self.peek() == "&&":
            self.take()
            right = self.compare()
            value = value and right
        return value

    def compare(self):
        value = self.unary()
        if self.peek() in ("==", "!="):
            op, right = self.take(), self.unary()
            equal = str(value or "").lower() == str(right or "").lower()
            value = equal if op == "==" else not equal
        return value

    def unary(self):
        if self.peek() == "!":
            self.take()
            return not self.unary()
        token = self.take()
        if token == "(":
            value = self.either()
            self.take()
            return value
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        if self.peek() == "(":
            self.take()
            self.take()
            return self.status(token)
        return self.context.get(token, "")


STATUS_FUNCTIONS = {"success", "failure", "always", "cancelled"}


def simulate(jobs, event, inputs, outcomes):
    """Each job's result for one run: its `needs`, its `if` (with success() added when it names no
    status function, EXPR) and the outcome of the jobs that run."""
    results, pending = {}, dict(jobs)
    while pending:
        ready = [n for n, j in pending.items() if all(d in results for d in needs(j))]
        if not ready:
            raise ValueError(f"needs form a cycle or name missing jobs: {sorted(pending)}")
        for name in ready:
            job = pending.pop(name) or {}
            ancestors = set()
            stack = list(needs(job))
            while stack:
                n = stack.pop()
                if n not in ancestors:
                    ancestors.add(n)
                    stack += needs(jobs.get(n) or {})

            def status(fn):
                if fn == "success":
                    return all(results[a] == "success" for a in ancestors)
                if fn == "failure":
                    return any(results[a] == "failure" for a in ancestors)
                return fn == "always"

            condition = job.get("if")
            text = str(condition) if condition is not None else "success()"
            expr = Expression(text)
            context = {"github.event_name": event, **{f"inputs.{k}": v for k, v in inputs.items()}}
            context.update({f"needs.{n}.result": results[n] for n in needs(job)})
            runs = bool(expr.evaluate(context, status))
            if not (expr.functions & STATUS_FUNCTIONS):
                runs = runs and status("success")
            results[name] = outcomes.get(name, "success") if runs else "skipped"
    return results


def needs(job):
    value = (job or {}).get("needs") or []
    return [value] if isinstance(value, str) else list(value)


def schedule_errors(jobs):
    """The fallback job runs when verify fails and when deploy fails (NEEDS, EXPR), not after a good
    run, and alone when dispatched with action fallback (DISPATCH)."""
    for name in ("deploy", "verify", "fallback"):
        if name not in jobs:
            return [f"no {name} job"]
    scenarios = [
        ("push; deploy succeeds, verify fails", "push", {}, {"verify": "failure"}, True),
        ("push; deploy fails", "push", {}, {"deploy": "failure"}, True),
        ("push; deploy and verify succeed", "push", {}, {}, False),
        ("workflow_dispatch with action fallback", "workflow_dispatch", {"action": "fallback"}, {}, True),
    ]
    errors = []
    for label, event, inputs, outcomes, wanted in scenarios:
        try:
            results = simulate(jobs, event, inputs, outcomes)
        except ValueError as exc:
            return [f"cannot evaluate the jobs: {exc}"]
        ran = results["fallback"] != "skipped"
        if ran != wanted:
            verb = "is skipped" if wanted else "runs"
            errors.append(f"{label}: the fallback job {verb} (results: {results})")
        if event == "workflow_dispatch" and results["deploy"] != "skipped":
            errors.append(f"{label}: the deploy job runs too")
    return errors


def situation_errors(entry, jobs):
    """The fallback job's scripts, held to the issue's rule 1 (common.direction_errors); the
    snippet's own header says which situation it is."""
    fallback = jobs.get("fallback") or {}
    steps = fallback.get("steps") or []
    scripts = [s.get("run") for s in steps if isinstance(s, dict) and isinstance(s.get("run"), str)]
    return direction_errors(entry, scripts, "# Update from")
