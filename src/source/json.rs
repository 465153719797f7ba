//! A fast reader for JSON documents that builds the same located tree as the YAML parser.
//!
//! JSON is YAML, so the YAML parser alone would do; but a JSON spec read here takes a fifth of
//! the time, which matters to `planb build` on thousands of specs, and the YAML parser reads a
//! long flow list (`[…]`) whole before it gives its first event, which froze the page for 130 ms
//! on a file of 200,001 values. Anything this reader is not sure the YAML parser reads the same
//! way (a syntax error, an unusual character) makes it give up, and the caller reads the text
//! with the YAML parser, which also locates the error; past a limit, and on a duplicate key, it
//! reports the YAML parser's own error at the same place. Tests compare both, marks included,
//! over every example, many arbitrary specs and each of those errors. (A document with a limit
//! error and a later syntax error in the same flow list may get the other error first here: the
//! YAML parser scans such a list whole before it counts its values.)

use super::node::{key_text, syntax, Keys, Node, NodeKind, MAX_DEPTH, MAX_NODES};
use crate::error::{Error, Mark};

/// The tree of a JSON object document, the YAML parser's error past a limit or on a duplicate
/// key, or `None` to leave the text to the YAML parser.
pub(super) fn parse(text: &str) -> Option<Result<Node, Error>> {
    let mut reader =
        Reader { bytes: text.as_bytes(), text, pos: 0, line: 1, line_start: 0, counted: (0, 0), nodes: 0, error: None };
    reader.blank()?;
    if reader.peek()? != b'{' {
        return None;
    }
    let Some(root) = reader.value(0) else { return reader.error.take().map(Err) };
    reader.blank()?;
    (reader.pos == reader.bytes.len()).then_some(Ok(root))
}

