//! What each command does.

use std::path::Path;

use crate::pipeline::PipelineFile;
use crate::report::{self, Checked, Origin, ReportFormat, Unreadable};
use crate::{Engine, RenderOptions};

use super::args::Command;
use super::exit;
use super::host::{Host, Stream};
use super::output::{self, Paint};

pub fn execute(command: Command, host: &dyn Host) -> Result<i32, String> {
    match command {
        Command::Help(text) => output::emit(host, None, text).map(|()| exit::OK),
        Command::Version => {
            output::emit(host, None, &format!("planb {}\n", env!("CARGO_PKG_VERSION"))).map(|()| exit::OK)
        }
        Command::Schema => output::emit(host, None, crate::SPEC_SCHEMA).map(|()| exit::OK),
        Command::Init { tool, output, force } => {
            if let Some(path) = &output {
                if host.exists(path) && !force {
                    return Err(format!("{}: already exists; pass --force to overwrite it", path.display()));
                }
            }
            let text = engine()?.starter_spec(tool).map_err(|e| e.to_string())?;
            output::emit(host, output.as_deref(), &text).map(|()| exit::OK)
        }
        Command::Render { spec, format, style, output } => {
            let engine = engine()?;
            let spec = load(host, &spec)?;
            let text = engine.render(&spec, RenderOptions { format, style }).map_err(|e| e.to_string())?;
            output::emit(host, output.as_deref(), &text).map(|()| exit::OK)
        }
        build @ Command::Build { .. } => host.build(&build),
        Command::Link { spec, base } => {
            let spec = load(host, &spec)?;
            let text = match base {
                Some(base) => crate::share::link(&base, &spec),
                None => format!("#{}", crate::permalink::encode(&spec)),
            };
            if text.len() > crate::permalink::LONG_LINK {
                output::warn(
                    host,
                    &format!(
                        "the link is {} characters long; chat tools and wikis may cut it (share the spec file instead)",
                        text.len()
                    ),
                );
            }
            output::emit(host, None, &format!("{text}\n")).map(|()| exit::OK)
        }
        Command::Decode { link } => {
            let (origin, text) = match link.as_str() {
                "-" => output::read_input(host, Path::new("-"))?,
                _ => ("<link>".to_string(), link),
            };
            let spec = from_link(&origin, &text)?;
            output::emit(host, None, &crate::source::to_yaml(&spec)).map(|()| exit::OK)
        }
        Command::Embed { spec, base, confluence } => {
            let spec = load(host, &spec)?;
            let text = if confluence {
                crate::share::confluence_iframe(&base, &spec)
            } else {
                crate::share::iframe(&base, &spec)
            };
            output::emit(host, None, &format!("{text}\n")).map(|()| exit::OK)
        }
        Command::Check { specs, format } => check(host, &specs, format),
        Command::Import { files, output } => {
            let engine = engine()?;
            let inputs = files.iter().map(|f| output::read_input(host, f)).collect::<Result<Vec<_>, _>>()?;
            let files: Vec<PipelineFile> = inputs.iter().map(|(name, text)| PipelineFile { name, text }).collect();
            let imported = engine.import(&files).map_err(|e| e.to_string())?;
            output::emit(host, output.as_deref(), &imported.spec)?;
            if !imported.findings.is_empty() {
                let n = output::counted(imported.findings.len(), "finding", "findings");
                output::warn(host, &format!("{n} on the pipeline files: see `planb check` on them"));
            }
            Ok(exit::OK)
        }
    }
}

