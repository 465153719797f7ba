//! SARIF 2.1.0, as GitHub code scanning reads it (<https://docs.github.com/en/code-security/reference/code-scanning/sarif-files/sarif-support-for-code-scanning>,
//! "SARIF support for code scanning"): one run, every rule planb has with the properties that page
//! marks required (id, short and full description, `help.text`), one result a finding, and a file
//! that could not be checked as a tool execution notification of level `error` (SARIF 2.1.0 §3.20.21:
//! such a notification "SHALL mean that the run failed").

use serde_json::{json, Map, Value};

use super::{file_uri, fingerprint, Checked, Origin};
use crate::findings::{catalogue, RuleDoc, Scope, Severity};
use crate::tools::Knowledge;

/// The schema's address. GitHub's page names this one as its example, and Microsoft's GitHub
/// ingestion rule GH1011 asks for a URI ending in `2.1.0.json` (sarif-sdk `SARIF1011.ReferenceFinalSchema.cs`).
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base a relative `artifactLocation.uri` is relative to: the working directory, named in
/// `originalUriBaseIds` (GitHub's "Relative URI Guidance" uses this name).
const SOURCE_ROOT: &str = "%SRCROOT%";

/// The one notification planb reports: a file it could not check.
const UNREADABLE: &str = "PB000";

/// The whole log.
pub fn write(checked: &[Checked], knowledge: &Knowledge, origin: &Origin) -> String {
    let rules = catalogue(knowledge).unwrap_or_default();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for c in checked {
        let uri = file_uri(&c.file, origin);
        match &c.outcome {
            Ok(findings) => {
                for f in findings {
                    let index = rules.iter().position(|r| r.id == f.id);
                    let line = f.location.as_ref().map(|l| (l.line, l.column));
                    let mut result = json!({
                        "ruleId": f.id,
                        "level": level(f.severity),
                        "message": { "text": format!("{}: {}", f.path, f.message) },
                        "locations": locations(uri.as_deref(), line),
                        "partialFingerprints": { "planb/v1": fingerprint(&[f.id, &c.file, &f.path]) },
                    });
                    if let Some(index) = index {
                        result["ruleIndex"] = json!(index);
                    }
                    results.push(result);
                }
            }
            Err(e) => notifications.push(json!({
                "descriptor": { "id": UNREADABLE, "index": 0 },
                "level": "error",
                "message": { "text": e.message },
                "locations": locations(uri.as_deref(), e.mark.map(|m| (m.line, m.column))),
            })),
        }
    }
    let mut invocation = json!({ "executionSuccessful": notifications.is_empty() });
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(notifications);
    }
    let mut driver = json!({
        "name": "planb",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.iter().map(rule).collect::<Vec<_>>(),
        "notifications": [{
            "id": UNREADABLE,
            "name": "UnreadableInput",
            "shortDescription": { "text": "A file given to planb check could not be checked." },
            "fullDescription": { "text": "The file does not read, or is neither a spec nor a pipeline file planb reads; the message says which, and where." },
            // GitHub's ingestion wants help on every descriptor (the Multitool's rule GH2012).
            "help": { "text": "Fix the file where the message says, or leave it out of planb check: planb exits 2 and checks the other files." },
            "defaultConfiguration": { "level": "error" },
        }],
    });
    if let Some(home) = docs_home() {
        driver["informationUri"] = json!(home);
    }
    let mut run = json!({
        "tool": { "driver": driver },
        "invocations": [invocation],
        "results": results,
    });
    // The base's own address is left out, as SARIF 2.1.0 §3.14.14 allows ("to produce deterministic
    // output … by avoiding path names that differ depending on the machine"): the same files give the
    // same bytes wherever planb runs.
    let mut base = Map::new();
    base.insert(SOURCE_ROOT.to_string(), json!({ "description": { "text": "The working directory of planb check." } }));
    run["originalUriBaseIds"] = Value::Object(base);
    let log = json!({ "$schema": SCHEMA, "version": "2.1.0", "runs": [run] });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// SARIF's level for a severity: `error`, `warning` or `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A result's or notification's locations: the file, and the line and column where known. Input
