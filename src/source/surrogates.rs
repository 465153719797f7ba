//! UTF-16 surrogate pairs in double-quoted strings (`"\ud83d\ude80"`), as JSON encoders write any
//! character beyond U+FFFF (Python's `json.dumps`, `jq -a`).
//!
//! JSON reads such a pair as one character (RFC 8259, section 7), and so does YAML 1.2, whose
//! double-quoted escapes are JSON's. saphyr-parser 0.3 reads each half as an invalid escape and stops
//! at the string (saphyr-rs/saphyr#113). Only the parser knows where double-quoted strings are, so
//! planb asks it: when it stops at one for an invalid escape, that string's pairs are rewritten as
//! escapes of the same length into a private-use range the string does not otherwise hold, the text
//! is read again (every line and column stays where it was), and the read strings get their
//! characters back. A surrogate without its pair is an error at its own line and column.

use super::node::{Node, NodeKind};
use crate::error::{Error, ErrorKind, Mark};

/// The end of saphyr-parser's message for an escape that is not a Unicode scalar value.
const INVALID_ESCAPE: &str = "found invalid Unicode character escape code";

/// How many strings with pairs one document may have: each costs a whole read of the text.
const MAX_STRINGS: usize = 64;

/// A pair's halves stand in for it as U+E000 + (high − 0xD800) and U+E400 + (low − 0xDC00).
const HIGH_STAND_IN: u32 = 0xE000;
const LOW_STAND_IN: u32 = 0xE400;

/// Whether `e` is the parser stopping at a double-quoted string for an invalid escape.
pub(super) fn is_invalid_escape(e: &Error) -> bool {
    e.kind == ErrorKind::Syntax && e.message.ends_with(INVALID_ESCAPE)
}

/// Reads `text` again with `read` after `first`, the error of reading it as it is, rewriting each
/// double-quoted string the parser stops at for its pairs.
pub(super) fn read_with_pairs(
    text: &str,
    first: Error,
    read: impl Fn(&str) -> Result<Node, Error>,
) -> Result<Node, Error> {
    let mut rewritten = text.to_string();
    let mut strings: Vec<Mark> = Vec::new();
    let mut result = Err(first);
    loop {
        match result {
            Ok(mut root) => {
                restore(&mut root, &strings);
                return Ok(root);
            }
            Err(e) if is_invalid_escape(&e) => {
                let Some(mark) = e.mark else { return Err(e) };
                let start = byte_at(&rewritten, mark).filter(|&i| rewritten.as_bytes().get(i) == Some(&b'"'));
                let Some(start) = start.filter(|_| !strings.contains(&mark)) else { return Err(e) };
                if strings.len() == MAX_STRINGS {
                    let message = format!(
                        "more than {MAX_STRINGS} strings hold UTF-16 surrogate pairs (\\ud83d\\ude80): write their \
                         characters themselves, or as \\U escapes (\\U0001F680)"
                    );
                    return Err(Error::new(ErrorKind::Syntax, message).at(mark));
                }
                rewrite_string(&mut rewritten, start)?;
                strings.push(mark);
            }
            Err(e) => return Err(e),
        }
        result = read(&rewritten);
    }
}

/// The byte where a 1-based line and column (in characters) start.
fn byte_at(text: &str, mark: Mark) -> Option<usize> {
    let line_start = if mark.line == 1 { 0 } else { text.match_indices('\n').nth(mark.line as usize - 2)?.0 + 1 };
    let column = mark.column.checked_sub(1)? as usize;
    text[line_start..].char_indices().nth(column).map(|(i, _)| line_start + i)
}

