//! GitLab CI configurations: which jobs deploy, verify and fall back, and whether each can run when
//! it is needed.
//!
//! What GitLab does with the keys, from its CI/CD YAML reference and pipeline processing source
//! (cited in `templates/lint/gitlab.yaml`): a job runs `on_success` unless it says otherwise; after a
//! failed job, jobs of later stages (or that `need` it) are skipped, a skipped manual job cannot be
//! played, and only `on_failure` and `always` jobs run; `allow_failure` makes a failed job count as
//! passed; `extends` deep-merges mappings and replaces lists; `include` brings jobs planb does not see.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::roles::{self, Role};
use super::{place, Reading, Subject};
use crate::source::node::{Node, NodeKind};

/// Top-level keys that are not jobs (docs.gitlab.com/ci/yaml/, "Global keywords").
const GLOBAL_KEYS: &[&str] = &[
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

/// The stages when `stages` is not set (docs.gitlab.com/ci/yaml/#stages).
const DEFAULT_STAGES: &[&str] = &[".pre", "build", "test", "deploy", ".post"];

/// How deep `extends` may chain (docs.gitlab.com/ci/yaml/#extends: "up to eleven levels").
const MAX_EXTENDS: usize = 11;

pub(super) fn read(file: &str, documents: &[Node], reading: &mut Reading) {
    let at = |path: &str, node: &Node| place(file, path, node);
    // A file may open with a `spec:` header document (a CI/CD component); the configuration follows.
    let Some(doc) = documents.iter().rev().find(|d| d.get("spec").is_none() || documents.len() == 1) else { return };
    let stages: Vec<&str> = match doc.get("stages") {
        Some(s) => s.items().iter().filter_map(Node::text).collect(),
        None => DEFAULT_STAGES.to_vec(),
    };
    let templates: BTreeMap<&str, &Node> = doc.entries().iter().filter_map(|(k, v)| Some((k.text()?, v))).collect();
    let jobs: Vec<Job> = doc
        .entries()
        .iter()
        .filter(|(k, _)| k.text().is_some_and(|t| !t.starts_with('.') && !GLOBAL_KEYS.contains(&t)))
        .filter(|(_, v)| matches!(v.kind, NodeKind::Map(_)))
        .map(|(k, v)| Job::of(k, resolve(v, &templates, 0), &stages))
        .collect();
    let by_id: BTreeMap<&str, &Job> = jobs.iter().map(|j| (j.id, j)).collect();

    for job in &jobs {
        let path = job.id.to_string();
        let mut subject = Subject::new("gitlab", "job", at(&path, job.key));
        subject.fact("id", job.id).fact("role", job.role.key()).fact("when", job.when.as_str());
        if let Some(key) = job.node.key("when") {
            subject.places.insert("when".into(), at(&format!("{path}.when"), key));
        }
        let after = |role: Role| jobs.iter().any(|other| other.role == role && runs_after(job, other, &by_id));
        subject.fact("after_deploy", after(Role::Deploy)).fact("after_verify", after(Role::Verify));
        subject.fact("runs_after_failure", matches!(job.when.as_str(), "on_failure" | "always"));
        subject.fact("manual", job.when == "manual");
        // allow_failure: true for a manual job unless set (docs.gitlab.com/ci/yaml/#allow_failure).
        let allow = job.node.get("allow_failure");
        let allowed = match allow {
            Some(a) => a.truth() == Some(true) || a.get("exit_codes").is_some(),
            None => job.when == "manual" && !job.manual_by_rule,
        };
        match job.node.key("allow_failure") {
            Some(key) => subject.fact_at("allow_failure", allowed, at(&format!("{path}.allow_failure"), key)),
            None => subject.fact("allow_failure", allowed),
        };
        subject.fact("allow_failure_stated", allow.is_some());
        let environment = job.node.get("environment");
        match job.node.key("environment") {
            Some(key) => subject.fact_at("environment", true, at(&format!("{path}.environment"), key)),
            None => subject.fact("environment", false),
        };
        let action = environment.and_then(|e| e.get("action")).and_then(Node::text).unwrap_or("start");
        subject.fact("environment_action", if environment.is_some() { Value::from(action) } else { Value::Null });
        subject.fact("on_stop", environment.and_then(|e| e.get("on_stop")).and_then(Node::text).map(str::to_string));
        reading.subjects.push(subject);
        draft_job(file, job, environment, reading);
    }

    // Each `include` names configuration planb does not read.
    if let Some(include) = doc.get("include") {
        let entries: Vec<&Node> = match &include.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![include],
        };
        for (i, entry) in entries.iter().enumerate() {
            let what = entry.text().map(str::to_string).unwrap_or_else(|| {
                let pairs = entry.entries().iter().filter_map(|(k, v)| Some(format!("{}: {}", k.text()?, v.text()?)));
                pairs.collect::<Vec<_>>().join(", ")
            });
            let mut subject = Subject::new("gitlab", "include", at(&format!("include[{i}]"), entry));
            subject.fact("what", what.as_str());
            reading.subjects.push(subject);
            reading
                .draft
                .note(format!("Not read: include {what} ({file}:{}): planb does not follow includes", entry.mark.line));
        }
    }

    let draft = &mut reading.draft;
    draft.read_from(file);
    let first = doc.key("stages").or_else(|| jobs.first().map(|j| j.key)).unwrap_or(doc);
    draft.set("deployment.tool", "gitlab", Some(at("stages", first)));
    let deploy = jobs.iter().find(|j| j.role == Role::Deploy);
    let name = deploy.map_or("deploy", |j| j.id);
    let from = deploy.map(|j| at(j.id, j.key));
    draft.set_noted("component.name", name, from, "a deploy job's name: to confirm the component's");
    let commands: Vec<&str> = jobs.iter().flat_map(|j| j.commands.iter().map(String::as_str)).collect();
    match super::platform_of(&commands) {
        Some(platform) => {
            draft.set_noted("deployment.platform", platform, None, "from the deploy commands: to confirm")
        }
        None => draft.ask(
            "deployment.platform",
            "kubernetes",
            "where the pipeline deploys to: kubernetes, ecs, serverless or vm",
        ),
    }
    super::ask_the_unknowable(reading, name);
}

