//! Escaping of user text for each output format.
//!
//! Templates print values through these, chosen by the template's file extension, so that
//! no user text can change the structure of the output.

use std::fmt::{self, Write};

/// What an escaper writes in place of one character.
#[derive(Debug, PartialEq)]
enum Swap {
    /// The character itself.
    Keep,
    /// A fixed replacement.
    Text(&'static str),
    /// A backslash, then the character.
    Backslash,
    /// `\u{…}`: visible text for a character that would be invisible or harmful.
    Visible,
    /// `\u{…}` in wiki markup, where a backslash and braces need escapes of their own.
    VisibleWiki,
    /// `\uXXXX`: the escape of quoted string literals (YAML, Groovy).
    Code,
    /// A space (line breaks in inline formats).
    Space,
    /// Nothing (the `\r` of a `\r\n`).
    Drop,
}

/// Control characters other than line break and tab, Unicode line separators and the
/// non-characters U+FFFE and U+FFFF: invisible or harmful in every output.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')
}

/// The bytes worth a look: for each byte, whether the character starting there may need escaping.
type Candidates = [bool; 256];

/// The candidates of every syntax (control characters, and the first bytes of U+0080–U+009F,
/// U+2028/U+2029 and U+FFFE/U+FFFF), plus the ASCII characters a syntax escapes.
const fn candidates(ascii: &[u8]) -> Candidates {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xef] = true;
    let mut i = 0;
    while i < ascii.len() {
        table[ascii[i] as usize] = true;
        i += 1;
    }
    table
}

/// Writes `s`, asking `rule` what to write for each candidate character (the rest are kept);
/// runs of kept characters are copied whole, so text with nothing to escape costs one scan and one copy.
fn write_swapped(out: &mut dyn Write, s: &str, look: &Candidates, rule: impl Fn(usize, char) -> Swap) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut kept = 0;
    let mut i = 0;
    while let Some(skip) = next_candidate(&bytes[i..], look) {
        i += skip;
        // Candidates are ASCII or the first byte of a character, so `i` is a character boundary.
        let c = s[i..].chars().next().unwrap_or_default();
        let next = i + c.len_utf8();
        let swap = rule(i, c);
        if !matches!(swap, Swap::Keep) {
            out.write_str(&s[kept..i])?;
            kept = next;
        }
        match swap {
            Swap::Keep | Swap::Drop => {}
            Swap::Text(text) => out.write_str(text)?,
            Swap::Backslash => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            Swap::Visible => write!(out, "\\u{{{:x}}}", c as u32)?,
            Swap::VisibleWiki => write!(out, "&#92;u\\{{{:x}\\}}", c as u32)?,
            Swap::Code => write!(out, "\\u{:04x}", c as u32)?,
            Swap::Space => out.write_char(' ')?,
        }
        i = next;
    }
    out.write_str(&s[kept..])
}

/// Where a Markdown value starts like a block: the index of a leading `#`, `-`, `+` or `=`
/// (a heading, list or underline), or of the `.` or `)` after leading digits when a blank or the
/// end follows (`1.` or `1)`: an ordered list).
fn block_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    match s.as_bytes().get(digits)? {
        b'#' | b'-' | b'+' | b'=' if digits == 0 => Some(0),
        b'.' | b')' if digits > 0 && s[digits + 1..].chars().next().is_none_or(char::is_whitespace) => Some(digits),
        _ => None,
    }
}

/// The index of the first candidate in `bytes`. This scan is the hot loop of rendering: it tests
/// 16 bytes at a time without a branch per byte (most runs of prose hold no candidate), then
/// finds the candidate within its chunk.
fn next_candidate(bytes: &[u8], look: &Candidates) -> Option<usize> {
    const CHUNK: usize = 16;
    let mut start = 0;
    for chunk in bytes.chunks_exact(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | look[b as usize]) {
            break;
        }
        start += CHUNK;
    }
    bytes[start..].iter().position(|&b| look[b as usize]).map(|at| start + at)
}

/// The escaping of each output syntax, chosen by a template's file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Text,
    Markdown,
    Xml,
    Wiki,
    Slack,
    Mermaid,
    Yaml,
    GithubActions,
    Json,
    /// Octopus Deploy's configuration language (`deployment_process.ocl`).
    Ocl,
    Groovy,
}

