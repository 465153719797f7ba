//! Readers of planb's output formats, for tests/escaping.rs: each turns a document back into the text
//! a person using that format sees, so that a test can compare it with what the spec said.
//!
//! A format with a parser crate is read by it: CommonMark by pulldown-cmark, XML (XHTML, Confluence
//! storage, SVG) by roxmltree, JSON by serde_json. Confluence/Jira wiki markup, Slack mrkdwn and
//! Mermaid have no parser in Rust: their readers below implement the rules of the format's own
//! documentation, cited on each, and nothing of planb's escaper, whose output they check.
//!
//! Where markup stands (an element's edge, a table cell, a mention), a reader writes [`MARKUP`], so
//! that text which markup interrupts does not read back as one run.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

/// Stands for markup in a reader's text; no text field of the test's spec holds it.
pub const MARKUP: char = '\u{1}';

/// Stands for an icon a format draws in place of the characters that name it.
pub const ICON: char = '\u{fffc}';

/// A Markdown document as a CommonMark reader sees it.
pub struct Markdown {
    /// The text outside code blocks, with markup and line breaks where they stand.
    pub text: String,
    /// Every event but text, in order: the document's structure, to compare with another render's.
    pub shape: Vec<String>,
    /// Raw HTML blocks and inline HTML.
    pub html: usize,
}