/// that is no file (`<stdin>`, a permalink) has none.
fn locations(uri: Option<&str>, at: Option<(u32, u32)>) -> Value {
    let Some(uri) = uri else { return json!([]) };
    let mut physical = json!({ "artifactLocation": artifact(uri) });
    if let Some((line, column)) = at {
        physical["region"] = json!({ "startLine": line, "startColumn": column });
    }
    json!([{ "physicalLocation": physical }])
}

fn artifact(uri: &str) -> Value {
    if uri.starts_with("file://") {
        json!({ "uri": uri })
    } else {
        json!({ "uri": uri, "uriBaseId": SOURCE_ROOT })
    }
}

/// A rule as `tool.driver.rules[]` describes it: what GitHub's page marks required, and the rule's
/// whole documentation as `help.markdown` (which code scanning shows in the alert).
fn rule(r: &RuleDoc<'_>) -> Value {
    let scope = r.scope_name();
    let title = if scope.is_empty() { r.name.to_string() } else { format!("{} ({scope})", r.name) };
    let mut help = format!("{}\n\nFix: {}", r.why, r.fix);
    let mut markdown = format!(
        "**{title}** · severity **{}**\n\n{}\n\n**Fix:** {}\n\nFires on:\n\n```{lang}\n{}```\n\nDoes not fire on:\n\n```{lang}\n{}```\n",
        r.severity, r.why, r.fix, r.fires_on, r.quiet_on, lang = r.example_language()
    );
    if !r.sources.is_empty() {
        let links: Vec<String> = r.sources.iter().map(|(key, url)| format!("[{key}]({url})")).collect();
        markdown.push_str(&format!("\nSources: {}\n", links.join(", ")));
        let urls: Vec<&str> = r.sources.iter().map(|(_, url)| *url).collect();
        help.push_str(&format!("\n\nSources: {}", urls.join(" ")));
    }
    let tags: Vec<&str> = match r.scope {
        Scope::Spec => vec!["fallback", "spec"],
        Scope::Tool(tool) => vec!["fallback", "spec", tool.key()],
        Scope::PipelineFile(tool) => vec!["fallback", "pipeline", tool.key()],
    };
    let mut rule = json!({
        "id": r.id,
        "name": pascal_case(r.name),
        "shortDescription": { "text": short(&title, r.why) },
        "fullDescription": { "text": limited(r.why) },
        "help": { "text": help, "markdown": markdown },
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": {
            "tags": tags,
            // GitHub's page: `problem.severity` is `error`, `warning` or `recommendation`.
            "problem.severity": match r.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    });
    if let Some(home) = docs_home() {
        rule["helpUri"] = json!(format!("{home}/blob/main/docs/findings.md#{}", r.id.to_lowercase()));
    }
    rule
}

/// A rule's name as SARIF's friendly name: one Pascal-case identifier, as in the example of SARIF
/// 2.1.0 §3.49.7 and as the Multitool's rule SARIF2012 asks; `no-kill-switch` as `NoKillSwitch`.
fn pascal_case(name: &str) -> String {
    let words = name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    words.map(|w| w[..1].to_ascii_uppercase() + &w[1..]).collect()
}

/// The first sentence of the rule's reason, after its name: GitHub shows the short description in
/// lists, and limits it to 1,024 characters.
fn short(title: &str, why: &str) -> String {
    let sentence = why.split_inclusive(". ").next().unwrap_or(why).trim_end();
    limited(&format!("{title}: {sentence}"))
}

/// At most 1,024 characters (GitHub's limit for short and full descriptions), cut at a character.
fn limited(text: &str) -> String {
    match text.char_indices().nth(1023) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// planb's home page, where its documentation is: the package's `repository` (Cargo.toml), when
/// it declares one; rules then link their section of `docs/findings.md`.
fn docs_home() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|r| !r.is_empty())
}
