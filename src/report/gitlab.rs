//! GitLab's Code Quality report (<https://docs.gitlab.com/ci/testing/code_quality/>, "Code Quality
//! report format"): a JSON array of objects with `description`, `check_name`, `fingerprint`,
//! `severity` and `location.path` with `location.lines.begin`; a job publishes it with
//! `artifacts: reports: codequality: FILE`, and the merge request shows it.

use serde_json::{json, Value};

use super::{fingerprint, relative_path, Checked, Origin};
use crate::findings::Severity;

/// The array, one object a finding and one a file that could not be checked.
pub fn write(checked: &[Checked], origin: &Origin) -> String {
    let mut issues: Vec<Value> = Vec::new();
    let mut add = |check: &str, description: String, severity: &str, file: &str, path: &str, line: Option<u32>| {
        // GitLab keeps one finding a fingerprint: a second finding alike is told apart by its number.
        let mut print = fingerprint(&[check, file, path]);
        let mut n = 1;
        while issues.iter().any(|i| i["fingerprint"] == print.as_str()) {
            n += 1;
            print = fingerprint(&[check, file, path, &n.to_string()]);
        }
        let location = json!({
            // A path relative to the repository; input that is no file is reported under its name.
            "path": relative_path(file, origin).unwrap_or_else(|| file.to_string()),
            "lines": { "begin": line.unwrap_or(1) },
        });
        issues.push(json!({
            "description": description,
            "check_name": check,
            "fingerprint": print,
            "severity": severity,
            "location": location,
        }));
    };
    for c in checked {
        match &c.outcome {
            Ok(findings) => {
                for f in findings {
                    let line = f.location.as_ref().map(|l| l.line);
                    add(
                        f.id,
                        format!("{}: {}. Fix: {}", f.path, f.message.trim_end_matches('.'), f.fix),
                        severity(f.severity),
                        &c.file,
                        &f.path,
                        line,
                    );
                }
            }
            Err(e) => add("PB000", e.message.clone(), "blocker", &c.file, "", e.mark.map(|m| m.line)),
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_default();
    text.push('\n');
    text
}

/// GitLab's severity (`info`, `minor`, `major`, `critical` or `blocker`) for a finding's: an error
/// fails `planb check`, so it is critical; a file that could not be checked blocks.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
