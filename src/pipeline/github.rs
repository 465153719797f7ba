//! GitHub Actions workflows: which jobs deploy, verify and fall back, and whether each can run when it
//! is needed.
//!
//! What GitHub does with the keys, from its workflow syntax reference (cited in
//! `templates/lint/github-actions.yaml`): a job's `if` holds `success()` unless it names a status
//! function, so a job that `needs` a failed or skipped job is skipped; `continue-on-error` lets a
//! failing step or job pass; protection rules apply only to jobs that name an `environment`; a
//! concurrency group with `cancel-in-progress` cancels the running member.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::roles::{self, Role};
use super::{place, Reading, Subject};
use crate::source::node::Node;

pub(super) fn read(file: &str, doc: &Node, reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    let jobs_node = doc.get("jobs");
    let jobs: Vec<Job> = jobs_node.map(Node::entries).unwrap_or_default().iter().map(|(k, v)| Job::of(k, v)).collect();
    let by_id: BTreeMap<&str, &Job> = jobs.iter().map(|j| (j.id, j)).collect();
    let workflow_name = doc.get("name").and_then(Node::text);
    let workflow_cancels = cancels_in_progress(doc.get("concurrency"));

    let mut deploy_jobs = 0;
    let mut fallback_after_failure = false;
    for job in &jobs {
        let ancestors = ancestors(job, &by_id);
        let after = |role: Role| ancestors.iter().any(|a| by_id.get(a).is_some_and(|j| j.role == role));
        let path = format!("jobs.{}", job.id);
        let mut subject = Subject::new("github-actions", "job", at(&path, job.key));
        subject.fact("id", job.id).fact("role", job.role.key());
        subject.fact("after_deploy", after(Role::Deploy)).fact("after_verify", after(Role::Verify));
        if let Some(first) = job.node.key("needs") {
            subject.places.insert("needs".into(), at(&format!("{path}.needs"), first));
        }
        let runs_after_failure = job.condition.is_some_and(runs_after_failure);
        match (job.condition, job.node.key("if")) {
            (Some(text), Some(key)) => subject.fact_at("if", text, at(&format!("{path}.if"), key)),
            _ => subject.fact("if", Value::Null),
        };
        subject.fact("runs_after_failure", runs_after_failure);
        match job.node.key("environment") {
            Some(key) => subject.fact_at("environment", true, at(&format!("{path}.environment"), key)),
            None => subject.fact("environment", false),
        };
        match job.node.key("continue-on-error") {
            Some(key) => subject.fact_at(
                "continue_on_error",
                job.node.get("continue-on-error").and_then(Node::truth) == Some(true),
                at(&format!("{path}.continue-on-error"), key),
            ),
            None => subject.fact("continue_on_error", false),
        };
        // A verifying step that may fail without failing its job: in a verify job, any step; elsewhere
        // a step whose own name says it verifies.
        let lenient = job.steps.iter().enumerate().find(|(_, s)| {
            let verifies = job.role == Role::Verify || step_role(s) == Role::Verify;
            verifies && s.get("continue-on-error").and_then(Node::truth) == Some(true)
        });
        match lenient {
            Some((i, step)) => {
                let key = step.key("continue-on-error").unwrap_or(step);
                subject.fact_at(
                    "verify_step_continues_on_error",
                    true,
                    at(&format!("{path}.steps[{i}].continue-on-error"), key),
                )
            }
            None => subject.fact("verify_step_continues_on_error", false),
        };
        // A newer run cancels the job through its own group, or through the workflow's, which
        // cancels the whole run.
        let own = cancels_in_progress(job.node.get("concurrency")) == Some(true);
        if own {
            let key = job.node.key("concurrency").unwrap_or(job.key);
            subject.fact_at("cancelled_by_newer_run", true, at(&format!("{path}.concurrency"), key));
        } else if workflow_cancels == Some(true) {
            let key = doc.key("concurrency").unwrap_or(doc);
            subject.fact_at("cancelled_by_newer_run", true, at("concurrency", key));
        } else {
            subject.fact("cancelled_by_newer_run", false);
        }
        // A job that calls a reusable workflow (`uses:`) cannot name an environment itself.
        subject.fact("calls_workflow", job.node.get("uses").is_some());
        deploy_jobs += usize::from(job.role == Role::Deploy);
        fallback_after_failure |=
            job.role == Role::Fallback && runs_after_failure && (after(Role::Deploy) || after(Role::Verify));
        reading.subjects.push(subject);
        draft_job(file, job, runs_after_failure, reading);
    }

    let mut workflow = Subject::new("github-actions", "workflow", at("", doc));
    workflow.fact("deploy_jobs", deploy_jobs).fact("fallback_after_failure", fallback_after_failure);
    let workflow_role = roles::role_of("", workflow_name, &[]);
    workflow.fact("role", workflow_role.key());
    if let Some(key) = doc.key("jobs") {
        workflow.places.insert("jobs".into(), at("jobs", key));
    }
    reading.subjects.push(workflow);

    let draft = &mut reading.draft;
    draft.read_from(file);
    let jobs_key = doc.key("jobs").unwrap_or(doc);
    draft.set("deployment.tool", "github-actions", Some(at("jobs", jobs_key)));
    let name_node = doc.get("name");
    let name = workflow_name.map(str::to_string).unwrap_or_else(|| file_stem(file));
    let from = name_node.map(|n| at("name", n));
    draft.set_noted("component.name", name.as_str(), from.clone(), "the workflow's name: to confirm the component's");
    draft.set("deployment.pipeline", name.as_str(), from);
    let commands: Vec<&str> = jobs.iter().flat_map(|j| j.commands.iter().copied()).collect();
    super::draft_platform(draft, &commands);
    super::ask_the_unknowable(reading, &name);
}

