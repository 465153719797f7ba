//! A corpus of hostile strings, put into every text field of a spec and rendered in every format:
//! every field must read back exactly, through a reader of the format (tests/support/readers.rs: a
//! parser where one exists, else the format's documented rules), and the structure must not change.

#[path = "support/readers.rs"]
mod readers;

use std::collections::BTreeMap;

use planb::render::{escape, Format, FormatInfo, RenderOptions, Style, FORMATS};
use planb::Engine;
use serde_json::json;

/// More than a hundred strings: markup and script, wiki and Markdown syntax, table pipes, YAML and
/// JSON specials, right-to-left and zero-width characters, control characters, and very long text.
fn corpus() -> Vec<String> {
    let fixed = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg/onload=alert(1)>",
        "\"><script>alert(1)</script>",
        "'><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<iframe src=javascript:alert(1)>",
        "<body onload=alert(1)>",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;>",
        "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
        "<SCRIPT SRC=//xss.example/.j>",
        "<STYLE>@import'http://x/xss.css';</STYLE>",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert(1)\">",
        "<TABLE BACKGROUND=\"javascript:alert(1)\">",
        "<DIV STYLE=\"background-image: url(javascript:alert(1))\">",
        "<object data=x>",
        "<embed src=x>",
        "<base href=x>",
        "<form action=x><button>go</button></form>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<!--",
        "-->",
        "<!-- comment -->",
        "<![CDATA[x]]>",
        "]]>",
        "&amp;",
        "&lt;b&gt;",
        "&#0;",
        "&#x3C;",
        "&nbsp;",
        "&",
        "| a | b |",
        "|",
        "||",
        "a|b|c",
        "\\|",
        "`code`",
        "```",
        "~~~",
        "**bold**",
        "__bold__",
        "*em*",
        "_em_",
        "~~strike~~",
        "# heading",
        "## h2",
        "- item",
        "+ item",
        "* item",
        "1. item",
        "1) item",
        "> quote",
        "[link](http://x)",
        "![img](http://x)",
        "[ref]: http://x",
        "<http://x>",
        "\\",
        "\\\\",
        "\\n",
        "---",
        "***",
        "===",
        "    indented code",
        "\ttab",
        "h1. heading",
        "bq. quote",
        "{code}x{code}",
        "{noformat}",
        "{panel}",
        "[link|http://x]",
        "!image.png!",
        "{{monospace}}",
        "-deleted-",
        "+inserted+",
        "^super^",
        "~sub~",
        "??cite??",
        "(/)",
        "(x)",
        "{color:red}x{color}",
        "\\\\ break",
        "key: value",
        "- list",
        "&anchor x",
        "*alias",
        "!!str x",
        "? complex",
        "@reserved",
        "%TAG",
        "\"quoted\"",
        "'single'",
        "{\"json\": true}",
        "[1, 2]",
        "null",
        "true",
        "0x1F",
        "1e309",
        "-0",
        ".inf",
        "~",
        "--> B",
        "A-->B",
        "\"] --> X[\"",
        "%% comment",
        "#quot;",
        "#35;",
        "style A fill:#f00",
        "click A call alert()",
        "<!channel>",
        "<@U123>",
        "<#C123>",
        "<http://x|label>",
        ":smile:",
        "@here",
        "\u{202e}gnp.exe",
        "a\u{200b}b",
        "a\u{200d}b",
        "\u{feff}bom",
        "\u{2028}line\u{2029}para",
        "שלום עולם",
        "مرحبا",
        "日本語のテキスト",
        "emoji 🚀🔥",
        "e\u{301}",
        "\u{0}nul",
        "bell\u{7}",
        "esc\u{1b}[31mred",
        "del\u{7f}",
        "\u{85}nel",
        "line\nbreak",
        "cr\rlf\r\n",
        "\n# injected heading",
        "\n| injected | row |",
        "\n</td></tr></table><script>x</script>",
        "  leading spaces",
        "trailing spaces  ",
        "",
        " ",
        "\u{fffe}",
        "\u{ffff}",
        // Octopus substitutes #{…} in OCL; elsewhere it is text.
        "#{Octopus.Release.Number}",
        // Digits then a list or underline marker: Markdown escapes only a real marker (`1.` + blank).
        "2026-12-09 20:00",
        "10-step plan",
        "10+ teams",
        // GitHub evaluates ${{ }} in workflow strings.
        "${{ secrets.DEPLOY_TOKEN }}",
        "${{",
    ];
    let mut all: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    all.push("x".repeat(10_240));
    all.push("word ".repeat(2_048));
    all.push("<script>".repeat(1_280));
    all.push("|".repeat(10_000));
    all
}

