//! Every snippet planb prints passes its tool's own validator: the snippets of every tool × platform
//! × strategy × situation planb supports (a full spec and a bare one each), and of `examples/`, go
//! through `tests/validators/validate.py`, which runs the validators of `../shared/schemas/` and
//! planb's checks of what the tool does with the snippet (each citing its source). Broken fixtures
//! show that each validator rejects what it should.
//!
//! `PLANB_MATRIX_TOOLS=harness,gitlab` narrows both tests to those tools while working on them.
//!
//! The schemas live outside this repository (`../shared/schemas`, or `PLANB_SCHEMAS`); when they are
//! absent the tests say so and skip. The validators themselves are installed by
//! `bash scripts/setup.sh validators`; without them the tests fail and say how to install them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use planb::spec::{Platform, Situation, Strategy, Tool};
use planb::Engine;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn schemas() -> Option<PathBuf> {
    let dir = std::env::var_os("PLANB_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(ROOT).join("../shared/schemas"));
    if dir.join("check_examples.py").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: the tools' schemas are not at {} (set PLANB_SCHEMAS); no snippet was validated",
            dir.display()
        );
        None
    }
}

fn python() -> PathBuf {
    let python = Path::new(ROOT).join("target/validators/venv/bin/python");
    assert!(
        python.is_file(),
        "the validators are not installed ({} is missing): run `bash scripts/setup.sh validators`",
        python.display()
    );
    python
}

/// One snippet file for the validators, with the cell it was written for (`None` for fixtures).
struct Entry {
    file: PathBuf,
    tool: &'static str,
    label: String,
    cell: Option<serde_json::Value>,
}

/// What the semantic checks need to know of a plan: its situation, platform and strategy.
fn cell_of(plan: &planb::Plan, spec: &planb::Spec) -> serde_json::Value {
    serde_json::json!({
        "situation": plan.situation,
        "platform": spec.deployment.platform,
        "strategy": spec.rollout.strategy,
        "kpis": spec.verification.kpis.len(),
        "previous_version": plan.previous_version,
    })
}

fn extension(language: &str) -> &'static str {
    match language {
        "yaml" => "yaml",
        "json" => "json",
        "groovy" => "Jenkinsfile",
        "ocl" => "ocl",
        other => panic!("no file extension for {other}"),
    }
}

/// Values that break naive templating: quotes, interpolation of every tool, backslashes, line breaks.
const HOSTILE: &str = r#"
component: { name: "o'r\"d${x}\\e\n}rs'''#{Octopus.Id}${{ secrets.T }}<+input>", environment: "prod\" }: x" }
deployment: { tool: TOOL, platform: PLATFORM, SITUATION, namespace: "n's\n${y}", workload: "w\\'\"} $(id)" }
rollout: { strategy: STRATEGY, steps: [10] }
kill_switches: [{ kind: feature-flag, flag_key: "k'''\"", flag_system: "${env.X}" }]
verification:
  kpis: [{ metric: "m'\"}\\\n{", comparison: above, threshold: 1, duration: 5m }]
shared_resources: [{ kind: queue, name: "q'$(rm -rf /)", revert: "echo \"$HOME\"\n`id`" }]
abort: { decision_owner: "D'a\"n${a}\\", decision_window: 15m, triggers: ["'''\"\"\" }} {{ ${b}"] }
fallback: { steps: [{ action: "step' \"}\n{", owner: "o\\'" }] }
"#;

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// Every field a snippet can use.
    Full,
    /// Only the cell itself: placeholders everywhere.
    Bare,
    /// Strings written to break the snippet's syntax or make the tool evaluate them.
    Hostile,
}

impl Variant {
    fn key(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::Bare => "bare",
            Variant::Hostile => "hostile",
        }
    }
}

