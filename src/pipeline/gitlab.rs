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
use crate::source::node::{Node, NodeKind, MAX_NODES};

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
    // `.pre` and `.post` are always the first and last stages, whatever `stages` lists
    // (docs.gitlab.com/ci/yaml/#stage-pre).
    let stages: Vec<&str> = match doc.get("stages") {
        Some(s) => {
            let listed = s.items().iter().filter_map(Node::text).filter(|s| !matches!(*s, ".pre" | ".post"));
            [".pre"].into_iter().chain(listed).chain([".post"]).collect()
        }
        None => DEFAULT_STAGES.to_vec(),
    };
    let templates: BTreeMap<&str, &Node> = doc.entries().iter().filter_map(|(k, v)| Some((k.text()?, v))).collect();
    let mut resolver =
        Resolver { templates, done: BTreeMap::new(), visiting: BTreeSet::new(), copied: 0, notes: Vec::new() };
    let jobs: Vec<Job> = doc
        .entries()
        .iter()
        .filter(|(k, _)| k.text().is_some_and(|t| !t.starts_with('.') && !GLOBAL_KEYS.contains(&t)))
        .filter(|(_, v)| matches!(v.kind, NodeKind::Map(_)))
        .map(|(k, v)| Job::of(k, resolver.resolve(v, 0), &stages))
        .collect();
    for note in std::mem::take(&mut resolver.notes) {
        reading.draft.note(format!("Not read: {note} ({file})"));
    }
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
        // `allow_failure: { exit_codes }` allows only those codes: not counted as allowed here.
        let allow = job.node.get("allow_failure");
        let allowed = match (job.rule_allow_failure, allow) {
            (Some(by_rule), _) => by_rule,
            (None, Some(a)) => a.truth() == Some(true),
            (None, None) => job.when == "manual" && !job.manual_by_rule,
        };
        match job.node.key("allow_failure") {
            Some(key) => subject.fact_at("allow_failure", allowed, at(&format!("{path}.allow_failure"), key)),
            None => subject.fact("allow_failure", allowed),
        };
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
    super::draft_platform(draft, &commands);
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
    /// The `allow_failure` every rule that runs the job sets, when they agree.
    rule_allow_failure: Option<bool>,
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
        // `rules:when` wins over the job's `when`; a rule without one uses the job's, on_success by
        // default (docs.gitlab.com/ci/yaml/#rulesif). Rules that all agree decide; rules that differ
        // leave on_success, the default, to confirm in the imported spec.
        let job_when = node.get("when").and_then(Node::text).unwrap_or("on_success");
        let rules = node.get("rules").map(Node::items).unwrap_or_default();
        let rule_whens: BTreeSet<&str> = rules
            .iter()
            .map(|r| r.get("when").and_then(Node::text).unwrap_or(job_when))
            .filter(|w| *w != "never")
            .collect();
        let (when, manual_by_rule) = match rule_whens.len() {
            0 => (job_when.to_string(), false),
            1 => {
                let w = rule_whens.iter().next().copied().unwrap_or(job_when);
                let by_rule = rules.iter().any(|r| r.get("when").and_then(Node::text) == Some("manual"));
                (w.to_string(), w == "manual" && by_rule)
            }
            _ => (job_when.to_string(), false),
        };
        // A rule's allow_failure overrides the job's when that rule matches (#rulesallow_failure):
        // known only when every rule that runs the job says the same.
        let rule_allows: BTreeSet<Option<bool>> = rules
            .iter()
            .filter(|r| r.get("when").and_then(Node::text) != Some("never"))
            .map(|r| r.get("allow_failure").and_then(Node::truth))
            .collect();
        let rule_allow_failure = match rule_allows.iter().collect::<Vec<_>>().as_slice() {
            [Some(b)] => Some(*b),
            _ => None,
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
        Job { id, key, node, role, stage, when, manual_by_rule, rule_allow_failure, needs, commands }
    }
}

/// Whether `job` waits for `other`: it has no `needs` and is in a later stage, or it needs `other`,
/// or needs a job that waits for it in turn (a needed job without `needs` waits for the stages
/// before its own).
fn runs_after(job: &Job<'_>, other: &Job<'_>, by_id: &BTreeMap<&str, &Job<'_>>) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![job];
    while let Some(current) = todo.pop() {
        if !seen.insert(current.id) {
            continue;
        }
        match &current.needs {
            None if current.id != other.id && other.stage < current.stage => return true,
            None => {}
            Some(needs) => {
                for id in needs {
                    if id == other.id {
                        return true;
                    }
                    todo.extend(by_id.get(id.as_str()).copied());
                }
            }
        }
    }
    false
}

/// Resolves `extends`: each template once, a cycle broken (GitLab refuses one; planb notes it and
/// reads the job without what closes the cycle), and the copies bounded like a document's nodes.
struct Resolver<'a> {
    templates: BTreeMap<&'a str, &'a Node>,
    done: BTreeMap<&'a str, Node>,
    visiting: BTreeSet<&'a str>,
    /// Nodes copied so far; past `MAX_NODES` the jobs are read without their templates.
    copied: usize,
    notes: Vec<String>,
}

impl<'a> Resolver<'a> {
    /// A job with what it `extends` merged in: mappings deep-merged, lists and scalars replaced, the
    /// job's own keys winning (docs.gitlab.com/ci/yaml/yaml_optimization/#merge-details).
    fn resolve(&mut self, job: &'a Node, depth: usize) -> Node {
        let parents: Vec<&'a str> = match job.get("extends") {
            Some(e) => match &e.kind {
                NodeKind::Seq(items) => items.iter().filter_map(Node::text).collect(),
                _ => e.text().into_iter().collect(),
            },
            None => return job.clone(),
        };
        if depth >= MAX_EXTENDS || self.copied > MAX_NODES {
            return job.clone();
        }
        let mut merged: Option<Node> = None;
        for parent in parents {
            let Some(p) = self.template(parent, depth) else { continue };
            merged = Some(match merged {
                Some(m) => deep_merge(&m, &p),
                None => p,
            });
        }
        let node = match merged {
            Some(base) => deep_merge(&base, job),
            None => job.clone(),
        };
        self.copied += count(&node);
        if self.copied > MAX_NODES {
            self.notes.push(format!(
                "the jobs' `extends` copy more than {MAX_NODES} values: later jobs are read without their templates"
            ));
        }
        node
    }

    /// A template resolved, once; `None` for one not in the file or on a cycle.
    fn template(&mut self, name: &'a str, depth: usize) -> Option<Node> {
        if let Some(done) = self.done.get(name) {
            return Some(done.clone());
        }
        let node = *self.templates.get(name)?;
        if !self.visiting.insert(name) {
            self.notes.push(format!("`extends` runs in a cycle through {name}: read without it"));
            return None;
        }
        let resolved = self.resolve(node, depth + 1);
        self.visiting.remove(name);
        self.done.insert(name, resolved.clone());
        Some(resolved)
    }
}

fn count(node: &Node) -> usize {
    1 + node.items().iter().map(count).sum::<usize>()
        + node.entries().iter().map(|(k, v)| count(k) + count(v)).sum::<usize>()
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