/// Rewrites the pairs of the double-quoted string whose opening quote is at byte `start`.
fn rewrite_string(text: &mut String, start: usize) -> Result<(), Error> {
    let stand_in_range = HIGH_STAND_IN..LOW_STAND_IN + 0x400;
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        if b == b'"' {
            break;
        }
        if b != b'\\' {
            let c = text[i..].chars().next().unwrap_or_default();
            if stand_in_range.contains(&(c as u32)) {
                return Err(mixed(text, i));
            }
            i += c.len_utf8();
            continue;
        }
        let digits = match bytes.get(i + 1) {
            Some(b'x') => 2,
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => 0,
        };
        let Some(code) = hex(bytes.get(i + 2..i + 2 + digits)).filter(|_| digits > 0) else {
            // Any other escape: the backslash and the character after it (a line break included).
            i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8);
            continue;
        };
        if stand_in_range.contains(&code) {
            return Err(mixed(text, i));
        }
        if digits == 4 && (0xD800..0xE000).contains(&code) {
            let low = hex(bytes.get(i + 8..i + 12)).filter(|_| bytes.get(i + 6..i + 8) == Some(b"\\u"));
            match low {
                Some(low) if code < 0xDC00 && (0xDC00..0xE000).contains(&low) => pairs.push((i, code, low)),
                _ => return Err(lone(text, i, code)),
            }
            i += 12;
            continue;
        }
        i += 2 + digits;
    }
    for (at, high, low) in pairs {
        let stand_in = format!("\\u{:04X}\\u{:04X}", HIGH_STAND_IN + (high - 0xD800), LOW_STAND_IN + (low - 0xDC00));
        text.replace_range(at..at + 12, &stand_in);
    }
    Ok(())
}

fn hex(digits: Option<&[u8]>) -> Option<u32> {
    let digits = digits.filter(|d| d.iter().all(u8::is_ascii_hexdigit))?;
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// The line and column of byte `at`.
fn mark_of_byte(text: &str, at: usize) -> Mark {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Mark { line: 1 + before.matches('\n').count() as u32, column: before[line_start..].chars().count() as u32 + 1 }
}

fn lone(text: &str, at: usize, code: u32) -> Error {
    Error::new(
        ErrorKind::Syntax,
        format!(
            "a UTF-16 surrogate (\\u{code:04x}) without its pair: a character beyond U+FFFF is written as a pair \
             of escapes (\\ud83d\\ude80) or as one \\U escape (\\U0001F680)"
        ),
    )
    .at(mark_of_byte(text, at))
}

/// A string that holds the stand-ins' own characters and pairs: planb could not tell them apart.
fn mixed(text: &str, at: usize) -> Error {
    Error::new(
        ErrorKind::Syntax,
        "this string holds UTF-16 surrogate pairs and a character of U+E000–U+E7FF, which planb cannot both \
         read: write its characters themselves",
    )
    .at(mark_of_byte(text, at))
}

/// Gives the strings read from rewritten text their characters back.
fn restore(node: &mut Node, strings: &[Mark]) {
    match &mut node.kind {
        NodeKind::Scalar { text, .. } if strings.contains(&node.mark) => *text = joined(text),
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| restore(n, strings)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            restore(k, strings);
            restore(v, strings);
        }),
        _ => {}
    }
}