/// The spec of one cell in a variant.
fn spec(tool: Tool, platform: Platform, strategy: Strategy, situation: Situation, variant: Variant) -> String {
    let full = variant == Variant::Full;

    let situation = match situation {
        Situation::First => "first_deployment: true",
        Situation::Update => "first_deployment: false, previous_version: \"5.1.3\"",
    };
    let (tool, platform, strategy) = (tool.key(), platform.key(), strategy.key());
    if variant == Variant::Hostile {
        return HOSTILE
            .replace("TOOL", tool)
            .replace("PLATFORM", platform)
            .replace("STRATEGY", strategy)
            .replace("SITUATION", situation);
    }
    if !full {
        return format!(
            "component: {{ name: orders-api }}\ndeployment: {{ tool: {tool}, platform: {platform}, {situation} }}\nrollout: {{ strategy: {strategy} }}\n"
        );
    }
    let workload = if platform == "kubernetes" { "deployment/orders-api" } else { "orders-api" };
    format!(
        "
component: {{ name: orders-api, environment: production, version: 5.2.0, artifact: registry.example.com/shop/orders-api:5.2.0 }}
deployment: {{ tool: {tool}, platform: {platform}, {situation}, namespace: shop, workload: {workload}, pipeline: orders-deploy }}
rollout: {{ strategy: {strategy}, steps: [10, 50, 100], bake_time: 10m, approval: manual }}
kill_switches:
  - {{ kind: feature-flag, flag_key: orders-api-enabled, flag_system: LaunchDarkly, owner: On-call SRE, takes_effect: 1m }}
verification:
  health_source: prometheus
  analysis: threshold
  kpis:
    - {{ metric: error_rate, comparison: above, threshold: 2.5, unit: '%', duration: 5m }}
    - {{ metric: orders_per_minute, comparison: below, threshold: 40, duration: 10m }}
shared_resources:
  - {{ kind: topic, name: orders.v2, revert: kafka-topics --delete --topic orders.v2, owner: Platform team, revert_time: 15m }}
abort: {{ decision_owner: Dana Kim, decision_window: 12m }}
people:
  deployer: {{ name: Sam Lee }}
  incident_lead: {{ name: Dana Kim }}
"
    )
}

/// The tools to check: all of them, or those `PLANB_MATRIX_TOOLS` names.
fn tools() -> Vec<Tool> {
    let only = std::env::var("PLANB_MATRIX_TOOLS").ok();
    let wanted = |t: &Tool| only.as_deref().is_none_or(|o| o.split(',').any(|k| k.trim() == t.key()));
    Tool::ALL.into_iter().filter(|t| *t != Tool::Other).filter(wanted).collect()
}

const STRATEGIES: [Strategy; 4] = [Strategy::Canary, Strategy::BlueGreen, Strategy::Rolling, Strategy::AllAtOnce];

/// Writes the matrix's snippets and returns them, with how many cells each tool does not support.
fn write_matrix(dir: &Path) -> (Vec<Entry>, BTreeMap<&'static str, usize>) {
    let engine = Engine::new().unwrap();
    let mut entries = Vec::new();
    let mut unsupported = BTreeMap::new();
    for tool in tools() {
        for platform in Platform::ALL {
            for strategy in STRATEGIES {
                for situation in Situation::ALL {
                    // Hostile strings in one strategy of each cell: enough to reach every escape.
                    let variants: &[Variant] = if strategy == Strategy::Canary {
                        &[Variant::Full, Variant::Bare, Variant::Hostile]
                    } else {
                        &[Variant::Full, Variant::Bare]
                    };
                    for &variant in variants {
                        let text = spec(tool, platform, strategy, situation, variant);
                        let parsed = planb::parse_spec(&text).unwrap();
                        let plan = engine.plan(&parsed).unwrap();
                        let cell = cell_of(&plan, &parsed);
                        let label = format!(
                            "{}-{}-{}-{}-{}",
                            tool.key(),
                            platform.key(),
                            strategy.key(),
                            situation.key(),
                            variant.key()
                        );
                        let Some(snippet) = plan.snippet else {
                            assert!(plan.tool_rollback.unsupported.is_some(), "{label}: no snippet, yet supported");
                            assert!(
                                plan.findings.iter().any(|f| f.id == "PB023" && f.severity == planb::Severity::Error),
                                "{label}: an unsupported combination is an error finding"
                            );
                            *unsupported.entry(tool.key()).or_default() += (variant == Variant::Full) as usize;
                            continue;
                        };
                        let file = dir.join(format!("{label}.{}", extension(&snippet.language)));
                        std::fs::write(&file, snippet.body).unwrap();
                        entries.push(Entry { file, tool: tool.key(), label, cell: Some(cell) });
                    }
                }
            }
        }
    }
    let examples = Path::new(ROOT).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&examples).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names {
        let spec = planb::parse_spec(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let plan = engine.plan(&spec).unwrap();
        let cell = cell_of(&plan, &spec);
        let Some(snippet) = plan.snippet else { continue };
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let file = dir.join(format!("example-{stem}.{}", extension(&snippet.language)));
        std::fs::write(&file, snippet.body).unwrap();
        let Some(tool) = tools().into_iter().find(|t| t.key() == plan.tool.key) else { continue };
        let tool = tool.key();
        entries.push(Entry { file, tool, label: format!("example {stem}"), cell: Some(cell) });
    }
    (entries, unsupported)
}

