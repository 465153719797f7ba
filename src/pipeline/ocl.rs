//! Octopus Configuration Language (OCL), the format of Octopus Deploy's config-as-code files
//! (`.octopus/deployment_process.ocl`): blocks with labels, attributes, strings, heredocs, numbers,
//! booleans, lists and dictionaries, each value with the line and column it starts at.
//!
//! Hand-written: OCL is a small subset of HCL, and an HCL parser reads `${` in a string as an
//! interpolation and a dotted key as an expression, which OCL does not have. This follows Octopus's
//! own parser (OctopusDeploy/Ocl, cited in `templates/lint/octopus.yaml`): its strings, escapes,
//! heredocs, arrays and dictionaries. It also skips `#`, `//` and `/* */` comments, which Octopus's
//! guidance and editor grammar allow and its public parser does not (to confirm).

use crate::error::{Error, ErrorKind, Mark};

/// A value of an attribute, a list or a dictionary.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    String(String),
    Number(String),
    Bool(bool),
    List(Vec<(Value, Mark)>),
    Dictionary(Vec<Entry>),
}

impl Value {
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Number(s) => Some(s),
            _ => None,
        }
    }
}

/// A key and its value in a dictionary.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_mark: Mark,
    pub value: Value,
    pub mark: Mark,
}

/// `name = value`, or `name "label" … { … }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    Attribute(Entry),
    Block(Block),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub name: String,
    pub labels: Vec<String>,
    pub mark: Mark,
    pub body: Vec<Item>,
}

impl Block {
    /// The value of the attribute `name`, with where it starts.
    pub(crate) fn attribute(&self, name: &str) -> Option<&Entry> {
        attribute(&self.body, name)
    }

    /// The blocks named `name`, in order.
    pub(crate) fn blocks<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Block> {
        blocks(&self.body, name)
    }
}

pub(crate) fn attribute<'a>(body: &'a [Item], name: &str) -> Option<&'a Entry> {
    body.iter().find_map(|i| match i {
        Item::Attribute(e) if e.key == name => Some(e),
        _ => None,
    })
}

pub(crate) fn blocks<'a>(body: &'a [Item], name: &'a str) -> impl Iterator<Item = &'a Block> {
    body.iter().filter_map(move |i| match i {
        Item::Block(b) if b.name == name => Some(b),
        _ => None,
    })
}

/// An entry of a dictionary by key (Octopus's `properties = { "Octopus.Action.…" = … }`).
pub(crate) fn entry<'a>(value: &'a Value, key: &str) -> Option<&'a Entry> {
    match value {
        Value::Dictionary(entries) => entries.iter().find(|e| e.key == key),
        _ => None,
    }
}

/// Nesting deeper than this is refused, so a hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Reads a whole OCL file.
pub(crate) fn parse(text: &str) -> Result<Vec<Item>, Error> {
    let mut p = Parser { chars: text.chars().collect(), at: 0, line: 1, column: 1, depth: 0 };
    let body = p.body(None)?;
    Ok(body)
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    line: u32,
    column: u32,
    depth: usize,
}

impl Parser {
    fn mark(&self) -> Mark {
        Mark { line: self.line, column: self.column }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek2(&self) -> Option<char> {
        self.chars.get(self.at + 1).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, message.into()).at(self.mark())
    }

