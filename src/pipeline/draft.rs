//! The spec a pipeline implies, written as YAML in which every field names the line it came from
//! (`# from rollout.yaml:12`) and what the files cannot say is a commented question to confirm.

use serde_json::Value;

use super::Place;
use crate::source::yaml_scalar;

/// The spec's sections in the order a spec file lists them (`planb init`'s order).
const SECTIONS: &[&str] = &[
    "component",
    "change",
    "deployment",
    "rollout",
    "kill_switches",
    "data_changes",
    "shared_resources",
    "verification",
    "abort",
    "people",
    "channels",
    "notifications",
    "rehearsal",
    "fallback",
];

/// The column comments start at, so that a section's sources line up.
const COMMENT_COLUMN: usize = 44;

/// A spec being filled from pipeline files.
#[derive(Debug, Default)]
pub struct Draft {
    /// The files read, for the header.
    files: Vec<String>,
    root: Vec<(String, Entry)>,
    /// What the reader noticed and did not follow (an `include:`, a template), for the header.
    notes: Vec<String>,
}

#[derive(Debug)]
enum Entry {
    /// A value and where it came from; `None` for one planb derives (a default of the tool).
    Value {
        value: Value,
        from: Option<Place>,
        note: Option<String>,
    },
    /// A list whose items each came from a place of their own.
    List(Vec<(Value, Option<Place>)>),
    /// A field the files cannot fill: an example answer and the question.
    Question {
        example: String,
        ask: String,
    },
    Map(Vec<(String, Entry)>),
}

impl Draft {
    /// Names a file the draft was read from.
    pub fn read_from(&mut self, file: &str) {
        if !self.files.iter().any(|f| f == file) {
            self.files.push(file.to_string());
        }
    }

    /// Sets `path` (dotted, e.g. `deployment.namespace`) to a value read at `from`. A field set twice
    /// keeps its first value: the first file given is the one the user named first.
    pub fn set(&mut self, path: &str, value: impl Into<Value>, from: Option<Place>) {
        let note = None;
        self.insert(path, Entry::Value { value: value.into(), from, note });
    }

    /// Sets a field to a value with a remark after its source, e.g. "an expression, to confirm".
    pub fn set_noted(&mut self, path: &str, value: impl Into<Value>, from: Option<Place>, note: impl Into<String>) {
        self.insert(path, Entry::Value { value: value.into(), from, note: Some(note.into()) });
    }

    /// Appends an item to the list at `path`.
    pub fn push(&mut self, path: &str, item: impl Into<Value>, from: Option<Place>) {
        if let Some(Entry::List(items)) = self.slot(path) {
            items.push((item.into(), from));
        }
    }

    /// Leaves a question at `path`: what the files cannot say, with an example answer.
    pub fn ask(&mut self, path: &str, example: &str, ask: &str) {
        self.insert(path, Entry::Question { example: example.to_string(), ask: ask.to_string() });
    }

    /// Notes something the files hold or refer to that planb did not read, or read with a guess:
    /// the header lists each, so nothing is dropped unsaid.
    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Whether `path` holds a value (not a question).
    pub fn has(&self, path: &str) -> bool {
        let mut entries = &self.root;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            match entries.iter().find(|(k, _)| k == part).map(|(_, e)| e) {
                Some(Entry::Map(inner)) if parts.peek().is_some() => entries = inner,
                Some(Entry::Value { .. } | Entry::List(_)) => return parts.peek().is_none(),
                _ => return false,
            }
        }
        false
    }

    fn insert(&mut self, path: &str, entry: Entry) {
        let (parents, leaf) = path.rsplit_once('.').map_or(("", path), |(p, l)| (p, l));
        let entries = self.map_at(parents);
        match entries.iter_mut().find(|(k, _)| k == leaf) {
            // A question gives way to an answer; an answer stays.
            Some((_, slot @ Entry::Question { .. })) => *slot = entry,
            Some(_) => {}
            None => entries.push((leaf.to_string(), entry)),
        }
    }

    /// The list at `path`, made when it is new.
    fn slot(&mut self, path: &str) -> Option<&mut Entry> {
        let (parents, leaf) = path.rsplit_once('.').map_or(("", path), |(p, l)| (p, l));
        let entries = self.map_at(parents);
        if !entries.iter().any(|(k, _)| k == leaf) {
            entries.push((leaf.to_string(), Entry::List(Vec::new())));
        }
        entries.iter_mut().find(|(k, _)| k == leaf).map(|(_, e)| e)
    }

    /// The entries of the mapping at `path`, made when new (the root for an empty path).
    fn map_at(&mut self, path: &str) -> &mut Vec<(String, Entry)> {
        let mut entries = &mut self.root;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let at = match entries.iter().position(|(k, _)| k == part) {
                Some(at) => at,
                None => {
                    entries.push((part.to_string(), Entry::Map(Vec::new())));
                    entries.len() - 1
                }
            };
            if !matches!(entries[at].1, Entry::Map(_)) {
                entries[at].1 = Entry::Map(Vec::new());
            }
            let Entry::Map(inner) = &mut entries[at].1 else { unreachable!("made a mapping above") };
            entries = inner;
        }
        entries
    }

    /// Each field's source or question, in the order of [`Draft::to_yaml`]: what its comments say.
    pub fn provenance(&self) -> Vec<Provenance> {
        let mut out = Vec::new();
        for (key, entry) in self.sections() {
            provenance_of(key, entry, &mut out);
        }
        out
    }

    /// What the reader noticed and did not follow, or read with a guess.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The top-level entries in the spec's order of sections.
    fn sections(&self) -> Vec<&(String, Entry)> {
        let mut sections: Vec<&(String, Entry)> = self.root.iter().collect();
        sections.sort_by_key(|(k, _)| SECTIONS.iter().position(|s| s == k).unwrap_or(SECTIONS.len()));
        sections
    }

    /// The spec as YAML: sections in the spec's order, each field with its source.
    pub fn to_yaml(&self) -> String {
        let mut out = String::from("# planb spec imported by `planb import`");
        if !self.files.is_empty() {
            out.push_str(&format!(" from {}", one_line(&self.files.join(", "))));
        }
        out.push_str(
            ".\n# Each field names the line it came from. What the files cannot say is left as a comment marked\n\
             # \"to confirm\": answer it and remove the `#`. Check the result with `planb check`.\n",
        );
        for note in &self.notes {
            out.push_str(&format!("# {}\n", one_line(note)));
        }
        for (key, entry) in self.sections() {
            out.push('\n');
            write_entry(key, entry, 0, &mut out);
        }
        out
    }
}

