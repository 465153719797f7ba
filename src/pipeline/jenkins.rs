//! Jenkins declarative pipelines (a Jenkinsfile's `pipeline { … }`): its stages in order, which
//! deploy, verify, wait for input or fall back, what times them out, and which `post` conditions
//! run a fallback.
//!
//! What Jenkins does with them is cited in `templates/lint/jenkins.yaml`: a failed stage skips every
//! later stage; a rejected or timed-out `input` ends the build ABORTED, which runs `post { aborted }`
//! and `{ unsuccessful }` but not `{ failure }`; a stage's `input` directive is outside its own
//! `post`.

use serde_json::json;

use super::groovy::{self, Call, Statement, Value};
use super::roles::{self, Role};
use super::{Place, Reading, Subject};
use crate::error::{Error, ErrorKind, Mark};

/// `post` conditions that run when the build fails, and when it is aborted (an input rejected or
/// timed out). `always` and `cleanup` run on success too, and `changed` on every first build: none
/// is a fallback.
const ON_FAILURE: &[&str] = &["failure", "unsuccessful"];
const ON_ABORT: &[&str] = &["aborted", "unsuccessful"];

/// What a Jenkinsfile is, read at its top level.
pub(super) enum Kind {
    /// `pipeline { … }`.
    Declarative,
    /// `node { … }` at the top level: a scripted pipeline, whose flow is Groovy code.
    Scripted(Mark),
}

/// The kind of a Jenkinsfile, when the text is one (a top-level `pipeline` or `node` block).
pub(super) fn kind(text: &str) -> Option<Kind> {
    let statements = groovy::parse(text).ok()?;
    let calls = top_calls(&statements);
    if calls.iter().any(|c| c.name == "pipeline" && c.body.is_some()) {
        return Some(Kind::Declarative);
    }
    calls.iter().find(|c| c.name == "node" && c.body.is_some()).map(|c| Kind::Scripted(c.mark))
}

fn top_calls(statements: &[Statement]) -> Vec<&Call> {
    statements
        .iter()
        .filter_map(|s| match s {
            Statement::Call(c) => Some(c),
            Statement::NotUnderstood { .. } => None,
        })
        .collect()
}

/// One stage, read, with the stages that enclose it.
struct Stage<'a> {
    call: &'a Call,
    name: String,
    path: String,
    role: Role,
    commands: Vec<&'a str>,
    /// Its own and its enclosing stages' `options { timeout }`.
    timed_out: bool,
    /// Stages enclosing it (nested `stages` or `parallel`), nearest first.
    parents: Vec<&'a Call>,
}

