//! Reading the team's own pipeline files: which tool each is for, the spec they imply (each field
//! with the line it came from, see [`draft`]), and the facts the pipeline lint checks (see
//! [`subject`] and `findings::pipeline`).
//!
//! ```text
//! files ──detect──▶ format ──reader──▶ subjects (facts with places) + draft spec
//! ```
//!
//! A reader knows its tool's file format and what the tool does with it (cited beside the code);
//! what counts as a gap, and its wording, lives in `templates/lint/<tool>.yaml`.

mod argo_cd;
mod codedeploy;
mod detect;
pub mod draft;
mod github;
mod gitlab;
mod groovy;
mod harness;
mod jenkins;
mod kubernetes;
mod ocl;
mod octopus;
mod roles;
mod spinnaker;
mod subject;

use crate::error::{Error, ErrorKind, Mark};
use crate::source::node::{MergeKeys, Node};

pub use detect::{looks_like_text_format, Format};
pub use draft::{Draft, Provenance};
pub use subject::{Place, Subject};

/// One file given to `planb import` or `planb check`.
#[derive(Debug, Clone, Copy)]
pub struct PipelineFile<'a> {
    /// The name it is reported under (a path, or `<stdin>`).
    pub name: &'a str,
    pub text: &'a str,
}

/// What the files say: their formats, the facts the lint checks, and the spec they imply.
#[derive(Debug, Default)]
pub struct Reading {
    /// Each file's name and format, in the order given.
    pub formats: Vec<(String, Format)>,
    pub subjects: Vec<Subject>,
    pub draft: Draft,
}

/// The format of a file, when it is a pipeline file planb reads; `None` for anything else (a spec,
/// or a file planb cannot place). Cheap enough to ask of every file `planb check` is given.
pub fn detect(file: PipelineFile<'_>) -> Option<Format> {
    classify(file).ok().map(|(format, _, _)| format)
}

/// A file's format, with its documents when it is YAML and the place a refusal points at. The
/// formats that are not YAML are told by the file's name (`Jenkinsfile`, `*.ocl`), or, for a file
/// that is no YAML pipeline file (pasted text), by reading it as each.
fn classify(file: PipelineFile<'_>) -> Result<(Format, Vec<Node>, Mark), Error> {
    const START: Mark = Mark { line: 1, column: 1 };
    let jenkins = |kind: Option<jenkins::Kind>| match kind {
        Some(jenkins::Kind::Scripted(mark)) => (Format::JenkinsScripted, Vec::new(), mark),
        _ => (Format::Jenkins, Vec::new(), START),
    };
    match detect::by_name(file.name) {
        Some(Format::Jenkins) => return Ok(jenkins(jenkins::kind(file.text))),
        Some(format) => return Ok((format, Vec::new(), START)),
        None => {}
    }
    let yaml = documents(file.text).and_then(|docs| Ok((detect::format(file.name, &docs)?, docs)));
    match yaml {
        Ok((format, docs)) => {
            let mark = docs.first().map_or(START, |d| d.mark);
            Ok((format, docs, mark))
        }
        Err(e) => match jenkins::kind(file.text) {
            Some(kind) => Ok(jenkins(Some(kind))),
            None if octopus::is_process(file.text) => Ok((Format::Octopus, Vec::new(), START)),
            None => Err(e),
        },
    }
}

/// A file's documents, read to tell its format: by YAML 1.1's merge rules, or, when a key repeats
/// (which YAML refuses), as GitLab reads it, so that a GitLab file with one is still recognised;
/// any other format keeps the refusal.
fn documents(text: &str) -> Result<Vec<Node>, Error> {
    match parse_stream(text, MergeKeys::Yaml11) {
        Err(e) if e.message.starts_with("duplicate key") => match parse_stream(text, MergeKeys::Psych) {
            Ok(docs) if detect::format("", &docs) == Ok(Format::GitlabCi) => Ok(docs),
            _ => Err(e),
        },
        read => read,
    }
}