fn write_entry(key: &str, entry: &Entry, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match entry {
        Entry::Value { value, from, note } => {
            let line = format!("{pad}{}: {}", yaml_scalar(key), flow(value));
            push_line(&line, &value_comment(from.as_ref(), note.as_deref()), out);
        }
        Entry::List(items) => {
            out.push_str(&format!("{pad}{}:\n", yaml_scalar(key)));
            for (item, from) in items {
                let line = format!("{pad}  - {}", flow(item));
                push_line(&line, &from.as_ref().map(source).unwrap_or_default(), out);
            }
        }
        Entry::Question { example, ask } => {
            let line = format!("{pad}# {}: {}", yaml_scalar(key), one_line(example));
            push_line(&line, &question_comment(ask), out);
        }
        Entry::Map(entries) => {
            out.push_str(&format!("{pad}{}:\n", yaml_scalar(key)));
            for (k, e) in answers_first(entries) {
                write_entry(k, e, indent + 2, out);
            }
        }
    }
}

/// A mapping's fields with what the files say before what they leave to confirm, each in the order
/// it was read: when several files fill a section, a question one file left may come before the
/// answer another gives for a field beside it.
fn answers_first(entries: &[(String, Entry)]) -> impl Iterator<Item = &(String, Entry)> {
    let answers = entries.iter().filter(|(_, e)| !matches!(e, Entry::Question { .. }));
    answers.chain(entries.iter().filter(|(_, e)| matches!(e, Entry::Question { .. })))
}

fn push_line(line: &str, comment: &str, out: &mut String) {
    out.push_str(line);
    if !comment.is_empty() {
        let width = line.chars().count();
        out.push_str(&" ".repeat(COMMENT_COLUMN.saturating_sub(width).max(1)));
        out.push_str("# ");
        out.push_str(&one_line(comment));
    }
    out.push('\n');
}

/// Text for a comment: a comment ends at a line break (`\n` or `\r` in YAML 1.2), so one in a file
/// name or a value must not start a line of YAML.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn source(place: &Place) -> String {
    format!("from {}:{}", place.file, place.mark.line)
}

/// What a value's comment says: its source, then its remark.
fn value_comment(from: Option<&Place>, note: Option<&str>) -> String {
    match (from.map(source), note) {
        (Some(from), Some(note)) => format!("{from}: {note}"),
        (Some(from), None) => from,
        (None, note) => note.unwrap_or_default().to_string(),
    }
}

fn question_comment(ask: &str) -> String {
    format!("to confirm: {ask}")
}

/// Where one field of a draft came from, or what to confirm about it: what the YAML's comment on
/// that field says, for a page that shows it beside the field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Provenance {
    /// The field, dotted, a list's item by its index: `deployment.namespace`, `verification.kpis.0`.
    pub path: String,
    /// `from rollout.yaml:12`, with a remark after it where there is one; or `to confirm: …`.
    pub text: String,
    /// Whether the field is a question the files cannot answer (it is left empty).
    pub question: bool,
}

fn provenance_of(path: &str, entry: &Entry, out: &mut Vec<Provenance>) {
    let mut add = |path: String, text: String, question: bool| {
        if !text.is_empty() {
            out.push(Provenance { path, text, question });
        }
    };
    match entry {
        Entry::Value { from, note, .. } => add(path.to_string(), value_comment(from.as_ref(), note.as_deref()), false),
        Entry::List(items) => {
            for (i, (_, from)) in items.iter().enumerate() {
                add(format!("{path}.{i}"), from.as_ref().map(source).unwrap_or_default(), false);
            }
        }
        Entry::Question { ask, .. } => add(path.to_string(), question_comment(ask), true),
        Entry::Map(entries) => {
            for (key, entry) in answers_first(entries) {
                provenance_of(&format!("{path}.{key}"), entry, out);
            }
        }
    }
}

