//! What each command does.

use std::path::Path;

use planb::pipeline::PipelineFile;
use planb::render::escape;
use planb::{Engine, Finding, RenderOptions, Severity};

use super::args::Command;
use super::exit;
use super::output::{self, Paint};

pub fn execute(command: Command) -> Result<i32, String> {
    match command {
        Command::Help(text) => output::emit(None, text).map(|()| exit::OK),
        Command::Version => output::emit(None, &format!("planb {}\n", env!("CARGO_PKG_VERSION"))).map(|()| exit::OK),
        Command::Schema => output::emit(None, planb::SPEC_SCHEMA).map(|()| exit::OK),
        Command::Init { tool, output, force } => {
            if let Some(path) = &output {
                if path.exists() && !force {
                    return Err(format!("{}: already exists; pass --force to overwrite it", path.display()));
                }
            }
            let text = engine()?.starter_spec(tool).map_err(|e| e.to_string())?;
            output::emit(output.as_deref(), &text).map(|()| exit::OK)
        }
        Command::Render { spec, format, style, output } => {
            let engine = engine()?;
            let spec = load(&spec)?;
            let text = engine.render(&spec, RenderOptions { format, style }).map_err(|e| e.to_string())?;
            output::emit(output.as_deref(), &text).map(|()| exit::OK)
        }
        Command::Build { specs, out, base_url, keep_going, jobs } => {
            let engine = engine()?;
            let options = planb::site::BuildOptions { specs, out, base_url, keep_going, jobs };
            super::build::run(&engine, &options)
        }
        Command::Link { spec, base } => {
            let spec = load(&spec)?;
            let text = match base {
                Some(base) => planb::share::link(&base, &spec),
                None => format!("#{}", planb::permalink::encode(&spec)),
            };
            if text.len() > planb::permalink::LONG_LINK {
                output::warn(&format!(
                    "the link is {} characters long; chat tools and wikis may cut it (share the spec file instead)",
                    text.len()
                ));
            }
            output::emit(None, &format!("{text}\n")).map(|()| exit::OK)
        }
        Command::Decode { link } => {
            let (origin, text) = match link.as_str() {
                "-" => output::read_input(Path::new("-"))?,
                _ => ("<link>".to_string(), link),
            };
            let spec = from_link(&origin, &text)?;
            output::emit(None, &planb::source::to_yaml(&spec)).map(|()| exit::OK)
        }
        Command::Embed { spec, base, confluence } => {
            let spec = load(&spec)?;
            let text = if confluence {
                planb::share::confluence_iframe(&base, &spec)
            } else {
                planb::share::iframe(&base, &spec)
            };
            output::emit(None, &format!("{text}\n")).map(|()| exit::OK)
        }
        Command::Check { specs, json } => check(&specs, json),
        Command::Import { files, output } => {
            let engine = engine()?;
            let inputs = files.iter().map(|f| output::read_input(f)).collect::<Result<Vec<_>, _>>()?;
            let files: Vec<PipelineFile> = inputs.iter().map(|(name, text)| PipelineFile { name, text }).collect();
            let imported = engine.import(&files).map_err(|e| e.to_string())?;
            output::emit(output.as_deref(), &imported.spec)?;
            if !imported.findings.is_empty() {
                let n = output::counted(imported.findings.len(), "finding", "findings");
                output::warn(&format!("{n} on the pipeline files: see `planb check` on them"));
            }
            Ok(exit::OK)
        }
    }
}

/// `planb check`: each spec on its own, the pipeline files together; reports in the order given.
fn check(paths: &[std::path::PathBuf], json: bool) -> Result<i32, String> {
    let engine = engine()?;
    let mut code = exit::OK;
    let mut reports = Vec::new();
    // Every file is read first: pipeline files are linted together (a Rollout and its templates).
    let inputs: Vec<Input> = paths.iter().map(|path| read_checked(path)).collect();
    let pipeline_files: Vec<PipelineFile> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Pipeline(name, text) => Some(PipelineFile { name, text }),
            _ => None,
        })
        .collect();
    // A file that does not read is reported on its own and the others are linted without it.
    let mut failed: Vec<(String, String)> = Vec::new();
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
                    failed.extend(remaining.drain(..).map(|f| (f.name.to_string(), e.to_string())));
                } else {
                    failed.push((culprit, e.to_string()));
                }
            }
        }
    }
    for (path, input) in paths.iter().zip(&inputs) {
        let (origin, findings) = match input {
            Input::Spec(origin, spec) => (origin.clone(), engine.check(spec)),
            Input::Pipeline(origin, _) => match failed.iter().find(|(name, _)| name == origin) {
                Some((_, message)) => {
                    invalid(&mut code, &mut reports, json, path, message.clone());
                    continue;
                }
                None => {
                    let mine = linted.iter().filter(|f| f.location.as_ref().is_some_and(|l| &l.file == origin));
                    (origin.clone(), mine.cloned().collect())
                }
            },
            Input::Invalid(message) => {
                invalid(&mut code, &mut reports, json, path, message.clone());
                continue;
            }
        };
        if findings.iter().any(|f| f.severity == Severity::Error) && code == exit::OK {
            code = exit::FINDINGS;
        }
        if json {
            reports.push(check_json(&origin, &findings));
        } else {
            output::emit(None, &check_text(&origin, &findings))?;
        }
    }
    if json {
        // One file gives one object; several give a list, in the order given.
        let value = if reports.len() == 1 { reports.remove(0) } else { serde_json::Value::Array(reports) };
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        output::emit(None, &text)?;
    }
    Ok(code)
}