/// A spec with a value in every free-text field: `value(path)` gives the one at `path` (as [`FIELDS`]
/// names them).
fn spec(value: impl Fn(&str) -> String) -> String {
    let v = |path: &str| value(path);
    json!({
        "component": { "name": v("component.name"), "description": v("component.description"), "owner_team": v("component.owner_team"),
                       "artifact": v("component.artifact"), "version": v("component.version"), "environment": v("component.environment") },
        "change": { "id": v("change.id"), "approvers": [v("change.approvers[0]")], "cab": v("change.cab"),
                    "window": { "timezone": v("change.window.timezone") } },
        // The workload names its kind, so that a `/` in the string does not change what planb assumes.
        "deployment": { "tool": "harness", "platform": "kubernetes", "pipeline": v("deployment.pipeline"), "namespace": v("deployment.namespace"),
                        "workload": format!("deployment/{}", v("deployment.workload")),
                        "failure_strategies": [{ "scope": v("deployment.failure_strategies[0].scope"), "action": "ignore-failure" }] },
        "rollout": { "strategy": "canary", "steps": [10, 100] },
        "kill_switches": [{ "kind": "feature-flag", "target": v("kill_switches[0].target"), "flag_key": v("kill_switches[0].flag_key"),
                            "flag_system": v("kill_switches[0].flag_system"), "safe_state": v("kill_switches[0].safe_state"),
                            "owner": v("kill_switches[0].owner") }],
        "data_changes": [{ "description": v("data_changes[0].description"), "kind": "destructive" }],
        "shared_resources": [{ "kind": "dns", "name": v("shared_resources[0].name"), "revert": v("shared_resources[0].revert"),
                               "owner": v("shared_resources[0].owner") }],
        "verification": { "kpis": [{ "metric": v("verification.kpis[0].metric"), "threshold": 1, "unit": v("verification.kpis[0].unit"),
                                     "duration": "5m" }] },
        "abort": { "decision_owner": v("abort.decision_owner"), "triggers": [v("abort.triggers[0]")] },
        "people": { "deployer": { "name": v("people.deployer.name"), "contact": v("people.deployer.contact") },
                    "incident_lead": { "name": v("people.incident_lead.name"), "contact": v("people.incident_lead.contact") },
                    "communications": { "name": v("people.communications.name") }, "stakeholders": [v("people.stakeholders[0]")] },
        "channels": { "chat": v("channels.chat"), "email": v("channels.email"), "status_page": v("channels.status_page"),
                      "bridge": v("channels.bridge") },
        "fallback": { "notes": v("fallback.notes"), "steps": [{ "action": v("fallback.steps[0].action"), "owner": v("fallback.steps[0].owner"),
                                                                "verify": v("fallback.steps[0].verify") }] },
    })
    .to_string()
}

/// A spec with `s` in every free-text field; the component name gets a prefix so it is never blank.
fn spec_with(s: &str) -> String {
    spec(|path| if path == "component.name" { format!("n{s}") } else { s.to_string() })
}

/// Where the outputs show a field, reasoned from the templates (templates/plan/, templates/servicenow/)
/// and from which part of the plan the field feeds (src/plan/), never from planb's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// In a fallback step's title or owner, or in an abort criterion: every output, the brief ones
    /// and the pictures of the ladder (Mermaid, SVG) too.
    Everywhere,
    /// In the heading or the summary: every output but the pictures, which show the ladder alone.
    Summary,
    /// In a fallback step's check: the detailed outputs (Slack's with them) and the pictures' check
    /// boxes; the brief outputs list steps without checks.
    Checks,
    /// In the change window or a gap's message: the detailed outputs, Slack's with them.
    WindowAndGaps,
    /// In how a step is done, the checks before the deployment or the communication plan: the
    /// detailed outputs but Slack's, which lists the ladder and the gaps only.
    Detailed,
    /// In the facts table alone: the detailed documents and JSON; ServiceNow's fields have no such table.
    FactsTable,
    /// The description: a paragraph of its own in detailed Markdown and HTML, ServiceNow's
    /// justification, and JSON; the text, Confluence, wiki and Slack templates leave it out.
    Description,
    /// Nowhere: the plan does not use it (see the field).
    Nowhere,
}

