//! What `planb check` reports: each file's findings, or why the file could not be checked, in the
//! form its reader expects: planb's own text and JSON, SARIF 2.1.0 for code scanning ([`sarif`]),
//! GitHub Actions workflow commands ([`github`]) and GitLab's Code Quality report ([`gitlab`]).

mod github;
mod gitlab;
mod plain;
mod sarif;

use crate::error::Mark;
use crate::findings::{Finding, Location, Severity};
use crate::tools::Knowledge;

/// The formats `planb check --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One line a finding, for people; colour only when `colour` is set.
    Text { colour: bool },
    /// planb's JSON: one object a file (a list for several files).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab's Code Quality report: findings in the merge request.
    Gitlab,
}

impl ReportFormat {
    /// The names `--format` takes, in the order `--help` lists them.
    pub const NAMES: &'static [&'static str] = &["text", "json", "sarif", "github", "gitlab"];

    /// The format of a `--format` name (text without colour).
    pub fn named(name: &str) -> Option<ReportFormat> {
        Some(match name {
            "text" => ReportFormat::Text { colour: false },
            "json" => ReportFormat::Json,
            "sarif" => ReportFormat::Sarif,
            "github" => ReportFormat::Github,
            "gitlab" => ReportFormat::Gitlab,
            _ => return None,
        })
    }
}

/// One file given to `planb check`, checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file as it was given: a path, `<stdin>`, or `<link>` for a permalink.
    pub file: String,
    pub outcome: Result<Vec<Finding>, Unreadable>,
}

/// Why a file could not be checked: it does not read, or is not a spec or pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The whole message, as the text report prints it (file and position first, where known).
    pub message: String,
    /// Where in the file, when the problem has a place.
    pub mark: Option<Mark>,
}

impl From<crate::Error> for Unreadable {
    fn from(e: crate::Error) -> Unreadable {
        Unreadable { mark: e.mark, message: e.to_string() }
    }
}

impl Checked {
    /// A spec's findings, each located at its field in the spec's text (or at the nearest field
    /// that holds it, for a field the spec leaves out).
    pub fn spec(file: &str, text: Option<&str>, findings: Vec<Finding>) -> Checked {
        let locations = text.and_then(crate::source::Locations::of);
        let located = findings
            .into_iter()
            .map(|mut f| {
                let mark = locations.as_ref().map(|l| l.of_field(&f.path));
                f.location = mark.map(|m| Location { file: file.to_string(), line: m.line, column: m.column });
                f
            })
            .collect();
        Checked { file: file.to_string(), outcome: Ok(located) }
    }

    /// The findings, none when the file could not be checked.
    fn findings(&self) -> &[Finding] {
        self.outcome.as_deref().unwrap_or_default()
    }
}

/// Whether a report holds an error-level finding (`planb check` then exits 1).
pub fn has_errors(checked: &[Checked]) -> bool {
    checked.iter().flat_map(Checked::findings).any(|f| f.severity == Severity::Error)
}

/// What a report writes: the document for standard output, and for the text format the files that
/// could not be checked, for standard error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub stdout: String,
    pub stderr: String,
}

/// Where the files are: the working directory they were named from, as an absolute path, so that
/// SARIF can say what its relative paths are relative to (`None` where there is none, as in a browser).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub working_directory: Option<String>,
}

/// Writes the report of checked files in a format.
pub fn write(checked: &[Checked], format: ReportFormat, knowledge: &Knowledge, origin: &Origin) -> Written {
    match format {
        ReportFormat::Text { colour } => plain::text(checked, colour),
        ReportFormat::Json => Written { stdout: plain::json(checked), stderr: String::new() },
        ReportFormat::Sarif => Written { stdout: sarif::write(checked, knowledge, origin), stderr: String::new() },
        ReportFormat::Github => Written { stdout: github::write(checked), stderr: String::new() },
        ReportFormat::Gitlab => Written { stdout: gitlab::write(checked, origin), stderr: String::new() },
    }
}

/// A file's path relative to the working directory, `/` between its parts; absolute when it is
/// outside it. `None` for input that is no file (`<stdin>`, `<link>`).
fn relative_path(file: &str, origin: &Origin) -> Option<String> {
    if file.starts_with('<') && file.ends_with('>') {
        return None;
    }
    let path = file.replace('\\', "/");
    let inside = origin
        .working_directory
        .as_deref()
        .and_then(|dir| path.strip_prefix(dir.trim_end_matches('/')).and_then(|rest| rest.strip_prefix('/')));
    Some(match inside {
        Some(rest) => rest.to_string(),
        None => path.trim_start_matches("./").to_string(),
    })
}

/// A file's [`relative_path`] as a URI reference: each character outside RFC 3986's unreserved set
/// and `/` percent-encoded; an absolute path a `file:` URI.
fn file_uri(file: &str, origin: &Origin) -> Option<String> {
    let path = relative_path(file, origin)?;
    let mut uri = String::from(if path.starts_with('/') { "file://" } else { "" });
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    Some(uri)
}

/// A stable fingerprint of a finding: its rule, file and field, not its line, so that it survives
/// edits above it (the parser's 64-bit FNV-1a, in hex; not a security check).
fn fingerprint(parts: &[&str]) -> String {
    format!("{:016x}", crate::source::node::fingerprint(&parts.join("\0")))
}

/// `n` and the noun that goes with it: "1 error", "2 errors".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