impl Syntax {
    /// Every syntax, for the template engine's escape callback.
    pub const ALL: [Syntax; 11] = [
        Syntax::Text,
        Syntax::Markdown,
        Syntax::Xml,
        Syntax::Wiki,
        Syntax::Slack,
        Syntax::Mermaid,
        Syntax::Yaml,
        Syntax::GithubActions,
        Syntax::Json,
        Syntax::Ocl,
        Syntax::Groovy,
    ];

    /// The syntax of a template, from its name: `plan/detailed.md.j2` is Markdown. GitHub Actions
    /// workflows (`.actions.yaml.j2`) are YAML whose strings GitHub evaluates again: their own syntax.
    pub fn of_template(name: &str) -> Syntax {
        if name.ends_with(".actions.yaml.j2") {
            return Syntax::GithubActions;
        }
        match name.trim_end_matches(".j2").rsplit('.').next().unwrap_or("txt") {
            "md" => Syntax::Markdown,
            "html" | "xml" | "svg" => Syntax::Xml,
            "yaml" => Syntax::Yaml,
            "json" => Syntax::Json,
            "groovy" => Syntax::Groovy,
            "ocl" => Syntax::Ocl,
            "wiki" => Syntax::Wiki,
            "slack" => Syntax::Slack,
            "mmd" => Syntax::Mermaid,
            _ => Syntax::Text,
        }
    }