pub(super) fn read(file: &str, text: &str, reading: &mut Reading) -> Result<(), Error> {
    let statements = groovy::parse(text).map_err(|e| e.with_origin(file))?;
    let pipelines: Vec<&Call> = top_calls(&statements).into_iter().filter(|c| c.name == "pipeline").collect();
    let pipeline = match pipelines.as_slice() {
        [one] => *one,
        [] => {
            let message = "no top-level `pipeline { … }`: planb reads Jenkins declarative pipelines";
            return Err(Error::new(ErrorKind::InvalidSpec, message).at(Mark { line: 1, column: 1 }).with_origin(file));
        }
        [_, second, ..] => {
            let message = "a second top-level `pipeline` block: a Jenkinsfile has one";
            return Err(Error::new(ErrorKind::InvalidSpec, message).at(second.mark).with_origin(file));
        }
    };
    let at = |path: &str, mark: Mark| Place { file: file.to_string(), path: path.to_string(), mark };
    let pipeline_timeout = has_timeout(pipeline);
    let mut stages = Vec::new();
    if let Some(list) = pipeline.call("stages") {
        collect_stages(list, "pipeline.stages", &[], pipeline_timeout, &mut stages);
    }
    note_not_understood(file, &statements, reading);
    let pipeline_post = post_conditions(pipeline);
    let first_deploy = stages.iter().position(|s| s.role == Role::Deploy);

    for (i, stage) in stages.iter().enumerate() {
        let mut subject = Subject::new("jenkins", "stage", at(&stage.path, stage.call.mark));
        subject.fact("name", stage.name.as_str()).fact("role", stage.role.key());
        // Deploy commands inside a `timeout` step are timed out too.
        let steps_timed = stage.call.call("steps").is_some_and(|s| {
            let whole = s.children().next().is_some() && s.children().all(|c| c.name == "timeout");
            let deploys = commands_in(s).iter().any(|c| roles::deploys(c));
            whole || (deploys && !untimed_deploy(s, false))
        });
        subject.fact("timeout", stage.timed_out || steps_timed);
        subject.fact("after_deploy", first_deploy.is_some_and(|d| i > d));
        // A step that catches the failure of a deploy or an input inside it: the build goes on.
        match stage.call.call("steps").and_then(swallowing) {
            Some(call) => subject.fact_at(
                "swallowed_by",
                call.name.as_str(),
                at(&format!("{}.steps.{}", stage.path, call.name), call.mark),
            ),
            None => subject.fact("swallowed_by", serde_json::Value::Null),
        };
        reading.subjects.push(subject);

        for (input, directive, path) in inputs(stage) {
            let mut subject = Subject::new("jenkins", "input", at(&path, input.mark));
            subject.fact("stage", stage.name.as_str()).fact("directive", directive);
            let submitter = input_field(input, "submitter");
            match submitter {
                Some((value, mark)) => subject.fact_at(
                    "submitter",
                    value.text().is_some_and(|t| !t.trim().is_empty()) || matches!(value, Value::Code(_)),
                    at(&format!("{path}.submitter"), mark),
                ),
                None => subject.fact("submitter", false),
            };
            // Timed out by the pipeline's or a stage's `options { timeout }`, or by a `timeout` step
            // around the input step.
            subject.fact("timeout", stage.timed_out || (!directive && inside_timeout(stage.call, input)));
            // Its abort runs the pipeline's post, an enclosing stage's, and for an input step its
            // own stage's; not, for a directive, the post of the stage it gates.
            let own = if directive { Vec::new() } else { post_conditions(stage.call) };
            let parents = stage.parents.iter().flat_map(|p| post_conditions(p));
            let fallback =
                pipeline_post.iter().chain(own.iter()).copied().chain(parents).any(|c| ON_ABORT.contains(&c));
            subject.fact("fallback_on_abort", fallback);
            reading.subjects.push(subject);
        }
    }

    // A fallback on failure: the pipeline's post, or the deploy stage's own when no stage follows it
    // (a later stage's failure comes after that post has run).
    let last_deploy_is_last = first_deploy.is_some_and(|d| d + 1 == stages.len());
    let stage_post = first_deploy.map(|d| post_conditions(stages[d].call)).unwrap_or_default();
    let on_failure = pipeline_post.iter().any(|c| ON_FAILURE.contains(c))
        || (last_deploy_is_last && stage_post.iter().any(|c| ON_FAILURE.contains(c)));
    let mut subject = Subject::new("jenkins", "pipeline", at("pipeline", pipeline.mark));
    subject.fact("deploy_stages", stages.iter().filter(|s| s.role == Role::Deploy).count());
    subject.fact("fallback_on_failure", on_failure);
    if let Some(post) = pipeline.call("post") {
        subject.places.insert("post".into(), at("pipeline.post", post.mark));
    }
    reading.subjects.push(subject);

    draft(file, pipeline, &stages, reading);
    Ok(())
}

/// The stages of a `stages` block, nested `stages` and `parallel` branches included, in order.
fn collect_stages<'a>(list: &'a Call, path: &str, parents: &[&'a Call], timed_out: bool, out: &mut Vec<Stage<'a>>) {
    for (i, stage) in list.calls("stage").enumerate() {
        let name = stage.arg(None).and_then(|a| a.value.text()).unwrap_or("").to_string();
        let stage_path = format!("{path}.stage[{i}]");
        let timed = timed_out || has_timeout(stage);
        let commands: Vec<&str> = stage.call("steps").map(commands_in).unwrap_or_default();
        let role = roles::role_of("", Some(&name), &commands);
        out.push(Stage {
            call: stage,
            name,
            path: stage_path.clone(),
            role,
            commands,
            timed_out: timed,
            parents: parents.to_vec(),
        });
        let mut inner: Vec<&Call> = vec![stage];
        inner.extend_from_slice(parents);
        for nested in ["stages", "parallel"] {
            if let Some(block) = stage.call(nested) {
                collect_stages(block, &format!("{stage_path}.{nested}"), &inner, timed, out);
            }
        }
    }
}

