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

mod detect;
pub mod draft;
mod kubernetes;
mod subject;

use crate::error::{Error, ErrorKind};
use crate::source::node::Node;

pub use detect::Format;
pub use draft::Draft;
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
    let documents = crate::source::node::parse_stream(file.text).ok()?;
    detect::format(file.name, &documents).ok()
}

/// Reads pipeline files together: a Rollout and its AnalysisTemplate in two files are one pipeline.
/// A file that is not a pipeline file planb reads is an error naming the formats tried.
pub fn read(files: &[PipelineFile<'_>]) -> Result<Reading, Error> {
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        let documents = crate::source::node::parse_stream(file.text).map_err(|e| e.with_origin(file.name))?;
        let format = detect::format(file.name, &documents).map_err(|e| e.with_origin(file.name))?;
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
    for (file, format, _) in &parsed {
        if let Some(why) = format.not_read() {
            let message = format!("{}: {why}", format.name());
            return Err(Error::new(ErrorKind::InvalidSpec, message).with_origin(file.name));
        }
    }
    Ok(reading)
}

/// The place of a node in a file, for a subject's fact or a draft field.
fn place(file: &str, path: impl Into<String>, node: &Node) -> Place {
    Place { file: file.to_string(), path: path.into(), mark: node.mark }
}