/// `s` with each stand-in pair made the character it stands for.
fn joined(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let high = c as u32;
        match chars.peek().map(|&n| n as u32) {
            Some(low)
                if (HIGH_STAND_IN..LOW_STAND_IN).contains(&high)
                    && (LOW_STAND_IN..LOW_STAND_IN + 0x400).contains(&low) =>
            {
                chars.next();
                let code = 0x10000 + ((high - HIGH_STAND_IN) << 10) + (low - LOW_STAND_IN);
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::source::{parse_spec, SpecReader};

    fn name(text: &str) -> String {
        parse_spec(text).unwrap_or_else(|e| panic!("{text}: {e}")).component.name
    }

    fn error(text: &str) -> String {
        parse_spec(text).unwrap_err().to_string()
    }

    #[test]
    fn a_pair_is_one_character_in_json_and_in_yaml_double_quotes() {
        assert_eq!(name(r#"{"component":{"name":"go \ud83d\ude80 now"}}"#), "go 🚀 now");
        assert_eq!(name("component:\n  name: \"go \\ud83d\\ude80 now\"\n"), "go 🚀 now");
        assert_eq!(name("component: { name: \"\\uD83D\\uDE00\\ud83d\\ude80\" }"), "😀🚀");
        // Several strings, a key among them (the YAML parser reads keys as strings too).
        let spec = parse_spec("component: { name: \"a\\ud83d\\ude80\", \"description\": \"\\ud83d\\ude00\" }\nchange: { id: \"\\ud83d\\udc4d\" }").unwrap();
        assert_eq!((spec.component.name.as_str(), spec.component.description.as_deref()), ("a🚀", Some("😀")));
        assert_eq!(spec.change.id.as_deref(), Some("👍"));
    }

    #[test]
    fn only_double_quoted_strings_have_escapes() {
        assert_eq!(name("component: { name: 'x \\ud83d' }"), "x \\ud83d");
        assert_eq!(name("component: { name: x \\ud83d\\ude80 }"), "x \\ud83d\\ude80");
        let spec = parse_spec("component: { name: 'a \\ud83d', description: \"b \\ud83d\\ude80\" }").unwrap();
        assert_eq!(spec.component.name, "a \\ud83d");
        assert_eq!(spec.component.description.as_deref(), Some("b 🚀"));
    }

    #[test]
    fn a_surrogate_without_its_pair_is_an_error_where_it_stands() {
        for (text, at, code) in [
            ("component:\n  name: \"lone \\ud83d here\"\n", "2:15", "\\ud83d"),
            ("component:\n  name: \"low \\ude80\"\n", "2:14", "\\ude80"),
            ("component:\n  name: \"reversed \\ude80\\ud83d\"\n", "2:19", "\\ude80"),
            ("component:\n  name: \"apart \\ud83d \\ude80\"\n", "2:16", "\\ud83d"),
            ("{\"component\": {\"name\": \"end \\ud83d\"}}", "1:29", "\\ud83d"),
        ] {
            let e = error(text);
            assert!(e.starts_with(&format!("{at}: a UTF-16 surrogate ({code}) without its pair")), "{text:?}: {e}");
        }
    }

    #[test]
    fn lines_and_columns_of_later_errors_stay_where_they_are() {
        let text = "component: { name: \"\\ud83d\\ude80\\ud83d\\ude80\", tier: bogus }\n";
        assert!(error(text).starts_with("1:54: component.tier"), "{}", error(text));
        let text = "change: { id: \"\\ud83d\\ude80\" }\ncomponent: { name: \"\\ud83d\\ude80\", tier: bogus }\n";
        assert!(error(text).starts_with("2:42: component.tier"), "{}", error(text));
        let json = r#"{"component": {"name": "\ud83d\ude80"}, "rollout": {"steps": [500]}}"#;
        assert!(error(json).starts_with("1:63: rollout.steps[0]"), "{}", error(json));
    }

    #[test]
    fn a_string_that_also_holds_the_stand_ins_characters_is_refused() {
        let e = error("component: { name: \"\\ud83d\\ude80 \\ue000\" }");
        assert!(
            e.starts_with("1:34: this string holds UTF-16 surrogate pairs and a character of U+E000–U+E7FF"),
            "{e}"
        );
        let e = error("component: { name: \"\\ud83d\\ude80 \u{e400}\" }");
        assert!(e.contains("U+E000–U+E7FF"), "{e}");
        // Elsewhere in the document those characters are read as they are.
        assert_eq!(name("component: { name: \"\\ue000\", description: \"\\ud83d\\ude80\" }"), "\u{e000}");
    }

    #[test]
    fn other_escapes_beside_a_pair_keep_their_meaning() {
        // A quote, a tab, \x, \u and \U escapes before the pair: each is stepped over whole.
        let text = "component: { name: \"say \\\"hi\\\"\\t\\u0041\\x42\\U0001F600 \\ud83d\\ude80\" }";
        assert_eq!(name(text), "say \"hi\"\tAB😀 🚀");
        // A character of several bytes before an escape, and after a backslash (which YAML refuses).
        assert_eq!(name("component: { name: \"é\\t\\ud83d\\ude80\" }"), "é\t🚀");
        let e = error("component: { name: \"\\ud83d\\ude80 \\é\" }");
        assert!(e.starts_with("1:20: while parsing a quoted scalar, found unknown escape character"), "{e}");
        // An escaped line break inside the string (YAML folds it away).
        assert_eq!(name("component:\n  name: \"a\\\n    b \\ud83d\\ude80\"\n"), "ab 🚀");
    }

    #[test]
    fn a_pair_is_a_high_half_then_a_low_half() {
        for (text, at, code) in [
            ("component: { name: \"\\udc01\\udc02\" }", "1:21", "\\udc01"),
            ("component: { name: \"\\udc00\\udc00\" }", "1:21", "\\udc00"),
            ("component: { name: \"\\ud83d\\ud83d\" }", "1:21", "\\ud83d"),
        ] {
            let e = error(text);
            assert!(e.starts_with(&format!("{at}: a UTF-16 surrogate ({code}) without its pair")), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_stand_in_written_as_a_u_escape_is_refused_and_characters_past_them_are_not() {
        let e = error("component: { name: \"\\ud83d\\ude80 \\U0000E000\" }");
        assert!(e.contains("U+E000–U+E7FF"), "{e}");
        // U+F8FF is private use too, but past the stand-ins (U+E000–U+E7FF).
        assert_eq!(name("component: { name: \"\\ud83d\\ude80 \u{f8ff}\" }"), "🚀 \u{f8ff}");
    }

    #[test]
    fn only_the_strings_that_held_pairs_get_characters_back() {
        // The description holds U+E000 U+E400 as they are, which a pair's stand-ins would look like.
        let spec = parse_spec("component: { name: \"\\ud83d\\ude80\", description: \"\u{e000}\u{e400}\" }").unwrap();
        assert_eq!(spec.component.name, "🚀");
        assert_eq!(spec.component.description.as_deref(), Some("\u{e000}\u{e400}"));
    }

    #[test]
    fn another_error_at_a_strings_quote_is_the_parsers_own() {
        // The parser stops at the second string's opening quote (1:24) for trailing content, not for
        // an escape; that string holds U+E000, which a rewrite for pairs would refuse as mixed.
        let text = "component: { name: \"a\" \"\u{e000}\" }\n";
        let expected = "1:24: invalid trailing content after double-quoted scalar";
        assert!(error(text).starts_with(expected), "{}", error(text));
        let mut reader = SpecReader::new(text);
        let stepped = loop {
            if let Some(read) = reader.step(1) {
                break read;
            }
        };
        assert!(stepped.unwrap_err().to_string().starts_with(expected));
        let stream = crate::source::node::parse_stream(text, crate::source::node::MergeKeys::Yaml11);
        assert!(stream.unwrap_err().to_string().starts_with(expected));
        // The same after a first string's pair was rewritten and the text read again.
        let text = "component: { name: \"\\ud83d\\ude80\" \"\u{e000}\" }\n";
        assert!(error(text).starts_with("1:35: invalid trailing content"), "{}", error(text));
    }

    #[test]
    fn past_64_strings_with_pairs_the_message_says_how_to_write_them() {
        let items: Vec<String> = (0..65).map(|_| "\"\\ud83d\\ude80\"".to_string()).collect();
        let text = format!("component: {{ name: a }}\nchange: {{ approvers: [{}] }}\n", items.join(", "));
        assert!(error(&text).contains("more than 64 strings hold UTF-16 surrogate pairs"), "{}", error(&text));
        let items: Vec<String> = (0..64).map(|_| "\"\\ud83d\\ude80\"".to_string()).collect();
        let text = format!("component: {{ name: a }}\nchange: {{ approvers: [{}] }}\n", items.join(", "));
        assert_eq!(parse_spec(&text).unwrap().change.approvers.len(), 64);
    }

    #[test]
    fn the_page_reads_pairs_as_the_command_line_does() {
        for text in ["component:\n  name: \"go \\ud83d\\ude80\"\n", "component:\n  name: \"lone \\ud83d\"\n"] {
            let mut reader = SpecReader::new(text);
            let stepped = loop {
                if let Some(read) = reader.step(1) {
                    break read;
                }
            };
            assert_eq!(stepped.map_err(|e| e.to_string()), parse_spec(text).map_err(|e| e.to_string()), "{text}");
        }
    }
}