/// `options { timeout(…) }` on a pipeline or stage.
fn has_timeout(call: &Call) -> bool {
    call.call("options").is_some_and(|o| o.call("timeout").is_some())
}

/// The shell commands of a block's steps, nested blocks (`timeout`, `retry`, `dir`) included.
fn commands_in(block: &Call) -> Vec<&str> {
    let mut out = Vec::new();
    for call in block.children() {
        if let Some(command) = command_of(call) {
            out.extend(command.lines().map(str::trim).filter(|l| !l.is_empty()));
        }
        out.extend(commands_in(call));
    }
    out
}

/// The first `catchError` or `warnError` step in `block` that holds a deploying command or an
/// `input` (JNK-CATCH-ERROR, JNK-WARN-ERROR).
fn swallowing(block: &Call) -> Option<&Call> {
    fn holds(call: &Call) -> bool {
        call.children().any(|c| {
            c.name == "input" || command_of(c).is_some_and(|command| command.lines().any(roles::deploys)) || holds(c)
        })
    }
    block.children().find_map(|c| match c.name.as_str() {
        "catchError" | "warnError" if holds(c) => Some(c),
        _ => swallowing(c),
    })
}

/// Whether a deploying command in `block` is outside every `timeout` step.
fn untimed_deploy(block: &Call, timed: bool) -> bool {
    block.children().any(|c| {
        let deploys = command_of(c).is_some_and(|command| command.lines().any(roles::deploys));
        (deploys && !timed) || untimed_deploy(c, timed || c.name == "timeout")
    })
}

/// The script of an `sh`, `bat` or `powershell` step.
fn command_of(call: &Call) -> Option<&str> {
    if !matches!(call.name.as_str(), "sh" | "bat" | "powershell" | "pwsh") {
        return None;
    }
    call.arg(None).or_else(|| call.arg(Some("script"))).and_then(|a| a.value.text())
}

/// The conditions of a pipeline's or stage's `post` that hold at least one step.
fn post_conditions(call: &Call) -> Vec<&str> {
    call.call("post")
        .map(|p| {
            p.children().filter(|c| c.body.as_ref().is_some_and(|b| !b.is_empty())).map(|c| c.name.as_str()).collect()
        })
        .unwrap_or_default()
}

/// A stage's inputs: its `input` directive, and `input` steps in its steps (also inside `timeout`,
/// `retry` and the like), each with whether it is the directive and its path.
fn inputs<'a>(stage: &Stage<'a>) -> Vec<(&'a Call, bool, String)> {
    let mut out = Vec::new();
    if let Some(directive) = stage.call.call("input") {
        out.push((directive, true, format!("{}.input", stage.path)));
    }
    fn steps<'a>(block: &'a Call, path: &str, out: &mut Vec<(&'a Call, bool, String)>) {
        for call in block.children() {
            if call.name == "input" {
                out.push((call, false, format!("{path}.input")));
            } else {
                steps(call, &format!("{path}.{}", call.name), out);
            }
        }
    }
    if let Some(s) = stage.call.call("steps") {
        steps(s, &format!("{}.steps", stage.path), &mut out);
    }
    out
}

/// An input's field, written as a named argument (the step) or a call in its block (the
/// directive), with where it is.
fn input_field<'a>(input: &'a Call, name: &'a str) -> Option<(&'a Value, Mark)> {
    if let Some(arg) = input.arg(Some(name)) {
        return Some((&arg.value, arg.mark));
    }
    let field = input.call(name)?;
    field.arg(None).map(|a| (&a.value, field.mark))
}

/// Whether `input` is inside a `timeout` step of the stage's steps.
fn inside_timeout(stage: &Call, input: &Call) -> bool {
    fn within(block: &Call, input: &Call, timed: bool) -> bool {
        block.children().any(|c| {
            if std::ptr::eq(c, input) {
                return timed;
            }
            within(c, input, timed || c.name == "timeout")
        })
    }
    stage.call("steps").is_some_and(|s| within(s, input, false))
}

/// A `when` condition as written: `branch 'production'`, `environment name: 'X', value: 'y'`,
/// `expression { … }`.
fn written(call: &Call) -> String {
    let args: Vec<String> = call
        .args
        .iter()
        .map(|a| {
            let value = match &a.value {
                Value::String(s) => format!("'{s}'"),
                other => other.text().map_or_else(|| "…".to_string(), str::to_string),
            };
            match &a.name {
                Some(name) => format!("{name}: {value}"),
                None => value,
            }
        })
        .collect();
    match (&call.code, &call.body) {
        (Some(code), _) => format!("{} {{ {} }}", call.name, code.lines().next().unwrap_or("").trim()),
        (None, Some(_)) => format!("{} {{ … }}", call.name),
        (None, None) => format!("{} {}", call.name, args.join(", ")).trim_end().to_string(),
    }
}