/// One job, its `extends` resolved.
struct Job<'a> {
    id: &'a str,
    key: &'a Node,
    node: Node,
    role: Role,
    stage: usize,
    when: String,
    /// Whether `when: manual` comes from a rule (its `allow_failure` is then false by default).
    manual_by_rule: bool,
    /// The jobs it needs; `None` without `needs` (it waits for the earlier stages).
    needs: Option<Vec<String>>,
    commands: Vec<String>,
}

impl<'a> Job<'a> {
    fn of(key: &'a Node, node: Node, stages: &[&str]) -> Job<'a> {
        let id = key.text().unwrap_or("");
        // A job without `stage` is in `test` (docs.gitlab.com/ci/yaml/#stage).
        let stage_name = node.get("stage").and_then(Node::text).unwrap_or("test");
        let stage = stages.iter().position(|s| *s == stage_name).unwrap_or(stages.len());
        let rule_whens: BTreeSet<&str> = node
            .get("rules")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.get("when").and_then(Node::text))
            .filter(|w| *w != "never")
            .collect();
        let (when, manual_by_rule) = match node.get("when").and_then(Node::text) {
            Some(w) => (w.to_string(), false),
            // Rules that all agree decide; a rule without `when` keeps the job's (on_success).
            None if rule_whens.len() == 1 => {
                let w = rule_whens.iter().next().copied().unwrap_or("on_success");
                (w.to_string(), w == "manual")
            }
            None => ("on_success".to_string(), false),
        };
        let needs = node.get("needs").map(|n| {
            n.items()
                .iter()
                .filter_map(|i| i.text().or_else(|| i.get("job").and_then(Node::text)))
                .map(str::to_string)
                .collect()
        });
        let commands: Vec<String> = ["script", "before_script"]
            .iter()
            .filter_map(|k| node.get(k))
            .flat_map(|s| match &s.kind {
                NodeKind::Seq(items) => items.iter().filter_map(|i| i.text().map(str::to_string)).collect::<Vec<_>>(),
                _ => s.text().map(|t| vec![t.to_string()]).unwrap_or_default(),
            })
            .collect();
        let refs: Vec<&str> = commands.iter().map(String::as_str).collect();
        let stops = node.get("environment").and_then(|e| e.get("action")).and_then(Node::text) == Some("stop");
        let role = if stops { Role::Fallback } else { roles::role_of(id, None, &refs) };
        let role = match role {
            Role::Other if stage_name == "deploy" || stage_name.contains("prod") => Role::Deploy,
            role => role,
        };
        Job { id, key, node, role, stage, when, manual_by_rule, needs, commands }
    }
}