impl Reach {
    /// Whether an output shows a field of this reach. `style` is Brief only for formats with a brief
    /// style (the others render the detailed plan for either).
    fn shown_in(self, format: Format, style: Style) -> bool {
        let detailed = style == Style::Detailed;
        let picture = matches!(format, Format::Mermaid | Format::Svg);
        // The checklists (templates/plan/checklist.*.j2) hold the summary, the checks before the
        // deployment, the communication plan with its messages, the stages, the abort criteria and
        // the ladder with how and checks: neither the window, the gaps, the facts nor the description.
        let checklist = matches!(format, Format::Checklist | Format::ChecklistMarkdown);
        let document = matches!(
            format,
            Format::Markdown | Format::Text | Format::Html | Format::HtmlFragment | Format::Confluence | Format::Wiki
        );
        match self {
            Reach::Everywhere => true,
            Reach::Summary => !picture,
            Reach::Checks => detailed,
            Reach::WindowAndGaps => detailed && !picture && !checklist,
            Reach::Detailed => detailed && !picture && format != Format::Slack,
            Reach::FactsTable => detailed && (document || format == Format::Json),
            Reach::Description => {
                detailed
                    && matches!(
                        format,
                        Format::Markdown | Format::Html | Format::HtmlFragment | Format::Servicenow | Format::Json
                    )
            }
            Reach::Nowhere => false,
        }
    }
}

/// A free-text field of the spec and where the outputs show it.
struct Field {
    path: &'static str,
    reach: Reach,
}

const fn field(path: &'static str, reach: Reach) -> Field {
    Field { path, reach }
}

/// Every free-text field of [`spec`], in the order of its markers. The kill switch is a feature flag
/// with a key, so its target is not used; the decision owner is named, so the incident lead shows
/// only where the plan names the lead; the Kubernetes workload and namespace show in the removal
/// step's check (templates/platforms.yaml, `verify_removed`).
const FIELDS: &[Field] = &[
    field("component.name", Reach::Everywhere),
    field("component.description", Reach::Description),
    // The owner team owns the last steps (restore data, fix forward).
    field("component.owner_team", Reach::Everywhere),
    field("component.artifact", Reach::FactsTable),
    field("component.version", Reach::Summary),
    field("component.environment", Reach::Summary),
    field("change.id", Reach::Summary),
    // The approvers' row of the facts table and the "Change approved by" check.
    field("change.approvers[0]", Reach::Detailed),
    field("change.cab", Reach::FactsTable),
    field("change.window.timezone", Reach::WindowAndGaps),
    // The fix-forward step's "how".
    field("deployment.pipeline", Reach::Detailed),
    field("deployment.namespace", Reach::Checks),
    field("deployment.workload", Reach::Checks),
    // Only in the message of the gap PB016 (failure ignored).
    field("deployment.failure_strategies[0].scope", Reach::WindowAndGaps),
    // The flag key names the flag; the target is read only when it is missing.
    field("kill_switches[0].target", Reach::Nowhere),
    field("kill_switches[0].flag_key", Reach::Everywhere),
    field("kill_switches[0].flag_system", Reach::Detailed),
    field("kill_switches[0].safe_state", Reach::Everywhere),
    field("kill_switches[0].owner", Reach::Everywhere),
    field("data_changes[0].description", Reach::Everywhere),
    field("shared_resources[0].name", Reach::Everywhere),
    field("shared_resources[0].revert", Reach::Detailed),
    field("shared_resources[0].owner", Reach::Everywhere),
    field("verification.kpis[0].metric", Reach::Everywhere),
    field("verification.kpis[0].unit", Reach::Everywhere),
    field("abort.decision_owner", Reach::Everywhere),
    field("abort.triggers[0]", Reach::Everywhere),
    // The deployer owns routing traffic away and removing the workload.
    field("people.deployer.name", Reach::Everywhere),
    field("people.deployer.contact", Reach::Everywhere),
    // The incident lead is in the checks before the deployment and the communication plan.
    field("people.incident_lead.name", Reach::Detailed),
    field("people.incident_lead.contact", Reach::Detailed),
    field("people.communications.name", Reach::Detailed),
    field("people.stakeholders[0]", Reach::Detailed),
    field("channels.chat", Reach::Detailed),
    field("channels.email", Reach::Detailed),
    field("channels.status_page", Reach::Detailed),
    field("channels.bridge", Reach::Detailed),
    // Existing backout text: planb reads it for gaps (PB002) and does not print it.
    field("fallback.notes", Reach::Nowhere),
    field("fallback.steps[0].action", Reach::Everywhere),
    field("fallback.steps[0].owner", Reach::Everywhere),
    field("fallback.steps[0].verify", Reach::Checks),
];

