//! Escaping of user text for each output format.
//!
//! Templates print values through these, chosen by the template's file extension, so that
//! no user text can change the structure of the output.

use std::fmt::Write;

/// Writes a character that would be invisible or harmful (control characters) as a visible escape.
fn push_visible(out: &mut String, c: char) -> bool {
    // Control characters, Unicode line separators and the non-characters U+FFFE and U+FFFF.
    if (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
        true
    } else {
        false
    }
}

/// Copies `s`, letting `special` write a replacement for a character (returning true when it did);
/// other invisible or harmful characters are made visible, and the rest are kept.
fn substitute(s: &str, special: impl Fn(char, &mut String) -> bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !special(c, &mut out) && !push_visible(&mut out, c) {
            out.push(c);
        }
    }
    out
}

/// Plain text: printable as is, control characters made visible (no terminal escapes).
pub fn text(s: &str) -> String {
    substitute(s, |_, _| false)
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

/// HTML and XML (XHTML, SVG): element content or attribute value.
///
/// Characters XML 1.0 forbids even as references (most control characters, U+FFFE, U+FFFF) are
/// written as visible `\u{…}` text, so the document stays well-formed.
pub fn xml(s: &str) -> String {
    substitute(s, |c, out| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => return false,
        }
        true
    })
}

/// The body of a CDATA section: `]]>` cannot appear inside one, so it is split across two.
pub fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

/// Confluence and Jira wiki markup, inline: every markup character is backslash-escaped, line breaks
/// become spaces, and a backslash (which starts a line break, `\\`) becomes an entity.
pub fn wiki(s: &str) -> String {
    substitute(s, |c, out| {
        match c {
            '\\' => out.push_str("&#92;"),
            '&' => out.push_str("&amp;"),
            '\r' | '\n' => out.push(' '),
            '*' | '_' | '-' | '+' | '^' | '~' | '?' | '{' | '}' | '[' | ']' | '|' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => return false,
        }
        true
    })
}

/// Slack mrkdwn: `&`, `<` and `>` are the characters Slack asks apps to escape; line breaks become
/// spaces so that a value cannot start a quote or a list.
pub fn slack(s: &str) -> String {
    substitute(s, |c, out| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' | '\n' => out.push(' '),
            _ => return false,
        }
        true
    })
}

/// Mermaid, inside a double-quoted label: quotes, `#`, `<`, `>` and `&` become Mermaid's `#…;` codes.
pub fn mermaid(s: &str) -> String {
    substitute(s, |c, out| {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\r' | '\n' => out.push(' '),
            _ => return false,
        }
        true
    })
}

/// A YAML string for a GitHub Actions workflow: GitHub evaluates `${{ … }}` in strings after the
/// YAML is read, so user text that contains `${{` is written with GitHub's own literal form for it,
/// `${{ '${{' }}`, and reaches the runner as the same text instead of being evaluated.
pub fn github_actions(s: &str) -> String {
    yaml(&s.replace("${{", "${{ '${{' }}"))
}

/// A YAML double-quoted scalar.
///
/// Every character outside YAML's printable set is written as a `\u` escape, and so are U+0085,
/// U+2028 and U+2029, which YAML 1.1 readers take for line breaks.
pub fn yaml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' => {
                out.push(c)
            }
            c if (c as u32) >= 0x10000 => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// A Groovy single-quoted string literal, quotes included (Jenkinsfiles).
///
/// Single-quoted Groovy strings never interpolate `$`; a backslash and a quote are escaped, line
/// breaks and other control characters become escapes, so a value stays one literal on one line.
pub fn groovy(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A JSON string literal, quotes included.
pub fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
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
    fn xml_escapes_markup_and_forbidden_characters() {
        assert_eq!(xml("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(xml("a\u{1}b\u{fffe}"), "a\\u{1}b\\u{fffe}");
        assert_eq!(cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
    }

    #[test]
    fn wiki_slack_and_mermaid_escape_their_syntax() {
        assert_eq!(wiki("*bold* {code} [link|x] \\\\ h1."), "\\*bold\\* \\{code\\} \\[link\\|x\\] &#92;&#92; h1.");
        assert_eq!(slack("<!channel> & *x*"), "&lt;!channel&gt; &amp; *x*");
        assert_eq!(mermaid("a\"]\n--> B[\"#x<y>"), "a#quot;] --#gt; B[#quot;#35;x#lt;y#gt;");
    }

    #[test]
    fn yaml_quotes_everything_and_escapes_unicode_line_breaks() {
        assert_eq!(yaml("a\u{2028}b\u{85}"), "\"a\\u2028b\\u0085\"");
        assert_eq!(yaml("a: b\n- c"), "\"a: b\\n- c\"");
    }

    #[test]
    fn groovy_single_quotes_escape_quotes_backslashes_and_line_breaks() {
        assert_eq!(groovy("it's"), r"'it\'s'");
        assert_eq!(groovy(r"a\b"), r"'a\\b'");
        assert_eq!(groovy("${env.SECRET}"), "'${env.SECRET}'", "single quotes do not interpolate");
        assert_eq!(groovy("x\n''' }\r"), r"'x\n\'\'\' }\r'");
        assert_eq!(groovy("a\u{1b}b\u{2028}"), r"'a\u001bb\u2028'");
        assert_eq!(groovy(""), "''");
    }

    #[test]
    fn json_strings_are_quoted_and_escaped() {
        assert_eq!(json("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(json("\u{1}"), r#""\u0001""#);
    }
}