/// `planb check`: each spec on its own, the pipeline files together; reports in the order given.
fn check(host: &dyn Host, paths: &[std::path::PathBuf], format: ReportFormat) -> Result<i32, String> {
    let engine = engine()?;
    // Every file is read first: pipeline files are linted together (a Rollout and its templates).
    let inputs: Vec<Input> = paths.iter().map(|path| read_checked(host, path)).collect();
    let pipeline_files: Vec<PipelineFile> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Pipeline(name, text) => Some(PipelineFile { name, text }),
            _ => None,
        })
        .collect();
    // A file that does not read is reported on its own and the others are linted without it.
    let mut failed: Vec<(String, Unreadable)> = Vec::new();
    let mut linted = Vec::new();
    let mut remaining = pipeline_files;
    while !remaining.is_empty() {
        match engine.check_pipeline(&remaining) {
            Ok(findings) => {
                linted = findings;
                break;
            }
            Err(e) => {
                let culprit = e.origin.clone().unwrap_or_default();
                let before = remaining.len();
                remaining.retain(|f| f.name != culprit);
                if remaining.len() == before {
                    // An error that names no file given: every pipeline file carries it.
                    failed.extend(remaining.drain(..).map(|f| (f.name.to_string(), Unreadable::from(e.clone()))));
                } else {
                    failed.push((culprit, e.into()));
                }
            }
        }
    }
    let checked: Vec<Checked> = paths
        .iter()
        .zip(inputs)
        .map(|(path, input)| match input {
            Input::Spec(origin, spec, text) => Checked::spec(&origin, text.as_deref(), engine.check(&spec)),
            Input::Pipeline(origin, _) => {
                let outcome = match failed.iter().find(|(name, _)| *name == origin) {
                    Some((_, e)) => Err(e.clone()),
                    None => {
                        let mine = linted.iter().filter(|f| f.location.as_ref().is_some_and(|l| l.file == origin));
                        Ok(mine.cloned().collect())
                    }
                };
                Checked { file: origin, outcome }
            }
            Input::Invalid(e) => Checked { file: path.display().to_string(), outcome: Err(e) },
        })
        .collect();
    let format = match format {
        ReportFormat::Text { .. } => ReportFormat::Text { colour: Paint::of(host, Stream::Stdout).enabled() },
        other => other,
    };
    let written = engine.report(&checked, format, &Origin { working_directory: host.working_directory() });
    if !written.stderr.is_empty() {
        let _ = host.write(Stream::Stderr, &written.stderr);
    }
    output::emit(host, None, &written.stdout)?;
    Ok(if checked.iter().any(|c| c.outcome.is_err()) {
        exit::INVALID
    } else if report::has_errors(&checked) {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// A file given to `planb check`, read.
enum Input {
    /// A spec (boxed: it is large beside the other cases), and its text when it came from a file.
    Spec(String, Box<crate::Spec>, Option<String>),
    /// A pipeline file: its name and text.
    Pipeline(String, String),
    Invalid(Unreadable),
}

fn read_checked(host: &dyn Host, path: &Path) -> Input {
    let unreadable = |message: String| Input::Invalid(Unreadable { message, mark: None });
    if let Some(link) = path.to_str().filter(|p| crate::permalink::looks_like_link(p) && !host.exists(path)) {
        return match from_link("<link>", link) {
            Ok(spec) => Input::Spec("<link>".to_string(), Box::new(spec), None),
            Err(message) => unreadable(message),
        };
    }
    let (origin, text) = match output::read_input(host, path) {
        Ok(read) => read,
        Err(message) => return unreadable(message),
    };
    if crate::pipeline::detect(PipelineFile { name: &origin, text: &text }).is_some() {
        return Input::Pipeline(origin, text);
    }
    match crate::parse_spec(&text) {
        Ok(spec) => Input::Spec(origin, Box::new(spec), Some(text)),
        Err(e) => Input::Invalid(e.with_origin(origin).into()),
    }
}

fn engine() -> Result<Engine, String> {
    Engine::new().map_err(|e| format!("internal error, please report it: {e}"))
}

fn load(host: &dyn Host, path: &Path) -> Result<crate::Spec, String> {
    load_named(host, path).map(|(_, spec)| spec)
}

/// Reads a spec from a file, standard input (`-`), or a link given in the file's place.
fn load_named(host: &dyn Host, path: &Path) -> Result<(String, crate::Spec), String> {
    if let Some(link) = path.to_str().filter(|p| crate::permalink::looks_like_link(p) && !host.exists(path)) {
        return Ok(("<link>".to_string(), from_link("<link>", link)?));
    }
    let (origin, text) = output::read_input(host, path)?;
    let spec = crate::parse_spec(&text).map_err(|e| e.with_origin(origin.clone()).to_string())?;
    Ok((origin, spec))
}

/// The spec a link holds; an error names `origin`, where the link came from.
fn from_link(origin: &str, link: &str) -> Result<crate::Spec, String> {
    crate::permalink::decode_link(link).map_err(|e| e.with_origin(origin).to_string())
}