/// The field a template puts at the start of a line: in Markdown the description is a paragraph of
/// its own. Its value starts with the string, so that the string's own start is what the format
/// sees (a `#`, `-`, `1.` or indent there could start a block).
const LINE_START: &str = "component.description";

/// What comes before field `k`'s string: `F{k}·`, of letters, digits and a middle dot, which no
/// format escapes; nothing for the field at the start of a line.
fn opening(k: usize) -> String {
    if FIELDS[k].path == LINE_START {
        String::new()
    } else {
        format!("F{k}·")
    }
}

/// What comes after field `k`'s string: `·{k}F`, so that a value cut short or trimmed shows, and
/// no field's closing is part of another's.
fn closing(k: usize) -> String {
    format!("·{k}F")
}

/// A spec with `s`, between its field's markers, in every free-text field.
fn marked_spec(s: &str) -> String {
    spec(|path| {
        let k = FIELDS.iter().position(|f| f.path == path).unwrap_or_else(|| panic!("{path} is missing from FIELDS"));
        format!("{}{s}{}", opening(k), closing(k))
    })
}

/// Whether the formats show a character as `\u{…}`, invisible or harmful as it is: control characters
/// other than line break and tab, the Unicode line and paragraph separators, U+FFFE and U+FFFF.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')
}

/// How a format writes a line break inside a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Breaks {
    /// Kept (text, XML, ServiceNow): `\n` stays; `\r` is a control character, shown as `\u{d}`.
    Kept,
    /// Each `\r` and `\n` becomes a space (the inline formats: wiki, Slack, Mermaid).
    Spaces,
    /// Each line ending becomes a space, `\r\n` being one (CommonMark's "line ending").
    LineEndings,
}

/// How a format shows `s`: control characters visible as `\u{…}`, line breaks as `breaks` says.
fn visible(s: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' if breaks != Breaks::Kept => {
                if breaks == Breaks::LineEndings && c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The text of `s` as a format's reader gives it back.
fn shown(format: Format, s: &str) -> String {
    match format {
        // The plan's JSON holds the text as the spec gave it.
        Format::Json => s.to_string(),
        Format::Markdown | Format::ChecklistMarkdown => visible(s, Breaks::LineEndings),
        Format::Wiki | Format::Slack | Format::Mermaid => visible(s, Breaks::Spaces),
        // The picture breaks lines at white space: its reader drops white space (readers::svg).
        Format::Svg => s.split(char::is_whitespace).map(|word| visible(word, Breaks::Kept)).collect(),
        _ => visible(s, Breaks::Kept),
    }
}

/// What the reader of `format` must give back for field `k` holding `s`: the field's markers around
/// the string as the format shows it.
fn expected(format: Format, k: usize, s: &str) -> String {
    let shown = shown(format, s);
    // A paragraph's initial spaces and tabs are not part of its text (CommonMark 0.31, 4.8 "Paragraphs").
    let shown = match format {
        Format::Markdown if FIELDS[k].path == LINE_START => shown.trim_start_matches([' ', '\t']),
        _ => &shown,
    };
    format!("{}{shown}{}", opening(k), closing(k))
}

/// An output read back by its format's reader (tests/support/readers.rs).
struct Reading {
    text: String,
    /// The structure, where the format has one that a value could change without changing the
    /// text (a Markdown code block, a Mermaid link): compared with a benign render's.
    structure: Vec<String>,
}

/// Reads an output; `snippet` is the plan's snippet body, which the text format prints as it is.
fn read(format: Format, out: &str, snippet: &str) -> Result<Reading, String> {
    let text = |text| Reading { text, structure: Vec::new() };
    Ok(match format {
        Format::Markdown | Format::ChecklistMarkdown => {
            let md = readers::markdown(out);
            if md.html > 0 {
                return Err("raw HTML reached the Markdown".to_string());
            }
            Reading { text: md.text, structure: md.shape }
        }
        // Plain text is what it shows; the snippet, in the tool's syntax, is left out as in the other formats.
        Format::Checklist => text(out.to_string()),
        Format::Text if snippet.is_empty() => text(out.to_string()),
        Format::Text => text(out.replacen(snippet, &readers::MARKUP.to_string(), 1)),
        Format::HtmlFragment => text(readers::xml(&readers::fragment(out), &["pre"])?),
        Format::Html => {
            if out.contains("<script") {
                return Err("a script element in the HTML file".to_string());
            }
            // The file carries the picture too, in either style; it is the SVG output, read as that.
            let body = out.split("<body>").nth(1).and_then(|b| b.split("</body>").next()).ok_or("no <body>")?;
            text(readers::xml(&readers::fragment(body), &["pre", "svg"])?)
        }
        Format::Confluence => text(readers::xml(&readers::fragment(out), &["plain-text-body"])?),
        Format::Wiki => text(readers::wiki(out)?),
        Format::Slack => text(readers::slack(out)?),
        // ServiceNow fields are plain text; JSON holds the snippet in a member of its own.
        Format::Servicenow => text(readers::json(out, "")?),
        Format::Json => text(readers::json(out, "snippet")?),
        Format::Mermaid => {
            let chart = readers::mermaid(out)?;
            Reading { text: chart.labels, structure: chart.graph }
        }
        Format::Svg => text(readers::svg(out)?),
    })
}

/// The styles to read a format in: a format without a brief style renders the detailed plan for
/// either (src/render/mod.rs), so it is read once.
fn styles(info: &FormatInfo) -> &'static [Style] {
    if info.has_brief {
        &[Style::Brief, Style::Detailed]
    } else {
        &[Style::Detailed]
    }
}

