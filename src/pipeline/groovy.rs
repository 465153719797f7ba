//! The Groovy of a declarative Jenkinsfile, read as Jenkins's declarative syntax uses it: a tree of
//! calls, each a name with arguments and an optional block (`stage('Deploy') { … }`,
//! `timeout(time: 10, unit: 'MINUTES')`, `sh './deploy.sh'`, `agent any`), each with its line and
//! column. Code the declarative syntax leaves to Groovy (`script { … }`, `expression { … }`) is kept
//! as text; a line that is no call is reported as not understood, never guessed.
//!
//! Hand-written: no Groovy parser is available for Rust; the Rust parsers of declarative
//! pipelines are under the LGPL or GPL and report no positions (see the closing note of issue 19).

use crate::error::{Error, ErrorKind, Mark};

/// One call: `name(args) { body }`, `name args`, or `name { body }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub name: String,
    pub mark: Mark,
    pub args: Vec<Arg>,
    /// The block, read as calls; `None` without one.
    pub body: Option<Vec<Statement>>,
    /// A block kept as Groovy text (`script { … }`, `expression { … }`), not read as calls.
    pub code: Option<String>,
}

impl Call {
    /// The calls of its block named `name`.
    pub(crate) fn calls<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Call> {
        self.body.iter().flatten().filter_map(move |s| match s {
            Statement::Call(c) if c.name == name => Some(c),
            _ => None,
        })
    }

    /// The first call of its block named `name`.
    pub(crate) fn call<'a>(&'a self, name: &'a str) -> Option<&'a Call> {
        self.calls(name).next()
    }

    /// Every call of its block.
    pub(crate) fn children(&self) -> impl Iterator<Item = &Call> {
        self.body.iter().flatten().filter_map(|s| match s {
            Statement::Call(c) => Some(c),
            Statement::NotUnderstood { .. } => None,
        })
    }

    /// The argument named `name` (`time: 10`), or the first positional one for `None`.
    pub(crate) fn arg(&self, name: Option<&str>) -> Option<&Arg> {
        self.args.iter().find(|a| a.name.as_deref() == name)
    }
}

/// A statement of a block: a call, or a line that is none (kept with its place, to say so).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Statement {
    Call(Call),
    NotUnderstood { mark: Mark, text: String },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub name: Option<String>,
    pub value: Value,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A string literal, its escapes read; a GString's `${…}` kept as written.
    String(String),
    Number(String),
    Bool(bool),
    /// A name or a dotted name (`any`, `MINUTES`, `env.BRANCH_NAME`).
    Name(String),
    List(Vec<Value>),
    /// Anything else, as written (an expression, a closure).
    Code(String),
}

impl Value {
    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Value::String(s) | Value::Number(s) | Value::Name(s) => Some(s),
            _ => None,
        }
    }
}

/// Blocks that hold Groovy code rather than declarative sections.
const CODE_BLOCKS: &[&str] = &["script", "expression", "withCredentials"];
/// Nesting deeper than this is refused, so a hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Reads a Jenkinsfile's top-level statements.
pub(crate) fn parse(text: &str) -> Result<Vec<Statement>, Error> {
    let tokens = tokenize(text)?;
    let mut p = Parser { text, tokens, at: 0, depth: 0 };
    p.statements(None)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    String(String),
    Number(String),
    /// One character of punctuation or an operator.
    Punct(char),
    Newline,
}

#[derive(Debug, Clone)]
struct Spanned {
    token: Token,
    mark: Mark,
    /// Where it starts and ends in the text, to keep code as written.
    start: usize,
    end: usize,
}

struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    at: usize,
    line: u32,
    column: u32,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).map(|(_, c)| *c)
    }

    fn offset(&self) -> usize {
        self.chars.get(self.at).map_or(self.text.len(), |(i, _)| *i)
    }

    fn mark(&self) -> Mark {
        Mark { line: self.line, column: self.column }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.peek(i) == Some(c))
    }

    /// A string opened by `quote` (one or three single or double quotes): its text with escapes
    /// read. A GString's `${…}` is kept as written, braces and all.
    fn string(&mut self, quote: &str) -> Result<String, Error> {
        let start = self.mark();
        for _ in 0..quote.len() {
            self.bump();
        }
        let triple = quote.len() == 3;
        let gstring = quote.starts_with('"');
        let mut out = String::new();
        loop {
            if self.starts_with(quote) {
                for _ in 0..quote.len() {
                    self.bump();
                }
                return Ok(out);
            }
            match self.bump() {
                None => break,
                Some('\n') if !triple => break,
                Some('\\') => match self.bump() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('\n') => {}
                    Some(c) => out.push(c),
                    None => break,
                },
                Some('$') if gstring && self.peek(0) == Some('{') => {
                    out.push('$');
                    let mut depth = 0;
                    while let Some(c) = self.bump() {
                        out.push(c);
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Some(c) => out.push(c),
            }
        }
        let what = if triple { "a triple-quoted string is not closed" } else { "a string is not closed on its line" };
        Err(Error::new(ErrorKind::Syntax, what).at(start))
    }
}