/// Runs the validators over the files; returns each file's failed checks with their errors.
fn validate(schemas: &Path, dir: &Path, entries: &[Entry]) -> BTreeMap<String, Vec<(String, Vec<String>)>> {
    let manifest: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| serde_json::json!({ "file": e.file.to_string_lossy(), "tool": e.tool, "cell": e.cell }))
        .collect();
    let manifest_path = dir.join("manifest.json");
    std::fs::write(&manifest_path, serde_json::to_string(&manifest).unwrap()).unwrap();
    let output = Command::new(python())
        .arg(Path::new(ROOT).join("tests/validators/validate.py"))
        .arg("--schemas")
        .arg(schemas)
        .arg(&manifest_path)
        .env("NODE_PATH", Path::new(ROOT).join("node_modules"))
        .current_dir(ROOT)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "validate.py failed: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("validate.py printed no report ({e}): {stderr}"));
    let mut checks: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for result in report["results"].as_array().unwrap() {
        let errors: Vec<String> =
            result["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect();
        let file = result["file"].as_str().unwrap().to_string();
        checks.entry(file).or_default().push((result["check"].as_str().unwrap().to_string(), errors));
    }
    checks
}

/// A fresh folder for one run; runs narrowed to other tools (PLANB_MATRIX_TOOLS) get folders of their own.
fn fresh_dir(name: &str) -> PathBuf {
    let only = std::env::var("PLANB_MATRIX_TOOLS").map(|t| format!("-{}", t.replace(',', "-"))).unwrap_or_default();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}{only}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_snippet_of_the_matrix_and_the_examples_passes_its_tools_validators() {
    let Some(schemas) = schemas() else { return };
    let dir = fresh_dir("snippet-matrix");
    let (entries, unsupported) = write_matrix(&dir);
    let checks = validate(&schemas, &dir, &entries);
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for entry in &entries {
        let results = checks.get(&*entry.file.to_string_lossy()).map(Vec::as_slice).unwrap_or_default();
        assert!(!results.is_empty(), "{}: no validator ran", entry.label);
        let failed: Vec<_> = results.iter().filter(|(_, errors)| !errors.is_empty()).collect();
        let count = counts.entry(entry.tool).or_default();
        count.0 += 1;
        if failed.is_empty() {
            count.1 += 1;
        }
        for (check, errors) in failed {
            failures.push(format!("{} — {check}:\n    {}", entry.label, errors.join("\n    ")));
        }
    }
    for (tool, (all, passed)) in &counts {
        let skipped = unsupported.get(tool).copied().unwrap_or(0);
        eprintln!("{tool}: {passed} of {all} snippets pass every check ({skipped} cells the tool does not support)");
    }
    // Every tool of the matrix is there: a tool whose snippets all vanished would pass silently.
    assert_eq!(counts.len(), tools().len(), "every tool has snippets in the matrix");
    assert!(failures.is_empty(), "{} failed checks:\n{}", failures.len(), failures.join("\n"));
}