/// Longest key read here: the YAML parser limits implicit keys to 1,024 characters.
const MAX_KEY: usize = 1000;

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    /// The line of `pos`, from 1, and the byte where that line starts.
    line: u32,
    line_start: usize,
    /// A byte of the current line and the characters before it on the line, for [`Reader::mark`].
    counted: (usize, usize),
    nodes: usize,
    /// The YAML parser's error for this document, once the reader has found it.
    error: Option<Error>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Where the next value starts: line from 1, column in characters from 1, as the YAML parser
    /// marks it. Characters are counted on from the last mark of the line, not from its start: a
    /// spec written on one long line would otherwise be counted over and over.
    fn mark(&mut self) -> Mark {
        let (from, counted) = if self.counted.0 >= self.line_start { self.counted } else { (self.line_start, 0) };
        let between = &self.text[from..self.pos];
        let column = counted + if between.is_ascii() { between.len() } else { between.chars().count() };
        self.counted = (self.pos, column);
        Mark { line: self.line, column: column as u32 + 1 }
    }

    /// Skips spaces and line breaks (`\n` or `\r\n`); tabs and lone carriage returns are left
    /// to the YAML parser, which has its own rules for them.
    fn blank(&mut self) -> Option<()> {
        while let Some(b) = self.peek() {
            match b {
                b' ' => self.pos += 1,
                b'\n' => self.line_break(1),
                b'\r' if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.line_break(2),
                b'\t' | b'\r' => return None,
                _ => break,
            }
        }
        Some(())
    }

    fn line_break(&mut self, len: usize) {
        self.pos += len;
        self.line += 1;
        self.line_start = self.pos;
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Stops reading with the YAML parser's error.
    fn fail<T>(&mut self, mark: Mark, message: String) -> Option<T> {
        self.error = Some(syntax(mark, message));
        None
    }

    /// A finished node; `end` is where the YAML parser's event for it is (a list's or mapping's
    /// end is its closing bracket), which is where it reports a document with too many values.
    fn node(&mut self, kind: NodeKind, mark: Mark, end: Mark) -> Option<Node> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.fail(end, format!("document has more than {MAX_NODES} values"));
        }
        Some(Node { kind, mark })
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let mark = self.mark();
        let kind = match self.peek()? {
            b'{' | b'[' if depth >= MAX_DEPTH => {
                return self.fail(mark, format!("nesting deeper than {MAX_DEPTH} levels"))
            }
            b'{' => NodeKind::Map(self.entries(depth + 1)?),
            b'[' => NodeKind::Seq(self.items(depth + 1)?),
            b'"' => NodeKind::Scalar { text: self.string()?, plain: false },
            b'n' => {
                self.word("null")?;
                NodeKind::Null
            }
            b't' => self.word("true")?,
            b'f' => self.word("false")?,
            _ => self.number()?,
        };
        let end = match kind {
            // The closing bracket, just read.
            NodeKind::Map(_) | NodeKind::Seq(_) => {
                self.pos -= 1;
                let end = self.mark();
                self.pos += 1;
                end
            }
            _ => mark,
        };
        self.node(kind, mark, end)
    }

    fn entries(&mut self, depth: usize) -> Option<Vec<(Node, Node)>> {
        self.pos += 1;
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut keys = Keys::default();
        self.blank()?;
        if self.eat(b'}').is_some() {
            return Some(entries);
        }
        loop {
            let mark = self.mark();
            if self.peek()? != b'"' {
                return None;
            }
            let text = self.string()?;
            if text.len() > MAX_KEY {
                return None;
            }
            let key = self.node(NodeKind::Scalar { text, plain: false }, mark, mark)?;
            let text = key_text(&key);
            if !keys.insert(&entries, text) {
                let message = format!("duplicate key `{text}`");
                return self.fail(mark, message);
            }
            self.blank()?;
            self.eat(b':')?;
            self.blank()?;
            let value = self.value(depth)?;
            entries.push((key, value));
            if self.closed(b'}')? {
                return Some(entries);
            }
        }
    }

    fn items(&mut self, depth: usize) -> Option<Vec<Node>> {
        self.pos += 1;
        let mut items = Vec::new();
        self.blank()?;
        if self.eat(b']').is_some() {
            return Some(items);
        }
        loop {
            items.push(self.value(depth)?);
            if self.closed(b']')? {
                return Some(items);
            }
        }
    }

    /// After an item of a list or mapping: `true` past the closing bracket `close`, `false` past a
    /// comma and the blanks after it; `None` on anything else.
    fn closed(&mut self, close: u8) -> Option<bool> {
        self.blank()?;
        let next = self.peek()?;
        self.pos += 1;
        match next {
            b',' => self.blank().map(|()| false),
            b if b == close => Some(true),
            _ => None,
        }
    }

    /// A keyword, which must end where a plain scalar in a flow collection ends.
    fn word(&mut self, word: &str) -> Option<NodeKind> {
        if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
            return None;
        }
        self.pos += word.len();
        self.ends_plain()?;
        Some(NodeKind::Scalar { text: word.to_string(), plain: true })
    }

    /// A number, kept as written: `1.10` stays `1.10`, as the YAML parser leaves it.
    fn number(&mut self) -> Option<NodeKind> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.').is_some() {
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        self.ends_plain()?;
        Some(NodeKind::Scalar { text: self.text[start..self.pos].to_string(), plain: true })
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.pos;
        self.digits();
        (self.pos > start).then_some(())
    }

    /// After a plain value: only a separator, so `truex` or `1a` go to the YAML parser.
    fn ends_plain(&self) -> Option<()> {
        matches!(self.peek(), None | Some(b' ' | b'\n' | b'\r' | b',' | b']' | b'}')).then_some(())
    }

    /// A string's text, its escapes read. Control characters, and characters the YAML parser
    /// may treat as line breaks or marks (U+0080–U+009F, U+2028/9, U+FEFF), are left to it.
    /// The value of the four hex digits at byte `at`.
    fn hex4(&self, at: usize) -> Option<u32> {
        let hex = self.text.get(at..at + 4)?;
        u32::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 || b == 0xc2 || b == 0xe2 || b == 0xef {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                b if b < 0x20 => return None,
                _ => {
                    let c = self.text[self.pos..].chars().next()?;
                    if matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}') {
                        return None;
                    }
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn escape(&mut self) -> Option<char> {
        let c = match self.peek()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let code = self.hex4(self.pos + 1)?;
                self.pos += 4;
                match code {
                    // A UTF-16 pair (RFC 8259, section 7) is one character; a lone surrogate is left
                    // to the YAML parser's reading, which reports it (surrogates.rs).
                    0xD800..=0xDBFF => {
                        let low = self.hex4(self.pos + 3).filter(|low| (0xDC00..=0xDFFF).contains(low))?;
                        if self.bytes.get(self.pos + 1..self.pos + 3) != Some(b"\\u") {
                            return None;
                        }
                        self.pos += 6;
                        char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))?
                    }
                    _ => char::from_u32(code)?,
                }
            }
            _ => return None,
        };
        self.pos += 1;
        Some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::property_tests::writable_specs;

    /// The fast reader's tree or error, which must be the YAML parser's, marks included; `None`
    /// when it gave up.
    fn fast(text: &str) -> Option<Result<String, Error>> {
        let read = parse(text)?.map(|t| format!("{t:?}"));
        let slow = super::super::node::parse(text).map(|t| format!("{t:?}"));
        assert_eq!(read, slow, "the readers differ for\n{}", &text[..text.len().min(300)]);
        Some(read)
    }

    /// Texts at the edges of the fast reader: each is read as the YAML parser reads it, or left to
    /// it. A keyword or number must end where a flow scalar ends, a bracket must close its own
    /// collection, and a lone carriage return or a tab is the YAML parser's to judge.
    #[test]
    fn the_fast_reader_agrees_with_the_yaml_parser_at_its_edges() {
        for text in [
            "[truex]",
            "[true, false]",
            "[1}",
            "{\"a\": 1]",
            "[1,\r2]",
            "{\"a\":\r1}",
            "[1,\r\n2]",
            "[\t1]",
            "{\"a\": [1, 2], \"b\": {}}",
            "[null, 1.5e3, -0, \"x\"]",
            "[1 ]",
            "[1 ,2]",
            "{\"k\" : 2}",
            // Brackets crossed: the list closed by `}`, the mapping by `]`.
            "[1}, \"w\": 2]",
        ] {
            // The fast reader takes documents that are mappings: each text is a value of one.
            fast(&format!("{{\"v\": {text}}}"));
        }
        // The value past the node limit is a collection: the error is where the parser's is.
        let mut many = String::from("{\"a\": [");
        many.push_str(&"[],".repeat(super::MAX_NODES));
        many.push_str("[]]}");
        let read = fast(&many);
        assert!(matches!(read, Some(Err(_))), "the limit is an error, and the same error: {read:?}");
    }

    /// The spec's JSON as people write it: compact, pretty, and pretty with Windows line ends.
    fn layouts(spec: &crate::Spec) -> [String; 3] {
        let pretty = serde_json::to_string_pretty(spec).unwrap();
        [serde_json::to_string(spec).unwrap(), pretty.replace('\n', "\r\n"), pretty]
    }

    #[test]
    fn json_specs_read_as_the_yaml_parser_reads_them() {
        for (name, text) in crate::examples::ALL {
            let spec = crate::parse_spec(text).unwrap();
            for json in layouts(&spec) {
                assert!(fast(&json).is_some(), "{name}: the fast reader gave up on\n{json}");
            }
        }
        let (mut read, mut total) = (0, 0);
        for (_, spec) in writable_specs(0x15_0000) {
            for json in layouts(&spec) {
                total += 1;
                read += usize::from(fast(&json).is_some());
            }
        }
        // Arbitrary text has control and line-separator characters, which the fast reader leaves alone.
        assert!(read * 4 > total, "the fast reader read only {read} of {total}");
    }

    #[test]
    fn unusual_json_is_left_to_the_yaml_parser() {
        for text in [
            "{\"a\":\t1}",
            "{\"a\": 1}\r",
            "\u{feff}{\"a\": 1}",
            "{\"a\": 1} # note",
            "{a: 1}",
            "{\"a\": 1,}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": truex}",
            "{\"a\": \"\\ud83d\"}",
            "{\"a\": \"\\ud83d \\ude00\"}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"tab\there\"}",
            "{\"a\": \"\u{2028}\"}",
            "{\"a\": \"\u{85}\"}",
            "[1, 2]",
            "",
            &format!("{{\"{}\": 1}}", "k".repeat(MAX_KEY + 1)),
        ] {
            assert!(parse(text).is_none(), "read {text:?}");
        }
    }

    #[test]
    fn limits_and_duplicate_keys_fail_as_in_the_yaml_parser() {
        let many = vec!["10"; MAX_NODES + 1].join(",");
        let compact = format!("{{\"rollout\":{{\"steps\":[{many}]}}}}");
        let keys: Vec<String> = (0..2000).map(|i| format!("\"k{i}\": {{}}")).collect();
        let deep = |n: usize| format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n));
        let lists = |n: usize| format!("{{\"a\": {}1{}}}", "[".repeat(n), "]".repeat(n));
        for (text, fails) in [
            (compact.clone(), true),
            (compact.replace(',', ",\n  "), true),
            (format!("{{\"a\": {{{}}}}}", keys.join(", ")), false),
            (deep(MAX_DEPTH), false),
            (deep(MAX_DEPTH + 1), true),
            (lists(MAX_DEPTH - 1), false),
            (lists(MAX_DEPTH), true),
            ("{\"a\": 1, \"b\": {\"c\": 2, \"c\": 3}}".to_string(), true),
            ("{\"a\": 1,\n \"a\": 2}".to_string(), true),
        ] {
            let read = fast(&text).expect("the fast reader reads it");
            assert_eq!(read.is_err(), fails, "{}", &text[..text.len().min(100)]);
        }
    }

    #[test]
    fn strings_numbers_and_words_read_as_written() {
        let text = "{\"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0000 é 漢字\", \"n\": [0, -1.10, 2e5, 3E-2, 1.5e+3],\n  \"w\": [true, false, null], \"e\": {}, \"l\": []}";
        let tree = fast(text).expect("read").unwrap();
        assert!(tree.contains(r#"text: "\"\\/\u{8}\u{c}\n\r\té\0 é 漢字""#), "{tree}");
        // A UTF-16 pair is one character, as the YAML parser reads it (with surrogates.rs).
        let pair = fast("{\"s\": \"\\ud83d\\ude00 \\uD83D\\uDE80\"}").expect("read").unwrap();
        assert!(pair.contains(r#"text: "😀 🚀""#), "{pair}");
        for number in ["\"0\"", "\"-1.10\"", "\"2e5\"", "\"3E-2\"", "\"1.5e+3\""] {
            assert!(tree.contains(number), "{number} in {tree}");
        }
    }
}
