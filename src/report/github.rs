//! GitHub Actions workflow commands (<https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>):
//! `::error file=…,line=…,col=…,title=…::message`, `::warning` and `::notice`, which a job's log turns
//! into annotations on the pull request, with no upload step.

use super::plain::counts;
use super::{counted, Checked};
use crate::findings::Severity;
use crate::render::escape;

/// One command a finding, one `::error` a file that could not be checked, then a count of all.
pub fn write(checked: &[Checked]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for c in checked {
        let file = (!(c.file.starts_with('<') && c.file.ends_with('>'))).then_some(c.file.as_str());
        match &c.outcome {
            Ok(findings) => {
                for f in findings {
                    let command = match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "notice",
                    };
                    let at = f.location.as_ref().map(|l| (l.line, l.column));
                    let title = format!("{} {}", f.id, f.rule);
                    let message = format!("{}: {}\nFix: {}", f.path, f.message, f.fix);
                    out.push_str(&command_line(command, file, at, &title, &message));
                }
                let (e, w, i) = counts(findings);
                (errors, warnings, infos) = (errors + e, warnings + w, infos + i);
            }
            Err(e) => {
                let at = e.mark.map(|m| (m.line, m.column));
                out.push_str(&command_line("error", file, at, "planb could not check this file", &e.message));
            }
        }
    }
    out.push_str(&format!(
        "planb: {}, {}, {} in {}\n",
        counted(errors, "error", "errors"),
        counted(warnings, "warning", "warnings"),
        counted(infos, "note", "notes"),
        counted(checked.len(), "file", "files"),
    ));
    out
}

/// `::command file=F,line=L,col=C,title=T::message`, each part escaped as the runner unescapes it.
fn command_line(command: &str, file: Option<&str>, at: Option<(u32, u32)>, title: &str, message: &str) -> String {
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", property(file)));
        if let Some((line, column)) = at {
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
        }
    }
    properties.push(format!("title={}", property(title)));
    format!("::{command} {}::{}\n", properties.join(","), data(message))
}

/// A command's message: `%`, CR and LF percent-encoded (actions/toolkit `escapeData`, which the
/// runner's `ActionCommand` reverses). Other control characters are first made visible, so that a
/// file's text cannot colour or rewrite the log.
fn data(s: &str) -> String {
    let visible: Vec<String> = s.split('\n').map(|line| escape::text(line.trim_end_matches('\r'))).collect();
    visible.join("\n").replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property's value: as [`data`], and `:` and `,` too, which end a value (toolkit `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
