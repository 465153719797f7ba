//! planb's own report formats: text for people and JSON for scripts.

use super::{counted, Checked, Written};
use crate::findings::{Finding, Severity};
use crate::render::escape;

/// One line a finding (`file:line:column: severity[id] field: message`) and its fix, then a count
/// a file; the files that could not be checked go to standard error.
pub fn text(checked: &[Checked], colour: bool) -> Written {
    let paint = |code: &str, s: &str| if colour { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    let mut written = Written::default();
    for c in checked {
        let findings = match &c.outcome {
            Ok(findings) => findings,
            Err(e) => {
                written.stderr.push_str(&format!("{} {}\n", paint("1;31", "error:"), e.message));
                continue;
            }
        };
        let out = &mut written.stdout;
        for f in findings {
            let severity = match f.severity {
                Severity::Error => paint("1;31", "error"),
                Severity::Warning => paint("1;33", "warning"),
                Severity::Info => paint("1;34", "info"),
            };
            let at = match &f.location {
                Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
                None => c.file.clone(),
            };
            // A pipeline path holds the file's own keys (job names): escaped like the message.
            let (at, path, message) = (escape::text(&at), escape::text(&f.path), escape::text(&f.message));
            out.push_str(&format!("{at}: {severity}[{}] {path}: {message}\n", f.id));
            out.push_str(&format!("  {} {}\n", paint("2", "fix:"), f.fix));
        }
        let (errors, warnings, infos) = counts(findings);
        out.push_str(&format!(
            "{}: {}, {}, {}\n",
            escape::text(&c.file),
            counted(errors, "error", "errors"),
            counted(warnings, "warning", "warnings"),
            counted(infos, "note", "notes"),
        ));
    }
    written
}

/// `{ file, errors, warnings, infos, findings }` a file, or `{ file, error }` for one that could
/// not be checked; one file gives one object, several a list in the order given.
pub fn json(checked: &[Checked]) -> String {
    let mut reports: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| match &c.outcome {
            Ok(findings) => {
                let (errors, warnings, infos) = counts(findings);
                serde_json::json!({
                    "file": c.file,
                    "errors": errors,
                    "warnings": warnings,
                    "infos": infos,
                    "findings": findings,
                })
            }
            Err(e) => serde_json::json!({ "file": c.file, "error": e.message }),
        })
        .collect();
    let value = if reports.len() == 1 { reports.remove(0) } else { serde_json::Value::Array(reports) };
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The findings of each severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    (count(Severity::Error), count(Severity::Warning), count(Severity::Info))
}
