//! Escaping of user text for each output format.
//!
//! Templates print values through these, chosen by the template's file extension, so that
//! no user text can change the structure of the output.

use std::fmt::Write;

/// Writes a character that would be invisible or harmful (control characters) as a visible escape.
fn push_visible(out: &mut String, c: char) -> bool {
    if (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}') {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
        true
    } else {
        false
    }
}

/// Plain text: printable as is, control characters made visible (no terminal escapes).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !push_visible(&mut out, c) {
            out.push(c);
        }
    }
    out
}

/// Inline CommonMark / GitHub-flavoured Markdown, safe inside paragraphs, list items and table cells.
///
/// Line breaks become spaces (a value never starts a block), every character with inline
/// meaning is backslash-escaped, and a leading character that could start a block is escaped.
pub fn markdown(s: &str) -> String {
    let s = s.trim_start();
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        match c {
            '\r' if next == Some('\n') => {}
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                // Only between ASCII letters or digits is `_` surely not emphasis; elsewhere escape it.
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                let intraword = word(prev) && word(next);
                if !intraword {
                    out.push('\\');
                }
                out.push('_');
            }
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => out.push_str("&amp;"),
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            // `1.` or `1)` followed by a space would start an ordered list.
            '.' | ')'
                if i > 0 && chars[..i].iter().all(char::is_ascii_digit) && next.is_none_or(char::is_whitespace) =>
            {
                out.push('\\');
                out.push(c);
            }
            _ => {
                if !push_visible(&mut out, c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// Text for an HTML attribute value or element content.
pub fn html_attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
pub fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_inline_and_block_syntax() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(markdown("**bold** [x](y)"), "\\*\\*bold\\*\\* \\[x\\](y)");
        assert_eq!(markdown("# title"), "\\# title");
        assert_eq!(markdown("1. item"), "1\\. item");
        assert_eq!(markdown("1.0.0"), "1.0.0");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("line\nbreak"), "line break");
        assert_eq!(markdown("<script>"), "\\<script\\>");
        assert_eq!(markdown("&lt;"), "&amp;lt;");
        assert_eq!(markdown("snake_case _em_"), "snake_case \\_em\\_");
        assert_eq!(markdown("a - b 2. c"), "a - b 2. c");
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(text("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(markdown("a\u{7}"), "a\\u{7}");
    }

    #[test]
    fn yaml_quotes_everything() {
        assert_eq!(yaml("a: b\n- c"), "\"a: b\\n- c\"");
    }
}