/// A value on one line: a scalar as YAML writes it, a list or mapping in flow style (where `,`, `[`,
/// `]`, `{` and `}` end a plain scalar, so a string holding one is quoted).
fn flow(value: &Value) -> String {
    match value {
        Value::String(s) if s.contains([',', '[', ']', '{', '}']) => {
            serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
        }
        Value::String(s) => yaml_scalar(s),
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter().map(|(k, v)| format!("{}: {}", yaml_scalar(k), flow(v))).collect::<Vec<_>>().join(", ")
        ),
        Value::Null => "null".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Mark;

    fn at(line: u32) -> Option<Place> {
        Some(Place { file: "p.yaml".into(), path: String::new(), mark: Mark { line, column: 1 } })
    }

    #[test]
    fn fields_come_in_the_specs_order_each_with_its_source_and_read_back() {
        let mut draft = Draft::default();
        draft.read_from("p.yaml");
        draft.set("rollout.strategy", "canary", at(9));
        draft.ask("deployment.first_deployment", "true", "first deployment?");
        draft.set("component.name", "api", at(3));
        draft.push("verification.kpis", serde_json::json!({ "metric": "a,b {c}", "threshold": 1.5 }), at(12));
        draft.push("abort.triggers", "fails when: x > 1, or y", at(13));
        let yaml = draft.to_yaml();
        let order: Vec<&str> = yaml.lines().filter(|l| !l.starts_with([' ', '#']) && !l.is_empty()).collect();
        assert_eq!(order, ["component:", "deployment:", "rollout:", "verification:", "abort:"], "{yaml}");
        assert!(yaml.contains("name: api") && yaml.contains("# from p.yaml:3"), "{yaml}");
        assert!(
            yaml.contains("# first_deployment: true") && yaml.contains("# to confirm: first deployment?"),
            "{yaml}"
        );
        let spec = crate::parse_spec(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(spec.verification.kpis[0].metric.as_deref(), Some("a,b {c}"));
        assert_eq!(spec.abort.triggers, ["fails when: x > 1, or y"]);
        assert_eq!(spec.deployment.first_deployment, None);
    }

    #[test]
    fn provenance_says_what_each_fields_comment_says() {
        let mut draft = Draft::default();
        draft.set("component.name", "api", at(3));
        draft.set_noted("deployment.platform", "kubernetes", None, "from the deploy commands: to confirm");
        draft.set_noted("deployment.namespace", "<+input>", at(7), "an expression: to confirm");
        draft.ask("deployment.first_deployment", "true", "first deployment?");
        draft.push("abort.triggers", "job x fails", at(12));
        draft.push("abort.triggers", "derived", None);
        let entry = |path: &str, text: &str, question| Provenance { path: path.into(), text: text.into(), question };
        assert_eq!(
            draft.provenance(),
            [
                entry("component.name", "from p.yaml:3", false),
                entry("deployment.platform", "from the deploy commands: to confirm", false),
                entry("deployment.namespace", "from p.yaml:7: an expression: to confirm", false),
                entry("deployment.first_deployment", "to confirm: first deployment?", true),
                // A list's items by index; an item planb derived has no source to show.
                entry("abort.triggers.0", "from p.yaml:12", false),
            ]
        );
        // The same words as the YAML's comments.
        let yaml = draft.to_yaml();
        for p in draft.provenance() {
            assert!(yaml.contains(&format!("# {}", p.text)), "{}\n{yaml}", p.text);
        }
    }

    #[test]
    fn an_answer_replaces_a_question_and_the_first_answer_stays() {
        let mut draft = Draft::default();
        draft.ask("component.owner_team", "x", "who?");
        draft.set("component.owner_team", "Payments", at(2));
        draft.set("component.owner_team", "Other", at(5));
        draft.set("component.name", "api", None);
        assert!(draft.has("component.owner_team") && !draft.has("component.tier") && !draft.has("component"));
        let spec = crate::parse_spec(&draft.to_yaml()).unwrap();
        assert_eq!(spec.component.owner_team.as_deref(), Some("Payments"));
    }

    #[test]
    fn a_line_break_in_a_source_or_note_cannot_start_a_line_of_yaml() {
        let mut draft = Draft::default();
        let evil = Some(Place {
            file: "a\nkill_switches: [x]".into(),
            path: String::new(),
            mark: Mark { line: 1, column: 1 },
        });
        draft.set_noted("component.name", "api", evil, "note\rtier: critical");
        draft.read_from("b\rchange: { id: X }");
        draft.note("c\nrehearsal: { done: true }");
        let yaml = draft.to_yaml();
        let spec = crate::parse_spec(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert!(spec.kill_switches.is_empty() && spec.component.tier.is_none(), "{yaml}");
        assert!(spec.change.id.is_none() && spec.rehearsal.done.is_none(), "{yaml}");
    }
}