/// The fields an output should show and its reader does not give back, one message each.
fn unread_fields(format: Format, style: Style, s: &str, reading: &Reading, context: &str) -> Vec<String> {
    let mut unread = Vec::new();
    for (k, field) in FIELDS.iter().enumerate().filter(|(_, f)| f.reach.shown_in(format, style)) {
        let expected = expected(format, k, s);
        if !reading.text.contains(&expected) {
            unread.push(format!(
                "{context}: {} does not read back {:?}\n    expected {:?}\n    read     {:?}",
                field.path,
                readers::shorten(s),
                readers::shorten(&expected),
                readers::shorten(&near(&reading.text, k)),
            ));
        }
    }
    unread
}

/// The fields whose markers a reader's error message shows, for the message.
fn fields_in(message: &str) -> String {
    let named: Vec<&str> = (0..FIELDS.len())
        .filter(|&k| (!opening(k).is_empty() && message.contains(&opening(k))) || message.contains(&closing(k)))
        .map(|k| FIELDS[k].path)
        .collect();
    if named.is_empty() {
        String::new()
    } else {
        format!(" (in it: {})", named.join(", "))
    }
}

/// The reader's text around field `k`'s first marker, for a message.
fn near(text: &str, k: usize) -> String {
    let marker = if opening(k).is_empty() { closing(k) } else { opening(k) };
    match text.find(&marker) {
        Some(at) => {
            // The field at the start of a line has its marker after the string: show what precedes it.
            let mut start = if opening(k).is_empty() { at.saturating_sub(60) } else { at };
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            text[start..].chars().take(120).collect()
        }
        None => format!("(no {marker} in the output)"),
    }
}