/// One job of the workflow, read.
struct Job<'a> {
    id: &'a str,
    key: &'a Node,
    node: &'a Node,
    role: Role,
    needs: Vec<(&'a str, &'a Node)>,
    condition: Option<&'a str>,
    steps: &'a [Node],
    commands: Vec<&'a str>,
}

impl<'a> Job<'a> {
    fn of(key: &'a Node, node: &'a Node) -> Job<'a> {
        let id = key.text().unwrap_or("");
        let steps = node.get("steps").map(Node::items).unwrap_or_default();
        let commands: Vec<&str> =
            steps.iter().filter_map(|s| s.get("run").and_then(Node::text)).flat_map(str::lines).collect();
        let name = node.get("name").and_then(Node::text);
        let needs = match node.get("needs") {
            Some(n) if n.text().is_some() => vec![(n.text().unwrap_or(""), n)],
            Some(n) => n.items().iter().filter_map(|i| Some((i.text()?, i))).collect(),
            None => Vec::new(),
        };
        // A reusable workflow's job (`uses:`) deploys when its name or the workflow it calls says so.
        let called = node.get("uses").and_then(Node::text).unwrap_or("");
        let role = match roles::role_of(id, name, &commands) {
            Role::Other if !called.is_empty() => roles::role_of(called, None, &[]),
            role => role,
        };
        Job { id, key, node, role, needs, condition: node.get("if").and_then(Node::text), steps, commands }
    }
}

fn step_role(step: &Node) -> Role {
    let id = step.get("id").and_then(Node::text).unwrap_or("");
    roles::role_of(id, step.get("name").and_then(Node::text), &[])
}

/// Every job a job needs, directly or through others.
fn ancestors<'a>(job: &Job<'a>, by_id: &BTreeMap<&'a str, &Job<'a>>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = job.needs.iter().map(|(n, _)| *n).collect();
    while let Some(id) = todo.pop() {
        if seen.insert(id) {
            if let Some(j) = by_id.get(id) {
                todo.extend(j.needs.iter().map(|(n, _)| *n));
            }
        }
    }
    seen
}

/// Whether an `if` lets the job run after a failure above it: it calls `failure()`, `always()` or
/// `!cancelled()`; with none of them GitHub adds `success()`. Quoted text is left out, and a negated
/// `!failure()` or `!always()` does not count.
fn runs_after_failure(condition: &str) -> bool {
    // Drop string literals ('…', with '' for a quote) and blanks.
    let mut compact = String::new();
    let mut quoted = false;
    for c in condition.chars() {
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && !c.is_whitespace() {
            compact.push(c);
        }
    }
    let called = |f: &str| compact.match_indices(f).any(|(i, _)| !compact[..i].ends_with('!'));
    called("failure()") || called("always()") || compact.contains("!cancelled()")
}

/// `Some(true)` when a concurrency group cancels its running member (`cancel-in-progress: true`);
/// `Some(false)` for a group that does not; `None` with no group. An expression counts as not known
/// to cancel.
fn cancels_in_progress(concurrency: Option<&Node>) -> Option<bool> {
    let c = concurrency?;
    Some(c.get("cancel-in-progress").and_then(Node::truth) == Some(true))
}

fn file_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.split('.').next().unwrap_or(name).to_string()
}

/// What one job gives the spec: a verify job is an abort trigger, a fallback job a fallback step.
fn draft_job(file: &str, job: &Job<'_>, runs_after_failure: bool, reading: &mut Reading) {
    let from = Some(place(file, format!("jobs.{}", job.id), job.key));
    let draft = &mut reading.draft;
    match job.role {
        Role::Verify => draft.push("abort.triggers", format!("GitHub Actions job {} fails", job.id), from),
        Role::Fallback => {
            let when = if runs_after_failure { " (runs when a job it needs fails)" } else { "" };
            let step = serde_json::json!({ "action": format!("GitHub Actions job {}{when}", job.id) });
            draft.push("fallback.steps", step, from);
        }
        Role::Deploy => {
            if let Some(env) = job.node.get("environment") {
                let name = env.get("name").unwrap_or(env);
                if let Some(text) = name.text() {
                    let at = Some(place(file, format!("jobs.{}.environment", job.id), name));
                    if text.contains("${{") {
                        draft.set_noted("component.environment", text, at, "an expression: to confirm");
                    } else {
                        draft.set("component.environment", text, at);
                    }
                    draft.ask(
                        "rollout.approval",
                        "manual",
                        &format!("whether environment {text} requires reviewers (set in the repository's settings, not in the file)"),
                    );
                }
            }
        }
        Role::Other => draft.note(format!(
            "Not read: job {} ({file}:{}) neither deploys, verifies nor falls back by its name or commands: to confirm",
            job.id, job.key.mark.line
        )),
    }
}