    /// A short name, as the template engine carries it.
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Text => "text",
            Syntax::Markdown => "markdown",
            Syntax::Xml => "xml",
            Syntax::Wiki => "wiki",
            Syntax::Slack => "slack",
            Syntax::Mermaid => "mermaid",
            Syntax::Yaml => "yaml",
            Syntax::GithubActions => "github-actions",
            Syntax::Json => "json",
            Syntax::Ocl => "ocl",
            Syntax::Groovy => "groovy",
        }
    }

    /// The syntax with this [`name`](Syntax::name).
    pub fn from_name(name: &str) -> Option<Syntax> {
        // A match, not a search of `ALL`: this runs for every value a template prints.
        Some(match name {
            "text" => Syntax::Text,
            "markdown" => Syntax::Markdown,
            "xml" => Syntax::Xml,
            "wiki" => Syntax::Wiki,
            "slack" => Syntax::Slack,
            "mermaid" => Syntax::Mermaid,
            "yaml" => Syntax::Yaml,
            "github-actions" => Syntax::GithubActions,
            "json" => Syntax::Json,
            "ocl" => Syntax::Ocl,
            "groovy" => Syntax::Groovy,
            _ => return None,
        })
    }

    /// Writes `s` escaped for this syntax.
    pub fn write(self, out: &mut dyn Write, s: &str) -> fmt::Result {
        let quote = match self {
            Syntax::Json => return out.write_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())),
            Syntax::GithubActions => return Syntax::Yaml.write(out, &s.replace("${{", "${{ '${{' }}")),
            Syntax::Yaml | Syntax::Ocl => Some('"'),
            Syntax::Groovy => Some('\''),
            _ => None,
        };
        let mut s = s;
        // Octopus substitutes `#{Name}` in step properties; `##{` is its literal `#{`
        // (octopus.com/docs/projects/variables/variable-substitutions).
        let unsubstituted;
        if self == Syntax::Ocl && s.contains("#{") {
            unsubstituted = s.replace("#{", "##{");
            s = &unsubstituted;
        }
        if self == Syntax::Markdown {
            // A Markdown value never starts with blanks, which could make it a code block, nor
            // with a list or heading marker: that one character is escaped here, before the scan.
            // Only CommonMark's blanks are trimmed (a paragraph strips spaces and tabs, spec 4.8):
            // another Unicode space, or a line separator shown as `\u{2028}`, is text.
            s = s.trim_start_matches([' ', '\t', '\n', '\r']);
            if let Some(at) = block_marker(s) {
                out.write_str(&s[..at])?;
                out.write_char('\\')?;
                out.write_str(&s[at..=at])?;
                s = &s[at + 1..];
            }
        }
        if let Some(q) = quote {
            out.write_char(q)?;
        }
        write_swapped(out, s, self.candidates(), |i, c| self.swap(s, i, c))?;
        match quote {
            Some(q) => out.write_char(q),
            None => Ok(()),
        }
    }

    /// `s` escaped for this syntax.
    pub fn escape(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        let _ = self.write(&mut out, s);
        out
    }

    /// The bytes that may start a character [`swap`](Syntax::swap) changes.
    fn candidates(self) -> &'static Candidates {
        match self {
            Syntax::Text | Syntax::Json | Syntax::GithubActions => const { &candidates(b"") },
            Syntax::Markdown => const { &candidates(b"\\`*[]<>|~!_&") },
            Syntax::Xml => const { &candidates(b"&<>\"'") },
            Syntax::Wiki => const { &candidates(b"\\&*_-+^~?{}[]|!#():") },
            Syntax::Slack => const { &candidates(b"&<>") },
            Syntax::Mermaid => const { &candidates(b"\"#<>&`") },
            Syntax::Yaml | Syntax::Ocl => const { &candidates(b"\"\\") },
            Syntax::Groovy => const { &candidates(b"\\'") },
        }
    }

    /// What to write for the character `c` at byte `i` of `s`.
    fn swap(self, s: &str, i: usize, c: char) -> Swap {
        match self {
            // Inline CommonMark / GitHub-flavoured Markdown, safe inside paragraphs, list items and
            // table cells: line breaks become spaces (a value never starts a block), every character
            // with inline meaning is backslash-escaped (a leading one that could start a block is
            // escaped by `write`, before the scan).
            Syntax::Markdown => {
                let prev = || s[..i].chars().next_back();
                let next = || s[i + c.len_utf8()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                match c {
                    '\r' if next() == Some('\n') => Swap::Drop,
                    '\n' | '\r' => Swap::Space,
                    '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '!' => Swap::Backslash,
                    // Only between ASCII letters or digits is `_` surely not emphasis.
                    '_' if word(prev()) && word(next()) => Swap::Keep,
                    '_' => Swap::Backslash,
                    '&' if next().is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => Swap::Text("&amp;"),
                    c if hidden(c) => Swap::Visible,
                    _ => Swap::Keep,
                }
            }
            Syntax::Xml => match c {
                '&' => Swap::Text("&amp;"),
                '<' => Swap::Text("&lt;"),
                '>' => Swap::Text("&gt;"),
                '"' => Swap::Text("&quot;"),
                '\'' => Swap::Text("&#39;"),
                c if hidden(c) => Swap::Visible,
                _ => Swap::Keep,
            },
            // Confluence draws emoticon notations as icons: `(x)`, `(/)`, `(on)`, `:)`, `;)`, `:P`, `:D`,
            // … ("Symbols, emoticons and special characters"); a backslash inside one keeps it text,
            // so every parenthesis and a colon before P or D is escaped.
            Syntax::Wiki => match c {
                '\\' => Swap::Text("&#92;"),
                '&' => Swap::Text("&amp;"),
                '\r' | '\n' => Swap::Space,
                '*' | '_' | '-' | '+' | '^' | '~' | '?' | '{' | '}' | '[' | ']' | '|' | '!' | '#' | '(' | ')' => {
                    Swap::Backslash
                }
                ':' if s[i + 1..].starts_with(['P', 'p', 'D', 'd']) => Swap::Backslash,
                c if hidden(c) => Swap::VisibleWiki,
                _ => Swap::Keep,
            },
            Syntax::Slack => match c {
                '&' => Swap::Text("&amp;"),
                '<' => Swap::Text("&lt;"),
                '>' => Swap::Text("&gt;"),
                '\r' | '\n' => Swap::Space,
                c if hidden(c) => Swap::Visible,
                _ => Swap::Keep,
            },
            Syntax::Mermaid => match c {
                '"' => Swap::Text("#quot;"),
                '#' => Swap::Text("#35;"),
                '<' => Swap::Text("#lt;"),
                '>' => Swap::Text("#gt;"),
                '&' => Swap::Text("#amp;"),
                '`' => Swap::Text("#96;"),
                '\r' | '\n' => Swap::Space,
                c if hidden(c) => Swap::Visible,
                _ => Swap::Keep,
            },
            // A YAML double-quoted scalar: every character outside YAML's printable set is a `\u`
            // escape, and so are U+0085, U+2028 and U+2029, which YAML 1.1 readers take for line breaks.
            Syntax::Yaml => match c {
                '"' => Swap::Text("\\\""),
                '\\' => Swap::Text("\\\\"),
                '\n' => Swap::Text("\\n"),
                '\t' => Swap::Text("\\t"),
                '\r' => Swap::Text("\\r"),
                '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' => {
                    Swap::Keep
                }
                c if (c as u32) >= 0x10000 => Swap::Keep,
                _ => Swap::Code,
            },
            // An OCL quoted string takes the escapes \" \n \t \r \\ and no other (OctopusDeploy/Ocl,
            // QuotedStringParser.cs): other control characters cannot be written, and are left out.
            Syntax::Ocl => match c {
                '"' => Swap::Text("\\\""),
                '\\' => Swap::Text("\\\\"),
                '\n' => Swap::Text("\\n"),
                '\t' => Swap::Text("\\t"),
                '\r' => Swap::Text("\\r"),
                c if hidden(c) => Swap::Drop,
                _ => Swap::Keep,
            },
            // A Groovy single-quoted string (never interpolates `$`): a value stays one literal on one line.
            Syntax::Groovy => match c {
                '\\' => Swap::Text("\\\\"),
                '\'' => Swap::Text("\\'"),
                '\n' => Swap::Text("\\n"),
                '\r' => Swap::Text("\\r"),
                '\t' => Swap::Text("\\t"),
                c if hidden(c) => Swap::Code,
                _ => Swap::Keep,
            },
            Syntax::Text | Syntax::Json | Syntax::GithubActions => {
                if hidden(c) {
                    Swap::Visible
                } else {
                    Swap::Keep
                }
            }
        }
    }
}