/// Reads GitHub-flavoured Markdown, as planb's templates write it (CommonMark with tables, task
/// lists and strikethrough), with pulldown-cmark. Code blocks are left out of the text: the snippet
/// in one is the deployment tool's syntax, which its own test reads.
pub fn markdown(md: &str) -> Markdown {
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut read = Markdown { text: String::with_capacity(md.len()), shape: Vec::new(), html: 0 };
    let mut in_code_block = false;
    for event in Parser::new_ext(md, options) {
        match &event {
            Event::Text(t) => {
                if !in_code_block {
                    read.text.push_str(t);
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Html(_) | Event::InlineHtml(_) => read.html += 1,
            _ => {}
        }
        read.text.push(if matches!(event, Event::SoftBreak | Event::HardBreak) { '\n' } else { MARKUP });
        read.shape.push(shape(&event));
    }
    read
}

/// An event without the text it carries (inline code, HTML), for comparing structure.
fn shape(event: &Event) -> String {
    match event {
        Event::Code(_) => "Code".to_string(),
        Event::Html(_) | Event::InlineHtml(_) => "Html".to_string(),
        other => format!("{other:?}"),
    }
}

/// A fragment (an HTML article, Confluence storage) as one XML document: in a root element that
/// declares Confluence's `ac:` and `ri:` prefixes.
pub fn fragment(xml: &str) -> String {
    format!("<root xmlns:ac=\"urn:ac\" xmlns:ri=\"urn:ri\">{}</root>", xml.trim_start_matches(|c| c != '<'))
}

/// Reads XML with roxmltree: the text of every text node (character references decoded, CDATA
/// included), outside elements whose local name is in `skip`.
pub fn xml(document: &str, skip: &[&str]) -> Result<String, String> {
    let doc = roxmltree::Document::parse(document).map_err(|e| format!("not well-formed XML: {e}"))?;
    let mut text = String::with_capacity(document.len());
    for node in doc.descendants().filter(|n| n.is_text()) {
        if node.ancestors().any(|a| skip.contains(&a.tag_name().name())) {
            continue;
        }
        text.push_str(node.text().unwrap_or_default());
        text.push(MARKUP);
    }
    Ok(text)
}

/// Reads JSON with serde_json: every string value, outside members named `skip`.
pub fn json(document: &str, skip: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(document).map_err(|e| format!("not JSON: {e}"))?;
    let mut text = String::with_capacity(document.len());
    json_strings(&value, skip, &mut text);
    Ok(text)
}

fn json_strings(value: &Value, skip: &str, out: &mut String) {
    match value {
        Value::String(s) => {
            out.push_str(s);
            out.push(MARKUP);
        }
        Value::Array(items) => items.iter().for_each(|v| json_strings(v, skip, out)),
        Value::Object(members) => {
            members.iter().filter(|(k, _)| k.as_str() != skip).for_each(|(_, v)| json_strings(v, skip, out))
        }
        _ => {}
    }
}

/// Reads an SVG picture (it is XML: roxmltree) as its text is drawn: the `<title>`, each `<text>`
/// outside a group, and each group's (a box's) `<text>` lines joined.
///
/// SVG drops or collapses white space in text (SVG 1.1, 10.15 "White space handling",
/// https://www.w3.org/TR/SVG11/text.html#WhiteSpace), and planb lays a box's text out in lines of its
/// own, one `<text>` each, breaking at white space and cutting a word longer than a line
/// (src/render/figure.rs, `wrap`). Where a line ended, a space or nothing may have stood, so the
/// reader drops white space (Unicode White_Space, where that layout may break) from each block, and
/// the comparison drops it from the expected text too.
pub fn svg(document: &str) -> Result<String, String> {
    let doc = roxmltree::Document::parse(document).map_err(|e| format!("not well-formed SVG: {e}"))?;
    let mut text = String::with_capacity(document.len());
    for block in doc.root_element().children().filter(|n| matches!(n.tag_name().name(), "title" | "text" | "g")) {
        let drawn = block.descendants().filter(|n| n.is_text()).filter_map(|n| n.text());
        text.extend(drawn.flat_map(str::chars).filter(|c| !c.is_whitespace()));
        text.push(MARKUP);
    }
    Ok(text)
}

/// Confluence's emoticon notations, drawn as icons wherever they stand in text: the table of
/// Confluence's "Adding Emoticons" (now "Symbols, emoticons and special characters"), whose
/// "Preventing emoticons from appearing" says a backslash inside one keeps it text.
const WIKI_EMOTICONS: &[&str] = &[
    ":)", ":(", ":P", ":D", ";)", "(y)", "(n)", "(i)", "(/)", "(x)", "(!)", "(+)", "(-)", "(?)", "(on)", "(off)",
    "(*)", "(*r)", "(*g)", "(*b)", "(*y)",
];

/// Whether Confluence and Jira wiki markup gives `c` a meaning when it is not escaped: text effects
/// (`*strong*`, `_emphasis_`, `??citation??`, `-deleted-`, `+inserted+`, `^superscript^`,
/// `~subscript~`), macros and monospace (`{…}`, `{{…}}`), links (`[…]`), images (`!…!`), table
/// cells (`|`) and numbered lists (`#`).
fn wiki_markup(c: char) -> bool {
    matches!(c, '*' | '_' | '?' | '-' | '+' | '^' | '~' | '{' | '}' | '[' | ']' | '!' | '|' | '#')
}

/// Reads Confluence and Jira wiki markup as its renderer shows inline text.
///
/// The rules, from Atlassian's "Confluence Wiki Markup"
/// (https://confluence.atlassian.com/doc/confluence-wiki-markup-251003035.html) and Jira's "Text
/// Formatting Notation Help" (https://jira.atlassian.com/secure/WikiRendererHelpAction.jspa?section=all):
/// - `\\` is a line break ("Text Breaks"), and so is a line break in the source;
/// - `\X` shows the special character X ("Misc": "Escape special character X"); a backslash before
///   any other character stays a backslash;
/// - an emoticon notation (`(/)`, `(x)`, `:)`, … see [`WIKI_EMOTICONS`]) is drawn as an icon; a
///   backslash inside one keeps it text ("Preventing emoticons from appearing");
/// - an unescaped markup character (see [`wiki_markup`]) is markup. The reader does not guess
///   whether the renderer would find its pair: the format offers an escape for every one of them;
/// - the renderer writes HTML and passes character references (`&amp;`, `&#92;`) through to it, so
///   they show as their character. Atlassian's pages do not say so; pandoc's reader of the format
///   (github.com/tarleb/jira-wiki-markup, `Text.Jira.Parser.Inline.entity`) reads them this way.
///
/// Block markup (`h1.`, `bq.`, lists, tables) starts a line; planb's values hold no line break, and
/// the reader keeps line breaks, so a value that started a line would not read back.
pub fn wiki(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest.find(|c| matches!(c, '\\' | '(' | ':' | ';' | '&') || wiki_markup(c)).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        if let Some(after) = rest.strip_prefix("\\\\") {
            out.push('\n');
            rest = after;
        } else if let Some(x) =
            rest.strip_prefix('\\').and_then(|a| a.chars().next()).filter(char::is_ascii_punctuation)
        {
            out.push(x);
            rest = &rest[1 + x.len_utf8()..];
        } else if let Some(icon) = WIKI_EMOTICONS.iter().find(|e| rest.starts_with(**e)) {
            out.push(ICON);
            rest = &rest[icon.len()..];
        } else if let Some((decoded, len)) = html_reference(rest)? {
            out.push(decoded);
            rest = &rest[len..];
        } else {
            out.push(if wiki_markup(c) { MARKUP } else { c });
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

/// Reads Slack mrkdwn for the characters Slack parses in it.
///
/// Slack's "Formatting text for app surfaces", "Escaping text"
/// (https://docs.slack.dev/messaging/formatting-message-text#escaping-text): `&`, `<` and `>` are
/// control characters, to be written `&amp;`, `&lt;` and `&gt;` when they are not used for their
/// parsing purpose, and "only the specific characters shown above will be decoded". So the reader
/// decodes those three entities; reads `<…>` (a link, mention or date: "Linking to URLs",
/// "Mentioning users") and any other `<` or `>` as markup; and keeps every other character, `&`
/// included. A line break is a line break.
///
/// Not read: the styles `*bold*`, `_italic_`, `~strike~`, `` `code` `` and emoji `:name:`. Slack
/// documents no escape for them, so no writer can keep a value's `*…*` from being styled, and the
/// docs give no rule for where a pair may open or close, so a reader cannot tell either.
pub fn slack(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest.find(['&', '<', '>']).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        let entity = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')].into_iter().find(|(e, _)| rest.starts_with(e));
        if let Some((entity, decoded)) = entity {
            out.push(decoded);
            rest = &rest[entity.len()..];
        } else if c == '<' {
            out.push(MARKUP);
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else {
            out.push(if c == '>' { MARKUP } else { c });
            rest = &rest[1..];
        }
    }
    Ok(out)
}

/// A Mermaid flowchart as Mermaid reads it.
pub struct Flowchart {
    /// Every label, nodes' and links', decoded, with markup between.
    pub labels: String,
    /// The nodes' ids and the links, in order: the graph, to compare with another render's.
    pub graph: Vec<String>,
}

/// Reads a Mermaid flowchart, by Mermaid's flowchart syntax (https://mermaid.js.org/syntax/flowchart.html),
/// for the statements planb writes: `flowchart TD`; a node `id["label"]` or a stadium-shaped node
/// `id(["label"])`; a link `a --> b` or a link with text `a -- "label" --> b`. Any other line is an
/// error: a statement this reader does not know. A label in quotes runs to the next `"` ("Special
/// characters that break syntax": such text goes in quotes, and a quote in it is written
/// `#quot;`); see [`mermaid_label`] for its text.
pub fn mermaid(text: &str) -> Result<Flowchart, String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next() != Some("flowchart TD") {
        return Err("a flowchart starts with `flowchart TD`".to_string());
    }
    let mut chart = Flowchart { labels: String::with_capacity(text.len()), graph: Vec::new() };
    for line in lines {
        let unknown = || format!("not a statement the reader knows: {:?}", shorten(line));
        let (id, rest) = line.split_at(line.find(|c| !word(c)).unwrap_or(line.len()));
        let (statement, label) = if let Some(quoted) = rest.strip_prefix("[\"").and_then(|r| r.strip_suffix("\"]")) {
            (format!("node {id}"), Some(quoted))
        } else if let Some(quoted) = rest.strip_prefix("([\"").and_then(|r| r.strip_suffix("\"])")) {
            (format!("stadium {id}"), Some(quoted))
        } else if let Some(to) = rest.strip_prefix(" --> ").filter(|to| is_id(to)) {
            (format!("{id} --> {to}"), None)
        } else if let Some((quoted, to)) =
            rest.strip_prefix(" -- \"").and_then(|r| r.split_once("\" --> ")).filter(|(_, to)| is_id(to))
        {
            (format!("{id} -- text --> {to}"), Some(quoted))
        } else {
            return Err(unknown());
        };
        if !is_id(id) || label.is_some_and(|l| l.contains('"')) {
            return Err(unknown());
        }
        chart.graph.push(statement);
        if let Some(label) = label {
            chart.labels.push_str(&mermaid_label(label)?);
            chart.labels.push(MARKUP);
        }
    }
    Ok(chart)
}

/// A character of a node id, and of Mermaid's `\\w` (ASCII letters, digits, `_`).
fn word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_id(text: &str) -> bool {
    !text.is_empty() && text.chars().all(word)
}

/// The text of a Mermaid label.
///
/// - A label that starts and ends with a backtick is a Markdown string, an error here.
/// - An entity code `#name;` or `#NNN;` (decimal) shows as its character ("Entity codes to escape
///   characters": "Numbers given are base 10 … It is also supported to use HTML character names");
///   Mermaid finds them as `#\w+;`.
/// - A label is HTML (unless the `htmlLabels` setting is turned off): `<br>` or `<br/>` is a line
///   break, any other tag is markup, and a character reference (`&amp;`, `&#60;`) shows as its
///   character; Mermaid turns its entity codes into such references.
pub fn mermaid_label(label: &str) -> Result<String, String> {
    // A label in backticks is a Markdown string ("Markdown Strings"), read by other rules.
    if label.len() > 1 && label.starts_with('`') && label.ends_with('`') {
        return Err(format!("a Markdown string, which this reader does not read: {:?}", shorten(label)));
    }
    let mut out = String::with_capacity(label.len());
    let mut rest = label;
    while !rest.is_empty() {
        let plain = rest.find(['#', '&', '<']).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else { break };
        if c == '#' {
            let code = rest[1..].find(|c| !word(c)).filter(|&n| n > 0);
            match code.filter(|&n| rest[1 + n..].starts_with(';')) {
                Some(n) => {
                    let name = &rest[1..=n];
                    let decoded = if name.bytes().all(|b| b.is_ascii_digit()) { decimal(name)? } else { named(name)? };
                    out.push(decoded);
                    rest = &rest[n + 2..];
                }
                None => {
                    out.push('#');
                    rest = &rest[1..];
                }
            }
        } else if c == '<' {
            let (tag, next) = rest.find('>').map_or((&rest[1..], rest.len()), |end| (&rest[1..end], end + 1));
            out.push(if matches!(tag.trim(), "br" | "br/" | "br /") { '\n' } else { MARKUP });
            rest = &rest[next..];
        } else if let Some((decoded, len)) = html_reference(rest)? {
            out.push(decoded);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    Ok(out)
}

/// An HTML character reference at the start of `text` (`&name;`, `&#NNN;`, `&#xHH;`): the character
/// and the reference's length; `None` when `text` does not start with one.
fn html_reference(text: &str) -> Result<Option<(char, usize)>, String> {
    let Some(body) = text.strip_prefix('&') else { return Ok(None) };
    let Some(end) = body.find(';').filter(|&n| n > 0 && n <= 32) else { return Ok(None) };
    let name = &body[..end];
    let decoded = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) => c,
            None => return Ok(None),
        }
    } else if let Some(digits) =
        name.strip_prefix('#').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    {
        decimal(digits)?
    } else if name.bytes().all(|b| b.is_ascii_alphabetic()) {
        named(name)?
    } else {
        return Ok(None);
    };
    Ok(Some((decoded, end + 2)))
}

fn decimal(digits: &str) -> Result<char, String> {
    digits.parse().ok().and_then(char::from_u32).ok_or_else(|| format!("not a character: {digits}"))
}

/// The named character references this reader knows: XML's five and `nbsp`. Any other name is an
/// error rather than a guess (HTML has some two thousand).
fn named(name: &str) -> Result<char, String> {
    Ok(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => return Err(format!("a character name the reader does not know: {name}")),
    })
}

/// A long text cut for a message: its start and its length.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
        None => text.to_string(),
    }
}
