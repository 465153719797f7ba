//! `planb check --format sarif|github|gitlab`: the reports CI systems read, checked with the readers'
//! own rules. SARIF goes through Microsoft's SARIF Multitool (npm `@microsoft/sarif-multitool-linux`,
//! installed by `bash scripts/setup.sh browser`) with the SARIF 2.1.0 schema it ships and its GitHub
//! ingestion rules; workflow commands are read back as the GitHub runner reads them; the Code Quality
//! report is held to the fields GitLab's documentation lists. Every expected line and column is found
//! in the fixture's text.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[path = "support/run.rs"]
mod run;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const GITLAB: &str = "tests/pipelines/gitlab/.gitlab-ci.yml";

/// Runs `planb` in `dir` (the working directory the reports' paths are relative to).
fn planb_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planb")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap()
}

fn planb(args: &[&str]) -> Output {
    planb_in(Path::new(ROOT), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The 1-based line of the first line whose trimmed text is `needle`, after the line `after`.
fn line_of(text: &str, after: &str, needle: &str) -> u64 {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == after).unwrap_or_else(|| panic!("no line {after}"));
    (lines.iter().skip(start).position(|l| l.trim() == needle).unwrap_or_else(|| panic!("no line {needle}"))
        + start
        + 1) as u64
}

fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .unwrap()
        .map(|e| format!("examples/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

/// Microsoft's SARIF Multitool, as set-up installs it.
fn multitool() -> PathBuf {
    let tool = Path::new(ROOT).join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    assert!(
        tool.is_file(),
        "the SARIF Multitool is not installed ({}): run `bash scripts/setup.sh browser`",
        tool.display()
    );
    tool
}

/// The Multitool's findings on a SARIF file, with its GitHub ingestion rules (`Ghas`, formerly `Gh`).
/// It exits 0 whatever it finds (sarif-sdk issue #1799: the log it writes says whether the file
/// passed), so its log is read; it is called directly, not through npm's shim, which hands the
/// arguments to a shell that would split `Sarif;Ghas` at the `;`.
fn multitool_findings(sarif: &Path) -> Vec<(String, String, String)> {
    let tool = multitool();
    let schema = tool.with_file_name("sarif-2.1.0.json");
    let log = sarif.with_extension("validation.sarif");
    let o = Command::new(&tool)
        .arg("validate")
        .arg(sarif)
        .arg("-j")
        .arg(&schema)
        .args(["--level", "Error;Warning;Note", "--rule-kind", "Sarif;Ghas", "--log", "ForceOverwrite", "-o"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(o.status.success(), "the Multitool did not run: {}", String::from_utf8_lossy(&o.stderr));
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let level = r["level"].as_str().unwrap_or("warning").to_string();
            let where_ = r["message"]["arguments"][0].as_str().unwrap_or("").to_string();
            (r["ruleId"].as_str().unwrap().to_string(), level, where_)
        })
        .collect()
}

#[test]
fn sarif_of_every_example_and_pipeline_fixture_passes_the_multitool_with_githubs_rules() {
    let dir = scratch("ci-reports-sarif");
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "component:\n  name: [unclosed\n").unwrap();
    let mut args = vec!["check".to_string(), "--format".into(), "sarif".into()];
    args.extend(examples());
    args.extend(run::files_under("tests/pipelines", &[""]));
    args.push(broken.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = planb(&args);
    assert_eq!(o.status.code(), Some(2), "a file that does not read: exit 2, with the report still written");
    let sarif = dir.join("planb.sarif");
    std::fs::write(&sarif, &o.stdout).unwrap();
    let findings = multitool_findings(&sarif);
    let errors: Vec<_> = findings.iter().filter(|(_, level, _)| level == "error").collect();
    assert!(errors.is_empty(), "the Multitool finds errors: {errors:?}");
    let mut by_rule = std::collections::BTreeMap::<&str, usize>::new();
    for (rule, level, _) in &findings {
        *by_rule.entry(if level == "warning" { rule } else { "notes" }).or_default() += 1;
    }
    eprintln!("SARIF Multitool on {} files' report: no error; warnings and notes: {by_rule:?}", args.len() - 3);
    // Same files, same bytes.
    assert_eq!(planb(&args).stdout, o.stdout, "the report is deterministic");
}

/// The SARIF log of the GitLab fixture (relative to the project's root), parsed.
fn gitlab_sarif() -> Value {
    let o = planb(&["check", GITLAB, "--format", "sarif"]);
    // PB231 is an error-level rule (docs/findings.md): exit 1.
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    json(&o)
}

#[test]
fn a_sarif_result_names_its_rule_file_line_and_column() {
    let log = gitlab_sarif();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Every rule planb has, each with what GitHub's "SARIF support for code scanning" page marks
    // required for a rule: id, shortDescription.text, fullDescription.text, help.text.
    let documented = std::fs::read_to_string(Path::new(ROOT).join("docs/findings.md")).unwrap();
    let table_rows = documented.lines().filter(|l| l.starts_with("| [PB")).count();
    assert_eq!(rules.len(), table_rows, "one rule per row of docs/findings.md's table");
    for rule in rules {
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[field]["text"].as_str().unwrap_or("").is_empty(), "{} has no {field}.text", rule["id"]);
        }
        assert!(rule["shortDescription"]["text"].as_str().unwrap().chars().count() <= 1024);
    }
    // The manual rollback job of a later stage cannot run after the failure that calls for it
    // (GitLab skips manual jobs after a failed stage): PB231, error, at `when: manual` of `rollback:`.
    let text = std::fs::read_to_string(Path::new(ROOT).join(GITLAB)).unwrap();
    let results = run["results"].as_array().unwrap();
    let pb231 = results.iter().find(|r| r["ruleId"] == "PB231").expect("a PB231 result");
    assert_eq!(pb231["level"], "error");
    assert_eq!(rules[pb231["ruleIndex"].as_u64().unwrap() as usize]["id"], "PB231");
    let location = &pb231["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], GITLAB, "relative to the working directory");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], line_of(&text, "rollback:", "when: manual"));
    assert_eq!(location["region"]["startColumn"], 3);
    // smoke-test's allow_failure: a warning (PB233); the include that is not read: a note (PB235).
    let level_of = |id: &str| results.iter().find(|r| r["ruleId"] == id).map(|r| r["level"].clone());
    assert_eq!(level_of("PB233"), Some("warning".into()));
    assert_eq!(level_of("PB235"), Some("note".into()));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_fingerprints_survive_lines_added_above_a_finding() {
    let dir = scratch("ci-reports-fingerprints");
    let text = std::fs::read_to_string(Path::new(ROOT).join(GITLAB)).unwrap();
    let fingerprints = |text: &str| {
        std::fs::write(dir.join(".gitlab-ci.yml"), text).unwrap();
        let log = json(&planb_in(&dir, &["check", ".gitlab-ci.yml", "--format", "sarif"]));
        let results = log["runs"][0]["results"].as_array().unwrap().clone();
        results
            .iter()
            .map(|r| {
                let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
                (r["ruleId"].as_str().unwrap().to_string(), r["partialFingerprints"]["planb/v1"].clone(), line)
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(&text);
    let after = fingerprints(&format!("# a comment added above everything\n{text}"));
    assert_eq!(before.len(), after.len());
    for ((rule, print, line), (rule_after, print_after, line_after)) in before.iter().zip(&after) {
        assert_eq!((rule, print), (rule_after, print_after), "the same finding keeps its fingerprint");
        assert_eq!(line + 1, *line_after, "and moves down a line");
    }
    let distinct: BTreeSet<String> = before.iter().map(|(_, p, _)| p.to_string()).collect();
    assert_eq!(distinct.len(), before.len(), "each finding has its own");
}

#[test]
fn a_file_that_does_not_read_fails_the_run_in_every_format_at_its_position() {
    let dir = scratch("ci-reports-broken");
    std::fs::write(dir.join("broken.yaml"), "component:\n  name: [unclosed\n").unwrap();
    // The position the text report gives: `broken.yaml:LINE:COLUMN: …` on standard error.
    let o = planb_in(&dir, &["check", "broken.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let message = String::from_utf8(o.stderr).unwrap();
    let position: Vec<u64> = message
        .trim_start_matches("error: broken.yaml:")
        .split(':')
        .take(2)
        .map(|n| n.parse().unwrap_or_else(|_| panic!("no position in {message}")))
        .collect();

    let o = planb_in(&dir, &["check", "broken.yaml", "--format", "sarif"]);
    assert_eq!(o.status.code(), Some(2));
    let log = json(&o);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    // SARIF 2.1.0 §3.20.21: a notification of level "error" means the run failed.
    assert_eq!(notification["level"], "error");
    let location = &notification["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "broken.yaml");
    let region = &location["region"];
    assert_eq!(vec![region["startLine"].as_u64().unwrap(), region["startColumn"].as_u64().unwrap()], position);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]), "no result is made up for it");

    let o = planb_in(&dir, &["check", "broken.yaml", "--format", "github"]);
    assert_eq!(o.status.code(), Some(2));
    let commands = parse_commands(&stdout(&o));
    assert_eq!(commands.len(), 1, "{}", stdout(&o));
    let (command, properties, _) = &commands[0];
    assert_eq!(command, "error");
    let at = [&properties["line"], &properties["col"]].map(|n| n.parse::<u64>().unwrap());
    assert_eq!((properties["file"].as_str(), at.to_vec()), ("broken.yaml", position.clone()));

    let o = planb_in(&dir, &["check", "broken.yaml", "--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(2));
    let report = json(&o);
    assert_eq!(report[0]["severity"], "blocker");
    assert_eq!(report[0]["location"]["lines"]["begin"], position[0]);
}

/// Workflow commands as the GitHub runner reads them (actions/runner `ActionCommand.TryParseV2`): a
/// line starting with `::`, the command and its `,`-separated `key=value` properties up to the next
/// `::`, then the message; properties unescaped `%0D`, `%0A`, `%3A`, `%2C` and then `%25`, the message
/// `%0D`, `%0A` and then `%25`.
fn parse_commands(log: &str) -> Vec<(String, std::collections::BTreeMap<String, String>, String)> {
    let unescape = |s: &str, property: bool| {
        let mut s = s.replace("%0D", "\r").replace("%0A", "\n");
        if property {
            s = s.replace("%3A", ":").replace("%2C", ",");
        }
        s.replace("%25", "%")
    };
    log.lines()
        .filter_map(|line| line.strip_prefix("::"))
        .map(|rest| {
            let (head, message) = rest.split_once("::").unwrap();
            let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
            let properties = properties
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap();
                    (k.to_string(), unescape(v, true))
                })
                .collect();
            (command.to_string(), properties, unescape(message, false))
        })
        .collect()
}

#[test]
fn github_annotations_read_back_as_the_runner_reads_them() {
    let dir = scratch("ci-reports-github");
    // A file name with the two characters that end a property value, and a data change whose text
    // holds a `%`, a `::` and a line break: each must come back as written.
    let name = "first, then: second.yaml";
    let spec = "component: { name: a }\ndeployment: { tool: harness, first_deployment: true }\ndata_changes:\n  - description: \"drop 100% of old rows :: then\\nreindex\"\n    kind: destructive\n    backup_taken: true\n";
    std::fs::write(dir.join(name), spec).unwrap();
    let o = planb_in(&dir, &["check", name, "--format", "github"]);
    assert_eq!(o.status.code(), Some(1), "error-level findings: exit 1");
    let log = stdout(&o);
    assert!(log.lines().all(|l| l.starts_with("::") || l.starts_with("planb: ")), "{log}");
    let commands = parse_commands(&log);
    for (_, properties, _) in &commands {
        assert_eq!(properties["file"], name);
    }
    // PB003: the destructive change with a backup and no tested restore, at its list item (line 4,
    // column 5: `restore_tested` is not written, so its nearest field, the item, is where it points).
    let (command, properties, message) =
        commands.iter().find(|(_, p, _)| p["title"].starts_with("PB003 ")).expect("a PB003 annotation");
    assert_eq!(command, "error");
    assert_eq!((properties["line"].as_str(), properties["col"].as_str()), ("4", "5"));
    assert!(message.contains("drop 100% of old rows :: then\nreindex"), "{message:?}");
    assert!(message.contains("\nFix: "), "the fix on a line of its own: {message:?}");
    // Severities: warning-level findings are warnings, info-level ones notices.
    let commands_of = |id: &str| {
        commands.iter().filter(|(_, p, _)| p["title"].starts_with(id)).map(|(c, _, _)| c.as_str()).collect::<Vec<_>>()
    };
    assert_eq!(commands_of("PB005 "), ["warning"]);
    // Standard input is no file to annotate: its findings are annotations of the run.
    let o = run::with_stdin(Command::new(env!("CARGO_BIN_EXE_planb")).args(["check", "-", "--format", "github"]), spec);
    let from_stdin = parse_commands(&stdout(&o));
    assert_eq!(from_stdin.len(), commands.len());
    assert!(from_stdin.iter().all(|(_, p, _)| !p.contains_key("file") && !p.contains_key("line")), "{from_stdin:?}");
}

#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads() {
    // https://docs.gitlab.com/ci/testing/code_quality/ ("Code Quality report format"): a JSON array of
    // objects with `description`, `check_name`, `fingerprint`, `severity` (info, minor, major,
    // critical or blocker), `location.path` (relative to the repository) and `location.lines.begin`;
    // findings with the same fingerprint show as one.
    let o =
        planb(&["check", GITLAB, &format!("examples/{}", "harness-blue-green-destructive.yaml"), "--format", "gitlab"]);
    assert_eq!(o.status.code(), Some(1));
    let report = json(&o);
    let issues = report.as_array().expect("a JSON array");
    let mut prints = BTreeSet::new();
    for issue in issues {
        assert!(!issue["description"].as_str().unwrap().is_empty());
        assert!(issue["check_name"].as_str().unwrap().starts_with("PB"));
        assert!(prints.insert(issue["fingerprint"].as_str().unwrap().to_string()), "fingerprints are unique");
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let text = std::fs::read_to_string(Path::new(ROOT).join(GITLAB)).unwrap();
    let pb231 = issues.iter().find(|i| i["check_name"] == "PB231").unwrap();
    // An error fails `planb check`: critical.
    assert_eq!(pb231["severity"], "critical");
    assert_eq!(pb231["location"]["path"], GITLAB);
    assert_eq!(pb231["location"]["lines"]["begin"], line_of(&text, "rollback:", "when: manual"));
    let pb233 = issues.iter().find(|i| i["check_name"] == "PB233").unwrap();
    assert_eq!(pb233["severity"], "minor");
    let example =
        std::fs::read_to_string(Path::new(ROOT).join("examples/harness-blue-green-destructive.yaml")).unwrap();
    let pb003 = issues.iter().find(|i| i["check_name"] == "PB003").unwrap();
    assert_eq!(pb003["location"]["path"], "examples/harness-blue-green-destructive.yaml");
    assert_eq!(pb003["location"]["lines"]["begin"], line_of(&example, "data_changes:", "restore_tested: false"));
}
