//! The `planb` binary: exit codes, error text, standard input, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/run.rs"]
mod run;

fn planb(args: &[&str], stdin: Option<&str>) -> Output {
    run::with_stdin(Command::new(env!("CARGO_BIN_EXE_planb")).args(args), stdin.unwrap_or(""))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_exits_0_when_clean_or_warnings_only() {
    let o = planb(&["check", &example("harness-canary-first-deploy.yaml")], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("0 errors, 0 warnings, 0 notes\n"), "{}", stdout(&o));
    let o = planb(&["check", &example("argo-rollouts-canary.yaml")], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("warning[PB009]"));
}

#[test]
fn check_exits_1_on_an_error_level_finding() {
    let o = planb(&["check", &example("harness-blue-green-destructive.yaml")], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[PB003] data_changes[0].restore_tested:"), "{}", stdout(&o));
}

#[test]
fn check_json_is_machine_readable() {
    let o = planb(&["check", "-", "--format", "json"], Some("component: { name: a }\n"));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["file"], "<stdin>");
    assert_eq!(v["errors"], 2);
    let first = &v["findings"][0];
    assert_eq!(first["id"], "PB001");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "kill_switches");
}

#[test]
fn invalid_input_exits_2_with_file_line_column_field_and_expectation() {
    let spec = "component:\n  name: a\nrollout:\n  strategy: canary\n  steps: [10, 150]\n";
    let o = planb(&["render", "-"], Some(spec));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: <stdin>:5:15: rollout.steps[1]: expected a percentage 1–100, found 150\n");
    assert!(o.stdout.is_empty());
    let o = planb(&["check", "-"], Some(spec));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_bad_spec_never_leaves_a_partial_output_file() {
    let dir = scratch("cli-bad-spec");
    let out = dir.join("plan.md");
    std::fs::write(&out, "previous plan").unwrap();
    let o = planb(
        &["render", "-", "-o", out.to_str().unwrap()],
        Some("component: { name: a }\nrollout: { bake_time: soon }\n"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous plan", "the old file is untouched");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file is left behind");
}

#[test]
fn render_writes_the_file_atomically_and_matches_stdout() {
    let dir = scratch("cli-render");
    let out = dir.join("plan.md");
    let spec = example("harness-canary-first-deploy.yaml");
    let o = planb(&["render", &spec, "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "quiet when writing a file");
    let piped = planb(&["render", &spec], None);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), stdout(&piped));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn render_reads_stdin_and_honours_format_and_style() {
    let spec = std::fs::read_to_string(example("minimal.yaml")).unwrap();
    let o = planb(&["render", "-", "--format", "text", "--style", "brief"], Some(&spec));
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("Fallback plan for inventory-sync"));
    let o = planb(&["render", "-", "--style", "detailed"], Some(&spec));
    assert!(stdout(&o).starts_with("# Fallback plan: inventory-sync"));
}

#[test]
fn init_writes_a_starter_spec_that_checks_clean_of_errors() {
    let dir = scratch("cli-init");
    let path = dir.join("spec.yaml");
    let o = planb(&["init", "--tool", "harness", "-o", path.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = planb(&["check", path.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let again = planb(&["init", "-o", path.to_str().unwrap()], None);
    assert_eq!(again.status.code(), Some(2), "refuses to overwrite");
    assert!(stderr(&again).contains("already exists; pass --force"));
    assert_eq!(planb(&["init", "--force", "-o", path.to_str().unwrap()], None).status.code(), Some(0));
}

#[test]
fn init_names_the_chosen_tool() {
    let o = planb(&["init", "--tool", "argo-rollouts"], None);
    let spec = planb::parse_spec(&stdout(&o)).unwrap();
    assert_eq!(spec.deployment.tool, Some(planb::spec::Tool::ArgoRollouts));
}

#[test]
fn schema_prints_the_json_schema() {
    let o = planb(&["schema"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["required"], serde_json::json!(["component"]));
    assert!(v["properties"]["kill_switches"].is_object());
}

#[test]
fn help_version_and_usage_errors() {
    let help = planb(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
    for needle in ["Usage: planb <COMMAND>", "Examples:", "Exit codes:", "planb check spec.yaml"] {
        assert!(stdout(&help).contains(needle), "{needle}");
    }
    assert!(stdout(&planb(&["render", "--help"], None)).contains("--style STYLE"));
    assert!(stdout(&planb(&["help", "check"], None)).contains("--format FORMAT"));
    assert_eq!(stdout(&planb(&["--version"], None)), format!("planb {}\n", env!("CARGO_PKG_VERSION")));
    let bad = planb(&["render", "x.yaml", "--format", "pdf"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("invalid value `pdf` for --format; expected one of: markdown, text"));
    assert_eq!(planb(&["deploy"], None).status.code(), Some(2));
    let missing = planb(&["check", "/definitely/not/here.yaml"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing), "error: /definitely/not/here.yaml: cannot read: no such file\n");
}

#[test]
fn terminal_escapes_in_user_text_are_neutralised_in_check_output() {
    let o = planb(
        &["check", "-"],
        Some("component: { name: a }\ndata_changes: [{ description: \"\\e[31mred\", kind: destructive }]\n"),
    );
    assert!(!stdout(&o).contains('\u{1b}'), "{}", stdout(&o));
    assert!(stdout(&o).contains("\\u{1b}[31mred"));
}

#[test]
fn check_takes_many_specs_and_reports_the_worst_outcome() {
    let clean = example("harness-canary-first-deploy.yaml");
    let failing = example("harness-blue-green-destructive.yaml");
    let o = planb(&["check", &clean, &failing], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("harness-canary-first-deploy.yaml: 0 errors"));
    // A spec finding points at its field: the example's `restore_tested: false` of its first data change.
    let text = std::fs::read_to_string(&failing).unwrap();
    let line = text.lines().position(|l| l.trim() == "restore_tested: false").unwrap() + 1;
    assert!(
        stdout(&o).contains(&format!("harness-blue-green-destructive.yaml:{line}:5: error[PB003]")),
        "{}",
        stdout(&o)
    );
    let dir = scratch("cli-check-many");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "component: { name: a }\nrollout: { steps: [0] }\n").unwrap();
    let o = planb(&["check", bad.to_str().unwrap(), &clean, "--format", "json"], None);
    assert_eq!(o.status.code(), Some(2), "an invalid spec wins, but every spec is still checked");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v[0]["error"].as_str().unwrap().contains("bad.yaml:2:20: rollout.steps[0]"), "{v}");
    assert_eq!(v[1]["errors"], 0);
}

#[test]
fn link_and_embed_print_the_permalink_and_the_wiki_snippets() {
    let spec = example("minimal.yaml");
    let o = planb(&["link", &spec, "--base", "https://plans.example.com/"], None);
    let url = stdout(&o);
    assert!(url.starts_with("https://plans.example.com/#v1."), "{url}");
    let decoded = planb::permalink::decode(url.trim().split('#').nth(1).unwrap()).unwrap();
    assert_eq!(decoded.component.name, "inventory-sync");
    let iframe = stdout(&planb(&["embed", &spec, "--base", "https://plans.example.com/"], None));
    assert!(iframe.starts_with("<iframe src=\"https://plans.example.com/embed.html#v1."));
    let macro_ = stdout(&planb(&["embed", &spec, "--base", "https://plans.example.com/", "--confluence"], None));
    assert!(
        macro_.contains("ac:name=\"iframe\"")
            && macro_.contains("ri:url ri:value=\"https://plans.example.com/embed.html#v1.")
    );
    assert_eq!(planb(&["embed", &spec], None).status.code(), Some(2), "--base is required");
}

/// A link from a ticket becomes a spec file again (issue 22): `link --decode` prints the spec the link
/// holds as YAML, from a whole address, its fragment or standard input; `render` and `check` take
/// the link in a file's place; a damaged link says what is wrong.
#[test]
fn a_link_decodes_back_to_its_spec_and_renders_and_checks_in_a_files_place() {
    let spec = example("harness-update.yaml");
    let url = stdout(&planb(&["link", &spec, "--base", "https://plans.example.com/"], None)).trim().to_string();
    let fragment = url.split_once('#').unwrap().1.to_string();
    let original = planb::parse_spec(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    for (args, input) in [
        (vec!["link", "--decode", url.as_str()], None),
        (vec!["link", "--decode", fragment.as_str()], None),
        (vec!["link", "--decode", "-"], Some(format!("{url}\n"))),
    ] {
        let o = planb(&args, input.as_deref());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(planb::parse_spec(&stdout(&o)).unwrap(), original, "{args:?}: the same spec");
    }
    // The decoded YAML makes the same link again.
    let yaml = stdout(&planb(&["link", "--decode", &url], None));
    let again = stdout(&planb(&["link", "-", "--base", "https://plans.example.com/"], Some(&yaml)));
    assert_eq!(again.trim(), url);

    let by_file = planb(&["render", &spec, "--format", "text"], None);
    let by_link = planb(&["render", &url, "--format", "text"], None);
    assert_eq!(by_link.status.code(), Some(0), "{}", stderr(&by_link));
    assert_eq!(stdout(&by_link), stdout(&by_file), "a link renders as its spec file does");
    let check = planb(&["check", &format!("#{fragment}")], None);
    assert_eq!(check.status.code(), planb(&["check", &spec], None).status.code());
    assert!(stdout(&check).starts_with("<link>: "), "{}", stdout(&check));

    let truncated = &url[..url.len() - 10];
    let o = planb(&["link", "--decode", truncated], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("<link>: this link is broken or truncated"), "{}", stderr(&o));
    let o = planb(&["render", "https://plans.example.com/#v1.@@@"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid base64url"), "{}", stderr(&o));
    let o = planb(&["link", "--decode", "https://plans.example.com/"], None);
    assert!(stderr(&o).contains("does not start with v1."), "{}", stderr(&o));
    assert_eq!(planb(&["link", "--decode", &url, "--base", "x"], None).status.code(), Some(2));
}

#[test]
fn every_format_renders_from_the_cli() {
    for info in planb::render::FORMATS {
        let o = planb(&["render", &example("harness-canary-first-deploy.yaml"), "--format", info.key], None);
        assert_eq!(o.status.code(), Some(0), "{}: {}", info.key, stderr(&o));
        assert!(!o.stdout.is_empty(), "{}", info.key);
    }
}

fn pipeline(name: &str) -> String {
    format!("{}/tests/pipelines/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn import_writes_a_spec_that_reads_back_and_mentions_the_files_findings() {
    let dir = scratch("import");
    let out = dir.join("spec.yaml");
    let rollout = pipeline("argo-rollouts/background-analysis/rollout.yaml");
    let templates = pipeline("argo-rollouts/background-analysis/analysis-templates.yaml");
    let o = planb(&["import", &rollout, &templates, "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "with -o nothing goes to standard output");
    // The background analysis of its counted metrics stops early: one finding (PB203).
    assert!(stderr(&o).contains("1 finding on the pipeline files"), "{}", stderr(&o));
    let o = planb(&["check", out.to_str().unwrap()], None);
    assert!(matches!(o.status.code(), Some(0 | 1)), "the imported spec is a valid spec: {}", stderr(&o));

    // From standard input: the source names `<stdin>`.
    let text = std::fs::read_to_string(pipeline("argo-rollouts/bluegreen-auto-promotion.yaml")).unwrap();
    let o = planb(&["import", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("strategy: blue-green") && stdout(&o).contains("# from <stdin>:"), "{}", stdout(&o));
}

#[test]
fn import_refuses_what_it_does_not_read_with_exit_2_and_leaves_no_file() {
    let dir = scratch("import-refused");
    let out = dir.join("spec.yaml");
    let o = planb(&["import", &example("minimal.yaml"), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("minimal.yaml:") && stderr(&o).contains("not a pipeline file planb reads"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "no file is written for a refused import");
    let o = planb(&["import"], None);
    assert_eq!(o.status.code(), Some(2));
    let help = stdout(&planb(&["import", "--help"], None));
    for example in
        ["import rollout.yaml", "import canary.yaml", "import .github/workflows/deploy.yml", "import .gitlab-ci.yml"]
    {
        assert!(help.contains(example), "no example `{example}`: {help}");
    }
}

#[test]
fn check_lints_pipeline_files_at_their_lines_beside_specs_in_the_order_given() {
    let bluegreen = pipeline("argo-rollouts/bluegreen-auto-promotion.yaml");
    let text = std::fs::read_to_string(&bluegreen).unwrap();
    let line = text.lines().position(|l| l.trim() == "blueGreen:").unwrap() + 1;
    let o = planb(&["check", &bluegreen], None);
    // Warnings and a note only: exit 0.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains(&format!("{bluegreen}:{line}:5: warning[PB202] spec.strategy.blueGreen: ")), "{out}");
    assert!(out.contains(&format!("{bluegreen}: 0 errors, 2 warnings, 1 note")), "{out}");

    // A spec with an error-level finding and the pipeline file: both reported, in order, exit 1.
    let spec = example("harness-rolling-no-kill-switch.yaml");
    let o = planb(&["check", &spec, &bluegreen, "--format", "json"], None);
    let reports: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = reports.as_array().unwrap().iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert_eq!(files, [spec.as_str(), bluegreen.as_str()]);
    let found = &reports[1]["findings"];
    let ids: Vec<&str> = found.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["PB201", "PB202", "PB204"]);
    assert_eq!((found[0]["file"].as_str(), found[0]["line"].as_u64()), (Some(bluegreen.as_str()), Some(line as u64)));
    // A spec finding about a field the spec leaves out (PB001: `kill_switches`) points at the nearest
    // field that holds it: here the document itself, whose first key follows a comment line.
    let pb001 = &reports[0]["findings"][0];
    assert_eq!((pb001["id"].as_str(), pb001["path"].as_str()), (Some("PB001"), Some("kill_switches")));
    let first_key =
        std::fs::read_to_string(&spec).unwrap().lines().position(|l| l.starts_with("component:")).unwrap() + 1;
    assert_eq!((pb001["line"].as_u64(), pb001["column"].as_u64()), (Some(first_key as u64), Some(1)));
    // That example has no kill switch on a first deployment: error-level findings, so exit 1.
    assert!(reports[0]["errors"].as_u64().unwrap() > 0);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn check_reports_a_pipeline_file_that_does_not_read_and_lints_the_others() {
    let dir = scratch("check-mixed-pipelines");
    let v1 = dir.join("harness-v1.yaml");
    std::fs::write(&v1, "version: 1\nkind: pipeline\nspec:\n  stages: []\n").unwrap();
    // A job whose name holds a terminal escape: the path that names it is escaped in the report.
    let gitlab = dir.join(".gitlab-ci.yml");
    std::fs::write(&gitlab, "\"smoke-\\e[31m\":\n  stage: test\n  script: [./smoke.sh]\n  allow_failure: true\n")
        .unwrap();
    let o = planb(&["check", v1.to_str().unwrap(), gitlab.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("harness-v1.yaml:1:1: Harness v1 YAML: recognised"), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("warning[PB233]"), "the GitLab file is still linted: {out}");
    assert!(!out.contains('\u{1b}'), "no raw escape reaches the terminal: {out:?}");
}
