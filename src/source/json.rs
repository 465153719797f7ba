//! A fast reader for JSON documents that builds the same located tree as the YAML parser.
//!
//! JSON is YAML, so the YAML parser alone would do; but a JSON spec read here takes a fifth of
//! the time, which matters to `planb build` on thousands of specs. Anything this reader is not
//! sure the YAML parser reads the same way (an error, an unusual character, a limit) makes it
//! give up, and the caller reads the text with the YAML parser, which also locates any error.
//! A test compares both trees, marks included, over every example and many arbitrary specs.

use super::node::{key_text, Node, NodeKind, MAX_DEPTH, MAX_NODES};
use crate::error::Mark;

/// The tree of a JSON object document, or `None` to leave the text to the YAML parser.
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut reader = Reader { bytes: text.as_bytes(), text, pos: 0, line: 1, line_start: 0, counted: (0, 0), nodes: 0 };
    reader.blank()?;
    if reader.peek()? != b'{' {
        return None;
    }
    let root = reader.value(0)?;
    reader.blank()?;
    (reader.pos == reader.bytes.len()).then_some(root)
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

    fn node(&mut self, kind: NodeKind, mark: Mark) -> Option<Node> {
        self.nodes += 1;
        (self.nodes <= MAX_NODES).then_some(Node { kind, mark })
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let mark = self.mark();
        let kind = match self.peek()? {
            b'{' | b'[' if depth >= MAX_DEPTH - 1 => return None,
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
        self.node(kind, mark)
    }

    fn entries(&mut self, depth: usize) -> Option<Vec<(Node, Node)>> {
        self.pos += 1;
        let mut entries: Vec<(Node, Node)> = Vec::new();
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
            // Duplicates are an error, which the YAML parser reports with its place.
            if text.len() > MAX_KEY || entries.iter().any(|(k, _)| key_text(k) == text) {
                return None;
            }
            let key = self.node(NodeKind::Scalar { text, plain: false }, mark)?;
            self.blank()?;
            self.eat(b':')?;
            self.blank()?;
            let value = self.value(depth)?;
            entries.push((key, value));
            self.blank()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(entries);
                }
                _ => return None,
            }
            self.blank()?;
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
            self.blank()?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(items);
                }
                _ => return None,
            }
            self.blank()?;
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
                let hex = self.text.get(self.pos + 1..self.pos + 5)?;
                let code = u32::from_str_radix(hex, 16).ok().filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?;
                self.pos += 4;
                // Surrogates (pairs or not) are left to the YAML parser.
                char::from_u32(code)?
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

    /// The fast reader's tree, which must be the YAML parser's, marks included; `None` when it gave up.
    fn fast(text: &str) -> Option<String> {
        let tree = format!("{:?}", parse(text)?);
        let slow = super::super::node::parse(text).map(|t| format!("{t:?}"));
        assert_eq!(Ok(&tree), slow.as_ref(), "the trees differ for\n{text}");
        Some(tree)
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
        let nested = format!("{}{}", "{\"a\": [".repeat(40), "]}".repeat(40));
        for text in [
            "{\"a\":\t1}",
            "{\"a\": 1}\r",
            "\u{feff}{\"a\": 1}",
            "{\"a\": 1} # note",
            "{\"a\": 1, \"a\": 2}",
            "{a: 1}",
            "{\"a\": 1,}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": truex}",
            "{\"a\": \"\\ud83d\\ude00\"}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"tab\there\"}",
            "{\"a\": \"\u{2028}\"}",
            "{\"a\": \"\u{85}\"}",
            "[1, 2]",
            "",
            &nested,
            &format!("{{\"{}\": 1}}", "k".repeat(MAX_KEY + 1)),
        ] {
            assert_eq!(parse(text).map(|t| format!("{t:?}")), None, "read {text:?}");
        }
    }

    #[test]
    fn strings_numbers_and_words_read_as_written() {
        let text = "{\"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u0000 é 漢字\", \"n\": [0, -1.10, 2e5, 3E-2, 1.5e+3],\n  \"w\": [true, false, null], \"e\": {}, \"l\": []}";
        let tree = fast(text).expect("read");
        assert!(tree.contains(r#"text: "\"\\/\u{8}\u{c}\n\r\té\0 é 漢字""#), "{tree}");
        for number in ["\"0\"", "\"-1.10\"", "\"2e5\"", "\"3E-2\"", "\"1.5e+3\""] {
            assert!(tree.contains(number), "{number} in {tree}");
        }
    }
}