#[test]
fn every_text_field_reads_back_literally_in_every_format() {
    let engine = Engine::new().expect("the engine starts");
    let corpus = corpus();
    assert!(corpus.len() >= 100, "{} strings", corpus.len());
    let benign = benign_structures(&engine);
    let mut failures = Vec::new();
    let mut tally = BTreeMap::new();
    for s in &corpus {
        let plan = plan_of(&engine, s);
        for info in FORMATS {
            let unread = unread_in_format(&engine, &plan, info, &benign, s);
            if !unread.is_empty() {
                tally.insert(format!("{} {:?}", info.key, readers::shorten(s)), unread.len());
                failures.extend(unread);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fields do not read back. By format and string:\n{}\nThe first:\n{}",
        failures.len(),
        tally.iter().map(|(output, n)| format!("    {output}: {n}")).collect::<Vec<_>>().join("\n"),
        failures[..failures.len().min(12)].join("\n")
    );
}

/// The plan of the spec with `s` between markers in every field.
fn plan_of(engine: &Engine, s: &str) -> planb::Plan {
    let spec = planb::parse_spec(&marked_spec(s)).unwrap_or_else(|e| panic!("the spec for {s:?}: {e}"));
    engine.plan(&spec).unwrap_or_else(|e| panic!("the plan for {s:?}: {e}"))
}

fn render(engine: &Engine, plan: &planb::Plan, format: Format, style: Style) -> String {
    let options = RenderOptions { format, style };
    engine.render_plan(plan, options).unwrap_or_else(|e| panic!("{options:?}: {e}"))
}

/// The structure of every output (format and style) with a benign string, which a hostile one must
/// not change.
fn benign_structures(engine: &Engine) -> Vec<(Format, Style, Vec<String>)> {
    let spec = marked_spec("benign");
    for (k, field) in FIELDS.iter().enumerate() {
        assert!(spec.contains(&closing(k)), "{} is not in the spec", field.path);
    }
    let plan = plan_of(engine, "benign");
    let outputs = FORMATS.iter().flat_map(|info| styles(info).iter().map(move |&style| (info, style)));
    outputs
        .map(|(info, style)| {
            let out = render(engine, &plan, info.format, style);
            let read = read(info.format, &out, "").unwrap_or_else(|e| panic!("{} with a benign string: {e}", info.key));
            (info.format, style, read.structure)
        })
        .collect()
}

/// Renders a plan in a format (each of its styles), reads it back, checks its structure against the
/// benign render's, and returns the fields it should show and does not give back.
fn unread_in_format(
    engine: &Engine,
    plan: &planb::Plan,
    info: &FormatInfo,
    benign: &[(Format, Style, Vec<String>)],
    s: &str,
) -> Vec<String> {
    let snippet = plan.snippet.as_ref().map_or("", |snippet| snippet.body.as_str());
    let mut unread = Vec::new();
    for (_, style, structure) in benign.iter().filter(|(format, _, _)| *format == info.format) {
        let context = format!("{} {}", info.key, style.key());
        let out = render(engine, plan, info.format, *style);
        let reading = read(info.format, &out, snippet)
            .unwrap_or_else(|e| panic!("{context}, string {:?}: {e}{}", readers::shorten(s), fields_in(&e)));
        assert_same_structure(&reading.structure, structure, &context, s);
        unread.extend(unread_fields(info.format, *style, s, &reading, &context));
    }
    unread
}

/// The readers follow their formats' rules, checked on examples of the formats' docs where they give
/// one, independently of planb's output.
#[test]
fn the_readers_follow_their_formats_rules() {
    use readers::{ICON, MARKUP};
    // Wiki markup: `\X`, the `\\` line break, emoticons, character references, unescaped markup.
    assert_eq!(readers::wiki("a\\|b \\{x\\} x\\\\y").unwrap(), "a|b {x} x\ny");
    assert_eq!(readers::wiki("(/) (\\!) &amp;&#92;").unwrap(), format!("{ICON} (!) &\\"));
    assert_eq!(readers::wiki("*b* [l|u]").unwrap(), format!("{MARKUP}b{MARKUP} {MARKUP}l{MARKUP}u{MARKUP}"));
    // Slack: three entities decoded, no other; `<…>` and a bare `<` or `>` are control characters.
    assert_eq!(readers::slack("&lt;b&gt; &amp;amp; &#39; *b*").unwrap(), "<b> &amp; &#39; *b*");
    assert_eq!(readers::slack("hi <!channel> <@U1|x> a > b").unwrap(), format!("hi {MARKUP} {MARKUP} a {MARKUP} b"));
    // Mermaid, the docs' example: `A["A double quote:#quot;"] --> B["A dec char:#9829;"]`.
    let chart =
        readers::mermaid("flowchart TD\n  A[\"A double quote:#quot;\"]\n  B[\"A dec char:#9829;\"]\n  A --> B\n")
            .expect("the docs' example reads");
    assert_eq!(chart.labels, format!("A double quote:\"{MARKUP}A dec char:\u{2665}{MARKUP}"));
    assert_eq!(chart.graph, ["node A", "node B", "A --> B"]);
    assert_eq!(readers::mermaid_label("a<br/>b<b>c</b>#35;&amp;").unwrap(), format!("a\nb{MARKUP}c{MARKUP}#&"));
    assert!(readers::mermaid("flowchart TD\n  A[\"x\"] --> B\n").is_err(), "a statement the reader does not know");
    // SVG: a group's lines joined, white space dropped.
    let svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>t x</title><g><text>ab c</text><text>d</text></g></svg>";
    assert_eq!(readers::svg(svg).unwrap(), format!("tx{MARKUP}abcd{MARKUP}"));
}

/// A hostile value changes no structure: Markdown's blocks and inline markup, Mermaid's nodes and
/// links. (The text read-back cannot see every such change: a value that became an indented code
/// block would still read back.)
fn assert_same_structure(structure: &[String], base: &[String], context: &str, s: &str) {
    if let Some(at) = (0..structure.len().max(base.len())).find(|&i| structure.get(i) != base.get(i)) {
        panic!(
            "{context}: the structure changed for {:?} at event {at}: {:?} where a benign value gives {:?}",
            readers::shorten(s),
            structure.get(at),
            base.get(at)
        );
    }
}

/// Every hostile string reaches the Harness snippet intact: the YAML parses, and the kill switch's
/// Shell Script step, run by bash, prints the flag key, state and system exactly as the spec wrote
/// them (line breaks as spaces, since a placeholder is one line; bash stops a word at a NUL byte).
#[test]
fn the_harness_snippet_carries_every_hostile_string_through_yaml_and_bash() {
    let engine = Engine::new().unwrap();
    for s in corpus() {
        let plan = engine.plan(&planb::parse_spec(&spec_with(&s)).unwrap()).unwrap();
        let body = plan.snippet.unwrap().body;
        let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&body).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let steps = doc["stage"]["spec"]["execution"]["rollbackSteps"].as_sequence().unwrap();
        let step = steps.iter().find(|w| w["step"]["identifier"] == "killSwitch1").expect("the kill switch's step");
        let script = step["step"]["spec"]["source"]["spec"]["script"].as_str().unwrap();
        let out = std::process::Command::new("bash").arg("-c").arg(script).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "an unfilled placeholder stops the script: {s:?}");
        let value = if s.is_empty() { None } else { Some(s.as_str()) };
        let key = value.unwrap_or("[to confirm: flag key]");
        let state = value.unwrap_or("off");
        let system = value.unwrap_or("[to confirm: flag system]");
        let said = format!(
            "planb: fill in before running: set the feature flag {key} to {state} in {system} with its API or CLI"
        )
        .replace(['\n', '\r'], " ");
        let said = said.split('\0').next().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end_matches('\n'), said, "{s:?}");
    }
}