    /// Skips blanks and comments (`#`, `//` to the end of the line, `/* … */`); line breaks too
    /// when `newlines`.
    fn skip(&mut self, newlines: bool) -> Result<(), Error> {
        loop {
            match (self.peek(), self.peek2()) {
                (Some(' ' | '\t' | '\r'), _) => {
                    self.bump();
                }
                (Some('\n'), _) if newlines => {
                    self.bump();
                }
                (Some('#'), _) | (Some('/'), Some('/')) => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    let start = self.mark();
                    self.bump();
                    self.bump();
                    loop {
                        match (self.peek(), self.peek2()) {
                            (Some('*'), Some('/')) => {
                                self.bump();
                                self.bump();
                                break;
                            }
                            (Some(_), _) => {
                                self.bump();
                            }
                            (None, _) => {
                                return Err(Error::new(ErrorKind::Syntax, "a /* comment is not closed").at(start))
                            }
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn identifier(&mut self) -> Option<String> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            self.bump();
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    /// Items up to the closing `}` of a block (`Some(mark of its {)`) or the end of the file.
    fn body(&mut self, open: Option<Mark>) -> Result<Vec<Item>, Error> {
        let mut items = Vec::new();
        loop {
            self.skip(true)?;
            match self.peek() {
                None if open.is_none() => return Ok(items),
                None => {
                    let at = open.unwrap_or(Mark { line: 1, column: 1 });
                    return Err(Error::new(ErrorKind::Syntax, "a block's { is not closed").at(at));
                }
                Some('}') if open.is_some() => {
                    self.bump();
                    return Ok(items);
                }
                Some(c) if c.is_ascii_alphabetic() || c == '_' => items.push(self.item()?),
                Some(c) => return Err(self.error(format!("expected an attribute or a block, found `{c}`"))),
            }
        }
    }

    fn item(&mut self) -> Result<Item, Error> {
        let mark = self.mark();
        let name = self.identifier().unwrap_or_default();
        self.skip(false)?;
        if self.peek() == Some('=') {
            self.bump();
            self.skip(false)?;
            let value_mark = self.mark();
            let value = self.value()?;
            self.end_of_item()?;
            return Ok(Item::Attribute(Entry { key: name, key_mark: mark, value, mark: value_mark }));
        }
        let mut labels = Vec::new();
        loop {
            self.skip(false)?;
            match self.peek() {
                Some('"') => labels.push(self.string()?),
                Some('{') => break,
                Some(c) if c.is_ascii_alphabetic() => labels.push(self.identifier().unwrap_or_default()),
                Some(c) => return Err(self.error(format!("expected `=`, a label or `{{` after `{name}`, found `{c}`"))),
                None => return Err(self.error(format!("the file ends after `{name}`"))),
            }
        }
        let open = self.mark();
        self.bump();
        self.enter()?;
        let body = self.body(Some(open))?;
        self.depth -= 1;
        self.end_of_item()?;
        Ok(Item::Block(Block { name, labels, mark, body }))
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// After an item: the end of its line, a comment, or the `}` that closes its block.
    fn end_of_item(&mut self) -> Result<(), Error> {
        self.skip(false)?;
        match self.peek() {
            None | Some('\n' | '}') => Ok(()),
            Some(c) => Err(self.error(format!("expected the end of the line, found `{c}`"))),
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        match self.peek() {
            Some('"') => Ok(Value::String(self.string()?)),
            Some('<') if self.peek2() == Some('<') => Ok(Value::String(self.heredoc()?)),
            Some('[') => self.list(),
            Some('{') => self.dictionary(),
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.at;
                self.bump();
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.bump();
                }
                Ok(Value::Number(self.chars[start..self.at].iter().collect()))
            }
            Some(c) if c.is_ascii_alphabetic() => match self.identifier().as_deref() {
                Some("null") => Ok(Value::Null),
                Some("true") => Ok(Value::Bool(true)),
                Some("false") => Ok(Value::Bool(false)),
                Some(other) => Err(self.error(format!("expected a value, found `{other}`"))),
                None => Err(self.error("expected a value")),
            },
            Some(c) => Err(self.error(format!("expected a value, found `{c}`"))),
            None => Err(self.error("expected a value, found the end of the file")),
        }
    }

    /// A quoted string on one line, its escapes read (`\"`, `\\`, `\n`, `\r`, `\t`).
    fn string(&mut self) -> Result<String, Error> {
        let start = self.mark();
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                Some('"') => return Ok(out),
                // Octopus's parser knows these five escapes and refuses any other.
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some(c @ ('"' | '\\')) => out.push(c),
                    Some(c) => return Err(self.error(format!("`\\{c}` is not an escape in a string"))),
                    None => break,
                },
                Some('\n') | None => break,
                Some(c) => out.push(c),
            }
        }
        Err(Error::new(ErrorKind::Syntax, "a string is not closed on its line").at(start))
    }

    /// `<<TAG` … `TAG`, the tag any run of non-blank characters; its lines joined, with no line
    /// break after the last. `<<-TAG` takes off the indentation its lines share, but no more than
    /// the closing tag's (Octopus's HeredocParser).
    fn heredoc(&mut self) -> Result<String, Error> {
        let start = self.mark();
        self.bump();
        self.bump();
        let indented = self.peek() == Some('-');
        if indented {
            self.bump();
        }
        let mut tag = String::new();
        while let Some(c) = self.peek().filter(|c| !c.is_ascii_whitespace()) {
            tag.push(c);
            self.bump();
        }
        if tag.is_empty() {
            return Err(self.error("expected the heredoc's tag after <<"));
        }
        while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
            self.bump();
        }
        if self.bump() != Some('\n') {
            return Err(self.error("expected a line break after the heredoc's tag"));
        }
        let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
        let mut lines: Vec<String> = Vec::new();
        let closing = loop {
            if self.peek().is_none() {
                return Err(Error::new(ErrorKind::Syntax, format!("the heredoc {tag} is not closed")).at(start));
            }
            let mut line = String::new();
            while let Some(c) = self.peek().filter(|c| *c != '\n') {
                line.push(c);
                self.bump();
            }
            let line = line.strip_suffix('\r').map(str::to_string).unwrap_or(line);
            if line.trim() == tag {
                break indent(&line);
            }
            self.bump();
            lines.push(line);
        };
        if indented {
            let content = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| indent(l)).min().unwrap_or(0);
            let shared = content.min(closing);
            for line in &mut lines {
                *line = line.chars().skip(shared.min(indent(line))).collect();
            }
        }
        Ok(lines.join("\n"))
    }