/// Reads pipeline files together: a Rollout and its AnalysisTemplate in two files are one pipeline.
/// A file that is not a pipeline file planb reads is an error naming the formats tried.
pub fn read(files: &[PipelineFile<'_>]) -> Result<Reading, Error> {
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        let (format, documents, mark) = classify(*file).map_err(|e| e.with_origin(file.name))?;
        if let Some(why) = format.not_read() {
            let message = format!("{}: {why}", format.name());
            return Err(Error::new(ErrorKind::InvalidSpec, message).at(mark).with_origin(file.name));
        }
        // GitLab reads its files with Ruby's Psych, whose merge keys differ (see MergeKeys::Psych).
        let documents = match format {
            Format::GitlabCi => parse_stream(file.text, MergeKeys::Psych).map_err(|e| e.with_origin(file.name))?,
            _ => documents,
        };
        parsed.push((*file, format, documents));
    }
    let mut reading = Reading::default();
    for (file, format, _) in &parsed {
        reading.formats.push((file.name.to_string(), *format));
    }
    let kubernetes: Vec<_> = parsed
        .iter()
        .filter(|(_, f, _)| matches!(f, Format::ArgoRollouts | Format::Flagger))
        .map(|(file, _, docs)| (file.name, docs.as_slice()))
        .collect();
    if !kubernetes.is_empty() {
        kubernetes::read(&kubernetes, &mut reading);
    }
    for (file, format, documents) in &parsed {
        match format {
            Format::GithubActions => {
                if let Some(doc) = documents.iter().find(|d| d.get("jobs").is_some()) {
                    github::read(file.name, doc, &mut reading);
                }
            }
            Format::GitlabCi => gitlab::read(file.name, documents, &mut reading),
            Format::ArgoCd => argo_cd::read(file.name, documents, &mut reading),
            Format::Jenkins => jenkins::read(file.name, file.text, &mut reading)?,
            Format::Octopus => octopus::read(file.name, file.text, &mut reading)?,
            Format::Spinnaker => {
                for doc in documents.iter().filter(|d| d.get("stages").is_some()) {
                    spinnaker::read(file.name, doc, &mut reading);
                }
            }
            Format::CodeDeploy => {
                for doc in documents {
                    codedeploy::read(file.name, doc, &mut reading);
                }
            }
            Format::Harness => {
                for doc in documents.iter().filter(|d| d.get("pipeline").is_some() || d.get("template").is_some()) {
                    harness::read(file.name, doc, &mut reading);
                }
            }
            _ => {}
        }
    }
    Ok(reading)
}

fn parse_stream(text: &str, merge_keys: MergeKeys) -> Result<Vec<Node>, Error> {
    crate::source::node::parse_stream(text, merge_keys)
}

/// A name as a flag key would write it: lower case, words joined by `-`; `component` for a name
/// that is an expression or template (`<+input>`, `${{ … }}`, `{{.cluster}}`).
fn flag_stem(name: &str) -> String {
    if name.contains("<+") || name.contains("${") || name.contains("{{") {
        return "component".to_string();
    }
    let lower = name.to_lowercase();
    let words = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    words.collect::<Vec<_>>().join("-")
}

/// The platform the deploy commands point at, marked to confirm; a question when they name none.
fn draft_platform(draft: &mut Draft, commands: &[&str]) {
    match platform_of(commands) {
        Some(platform) => {
            draft.set_noted("deployment.platform", platform, None, "from the deploy commands: to confirm")
        }
        None => {
            draft.ask("deployment.platform", "kubernetes", "where it deploys to: kubernetes, ecs, serverless or vm")
        }
    }
}

/// The platform that deploy commands point at, when they name one.
fn platform_of(commands: &[&str]) -> Option<&'static str> {
    let any = |words: &[&str]| commands.iter().any(|c| words.iter().any(|w| c.contains(w)));
    if any(&["kubectl ", "helm ", "argocd "]) {
        Some("kubernetes")
    } else if any(&["aws ecs ", "ecs-deploy"]) {
        Some("ecs")
    } else if any(&["aws lambda ", "sam deploy", "serverless deploy"]) {
        Some("serverless")
    } else {
        None
    }
}

/// What the files cannot say about any deployment, asked in every imported spec.
pub(super) fn ask_the_unknowable(reading: &mut Reading, name: &str) {
    let draft = &mut reading.draft;
    draft.ask(
        "deployment.first_deployment",
        "true",
        "is this the component's first deployment (nothing to roll back to)? The files cannot say.",
    );
    draft.ask("component.owner_team", "\"…\"", "the team that owns the component");
    draft.ask(
        "kill_switches",
        &format!("[{{ kind: feature-flag, flag_key: {}-enabled, owner: \"…\", takes_effect: 1m }}]", flag_stem(name)),
        "how the component is switched off without a deployment, and who does it",
    );
    draft.ask("abort.decision_owner", "\"…\"", "the person who calls the fallback");
    draft.ask("people.deployer", "{ name: \"…\", contact: \"…\" }", "who runs the change");
}

/// The place of a node in a file, for a subject's fact or a draft field.
fn place(file: &str, path: impl Into<String>, node: &Node) -> Place {
    Place { file: file.to_string(), path: path.into(), mark: node.mark }
}