/// Escaping changes only what has meaning in the syntax: text with none is written as it is, so a
/// pasted plan reads as the team wrote it. Each case is plain text by CommonMark: `&` before a blank
/// starts no entity reference (spec 2.5); `.` or `)` without leading digits, and digits followed by
/// anything but `.` or `)`, start no list (5.2); `_` between letters or digits is not emphasis (6.2).
#[test]
fn markdown_leaves_text_without_markdown_meaning_as_written() {
    for s in ["A & B", ". done", ") done", "a_b_c", "50% of users", "2026-12-09 20:00", "10-step plan", "step 2.5 of 3"]
    {
        assert_eq!(escape::markdown(s), s, "{s:?}");
    }
    // And what has meaning is escaped, one backslash before the one character that has it.
    assert_eq!(escape::markdown("1. item"), "1\\. item");
    assert_eq!(escape::markdown("R&D"), "R&amp;D");
    assert_eq!(escape::markdown("- item"), "\\- item");
}

/// A value may be a whole Mermaid label: a label that starts and ends with a backtick is a Markdown
/// string (mermaid.js.org/syntax/flowchart.html, "Markdown Strings"), so an escaped value must never
/// read as one.
#[test]
fn every_string_reads_back_as_a_whole_mermaid_label() {
    for s in corpus() {
        if s.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')) {
            continue; // made visible or a space, as the full read-back test checks
        }
        let label = escape::mermaid(&s);
        let read = readers::mermaid_label(&label).unwrap_or_else(|e| panic!("{s:?} as {label:?}: {e}"));
        assert_eq!(read, s, "{label:?}");
    }
}

/// The spec of [`spec_with`] for another tool.
fn spec_for(tool: &str, s: &str) -> planb::Spec {
    let mut value: serde_json::Value = serde_json::from_str(&spec_with(s)).unwrap();
    value["deployment"]["tool"] = json!(tool);
    // CodeDeploy deploys to ECS, Lambda and servers, not Kubernetes.
    if tool == "codedeploy" {
        value["deployment"]["platform"] = json!("ecs");
    }
    planb::parse_spec_json(&value).unwrap_or_else(|e| panic!("{tool} {s:?}: {e}"))
}