/// Whether `job` waits for `other`: it needs it (directly or through the jobs it needs), or it has
/// no `needs` and is in a later stage.
fn runs_after(job: &Job<'_>, other: &Job<'_>, by_id: &BTreeMap<&str, &Job<'_>>) -> bool {
    if job.id == other.id {
        return false;
    }
    match &job.needs {
        None => other.stage < job.stage,
        Some(needs) => {
            let mut seen = BTreeSet::new();
            let mut todo: Vec<&str> = needs.iter().map(String::as_str).collect();
            while let Some(id) = todo.pop() {
                if id == other.id {
                    return true;
                }
                if seen.insert(id) {
                    if let Some(Some(more)) = by_id.get(id).map(|j| j.needs.as_ref()) {
                        todo.extend(more.iter().map(String::as_str));
                    }
                }
            }
            false
        }
    }
}

/// A job with what it `extends` merged in: mappings deep-merged, lists and scalars replaced, the job's
/// own keys winning (docs.gitlab.com/ci/yaml/yaml_optimization/#merge-details).
fn resolve(job: &Node, templates: &BTreeMap<&str, &Node>, depth: usize) -> Node {
    let parents: Vec<&str> = match job.get("extends") {
        Some(e) => match &e.kind {
            NodeKind::Seq(items) => items.iter().filter_map(Node::text).collect(),
            _ => e.text().into_iter().collect(),
        },
        None => return job.clone(),
    };
    if depth >= MAX_EXTENDS {
        return job.clone();
    }
    let mut merged: Option<Node> = None;
    for parent in parents {
        if let Some(p) = templates.get(parent) {
            let p = resolve(p, templates, depth + 1);
            merged = Some(match merged {
                Some(m) => deep_merge(&m, &p),
                None => p,
            });
        }
    }
    match merged {
        Some(base) => deep_merge(&base, job),
        None => job.clone(),
    }
}

fn deep_merge(base: &Node, over: &Node) -> Node {
    match (&base.kind, &over.kind) {
        (NodeKind::Map(b), NodeKind::Map(o)) => {
            let mut entries: Vec<(Node, Node)> = b.clone();
            for (k, v) in o {
                match entries.iter_mut().find(|(known, _)| known.text() == k.text()) {
                    Some(slot) => slot.1 = deep_merge(&slot.1, v),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
            Node { kind: NodeKind::Map(entries), mark: over.mark }
        }
        _ => over.clone(),
    }
}

/// What one job gives the spec.
fn draft_job(file: &str, job: &Job<'_>, environment: Option<&Node>, reading: &mut Reading) {
    let from = Some(place(file, job.id, job.key));
    let draft = &mut reading.draft;
    match job.role {
        Role::Verify => draft.push("abort.triggers", format!("GitLab job {} fails", job.id), from),
        Role::Fallback => {
            let when = match job.when.as_str() {
                "on_failure" => " (runs when an earlier job fails)",
                "manual" => " (started by hand)",
                "always" => " (always runs)",
                _ => "",
            };
            draft.push("fallback.steps", serde_json::json!({ "action": format!("GitLab job {}{when}", job.id) }), from);
        }
        Role::Deploy => {
            if job.when == "manual" {
                let key = job.node.key("when").unwrap_or(job.key);
                draft.set_noted(
                    "rollout.approval",
                    "manual",
                    Some(place(file, format!("{}.when", job.id), key)),
                    "a manual deploy job",
                );
            }
            let name = environment.map(|e| e.get("name").unwrap_or(e)).filter(|n| n.text().is_some());
            if let Some(name) = name {
                let text = name.text().unwrap_or("");
                let at = Some(place(file, format!("{}.environment", job.id), name));
                if text.contains('$') {
                    draft.set_noted("component.environment", text, at, "a variable: to confirm");
                } else {
                    draft.set("component.environment", text, at);
                }
            }
        }
        Role::Other => draft.note(format!(
            "Not read: job {} ({file}:{}) neither deploys, verifies nor falls back by its name, stage or commands: to confirm",
            job.id, job.key.mark.line
        )),
    }
}