    fn list(&mut self) -> Result<Value, Error> {
        let open = self.mark();
        self.bump();
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip(true)?;
            match self.peek() {
                Some(']') => {
                    self.bump();
                    break;
                }
                None => return Err(Error::new(ErrorKind::Syntax, "a list's [ is not closed").at(open)),
                _ => {}
            }
            let mark = self.mark();
            items.push((self.value()?, mark));
            self.skip(true)?;
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                Some(']') => {}
                Some(c) => return Err(self.error(format!("expected `,` or `]` in a list, found `{c}`"))),
                None => return Err(Error::new(ErrorKind::Syntax, "a list's [ is not closed").at(open)),
            }
        }
        self.depth -= 1;
        Ok(Value::List(items))
    }

    /// `{ key = value … }`, a key a name or a quoted string; entries on their own lines or
    /// separated by commas.
    fn dictionary(&mut self) -> Result<Value, Error> {
        let open = self.mark();
        self.bump();
        self.enter()?;
        let mut entries = Vec::new();
        loop {
            self.skip(true)?;
            let key_mark = self.mark();
            let key = match self.peek() {
                Some('}') => {
                    self.bump();
                    break;
                }
                Some('"') => self.string()?,
                // An unquoted key is any run of characters but blanks and quotes
                // (`Octopus.Action.Script.ScriptBody`).
                Some(_) => {
                    let mut key = String::new();
                    while let Some(c) = self.peek().filter(|c| !c.is_ascii_whitespace() && !matches!(c, '"' | '=')) {
                        key.push(c);
                        self.bump();
                    }
                    key
                }
                None => return Err(Error::new(ErrorKind::Syntax, "a dictionary's { is not closed").at(open)),
            };
            self.skip(false)?;
            if self.bump() != Some('=') {
                return Err(self.error(format!("expected `=` after the key `{key}`")));
            }
            self.skip(false)?;
            let mark = self.mark();
            let value = self.value()?;
            entries.push(Entry { key, key_mark, value, mark });
            self.skip(false)?;
            if self.peek() == Some(',') {
                self.bump();
            }
        }
        self.depth -= 1;
        Ok(Value::Dictionary(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_attributes_and_values_with_their_places() {
        let text = "# a comment\nstep \"deploy-web\" {\n    name = \"Deploy \\\"web\\\"\"\n    condition = \"Success\"\n\n    \
                    action {\n        action_type = \"Octopus.Script\"\n        environments = [\"production\", \"staging\"]\n        \
                    properties = {\n            Octopus.Action.Script.ScriptBody = <<-EOT\n                echo one\n                  echo two\n            EOT\n            \
                    \"Octopus.Action.RunOnServer\" = \"true\"\n        }\n        is_disabled = false\n        max = 3\n    }\n}\n";
        let items = parse(text).unwrap();
        let Item::Block(step) = &items[0] else { panic!("{items:?}") };
        assert_eq!((step.name.as_str(), step.labels.as_slice()), ("step", &["deploy-web".to_string()][..]));
        assert_eq!(step.mark, Mark { line: 2, column: 1 });
        let name = step.attribute("name").unwrap();
        assert_eq!(name.value, Value::String("Deploy \"web\"".into()));
        assert_eq!(name.mark, Mark { line: 3, column: 12 });
        let action = step.blocks("action").next().unwrap();
        assert!(action.labels.is_empty());
        let environments = action.attribute("environments").unwrap();
        let Value::List(items) = &environments.value else { panic!() };
        assert_eq!(items[1], (Value::String("staging".into()), Mark { line: 8, column: 39 }));
        let properties = &action.attribute("properties").unwrap().value;
        let script = entry(properties, "Octopus.Action.Script.ScriptBody").unwrap();
        // The closing EOT is indented 12, less than its lines' 16: 12 come off (HeredocParser).
        assert_eq!(script.value, Value::String("    echo one\n      echo two".into()));
        assert_eq!(entry(properties, "Octopus.Action.RunOnServer").unwrap().value, Value::String("true".into()));
        assert_eq!(action.attribute("is_disabled").unwrap().value, Value::Bool(false));
        assert_eq!(action.attribute("max").unwrap().value, Value::Number("3".into()));
    }

    /// Octopus's HeredocParser: no line break after the last line, and `<<-` takes off no more
    /// indentation than the closing tag has.
    #[test]
    fn heredocs_as_octopus_reads_them() {
        let read = |text: &str| match &parse(text).unwrap()[0] {
            Item::Attribute(e) => e.value.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(read("a = <<ZZZ\n  A\n  B\nZZZ\n"), Value::String("  A\n  B".into()));
        assert_eq!(read("a = <<-EOT\n        x\n          y\n    EOT\n"), Value::String("    x\n      y".into()));
        assert_eq!(read("a = <<-!!!!\n  x\n  !!!!\n"), Value::String("x".into()));
        assert_eq!(read("a = null\n"), Value::Null);
        assert!(parse("a = \"\\u0041\"\n").unwrap_err().message.contains("not an escape"));
    }

    #[test]
    fn a_dollar_brace_is_text_not_an_interpolation() {
        let items = parse("x = \"${not} #{Octopus.Environment.Name}\"\n").unwrap();
        let Item::Attribute(x) = &items[0] else { panic!() };
        assert_eq!(x.value, Value::String("${not} #{Octopus.Environment.Name}".into()));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let at = |text: &str| {
            let e = parse(text).unwrap_err();
            (e.mark.map(|m| (m.line, m.column)), e.message)
        };
        assert_eq!(at("step \"a\" {\n  name = \"x\n}\n"), (Some((2, 10)), "a string is not closed on its line".into()));
        assert_eq!(at("step \"a\" {\n  name = \"x\"\n"), (Some((1, 10)), "a block's { is not closed".into()));
        assert_eq!(at("a = [1, 2\n"), (Some((1, 5)), "a list's [ is not closed".into()));
        assert_eq!(at("a = 1 2\n").0, Some((1, 7)));
        assert_eq!(at("= 1\n").0, Some((1, 1)));
        let deep = "a = ".to_string() + &"[".repeat(100);
        assert!(at(&deep).1.contains("nested deeper"));
    }
}
