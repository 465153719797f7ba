//! Commands of the knowledge files, written out for people (prose) or for a shell (a script).
//!
//! A script must parse (`bash -n`) and do what it says when run. Values from the spec are quoted
//! for the shell; a value the spec leaves out becomes `"${NAME:?to confirm: …}"`, which stops the
//! script with that message; a step planb cannot know (`todo`) stops it too, saying what to fill in.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// One line of a command sequence: a command to run, or a step planb cannot spell out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptLine {
    /// A command, with `{placeholders}` filled from the spec.
    #[serde(default)]
    pub run: Option<String>,
    /// What to do, in words, where the command depends on the team's setup.
    #[serde(default)]
    pub todo: Option<String>,
}

/// A value for a script's placeholder.
#[derive(Debug, Clone, Copy)]
pub enum ScriptValue<'a> {
    /// Stated in the spec: quoted for the shell where it needs it.
    Known(&'a str),
    /// Not stated: the shell variable that must be set, and what it holds.
    Missing { var: &'a str, what: &'a str },
}

/// The commands for people: each filled with the prose values, joined by "; then".
pub fn prose(lines: &[ScriptLine], values: &[(&str, &str)]) -> String {
    let parts: Vec<String> =
        lines.iter().filter_map(|l| l.run.as_deref().or(l.todo.as_deref())).map(|t| super::fill(t, values)).collect();
    parts.join("; then ")
}

/// The commands as a bash script, one a line. `todo` lines become a line that stops the script
/// with what to fill in; `prose` gives their words (placeholders read as "[to confirm: …]").
pub fn script(lines: &[ScriptLine], values: &[(&str, ScriptValue<'_>)], prose: &[(&str, &str)]) -> String {
    let shell: Vec<(&str, Cow<'_, str>)> = values
        .iter()
        .map(|(name, value)| match value {
            ScriptValue::Known(v) => (*name, quote(v)),
            ScriptValue::Missing { var, what } => (*name, Cow::Owned(format!("\"${{{var}:?to confirm: {what}}}\""))),
        })
        .collect();
    let shell: Vec<(&str, &str)> = shell.iter().map(|(n, v)| (*n, v.as_ref())).collect();
    let mut out = String::new();
    for line in lines {
        if let Some(run) = &line.run {
            out.push_str(&super::fill(run, &shell));
        } else if let Some(todo) = &line.todo {
            out.push_str(&todo_line(&super::fill(todo, prose)));
        }
        out.push('\n');
    }
    out
}

/// The line that stands for a step planb cannot spell out: run unfilled, it stops the script and
/// says what to fill in.
pub fn todo_line(what: &str) -> String {
    let what = what.replace(['\n', '\r'], " ");
    format!("echo {} >&2; exit 1", quote_always(&format!("planb: fill in before running: {what}")))
}

/// A word for the shell: as it is when every character is plain, else single-quoted.
pub fn quote(s: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:@%+=,-".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(quote_always(s))
    }
}

/// A single-quoted shell word: nothing inside is expanded; a quote is closed, escaped and reopened.
/// A word with a control character (a line break, say) is written `$'…'` with escapes instead, so
/// that every command stays on one line of the script.
fn quote_always(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return format!("'{}'", s.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\'' => out.push_str(r"\'"),
            '\n' => out.push_str(r"\n"),
            '\t' => out.push_str(r"\t"),
            '\r' => out.push_str(r"\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(yaml: &[(&str, &str)]) -> Vec<ScriptLine> {
        yaml.iter()
            .map(|(kind, text)| match *kind {
                "run" => ScriptLine { run: Some(text.to_string()), todo: None },
                _ => ScriptLine { run: None, todo: Some(text.to_string()) },
            })
            .collect()
    }

    #[test]
    fn known_values_are_quoted_only_when_the_shell_would_read_them() {
        assert_eq!(quote("deployment/payments-api"), "deployment/payments-api");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's $(rm -rf /)"), r"'it'\''s $(rm -rf /)'");
        assert_eq!(quote(""), "''");
        // A line break stays on the line: bash's $'…' reads \n as one.
        assert_eq!(quote("a\nb's"), r"$'a\nb\'s'");
    }

    #[test]
    fn a_missing_value_stops_the_script_and_a_todo_line_says_what_to_fill_in() {
        let l = lines(&[("todo", "remove the trigger of {workload}"), ("run", "kubectl delete {workload}")]);
        let values = [("workload", ScriptValue::Missing { var: "WORKLOAD", what: "workload name" })];
        let out = script(&l, &values, &[("workload", "[to confirm: workload name]")]);
        assert_eq!(
            out,
            "echo 'planb: fill in before running: remove the trigger of [to confirm: workload name]' >&2; exit 1\n\
             kubectl delete \"${WORKLOAD:?to confirm: workload name}\"\n"
        );
        assert_eq!(prose(&l, &[("workload", "web")]), "remove the trigger of web; then kubectl delete web");
    }
}