/// Lines of the file that are not declarative calls, at any depth, said in the imported spec.
fn note_not_understood(file: &str, statements: &[Statement], reading: &mut Reading) {
    for statement in statements {
        match statement {
            Statement::NotUnderstood { mark, text } => {
                let shown: String = text.chars().take(60).collect();
                reading
                    .draft
                    .note(format!("Not read: `{shown}` ({file}:{}): not a declarative section or step", mark.line));
            }
            // A block kept as Groovy text (`script { }`) has no statements to say anything of.
            Statement::Call(inner) => note_not_understood(file, inner.body.as_deref().unwrap_or_default(), reading),
        }
    }
}

/// What the Jenkinsfile gives the spec.
fn draft(file: &str, pipeline: &Call, stages: &[Stage<'_>], reading: &mut Reading) {
    let at = |path: &str, mark: Mark| Some(Place { file: file.to_string(), path: path.to_string(), mark });
    let draft = &mut reading.draft;
    draft.read_from(file);
    draft.set("deployment.tool", "jenkins", at("pipeline", pipeline.mark));
    // A Jenkinsfile names no component: the folder it is in may (`payments-api/Jenkinsfile`).
    let folder = file.replace('\\', "/").rsplit('/').nth(1).map(str::to_string).filter(|f| !f.is_empty() && f != ".");
    let name = folder.clone().unwrap_or_else(|| "component".to_string());
    let note = if folder.is_some() {
        "the Jenkinsfile's folder: to confirm the component's name"
    } else {
        "a Jenkinsfile names no component: to confirm"
    };
    draft.set_noted("component.name", name.as_str(), None, note);
    let commands: Vec<&str> = stages.iter().flat_map(|s| s.commands.iter().copied()).collect();
    super::draft_platform(draft, &commands);
    let ask = "the strategy of the deploy commands (a Deployment's own rolling update, or a canary they run?)";
    draft.ask("rollout.strategy", "rolling", ask);
    for stage in stages {
        let from = at(&stage.path, stage.call.mark);
        for (input, _, path) in inputs(stage) {
            draft.set_noted("rollout.approval", "manual", at(&path, input.mark), "an input waits for a person");
            if let Some((value, mark)) = input_field(input, "submitter") {
                if let Some(who) = value.text().filter(|t| !t.trim().is_empty()) {
                    let approver = json!({ "name": who });
                    draft.set_noted(
                        "people.approver",
                        approver,
                        at(&format!("{path}.submitter"), mark),
                        "the input's submitter",
                    );
                }
            }
        }
        // A deploy that runs only on some builds: say on which, as written.
        if let Some(when) = stage.call.call("when").filter(|_| stage.role == Role::Deploy) {
            let conditions: Vec<String> = when.children().filter(|c| c.name != "beforeInput").map(written).collect();
            if !conditions.is_empty() {
                let line = when.mark.line;
                draft.note(format!("{file}:{line}: stage {} runs only when {}", stage.name, conditions.join(" and ")));
            }
        }
        match stage.role {
            Role::Verify => draft.push("abort.triggers", format!("Jenkins stage {} fails", stage.name), from),
            Role::Fallback => {
                let step = json!({ "action": format!("Jenkins stage {}", stage.name) });
                draft.push("fallback.steps", step, from);
            }
            _ => {}
        }
    }
    if let Some(post) = pipeline.call("post") {
        for condition in
            post.children().filter(|c| ON_FAILURE.contains(&c.name.as_str()) || ON_ABORT.contains(&c.name.as_str()))
        {
            let commands = commands_in(condition);
            let what = match commands.as_slice() {
                [] => continue,
                [one] => one.to_string(),
                [first, ..] => format!("{first} …"),
            };
            let step = json!({ "action": format!("Jenkins post {{ {} }}: {what}", condition.name) });
            draft.push("fallback.steps", step, at(&format!("pipeline.post.{}", condition.name), condition.mark));
        }
    }
    super::ask_the_unknowable(reading, &name);
}
