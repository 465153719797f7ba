//! A corpus of hostile strings, put into every text field of a spec and rendered in every format:
//! the text must survive literally and the structure must not break. Each format is read back by
//! an independent parser where one exists (CommonMark, XML, JSON).

use planb::render::{Format, RenderOptions, Style, FORMATS};
use planb::Engine;
use pulldown_cmark::{Event, Parser};
use serde_json::{json, Value};

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
    ];
    let mut all: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    all.push("x".repeat(10_240));
    all.push("word ".repeat(2_048));
    all.push("<script>".repeat(1_280));
    all.push("|".repeat(10_000));
    all
}

/// A spec with `s` in every free-text field; the component name gets a prefix so it is never blank.
fn spec_with(s: &str) -> String {
    json!({
        "component": { "name": format!("n{s}"), "description": s, "owner_team": s, "artifact": s, "version": s, "environment": s },
        "change": { "id": s, "approvers": [s], "cab": s, "window": { "timezone": s } },
        // The workload names its kind, so that a `/` in the string does not change what planb assumes.
        "deployment": { "tool": "harness", "platform": "kubernetes", "pipeline": s, "namespace": s, "workload": format!("deployment/{s}"),
                        "failure_strategies": [{ "scope": s, "action": "ignore-failure" }] },
        "rollout": { "strategy": "canary", "steps": [10, 100] },
        "kill_switches": [{ "kind": "feature-flag", "target": s, "flag_key": s, "flag_system": s, "safe_state": s, "owner": s }],
        "data_changes": [{ "description": s, "kind": "destructive" }],
        "shared_resources": [{ "kind": "dns", "name": s, "revert": s, "owner": s }],
        "verification": { "kpis": [{ "metric": s, "threshold": 1, "unit": s, "duration": "5m" }] },
        "abort": { "decision_owner": s, "triggers": [s] },
        "people": { "deployer": { "name": s, "contact": s }, "incident_lead": { "name": s, "contact": s },
                    "communications": { "name": s }, "stakeholders": [s] },
        "channels": { "chat": s, "email": s, "status_page": s, "bridge": s },
        "fallback": { "notes": s, "steps": [{ "action": s, "owner": s, "verify": s }] },
    })
    .to_string()
}

/// How a format shows the text: control characters visible; inline formats put line breaks as spaces.
fn visible(s: &str, inline: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\r' | '\n' if inline => out.push(' '),
            c if (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn markdown_text(md: &str) -> (String, usize) {
    let mut text = String::new();
    let mut html_events = 0;
    for event in Parser::new(md) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => html_events += 1,
            _ => text.push('\u{1}'),
        }
    }
    (text, html_events)
}

fn xml_text(xml: &str) -> String {
    let wrapped =
        format!("<root xmlns:ac=\"urn:ac\" xmlns:ri=\"urn:ri\">{}</root>", xml.trim_start_matches(|c| c != '<'));
    let doc = roxmltree::Document::parse(&wrapped).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    doc.descendants().filter(|n| n.is_text()).map(|n| n.text().unwrap_or("")).collect::<Vec<_>>().join("")
}

fn json_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

#[test]
fn hostile_text_survives_literally_in_every_format() {
    let engine = Engine::new().unwrap();
    let benign = engine.plan(&planb::parse_spec(&spec_with("benign")).unwrap()).unwrap();
    let corpus = corpus();
    assert!(corpus.len() >= 100, "{} strings", corpus.len());
    for s in &corpus {
        let spec = planb::parse_spec(&spec_with(s)).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        let plan = engine.plan(&spec).unwrap();
        let needle = s.trim();
        for info in FORMATS {
            for style in [Style::Brief, Style::Detailed] {
                let options = RenderOptions { format: info.format, style };
                let out = engine.render_plan(&plan, options).unwrap_or_else(|e| panic!("{s:?} {}: {e}", info.key));
                let base = engine.render_plan(&benign, options).unwrap();
                let ctx = format!("{s:?} in {} {:?}", info.key, style);
                match info.format {
                    Format::Markdown => {
                        let (text, html) = markdown_text(&out);
                        assert_eq!(html, 0, "raw HTML reached the Markdown: {ctx}");
                        assert!(text.contains(&visible(needle, true).trim_start().to_string()), "{ctx}");
                        if !needle.is_empty() {
                            assert_eq!(out.lines().count(), base.lines().count(), "line structure changed: {ctx}");
                        }
                    }
                    Format::HtmlFragment | Format::Confluence | Format::Svg => {
                        let text = xml_text(&out);
                        if info.format != Format::Svg {
                            assert!(text.contains(&visible(needle, false)), "{ctx}");
                        }
                    }
                    Format::Html => {
                        let body = out.split("<body>").nth(1).and_then(|b| b.split("</body>").next()).unwrap();
                        assert!(xml_text(body).contains(&visible(needle, false)), "{ctx}");
                        assert!(!out.contains("<script"), "{ctx}");
                    }
                    Format::Json | Format::Servicenow => {
                        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{ctx}: {e}"));
                        let mut strings = Vec::new();
                        json_strings(&v, &mut strings);
                        // The plan's JSON holds the text as given; ServiceNow fields are plain text.
                        let expected =
                            if info.format == Format::Json { needle.to_string() } else { visible(needle, false) };
                        assert!(strings.iter().any(|x| x.contains(&expected)), "{ctx}");
                    }
                    Format::Text => assert!(out.contains(&visible(needle, false)), "{ctx}"),
                    // A blank string leaves optional lines out, so only non-blank ones must keep the lines.
                    Format::Wiki | Format::Slack | Format::Mermaid if !needle.is_empty() => {
                        assert_eq!(out.lines().count(), base.lines().count(), "line structure changed: {ctx}");
                        if info.format == Format::Mermaid {
                            assert_eq!(out.matches("-->").count(), base.matches("-->").count(), "{ctx}");
                        }
                    }
                    Format::Wiki | Format::Slack | Format::Mermaid => {}
                }
            }
        }
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