/// A file given to `planb check`, read.
enum Input {
    /// A spec (boxed: it is large beside the other cases).
    Spec(String, Box<planb::Spec>),
    /// A pipeline file: its name and text.
    Pipeline(String, String),
    Invalid(String),
}

fn read_checked(path: &Path) -> Input {
    if let Some(link) = path.to_str().filter(|p| planb::permalink::looks_like_link(p) && !path.exists()) {
        return match from_link("<link>", link) {
            Ok(spec) => Input::Spec("<link>".to_string(), Box::new(spec)),
            Err(message) => Input::Invalid(message),
        };
    }
    let (origin, text) = match output::read_input(path) {
        Ok(read) => read,
        Err(message) => return Input::Invalid(message),
    };
    if planb::pipeline::detect(PipelineFile { name: &origin, text: &text }).is_some() {
        return Input::Pipeline(origin, text);
    }
    match planb::parse_spec(&text) {
        Ok(spec) => Input::Spec(origin, Box::new(spec)),
        Err(e) => Input::Invalid(e.with_origin(origin).to_string()),
    }
}

fn invalid(code: &mut i32, reports: &mut Vec<serde_json::Value>, json: bool, path: &Path, message: String) {
    *code = exit::INVALID;
    if json {
        reports.push(serde_json::json!({ "file": path.display().to_string(), "error": message }));
    } else {
        output::error(&message);
    }
}

fn engine() -> Result<Engine, String> {
    Engine::new().map_err(|e| format!("internal error, please report it: {e}"))
}

fn load(path: &Path) -> Result<planb::Spec, String> {
    load_named(path).map(|(_, spec)| spec)
}

/// Reads a spec from a file, standard input (`-`), or a link given in the file's place.
fn load_named(path: &Path) -> Result<(String, planb::Spec), String> {
    if let Some(link) = path.to_str().filter(|p| planb::permalink::looks_like_link(p) && !path.exists()) {
        return Ok(("<link>".to_string(), from_link("<link>", link)?));
    }
    let (origin, text) = output::read_input(path)?;
    let spec = planb::parse_spec(&text).map_err(|e| e.with_origin(origin.clone()).to_string())?;
    Ok((origin, spec))
}

/// The spec a link holds; an error names `origin`, where the link came from.
fn from_link(origin: &str, link: &str) -> Result<planb::Spec, String> {
    planb::permalink::decode_link(link).map_err(|e| e.with_origin(origin).to_string())
}

fn check_text(origin: &str, findings: &[Finding]) -> String {
    let paint = Paint::stdout();
    let mut out = String::new();
    for f in findings {
        let severity = match f.severity {
            Severity::Error => paint.red("error"),
            Severity::Warning => paint.yellow("warning"),
            Severity::Info => paint.blue("info"),
        };
        let at = match &f.location {
            Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
            None => origin.to_string(),
        };
        let at = escape::text(&at);
        // A pipeline path holds the file's own keys (job names): escaped like the message.
        out.push_str(&format!("{at}: {severity}[{}] {}: {}\n", f.id, escape::text(&f.path), escape::text(&f.message)));
        out.push_str(&format!("  {} {}\n", paint.dim("fix:"), f.fix));
    }
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "{origin}: {}, {}, {}\n",
        output::counted(count(Severity::Error), "error", "errors"),
        output::counted(count(Severity::Warning), "warning", "warnings"),
        output::counted(count(Severity::Info), "note", "notes"),
    ));
    out
}

fn check_json(origin: &str, findings: &[Finding]) -> serde_json::Value {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    serde_json::json!({
        "file": origin,
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
        "infos": count(Severity::Info),
        "findings": findings,
    })
}