/// Each fixture under `tests/validators/broken/<tool>/` is a snippet with one deliberate mistake,
/// named after the check that must reject it: `<check-key>--<what is wrong>.<ext>`.
#[test]
fn each_validator_rejects_a_deliberately_broken_snippet() {
    let Some(schemas) = schemas() else { return };
    let root = Path::new(ROOT).join("tests/validators/broken");
    let mut entries = Vec::new();
    let mut expected = Vec::new();
    for tool in tools() {
        let dir = root.join(tool.key());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{}: no broken fixtures", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{}: no broken fixtures", tool.key());
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let (check, _) = name.split_once("--").unwrap_or_else(|| panic!("{name}: named <check>--<mistake>"));
            expected.push((file.clone(), check.replace('-', " ")));
            entries.push(Entry { file, tool: tool.key(), label: name, cell: None });
        }
    }
    let checks = validate(&schemas, &fresh_dir("snippet-broken"), &entries);
    for (file, check) in expected {
        let results = checks.get(&*file.to_string_lossy()).unwrap_or_else(|| panic!("{}: not checked", file.display()));
        let rejected = results
            .iter()
            .any(|(name, errors)| !errors.is_empty() && name.to_lowercase().contains(&check.to_lowercase()));
        assert!(rejected, "{}: the check {check:?} did not reject it: {results:?}", file.display());
    }
}

/// The pipeline files planb reads in its tests: the fixtures of `tests/pipelines/` and every lint
/// rule's bad and good file. They are written in the tools' own formats, so the tools' schemas must
/// accept them; a lint finding on a file the tool would refuse would teach nothing.
#[test]
fn every_pipeline_fixture_and_lint_example_passes_its_tools_schema() {
    let Some(schemas) = schemas() else { return };
    let dir = fresh_dir("pipeline-files");
    let mut entries = Vec::new();
    // The validator for the files of each tool.
    let validator = |tool: &str| match tool {
        "github-actions" => "github-workflow-file",
        "gitlab" => "gitlab-ci-file",
        "harness" => "harness-file",
        "spinnaker" => "spinnaker-file",
        "codedeploy" => "codedeploy-file",
        "octopus" => "octopus-file",
        "jenkins" => "jenkins-file",
        _ => "kubernetes-resources",
    };
    for set in planb::findings::pipeline_rules().unwrap() {
        for rule in &set.rules {
            for (which, text) in [("bad", &rule.bad), ("good", &rule.good)] {
                let file = dir.join(format!("{}-{which}.yaml", rule.id));
                std::fs::write(&file, text).unwrap();
                let label = format!("{} {which}", rule.id);
                entries.push(Entry { file, tool: validator(&set.tool), label, cell: None });
            }
        }
    }
    let fixtures = Path::new(ROOT).join("tests/pipelines");
    let mut stack = vec![fixtures.clone()];
    while let Some(dir) = stack.pop() {
        for path in std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json" || e == "ocl")
                || path.file_name().is_some_and(|n| n == "Jenkinsfile")
            {
                let label = path.strip_prefix(&fixtures).unwrap().display().to_string().replace('\\', "/");
                let tool = validator(label.split('/').next().unwrap_or(""));
                entries.push(Entry { file: path, tool, label, cell: None });
            }
        }
    }
    // The CI files docs/publishing/ shows (a workflow, a GitLab job) pass their tools' checks too.
    for (name, tool) in [("github-actions.yml", "github-workflow-file"), ("gitlab-ci.yml", "gitlab-ci-file")] {
        let file = Path::new(ROOT).join("docs/publishing").join(name);
        entries.push(Entry { file, tool, label: format!("docs/publishing/{name}"), cell: None });
    }
    assert!(entries.len() >= 25, "{} files", entries.len());
    let checks = validate(&schemas, &dir, &entries);
    let mut failures = Vec::new();
    for entry in &entries {
        let results =
            checks.get(&*entry.file.to_string_lossy()).unwrap_or_else(|| panic!("{}: not checked", entry.label));
        for (check, errors) in results.iter().filter(|(_, e)| !e.is_empty()) {
            failures.push(format!("{} — {check}:\n    {}", entry.label, errors.join("\n    ")));
        }
    }
    assert!(failures.is_empty(), "{} failed checks:\n{}", failures.len(), failures.join("\n"));
}