/// The strings of a JSON value, at any depth.
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// The single-quoted string literals of Groovy source, decoded by Groovy's rules
/// (groovy-lang.org/syntax.html, "Single-quoted string" and "Escaping special characters"): `\\`,
/// `\'`, `\n`, `\r`, `\t`, `\b`, `\f`, `\$`, `\"` and `\uXXXX`. Double-quoted strings and comments are
/// skipped, so a quote inside them starts nothing.
fn groovy_single_quoted(source: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                let mut literal = String::new();
                loop {
                    match chars.next().ok_or("a single-quoted string does not end")? {
                        '\'' => break,
                        '\n' => return Err("a line break in a single-quoted string".into()),
                        '\\' => match chars.next().ok_or("an escape at the end")? {
                            '\\' => literal.push('\\'),
                            '\'' => literal.push('\''),
                            '"' => literal.push('"'),
                            '$' => literal.push('$'),
                            'n' => literal.push('\n'),
                            'r' => literal.push('\r'),
                            't' => literal.push('\t'),
                            'b' => literal.push('\u{8}'),
                            'f' => literal.push('\u{c}'),
                            'u' => {
                                let hex: String = chars.by_ref().take(4).collect();
                                let code = u32::from_str_radix(&hex, 16).map_err(|_| format!("bad \\u{hex}"))?;
                                literal.push(char::from_u32(code).ok_or("a surrogate \\u escape")?);
                            }
                            other => return Err(format!("no escape \\{other} in Groovy")),
                        },
                        c => literal.push(c),
                    }
                }
                out.push(literal);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A workflow string as GitHub runs it: each `${{ … }}` is evaluated, a quoted string literal
/// (`${{ '${{' }}`, with `''` for a quote) to its text, any other expression to a value planb did not
/// write, shown here as `<evaluated>` (docs.github.com, "Expressions": literals).
fn github_evaluated(s: &str) -> String {
    evaluated(s, "${{", "}}")
}

/// A Spinnaker stage string as orca runs it: each `${ … }` is a pipeline expression (SpEL), a quoted
/// literal such as `${'$'}` giving its text (spinnaker.io/docs/guides/user/pipeline/expressions).
fn spinnaker_evaluated(s: &str) -> String {
    evaluated(s, "${", "}")
}

/// `s` with each expression between `open` and `close` evaluated: a single-quoted literal (`''` for
/// a quote) to its text, anything else to `<evaluated>`.
fn evaluated(s: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        let inner = &rest[at + open.len()..];
        let Some(end) = inner.find(close) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let expression = inner[..end].trim();
        match expression.strip_prefix('\'').and_then(|e| e.strip_suffix('\'')) {
            Some(literal) if !literal.replace("''", "").contains('\'') => out.push_str(&literal.replace("''", "'")),
            _ => out.push_str("<evaluated>"),
        }
        rest = &inner[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// The snippets that are JSON (CodeDeploy, Spinnaker), a Jenkinsfile (Groovy) and a GitHub Actions
/// workflow carry every hostile string as data: each reads back, by its language's rules and the
/// tool's own evaluation of the strings (GitHub's `${{ }}`, Spinnaker's `${ }`), as a string holding
/// the component's name exactly.
#[test]
fn every_json_groovy_and_workflow_snippet_carries_hostile_strings_as_data() {
    let engine = Engine::new().unwrap();
    for s in corpus().iter().filter(|s| s.len() < 1000) {
        let name = format!("n{s}");
        for tool in ["codedeploy", "spinnaker", "jenkins", "github-actions"] {
            let plan = engine.plan(&spec_for(tool, s)).unwrap();
            let body = plan.snippet.unwrap_or_else(|| panic!("{tool} has a snippet")).body;
            let strings: Vec<String> = match tool {
                "jenkins" => groovy_single_quoted(&body).unwrap_or_else(|e| panic!("{tool} {s:?}: {e}\n{body}")),
                "github-actions" => {
                    let doc: serde_yaml_ng::Value =
                        serde_yaml_ng::from_str(&body).unwrap_or_else(|e| panic!("{tool} {s:?}: {e}"));
                    let value: serde_json::Value = serde_json::to_value(doc).unwrap();
                    let mut raw = Vec::new();
                    json_strings(&value, &mut raw);
                    raw.iter().map(|r| github_evaluated(r)).collect()
                }
                _ => {
                    let value: serde_json::Value =
                        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{tool} {s:?}: {e}"));
                    let mut out = Vec::new();
                    json_strings(&value, &mut out);
                    if tool == "spinnaker" {
                        out = out.iter().map(|x| spinnaker_evaluated(x)).collect();
                    }
                    out
                }
            };
            assert!(strings.iter().any(|x| x.contains(&name)), "{tool}: no string holds {name:?}");
        }
    }
}

/// GitHub's literal form for `${{` keeps user text from being evaluated: the escaped string is a
/// YAML string that GitHub turns back into the text.
#[test]
fn a_github_actions_string_evaluates_to_its_text() {
    for s in ["${{ secrets.TOKEN }}", "a ${{ github.event.issue.title }} b", "${{", "plain", "it's"] {
        let yaml = escape::github_actions(s);
        let read: String = serde_yaml_ng::from_str(&yaml).unwrap_or_else(|e| panic!("{s:?} as {yaml}: {e}"));
        assert_eq!(github_evaluated(&read), s, "{yaml}");
    }
}