fn tokenize(text: &str) -> Result<Vec<Spanned>, Error> {
    let mut lx = Lexer { text, chars: text.char_indices().collect(), at: 0, line: 1, column: 1 };
    let mut out = Vec::new();
    // A shebang line (`#!/usr/bin/env groovy`) is a comment.
    if lx.starts_with("#!") {
        while lx.peek(0).is_some_and(|c| c != '\n') {
            lx.bump();
        }
    }
    while let Some(c) = lx.peek(0) {
        let mark = lx.mark();
        let start = lx.offset();
        let token = match c {
            ' ' | '\t' | '\r' => {
                lx.bump();
                continue;
            }
            '\n' => {
                lx.bump();
                Token::Newline
            }
            '/' if lx.peek(1) == Some('/') => {
                while lx.peek(0).is_some_and(|c| c != '\n') {
                    lx.bump();
                }
                continue;
            }
            '/' if lx.peek(1) == Some('*') => {
                lx.bump();
                lx.bump();
                while !lx.starts_with("*/") {
                    if lx.bump().is_none() {
                        return Err(Error::new(ErrorKind::Syntax, "a /* comment is not closed").at(mark));
                    }
                }
                lx.bump();
                lx.bump();
                continue;
            }
            '\\' if lx.peek(1) == Some('\n') => {
                lx.bump();
                lx.bump();
                continue;
            }
            '\'' | '"' => {
                let triple: String = std::iter::repeat_n(c, 3).collect();
                let quote = if lx.starts_with(&triple) { triple } else { c.to_string() };
                Token::String(lx.string(&quote)?)
            }
            c if c.is_ascii_digit() => {
                let mut n = String::new();
                while let Some(d) = lx.peek(0).filter(|d| d.is_ascii_alphanumeric() || *d == '.' || *d == '_') {
                    n.push(d);
                    lx.bump();
                }
                Token::Number(n)
            }
            c if c.is_ascii_alphabetic() || c == '_' || c == '$' || !c.is_ascii() => {
                let mut n = String::new();
                while let Some(d) =
                    lx.peek(0).filter(|d| d.is_ascii_alphanumeric() || *d == '_' || *d == '$' || !d.is_ascii())
                {
                    n.push(d);
                    lx.bump();
                }
                Token::Name(n)
            }
            c => {
                lx.bump();
                Token::Punct(c)
            }
        };
        out.push(Spanned { token, mark, start, end: lx.offset() });
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Spanned>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|t| &t.token)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead).map(|t| &t.token)
    }

    fn mark(&self) -> Mark {
        self.tokens.get(self.at).or(self.tokens.last()).map_or(Mark { line: 1, column: 1 }, |t| t.mark)
    }

    fn is(&self, c: char) -> bool {
        self.peek() == Some(&Token::Punct(c))
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Token::Newline)) {
            self.at += 1;
        }
    }

    /// The text of tokens `from..self.at`, as written.
    fn text_since(&self, from: usize) -> String {
        match (self.tokens.get(from), self.at.checked_sub(1).and_then(|last| self.tokens.get(last))) {
            (Some(first), Some(last)) if from < self.at => self.text[first.start..last.end].trim().to_string(),
            _ => String::new(),
        }
    }

    /// Statements up to the `}` that closes a block opened at `open`, or the end of the text.
    fn statements(&mut self, open: Option<Mark>) -> Result<Vec<Statement>, Error> {
        let mut out = Vec::new();
        loop {
            while matches!(self.peek(), Some(Token::Newline | Token::Punct(';'))) {
                self.at += 1;
            }
            match self.peek() {
                None => match open {
                    Some(at) => return Err(Error::new(ErrorKind::Syntax, "a block's { is not closed").at(at)),
                    None => return Ok(out),
                },
                Some(Token::Punct('}')) if open.is_some() => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(Token::Name(_)) => out.push(self.statement()?),
                _ => out.push(self.not_understood()?),
            }
        }
    }

    /// A statement that is no call, to the end of its line (brackets matched).
    fn not_understood(&mut self) -> Result<Statement, Error> {
        let (from, mark) = (self.at, self.mark());
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t {
                Token::Newline | Token::Punct(';') | Token::Punct('}') if depth == 0 => break,
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.at += 1;
        }
        if depth > 0 {
            return Err(Error::new(ErrorKind::Syntax, "a bracket opened on this line is not closed").at(mark));
        }
        if self.at == from {
            // A stray `)` or `]`: skip it, so the reading goes on.
            self.at += 1;
        }
        Ok(Statement::NotUnderstood { mark, text: self.text_since(from) })
    }

    fn statement(&mut self) -> Result<Statement, Error> {
        let start = self.at;
        let mark = self.mark();
        let Some(Token::Name(name)) = self.peek().cloned() else { return self.not_understood() };
        self.at += 1;
        let mut call = Call { name, mark, args: Vec::new(), body: None, code: None };
        if self.is('(') {
            self.at += 1;
            call.args = self.args(true)?;
        } else if matches!(self.peek(), Some(Token::String(_) | Token::Number(_) | Token::Name(_) | Token::Punct('[')))
            && !matches!(self.peek_at(1), Some(Token::Punct('=' | '.')))
        {
            // `name args` without parentheses: `sh 'make'`, `agent any`, `input message: 'Go?'`.
            call.args = self.args(false)?;
        }
        if self.is('{') {
            let open = self.mark();
            self.at += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(Error::new(ErrorKind::Syntax, format!("nested deeper than {MAX_DEPTH} levels")).at(open));
            }
            if CODE_BLOCKS.contains(&call.name.as_str()) {
                let from = self.at;
                self.skip_block(open)?;
                call.code = Some(match (self.tokens.get(from), self.tokens.get(self.at - 1)) {
                    (Some(a), Some(close)) if from < self.at - 1 => self.text[a.start..close.start].trim().to_string(),
                    _ => String::new(),
                });
            } else {
                call.body = Some(self.statements(Some(open))?);
            }
            self.depth -= 1;
        }
        // Anything else after it on its line makes it no call (`x = 1`, `a.b()`).
        if !matches!(self.peek(), None | Some(Token::Newline | Token::Punct('}' | ';'))) {
            self.at = start;
            return self.not_understood();
        }
        Ok(Statement::Call(call))
    }

    /// Past the `}` matching a `{` already read.
    fn skip_block(&mut self, open: Mark) -> Result<(), Error> {
        let mut depth = 1usize;
        while let Some(t) = self.peek() {
            let t = t.clone();
            self.at += 1;
            match t {
                Token::Punct('{') => depth += 1,
                Token::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(Error::new(ErrorKind::Syntax, "a block's { is not closed").at(open))
    }

    /// Arguments, separated by commas: inside parentheses (to the `)`), or without them (to the
    /// end of the line; a line ending in a comma goes on).
    fn args(&mut self, parenthesized: bool) -> Result<Vec<Arg>, Error> {
        let open = self.mark();
        let mut args = Vec::new();
        loop {
            if parenthesized {
                self.skip_newlines();
                if self.is(')') {
                    self.at += 1;
                    return Ok(args);
                }
                if self.peek().is_none() {
                    return Err(Error::new(ErrorKind::Syntax, "a ( is not closed").at(open));
                }
            }
            let mark = self.mark();
            // `name: value` or `'name': value`.
            let name = match (self.peek(), self.peek_at(1)) {
                (Some(Token::Name(n) | Token::String(n)), Some(Token::Punct(':'))) => Some(n.clone()),
                _ => None,
            };
            if name.is_some() {
                self.at += 2;
            }
            let value = self.value(parenthesized)?;
            args.push(Arg { name, value, mark });
            match self.peek() {
                Some(Token::Punct(',')) => {
                    self.at += 1;
                    self.skip_newlines();
                }
                Some(Token::Punct(')')) if parenthesized => {}
                _ if !parenthesized => return Ok(args),
                None => return Err(Error::new(ErrorKind::Syntax, "a ( is not closed").at(open)),
                Some(_) => return Err(self.unexpected("`,` or `)`")),
            }
        }
    }

    fn unexpected(&self, expected: &str) -> Error {
        let found = match self.peek() {
            Some(Token::Punct(c)) => format!("`{c}`"),
            Some(Token::Name(n)) => format!("`{n}`"),
            Some(Token::String(_)) => "a string".to_string(),
            Some(Token::Number(n)) => format!("`{n}`"),
            Some(Token::Newline) => "the end of the line".to_string(),
            None => "the end of the file".to_string(),
        };
        Error::new(ErrorKind::Syntax, format!("expected {expected}, found {found}")).at(self.mark())
    }

    /// One value: a literal, a (dotted) name or a list; anything else up to the next `,`, `)` or
    /// the line's end is kept as written.
    fn value(&mut self, parenthesized: bool) -> Result<Value, Error> {
        let from = self.at;
        let simple = match self.peek().cloned() {
            Some(Token::String(s)) => {
                self.at += 1;
                Some(Value::String(s))
            }
            Some(Token::Number(n)) => {
                self.at += 1;
                Some(Value::Number(n))
            }
            Some(Token::Name(mut name)) => {
                self.at += 1;
                while self.is('.') {
                    let Some(Token::Name(part)) = self.peek_at(1).cloned() else { break };
                    name = format!("{name}.{part}");
                    self.at += 2;
                }
                Some(match name.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::Name(name),
                })
            }
            Some(Token::Punct('[')) => self.list()?,
            _ => None,
        };
        let ends = |t: Option<&Token>| match t {
            None | Some(Token::Punct(',')) => true,
            Some(Token::Punct(')')) => parenthesized,
            Some(Token::Newline | Token::Punct('{' | '}' | ';')) => !parenthesized,
            _ => false,
        };
        if let Some(value) = simple.filter(|_| ends(self.peek())) {
            return Ok(value);
        }
        // An expression: to the next `,` or `)` at its own depth (without parentheses, the line's
        // end or a `{` opening the call's block).
        self.at = from;
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            if depth == 0 && ends(Some(t)) {
                break;
            }
            match t {
                Token::Punct('(' | '[' | '{') => depth += 1,
                Token::Punct(')' | ']' | '}') if depth > 0 => depth -= 1,
                Token::Punct(')' | ']' | '}') => break,
                _ => {}
            }
            self.at += 1;
        }
        Ok(Value::Code(self.text_since(from)))
    }

    /// `[a, b]` of simple values; `None` (and no token taken) when an item is not one.
    fn list(&mut self) -> Result<Option<Value>, Error> {
        let from = self.at;
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            let item = match self.peek().cloned() {
                Some(Token::Punct(']')) => {
                    self.at += 1;
                    return Ok(Some(Value::List(items)));
                }
                Some(Token::String(s)) => Value::String(s),
                Some(Token::Number(n)) => Value::Number(n),
                Some(Token::Name(n)) => Value::Name(n),
                None => return Err(Error::new(ErrorKind::Syntax, "a [ is not closed").at(self.tokens[from].mark)),
                Some(_) => {
                    self.at = from;
                    return Ok(None);
                }
            };
            self.at += 1;
            items.push(item);
            self.skip_newlines();
            match self.peek() {
                Some(Token::Punct(',')) => self.at += 1,
                Some(Token::Punct(']')) => {}
                _ => {
                    self.at = from;
                    return Ok(None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(statements: &[Statement]) -> &Call {
        match &statements[0] {
            Statement::Call(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_declarative_pipeline_reads_as_calls_with_their_places() {
        let text = r#"#!/usr/bin/env groovy
// a comment
pipeline {
    agent any
    options { timeout(time: 30, unit: 'MINUTES') }
    stages {
        stage('Deploy') {
            input {
                message "Deploy to ${env.TARGET}?"
                submitter 'release-managers'
            }
            steps {
                sh '''
                    ./deploy.sh
                '''
                script {
                    if (x) { echo 'y' }
                }
            }
        }
    }
    post { failure { sh './rollback.sh' } }
}
"#;
        let top = parse(text).unwrap();
        let pipeline = call(&top);
        assert_eq!((pipeline.name.as_str(), pipeline.mark), ("pipeline", Mark { line: 3, column: 1 }));
        assert_eq!(pipeline.call("agent").unwrap().arg(None).unwrap().value, Value::Name("any".into()));
        let timeout = pipeline.call("options").unwrap().call("timeout").unwrap();
        assert_eq!(timeout.arg(Some("time")).unwrap().value, Value::Number("30".into()));
        assert_eq!(timeout.arg(Some("unit")).unwrap().value, Value::String("MINUTES".into()));
        assert_eq!(timeout.mark, Mark { line: 5, column: 15 });
        let stage = pipeline.call("stages").unwrap().call("stage").unwrap();
        assert_eq!(stage.arg(None).unwrap().value, Value::String("Deploy".into()));
        let input = stage.call("input").unwrap();
        let message = input.call("message").unwrap().arg(None).unwrap();
        assert_eq!(message.value, Value::String("Deploy to ${env.TARGET}?".into()));
        assert_eq!(input.call("submitter").unwrap().mark, Mark { line: 10, column: 17 });
        let steps = stage.call("steps").unwrap();
        assert_eq!(steps.call("sh").unwrap().arg(None).unwrap().value.text().map(str::trim), Some("./deploy.sh"));
        assert_eq!(steps.call("script").unwrap().code.as_deref(), Some("if (x) { echo 'y' }"));
        let post = pipeline.call("post").unwrap().call("failure").unwrap();
        assert_eq!(post.call("sh").unwrap().arg(None).unwrap().value, Value::String("./rollback.sh".into()));
    }

    #[test]
    fn named_arguments_lists_and_expressions() {
        let text =
            "input message: 'Go?', ok: 'Deploy',\n    submitter: 'alice,bob'\nx = 1\nnode('linux') { sh 'make' }\n";
        let top = parse(text).unwrap();
        let names: Vec<_> = call(&top).args.iter().map(|a| a.name.clone().unwrap()).collect();
        assert_eq!(names, ["message", "ok", "submitter"]);
        assert_eq!(top[1], Statement::NotUnderstood { mark: Mark { line: 3, column: 1 }, text: "x = 1".into() });
        let Statement::Call(node) = &top[2] else { panic!("{:?}", top[2]) };
        assert_eq!(
            (node.name.as_str(), node.arg(None).unwrap().value.clone()),
            ("node", Value::String("linux".into()))
        );
        let top = parse("parameters { choice(name: 'ENV', choices: ['dev', 'prod']) }\n").unwrap();
        let choice = call(&top).call("choice").unwrap();
        let choices = Value::List(vec![Value::String("dev".into()), Value::String("prod".into())]);
        assert_eq!(choice.arg(Some("choices")).unwrap().value, choices);
        let top = parse("when { expression { return env.X == 'y' } }\n").unwrap();
        assert_eq!(call(&top).call("expression").unwrap().code.as_deref(), Some("return env.X == 'y'"));
        // An expression argument is kept as written.
        let top = parse("sleep(time: 2 * 60, unit: 'SECONDS')\n").unwrap();
        assert_eq!(call(&top).arg(Some("time")).unwrap().value, Value::Code("2 * 60".into()));
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let at = |text: &str| {
            let e = parse(text).unwrap_err();
            (e.mark.map(|m| (m.line, m.column)), e.message)
        };
        assert_eq!(at("pipeline {\n  stages {\n"), (Some((2, 10)), "a block's { is not closed".into()));
        assert_eq!(at("pipeline {\n  echo 'x\n}\n"), (Some((2, 8)), "a string is not closed on its line".into()));
        assert_eq!(at("sh '''\nx\n"), (Some((1, 4)), "a triple-quoted string is not closed".into()));
        assert_eq!(at("/* x").0, Some((1, 1)));
        assert!(at(&"a {".repeat(100)).1.contains("nested deeper"));
    }
}