/// Plain text: printable as is, control characters made visible (no terminal escapes).
pub fn text(s: &str) -> String {
    Syntax::Text.escape(s)
}

/// Inline Markdown, safe inside paragraphs, list items and table cells.
pub fn markdown(s: &str) -> String {
    Syntax::Markdown.escape(s)
}

/// HTML and XML (XHTML, SVG): element content or attribute value.
///
/// Characters XML 1.0 forbids even as references (most control characters, U+FFFE, U+FFFF) are
/// written as visible `\u{…}` text, so the document stays well-formed.
pub fn xml(s: &str) -> String {
    Syntax::Xml.escape(s)
}

/// The body of a CDATA section: `]]>` cannot appear inside one, so it is split across two.
pub fn cdata(s: &str) -> String {
    format!("<![CDATA[{}]]>", s.replace("]]>", "]]]]><![CDATA[>"))
}

/// Confluence and Jira wiki markup, inline: every markup character and emoticon is backslash-escaped,
/// line breaks become spaces, and a backslash (which starts a line break, `\\`) becomes an entity.
pub fn wiki(s: &str) -> String {
    Syntax::Wiki.escape(s)
}

/// Slack mrkdwn: `&`, `<` and `>` are the characters Slack asks apps to escape; line breaks become
/// spaces so that a value cannot start a quote or a list.
pub fn slack(s: &str) -> String {
    Syntax::Slack.escape(s)
}

/// Mermaid, inside a double-quoted label: quotes, `#`, `<`, `>` and `&` become Mermaid's `#…;` codes.
pub fn mermaid(s: &str) -> String {
    Syntax::Mermaid.escape(s)
}

/// A YAML string for a GitHub Actions workflow: GitHub evaluates `${{ … }}` in strings after the
/// YAML is read, so user text that contains `${{` is written with GitHub's own literal form for it,
/// `${{ '${{' }}`, and reaches the runner as the same text instead of being evaluated.
pub fn github_actions(s: &str) -> String {
    Syntax::GithubActions.escape(s)
}

/// A YAML double-quoted scalar: every character outside YAML's printable set is a `\u` escape.
pub fn yaml(s: &str) -> String {
    Syntax::Yaml.escape(s)
}

/// A Groovy single-quoted string literal, quotes included (Jenkinsfiles).
///
/// Single-quoted Groovy strings never interpolate `$`; a backslash and a quote are escaped, line
/// breaks and other control characters become escapes, so a value stays one literal on one line.
pub fn groovy(s: &str) -> String {
    Syntax::Groovy.escape(s)
}

/// A JSON string literal, quotes included.
pub fn json(s: &str) -> String {
    Syntax::Json.escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OCL quoted strings: only \" \n \t \r \\ escapes exist (OctopusDeploy/Ocl QuotedStringParser.cs);
    /// Octopus substitutes `#{…}`, and `##{` is its literal `#{` (octopus.com variable-substitutions).
    #[test]
    fn ocl_strings_take_only_ocl_escapes_and_keep_octopus_from_substituting() {
        let ocl = |s: &str| Syntax::Ocl.escape(s);
        assert_eq!(ocl("a \"b\" \\ c\nd\te\r"), "\"a \\\"b\\\" \\\\ c\\nd\\te\\r\"");
        assert_eq!(ocl("x\u{1}y\u{7f}"), "\"xy\"");
        assert_eq!(ocl("#{Octopus.Id} ${x}"), "\"##{Octopus.Id} ${x}\"");
        assert_eq!(Syntax::of_template("snippets/octopus.ocl.j2"), Syntax::Ocl);
    }

    #[test]
    fn every_syntax_is_found_by_its_name() {
        for syntax in Syntax::ALL {
            assert_eq!(Syntax::from_name(syntax.name()), Some(syntax));
        }
        assert_eq!(Syntax::from_name("html"), None);
    }

    #[test]
    fn markdown_escapes_inline_and_block_syntax() {
        assert_eq!(markdown("a|b"), "a\\|b");
        // CommonMark trims spaces and tabs at a paragraph's start, not other Unicode white space.
        assert_eq!(markdown(" \t\nnext"), "next");
        assert_eq!(markdown("\u{2028}x"), "\\u{2028}x");
        assert_eq!(markdown("\u{a0}x"), "\u{a0}x");
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
        // Block markers count only at the start, after any blanks, and escape one character.
        assert_eq!(markdown("  12) x"), "12\\) x");
        assert_eq!(markdown("7."), "7\\.");
        assert_eq!(markdown("7.x"), "7.x");
        assert_eq!(markdown("-- x"), "\\-- x");
        assert_eq!(markdown("=_a_"), "\\=\\_a\\_");
        assert_eq!(markdown("+&amp;"), "\\+&amp;amp;");
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
        // Emoticons keep a backslash inside; a control character's visible form escapes its own backslash
        // and braces (bare, `{1b}` is a macro).
        assert_eq!(wiki("(x) (/) :) ;) :P :D a:b"), "\\(x\\) \\(/\\) :\\) ;\\) \\:P \\:D a:b");
        assert_eq!(wiki("esc\u{1b}"), "esc&#92;u\\{1b\\}");
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

    /// The byte tables only skip work: every character a syntax changes starts with a candidate byte.
    #[test]
    fn every_character_a_syntax_changes_starts_with_a_candidate_byte() {
        let chars =
            (0..0x3100u32).chain(0xd7f0..0x11000).chain([0x1f600, 0xe0001, 0x10ffff]).filter_map(char::from_u32);
        for c in chars {
            let mut first = [0; 4];
            c.encode_utf8(&mut first);
            for syntax in Syntax::ALL {
                if syntax.candidates()[first[0] as usize] {
                    continue;
                }
                for context in [format!("{c}"), format!("a{c}a"), format!("1{c}"), format!("1{c} "), format!("_{c}\n")]
                {
                    let i = context.find(c).unwrap();
                    assert_eq!(syntax.swap(&context, i, c), Swap::Keep, "{syntax:?} U+{:04X} in {context:?}", c as u32);
                }
            }
        }
    }

    #[test]
    fn json_strings_are_quoted_and_escaped() {
        assert_eq!(json("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(json("\u{1}"), r#""\u0001""#);
    }
}
