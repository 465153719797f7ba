//! Pipeline files read and linted (`planb import`, `planb check` on a pipeline file): each rule on its
//! own bad and good file, the fixtures of `tests/pipelines/` (each in the shape of a public example it
//! names), what an import fills and what it leaves to confirm, and where each field says it came from.
//! Expected values are reasoned from the fixtures' text and the rules' documented meaning.

use std::collections::BTreeSet;
use std::path::Path;

use planb::findings::{pipeline_rules, Finding, RULES};
use planb::pipeline::PipelineFile;
use planb::spec::{Comparison, Strategy, Tool};
use planb::{Engine, Severity};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn engine() -> Engine {
    Engine::new().unwrap()
}

/// The fixture files under `tests/pipelines/`, named as given on a command line from the repository.
fn fixture(paths: &[&str]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| {
            let name = format!("tests/pipelines/{p}");
            let text = std::fs::read_to_string(Path::new(ROOT).join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, text)
        })
        .collect()
}

fn files(read: &[(String, String)]) -> Vec<PipelineFile<'_>> {
    read.iter().map(|(name, text)| PipelineFile { name, text }).collect()
}

/// The 1-based line on which the only occurrence of `needle` in `text` starts (a needle may span
/// lines, to tell two alike lines apart by what follows).
fn line_of(text: &str, needle: &str) -> u32 {
    let starts: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
    assert_eq!(starts.len(), 1, "{needle:?} occurs {} times, expected once", starts.len());
    text[..starts[0]].matches('\n').count() as u32 + 1
}

/// Each finding as (id, file, line).
fn located(findings: &[Finding]) -> BTreeSet<(&'static str, String, u32)> {
    findings
        .iter()
        .map(|f| {
            let l = f.location.as_ref().unwrap_or_else(|| panic!("{} has no location", f.id));
            (f.id, l.file.clone(), l.line)
        })
        .collect()
}

#[test]
fn every_rule_fires_on_its_bad_file_at_the_field_it_names_and_not_on_its_good_file() {
    let engine = engine();
    let knowledge = planb::tools::Knowledge::load().unwrap();
    let mut ids = BTreeSet::new();
    let sets = pipeline_rules().unwrap();
    assert!(sets.iter().map(|s| s.rules.len()).sum::<usize>() >= 15);
    for set in sets {
        let tool = Tool::ALL.iter().find(|t| t.key() == set.tool).unwrap_or_else(|| panic!("tool {}", set.tool));
        let tool_sources = &knowledge.tool(*tool).sources;
        for rule in &set.rules {
            assert!(ids.insert(rule.id.clone()), "{} is used twice", rule.id);
            let n: u32 = rule.id.strip_prefix("PB").and_then(|n| n.parse().ok()).unwrap_or(0);
            assert!((201..300).contains(&n), "{}: pipeline rules use PB201–PB299", rule.id);
            assert!(!RULES.iter().any(|r| r.id == rule.id), "{} collides with a spec rule", rule.id);
            assert!(!rule.sources.is_empty(), "{} cites no source", rule.id);
            for key in &rule.sources {
                assert!(
                    tool_sources.contains_key(key) || set.sources.contains_key(key),
                    "{}: source {key} is in neither templates/tools/{}.yaml nor templates/lint/{}.yaml",
                    rule.id,
                    set.tool,
                    set.tool
                );
            }
            let name = format!("{}-bad.yaml", rule.id);
            let fired = engine.check_pipeline(&[PipelineFile { name: &name, text: &rule.bad }]);
            let fired = fired.unwrap_or_else(|e| panic!("{}: the bad file does not read: {e}", rule.id));
            // Only the rules of the file's tool apply to it.
            for f in &fired {
                assert!(set.rules.iter().any(|r| r.id == f.id), "{} fired on the file of {}", f.id, rule.id);
            }
            let mine: Vec<&Finding> = fired.iter().filter(|f| f.id == rule.id).collect();
            assert_eq!(mine.len(), 1, "{} fires {} times on its bad file: {fired:#?}", rule.id, mine.len());
            let finding = mine[0];
            assert_eq!(finding.severity, rule.severity, "{}", rule.id);
            // A finding points at the field its path names: that field's key, or the list item.
            let location = finding.location.as_ref().unwrap();
            assert_eq!(location.file, name);
            let line = rule.bad.lines().nth(location.line as usize - 1).unwrap_or("");
            let last = finding.path.rsplit('.').next().unwrap_or("");
            let trimmed = line.trim_start();
            let points_at = match last.split_once('[') {
                // A YAML list item, a JSON one (an object), or a Jenkinsfile's call (`stage(…)`).
                Some((name, _)) => trimmed.starts_with("- ") || trimmed.starts_with('{') || trimmed.starts_with(name),
                // A YAML key, a JSON one, an OCL block's label or attribute, a Jenkinsfile's call.
                None => {
                    line.contains(&format!("{last}:"))
                        || line.contains(&format!("\"{last}\""))
                        || trimmed.starts_with(&format!("{last} "))
                        || trimmed.starts_with(&format!("{last}("))
                }
            };
            assert!(points_at, "{} points at line {} ({line:?}), not at {}", rule.id, location.line, finding.path);
            let column = line.find(|c: char| c != ' ' && c != '-').map_or(0, |c| c + 1) as u32;
            assert!(location.column >= column, "{}: column {} before the field", rule.id, location.column);

            let good = engine.check_pipeline(&[PipelineFile { name: "good.yaml", text: &rule.good }]);
            let good = good.unwrap_or_else(|e| panic!("{}: the good file does not read: {e}", rule.id));
            assert!(!good.iter().any(|f| f.id == rule.id), "{} fires on its good file", rule.id);
        }
    }
}

#[test]
fn a_canary_with_counted_background_metrics_is_found_to_stop_measuring_and_nothing_else() {
    let read = fixture(&[
        "argo-rollouts/background-analysis/rollout.yaml",
        "argo-rollouts/background-analysis/analysis-templates.yaml",
    ]);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // Both metrics have `count: 10`: the background run completes after ten measurements (PB203).
    // progressDeadlineAbort is set, every metric has a condition, nothing runs dry: nothing else.
    let expected = BTreeSet::from([("PB203", read[0].0.clone(), line_of(&read[0].1, "      analysis:"))]);
    assert_eq!(located(&findings), expected);
}

#[test]
fn a_default_blue_green_rollout_is_found_unanalysed_auto_promoted_and_not_aborted_on_its_deadline() {
    let read = fixture(&["argo-rollouts/bluegreen-auto-promotion.yaml"]);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    let at = line_of(&read[0].1, "blueGreen:");
    let file = read[0].0.clone();
    let expected = BTreeSet::from([("PB201", file.clone(), at), ("PB202", file.clone(), at), ("PB204", file, at)]);
    assert_eq!(located(&findings), expected);
    // Most severe first: the two warnings, then the note.
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    assert_eq!(severities, [Severity::Warning, Severity::Warning, Severity::Info]);
}

#[test]
fn a_flagger_metric_without_a_threshold_range_is_the_one_finding_of_the_podinfo_canary() {
    let read = fixture(&["flagger/podinfo/canary.yaml", "flagger/podinfo/templates.yaml"]);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    let expected = BTreeSet::from([("PB213", read[0].0.clone(), line_of(&read[0].1, "- name: error-budget"))]);
    assert_eq!(located(&findings), expected);
    assert!(findings[0].message.contains("error-budget"), "{}", findings[0].message);
}

/// The imported spec, parsed; and the `# from FILE:LINE` of the first line that sets `key`.
fn imported(read: &[(String, String)]) -> (String, planb::Spec) {
    let yaml = engine().import(&files(read)).unwrap().spec;
    let spec = planb::parse_spec(&yaml).unwrap_or_else(|e| panic!("the imported spec does not read: {e}\n{yaml}"));
    (yaml, spec)
}

fn source_of(yaml: &str, key: &str) -> (String, u32) {
    let line = yaml
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no `{key}:` line in\n{yaml}"));
    let from = line.split("# from ").nth(1).unwrap_or_else(|| panic!("`{key}` names no source: {line}"));
    let from = from.split(':').collect::<Vec<_>>();
    (from[0].to_string(), from[1].trim().parse().unwrap())
}

#[test]
fn an_imported_rollout_fills_what_its_files_say_and_asks_what_they_cannot() {
    let read = fixture(&[
        "argo-rollouts/background-analysis/rollout.yaml",
        "argo-rollouts/background-analysis/analysis-templates.yaml",
    ]);
    let (rollout, templates) = (&read[0], &read[1]);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.component.name, "payments-api");
    assert_eq!(spec.tool(), Tool::ArgoRollouts);
    assert_eq!(spec.deployment.namespace.as_deref(), Some("payments"));
    assert_eq!(spec.deployment.workload.as_deref(), Some("rollout/payments-api"));
    assert_eq!(spec.rollout.strategy, Some(Strategy::Canary));
    // setWeight 10 then a 10m pause, setWeight 50 then 15m: each step keeps its own watch.
    let steps: Vec<(u8, String)> = spec
        .rollout
        .steps
        .iter()
        .map(|s| (s.percent.unwrap().get(), s.bake_time.map(|d| d.to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(steps, [(10, "10m".to_string()), (50, "15m".to_string())]);
    // `pause: {}` waits for a promote: a person approves.
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    // failureCondition `result[0] > 0.02` aborts above 0.02; successCondition `result[0] <= 0.8`
    // fails above 0.8.
    let kpis: Vec<(String, Comparison, f64)> = spec
        .verification
        .kpis
        .iter()
        .map(|k| (k.metric.clone().unwrap(), k.comparison.unwrap(), k.threshold.unwrap()))
        .collect();
    assert_eq!(
        kpis,
        [
            ("error-ratio".to_string(), Comparison::Above, 0.02),
            ("p99-latency-seconds".to_string(), Comparison::Above, 0.8)
        ]
    );
    assert_eq!(spec.abort.triggers.len(), 2);
    // What no pipeline file says stays unanswered, asked in a comment.
    assert_eq!(spec.deployment.first_deployment, None);
    assert!(spec.kill_switches.is_empty() && spec.abort.decision_owner.is_none() && spec.people.deployer.is_none());
    for question in ["# first_deployment:", "# kill_switches:", "# decision_owner:", "# deployer:", "# owner_team:"] {
        let line = yaml.lines().find(|l| l.trim_start().starts_with(question)).unwrap_or_else(|| panic!("{question}"));
        assert!(line.contains("to confirm"), "{line}");
    }
    // Each field names the line that says it.
    assert_eq!(
        source_of(&yaml, "namespace"),
        (rollout.0.clone(), line_of(&rollout.1, "namespace: payments\nspec:\n  replicas"))
    );
    assert_eq!(
        source_of(&yaml, "name"),
        (rollout.0.clone(), line_of(&rollout.1, "name: payments-api\n  namespace: payments\nspec:\n  replicas"))
    );
    assert_eq!(source_of(&yaml, "strategy"), (rollout.0.clone(), line_of(&rollout.1, "canary:")));
    assert_eq!(source_of(&yaml, "approval"), (rollout.0.clone(), line_of(&rollout.1, "pause: {}")));
    assert_eq!(source_of(&yaml, "health_source"), (templates.0.clone(), first_line_of(&templates.1, "provider:")));
    assert_eq!(source_of(&yaml, "analysis"), (templates.0.clone(), line_of(&templates.1, "metrics:")));
}

/// The 1-based number of the first line of `text` that contains `needle`.
fn first_line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).map(|i| i as u32 + 1).unwrap_or_else(|| panic!("{needle:?}"))
}

#[test]
fn an_imported_flagger_canary_fills_its_weights_interval_gate_and_thresholds() {
    let read = fixture(&["flagger/podinfo/canary.yaml", "flagger/podinfo/templates.yaml"]);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.component.name, "podinfo");
    assert_eq!(spec.tool(), Tool::Flagger);
    assert_eq!(spec.deployment.workload.as_deref(), Some("deployment/podinfo"));
    assert_eq!(spec.deployment.namespace.as_deref(), Some("test"));
    // stepWeight 10 up to maxWeight 50, one step per interval of 1m.
    let weights: Vec<u8> = spec.rollout.steps.iter().map(|s| s.percent.unwrap().get()).collect();
    assert_eq!(weights, [10, 20, 30, 40, 50]);
    assert_eq!(spec.rollout.bake_time.map(|d| d.to_string()).as_deref(), Some("1m"));
    // A confirm-promotion webhook holds the promotion until it answers.
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    // thresholdRange min is the floor of a success rate, max the ceiling of a duration or ratio; the
    // metric without a range gives no KPI.
    let kpis: Vec<(String, Comparison, f64, Option<String>)> = spec
        .verification
        .kpis
        .iter()
        .map(|k| (k.metric.clone().unwrap(), k.comparison.unwrap(), k.threshold.unwrap(), k.unit.clone()))
        .collect();
    assert_eq!(
        kpis,
        [
            ("request-success-rate".to_string(), Comparison::Below, 99.0, Some("%".to_string())),
            ("request-duration".to_string(), Comparison::Above, 500.0, Some(" ms".to_string())),
            ("not-found-percentage".to_string(), Comparison::Above, 5.0, None),
        ]
    );
    assert_eq!(source_of(&yaml, "bake_time"), (read[0].0.clone(), line_of(&read[0].1, "interval: 1m\n    threshold")));
}

#[test]
fn an_imported_spec_renders_and_checks_like_any_other() {
    let engine = engine();
    for paths in [
        &[
            "argo-rollouts/background-analysis/rollout.yaml",
            "argo-rollouts/background-analysis/analysis-templates.yaml",
        ][..],
        &["argo-rollouts/bluegreen-auto-promotion.yaml"],
        &["flagger/podinfo/canary.yaml", "flagger/podinfo/templates.yaml"],
        &["github-actions/deploy.yml"],
        &["gitlab/.gitlab-ci.yml"],
        &["harness/k8s-canary.yaml"],
        &["harness/stage-template-rolling.yaml"],
    ] {
        let (_, spec) = imported(&fixture(paths));
        let options = planb::RenderOptions { format: planb::Format::Text, style: planb::Style::Detailed };
        let text = engine.render(&spec, options).unwrap();
        assert!(text.contains(&spec.component.name), "{paths:?}");
        // Every abort trigger the files gave reaches the plan's abort criteria.
        for trigger in &spec.abort.triggers {
            assert!(text.contains(trigger.as_str()), "{paths:?}: {trigger:?} is not in the plan");
        }
    }
}

#[test]
fn files_planb_does_not_read_are_refused_with_the_formats_tried_and_the_place() {
    let engine = engine();
    let refused =
        |name: &str, text: &str| engine.check_pipeline(&[PipelineFile { name, text }]).expect_err(name).to_string();
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n";
    let e = refused("web.yaml", deployment);
    assert!(e.starts_with("web.yaml:1:1: not a pipeline file planb reads; tried: Harness"), "{e}");
    for format in ["Argo Rollouts", "Flagger", "GitHub Actions", "GitLab CI"] {
        assert!(e.contains(format), "{e}");
    }
    let e = refused("spec.yaml", "component: { name: a }\n");
    assert!(e.contains("it looks like a planb spec"), "{e}");
    // Recognised formats not read yet say so, never read as something else.
    // Harness v1 in its 2023 shape and its current one (harness-schema v1/pipeline.json: stages
    // without a `stage:` wrapper, `template: { uses }`, `${{ }}`).
    let v1_2023 = "version: 1\nkind: pipeline\nspec:\n  stages: []\n";
    assert!(refused("p.yaml", v1_2023).contains("Harness v1 YAML: recognised"));
    let v1 = "pipeline:\n  id: deploy\n  stages:\n    - steps:\n        - template: { uses: account.deploy@1.0.0, with: { env: \"${{ inputs.env }}\" } }\n";
    assert!(refused("p.yaml", v1).contains("Harness v1 YAML: recognised"), "{}", refused("p.yaml", v1));
    // Two tools' resources in one file.
    let mixed = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: { name: a }\n---\n\
                 apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: { name: a }\n";
    let e = refused("mixed.yaml", mixed);
    assert!(e.starts_with("mixed.yaml:5:1: holds both Argo Rollouts and Flagger documents"), "{e}");
    // Malformed YAML: the file, line and column of the parser's stop.
    let e = refused("broken.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: [Rollout\n");
    assert!(e.starts_with("broken.yaml:3:"), "{e}");
}

#[test]
fn templates_named_but_not_given_are_reported_and_their_stop_is_not_guessed() {
    let read = fixture(&["argo-rollouts/background-analysis/rollout.yaml"]);
    let (yaml, _) = imported(&read);
    let note = yaml.lines().find(|l| l.starts_with("# Not read:")).unwrap_or_else(|| panic!("{yaml}"));
    assert!(note.contains("AnalysisTemplate http-error-ratio") && note.contains("not in the files given"), "{note}");
    // Without the template, whether the background analysis stops early is unknown: PB203 is quiet.
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Every fixture of `tests/pipelines/<tool>/`: a file read alone, or a folder whose files are read
/// together, in name order.
fn fixture_sets() -> Vec<(String, Vec<String>)> {
    let root = Path::new(ROOT).join("tests/pipelines");
    let mut sets = Vec::new();
    let mut tools: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    tools.sort();
    for tool in tools.iter().filter(|p| p.is_dir()) {
        let mut entries: Vec<_> = std::fs::read_dir(tool).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for entry in entries {
            let relative = |p: &Path| p.strip_prefix(&root).unwrap().display().to_string().replace('\\', "/");
            let files = if entry.is_dir() {
                let mut files: Vec<_> =
                    std::fs::read_dir(&entry).unwrap().map(|e| relative(&e.unwrap().path())).collect();
                files.sort();
                files
            } else {
                vec![relative(&entry)]
            };
            sets.push((
                relative(&entry)
                    .replace('/', "__")
                    .trim_end_matches(".yaml")
                    .trim_end_matches(".yml")
                    .trim_end_matches(".json")
                    .to_string(),
                files,
            ));
        }
    }
    sets
}

/// Snapshots of each fixture's imported spec and findings, to review a change of wording at a
/// glance; the tests above hold what each must say.
#[test]
fn snapshots_of_every_fixtures_import_and_findings() {
    let engine = engine();
    let sets = fixture_sets();
    assert!(sets.len() >= 3);
    for (name, paths) in sets {
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let read = fixture(&paths);
        let imported = engine.import(&files(&read)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (mut text, findings) = (imported.spec, imported.findings);
        text.push_str("\n# planb check:\n");
        for f in &findings {
            let l = f.location.as_ref().unwrap();
            text.push_str(&format!(
                "# {}:{}:{} {} {} {}: {}\n",
                l.file, l.line, l.column, f.severity, f.id, f.path, f.message
            ));
        }
        insta::assert_snapshot!(format!("pipeline__{name}"), text);
    }
}

#[test]
fn a_github_rollback_job_without_failure_is_found_unreachable_and_a_lenient_smoke_test_found() {
    let read = fixture(&["github-actions/deploy.yml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // rollback needs deploy and smoke-test with no status function in an `if`: skipped when they fail
    // (PB222), so the workflow has no fallback that runs on failure (PB223); the smoke test's step may
    // fail without failing its job (PB224). The deploy job names its environment, and the
    // concurrency group does not cancel: nothing else.
    let expected = BTreeSet::from([
        ("PB222", file.clone(), line_of(text, "needs: [deploy, smoke-test]")),
        ("PB223", file.clone(), line_of(text, "\njobs:") + 1),
        ("PB224", file.clone(), line_of(text, "continue-on-error: true")),
    ]);
    assert_eq!(located(&findings), expected);
    assert_eq!(findings[0].severity, Severity::Error, "an unreachable fallback is an error");
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::GithubActions);
    assert_eq!(spec.deployment.pipeline.as_deref(), Some("Deploy payments-api"));
    assert_eq!(spec.component.environment.as_deref(), Some("production"));
    // helm upgrade: Kubernetes, marked to confirm.
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    assert_eq!(spec.abort.triggers, ["GitHub Actions job smoke-test fails"]);
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(steps, ["GitHub Actions job rollback"]);
    // Whether the environment requires reviewers is in the repository's settings: asked, not set.
    assert_eq!(spec.rollout.approval, None);
    assert!(yaml.contains("# approval: manual") && yaml.contains("requires reviewers"), "{yaml}");
    assert_eq!(source_of(&yaml, "environment"), (file.clone(), line_of(text, "name: production")));
    // The build job is none of deploy, verify or fallback: said, not dropped.
    let build = format!("# Not read: job build ({file}:{})", line_of(text, "  build:"));
    assert!(yaml.contains(&build), "{yaml}");
}

#[test]
fn a_gitlab_manual_rollback_after_the_check_is_found_unreachable_read_as_gitlab_reads_merge_keys() {
    let read = fixture(&["gitlab/.gitlab-ci.yml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // rollback is manual in the stage after deploy and verify: skipped, unplayable, when they fail
    // (PB231). stop-production writes `stage: rollback` before `<<: *kube`, whose `stage: deploy`
    // overwrites it as GitLab reads it: it is in deploy's stage, not after it, so it is quiet. The
    // smoke test may fail (PB233); the include is not read (PB235). The deploy, manual through
    // `extends`, blocks (allow_failure: false), and its environment has on_stop.
    let expected = BTreeSet::from([
        ("PB231", file.clone(), line_of(text, "when: manual\n  script: [kubectl scale")),
        ("PB233", file.clone(), line_of(text, "allow_failure: true")),
        ("PB235", file.clone(), line_of(text, "- template:")),
    ]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Gitlab);
    assert_eq!(spec.component.environment.as_deref(), Some("production"));
    assert_eq!(source_of(&yaml, "environment"), (file.clone(), line_of(text, "name: production\n    url:")));
    // The deploy job is manual through `extends: .deploy-base`: the approval names that line.
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    assert_eq!(source_of(&yaml, "approval"), (file.clone(), line_of(text, "when: manual\n  environment:")));
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(steps, ["GitLab job stop-production (started by hand)", "GitLab job rollback (started by hand)"]);
    let note = yaml.lines().find(|l| l.starts_with("# Not read: include")).unwrap_or_else(|| panic!("{yaml}"));
    assert!(note.contains("Jobs/SAST.gitlab-ci.yml"), "{note}");
}

#[test]
fn a_harness_canary_is_found_to_pass_a_verify_without_data_and_an_approval_on_its_timeout() {
    let read = fixture(&["harness/k8s-canary.yaml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The Verify step sets no failOnNoAnalysis (false by default: PB244). The approval has no strategy
    // of its own and inherits the stage's: Timeout → manual intervention → on its timeout Mark as
    // Success (PB245, at that strategy). The stage holds [AllErrors]; its Rollback section has a
    // Canary Delete beside the rolling rollback: nothing else.
    let expected = BTreeSet::from([
        ("PB244", file.clone(), line_of(text, "- step:\n                        name: Verify canary")),
        ("PB245", file.clone(), line_of(text, "- onFailure:\n              errors: [Timeout]")),
    ]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Harness);
    // The service is a runtime input: kept as written, marked to confirm.
    assert_eq!(spec.component.name, "<+input>");
    assert!(
        yaml.lines().any(|l| l.contains("name: \"<+input>\"") && l.contains("an expression: to confirm")),
        "{yaml}"
    );
    assert_eq!(spec.component.environment.as_deref(), Some("prod"));
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    assert_eq!(spec.rollout.strategy, Some(Strategy::Canary));
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Harness));
    assert_eq!(spec.verification.fail_on_no_analysis, Some(false));
    // The stage's two failure strategies, in the spec's words.
    use planb::spec::{ErrorType, FailureAction};
    let strategies: Vec<(Vec<ErrorType>, Option<FailureAction>, Option<FailureAction>)> =
        spec.deployment.failure_strategies.iter().map(|s| (s.errors.clone(), s.action, s.on_timeout)).collect();
    assert_eq!(
        strategies,
        [
            (vec![ErrorType::AllErrors], Some(FailureAction::RollbackStage), None),
            (vec![ErrorType::Timeout], Some(FailureAction::ManualIntervention), Some(FailureAction::MarkAsSuccess)),
        ]
    );
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(
        steps,
        [
            "Harness rollback step Canary Delete (K8sCanaryDelete)",
            "Harness rollback step Rolling Rollback (K8sRollingRollback)"
        ]
    );
    // The canary's Canary Delete step gives the spec nothing: said, not dropped.
    let line = line_of(text, "- step:\n                        name: Canary Delete");
    assert!(yaml.contains(&format!("# Not read: step Canary Delete (K8sCanaryDelete, {file}:{line})")), "{yaml}");
}

#[test]
fn a_harness_stage_template_without_an_all_errors_strategy_and_with_only_a_rolling_rollback_is_found() {
    let read = fixture(&["harness/stage-template-rolling.yaml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // [AllErrors, Timeout] is not exactly [AllErrors]: Harness refuses the stage (PB243, an error).
    // The Rollback section is a rolling rollback alone: nothing on a first deployment (PB242).
    let expected = BTreeSet::from([
        ("PB242", file.clone(), line_of(text, "rollbackSteps:")),
        ("PB243", file.clone(), line_of(text, "failureStrategies:")),
    ]);
    assert_eq!(located(&findings), expected);
    assert!(findings.iter().all(|f| f.message.contains("k8s_rolling")), "the template names the stage: {findings:#?}");
    assert_eq!(findings[0].id, "PB243", "the error comes first");
}

/// The ids a lone file fires, with their lines.
fn lint(name: &str, text: &str) -> Vec<(&'static str, u32)> {
    let findings = engine().check_pipeline(&[PipelineFile { name, text }]).unwrap_or_else(|e| panic!("{e}"));
    findings.iter().map(|f| (f.id, f.location.as_ref().unwrap().line)).collect()
}

fn fires(name: &str, text: &str, id: &str) -> bool {
    lint(name, text).iter().any(|(i, _)| *i == id)
}

/// GitHub runs a job after a failure only when its `if` calls failure(), always() or !cancelled():
/// not `!failure()`, and not the words inside a string.
#[test]
fn a_github_if_that_negates_failure_or_quotes_it_does_not_run_after_a_failure() {
    let workflow = |condition: &str| {
        format!(
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps: [{{ run: ./deploy.sh }}]\n  \
             rollback:\n    needs: deploy\n    if: {condition}\n    runs-on: ubuntu-latest\n    steps: [{{ run: ./undo.sh }}]\n"
        )
    };
    for condition in ["${{ !failure() }}", "contains(github.event.head_commit.message, 'failure()')", "success()"] {
        assert!(fires("w.yml", &workflow(condition), "PB222"), "{condition}");
    }
    for condition in ["failure()", "${{ always() }}", "${{ !cancelled() && needs.deploy.result == 'failure' }}"] {
        assert!(!fires("w.yml", &workflow(condition), "PB222"), "{condition}");
    }
}

/// A workflow whose group cancels in progress cancels the run, a job's own quieter group
/// notwithstanding; a job calling a reusable workflow cannot name an environment.
#[test]
fn a_workflow_group_cancels_every_job_and_a_reusable_workflow_call_needs_no_environment() {
    let text = "on: push\nconcurrency: { group: prod, cancel-in-progress: true }\njobs:\n  deploy:\n    \
                concurrency: { group: deploy, cancel-in-progress: false }\n    runs-on: ubuntu-latest\n    \
                environment: production\n    steps: [{ run: ./deploy.sh }]\n";
    assert!(fires("w.yml", text, "PB225"));
    let call = "on: push\njobs:\n  deploy:\n    uses: ./.github/workflows/deploy-reusable.yml\n";
    assert!(!fires("w.yml", call, "PB221"));
}

/// GitLab's stages, rules and needs, as GitLab schedules them.
#[test]
fn gitlab_pre_stage_rules_when_and_needs_through_a_later_job_are_read_as_gitlab_runs_them() {
    let base = "stages: [deploy, verify, fallback]\ndeploy:\n  stage: deploy\n  script: [./deploy.sh]\n  \
                environment: { name: production, on_stop: stop }\nstop:\n  stage: deploy\n  when: manual\n  \
                script: [./stop.sh]\n  environment: { name: production, action: stop }\nsmoke:\n  stage: verify\n  \
                script: [./smoke.sh]\n";
    // `.pre` comes before every stage, listed or not: a manual fallback there is not after the deploy.
    let pre = format!("{base}rollback:\n  stage: .pre\n  when: manual\n  script: [./undo.sh]\n");
    assert!(!fires(".gitlab-ci.yml", &pre, "PB231"));
    // `rules:when` wins over the job's `when`: on_failure, which runs after the failure.
    let ruled = format!("{base}rollback:\n  stage: fallback\n  when: manual\n  rules: [{{ when: on_failure }}]\n  script: [./undo.sh]\n");
    assert!(!fires(".gitlab-ci.yml", &ruled, "PB231"));
    // Needing smoke, which waits for deploy's stage, is waiting for deploy: skipped when it fails.
    let needs = format!("{base}rollback:\n  stage: deploy\n  when: manual\n  needs: [smoke]\n  script: [./undo.sh]\n");
    assert!(fires(".gitlab-ci.yml", &needs, "PB231"));
    // `needs: []` waits for nothing: it can be started at any time.
    let free = format!("{base}rollback:\n  stage: fallback\n  when: manual\n  needs: []\n  script: [./undo.sh]\n");
    assert!(!fires(".gitlab-ci.yml", &free, "PB231"));
    // A manual deploy made blocking by its rule's allow_failure: false.
    let blocking =
        "deploy:\n  stage: deploy\n  script: [./deploy.sh]\n  rules: [{ when: manual, allow_failure: false }]\n";
    assert!(!fires(".gitlab-ci.yml", blocking, "PB234"));
    let optional = "deploy:\n  stage: deploy\n  script: [./deploy.sh]\n  when: manual\n";
    assert!(fires(".gitlab-ci.yml", optional, "PB234"));
}

/// GitLab reads a repeated key, the later winning (Psych has no duplicate-key check), and refuses an
/// `extends` cycle, which planb notes and reads past; a chain of templates each extending the one
/// before twice resolves each once.
#[test]
fn gitlab_duplicate_keys_extends_cycles_and_fan_out_are_read_without_hanging() {
    let duplicate = "deploy:\n  stage: deploy\n  when: manual\n  script: [./deploy.sh]\n  when: on_success\n";
    assert!(!fires(".gitlab-ci.yml", duplicate, "PB234"), "the later `when` wins: not manual");
    let cycle = ".a:\n  extends: [.b, .b]\n.b:\n  extends: [.a, .a]\ndeploy:\n  extends: .a\n  stage: deploy\n  script: [./d.sh]\n";
    let read = [(".gitlab-ci.yml".to_string(), cycle.to_string())];
    let (yaml, _) = imported(&read);
    assert!(yaml.contains("runs in a cycle"), "{yaml}");
    let mut fan = String::from(".t0:\n  variables: { A: x }\n");
    for i in 1..=11 {
        fan.push_str(&format!(".t{i}:\n  extends: [.t{}, .t{}]\n  variables: {{ V{i}: y }}\n", i - 1, i - 1));
    }
    for j in 0..200 {
        fan.push_str(&format!("job{j}:\n  extends: .t11\n  script: [make]\n"));
    }
    assert!(lint(".gitlab-ci.yml", &fan).is_empty());
}

/// Argo Rollouts: a metric with no interval measures once, whatever its count; a missing analysis
/// step's template leaves the background analysis's verdict as it is.
#[test]
fn argo_background_metrics_without_an_interval_stop_and_other_templates_do_not_matter() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: { name: r }\nspec:\n  strategy:\n    canary:\n      \
                analysis: { templates: [{ templateName: bg }] }\n      steps:\n        - setWeight: 20\n        \
                - analysis: { templates: [{ templateName: elsewhere }] }\n---\napiVersion: argoproj.io/v1alpha1\n\
                kind: AnalysisTemplate\nmetadata: { name: bg }\nspec:\n  metrics:\n    - name: m\n      count: 0\n      \
                successCondition: result[0] < 1\n      provider: { prometheus: { address: http://p:9090, query: q } }\n";
    assert!(fires("r.yaml", text, "PB203"));
    assert!(!fires("r.yaml", &text.replace("count: 0", "interval: 1m\n      count: 0"), "PB203"));
}

/// Flagger: a metric whose deprecated `threshold` is set is compared with it, not with 0; a
/// MetricTemplate in another file is named with its own file's line.
#[test]
fn flagger_deprecated_thresholds_and_templates_in_other_files() {
    let canary = "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata: { name: c }\nspec:\n  \
                  targetRef: { apiVersion: apps/v1, kind: Deployment, name: c }\n  service: { port: 80 }\n  \
                  analysis:\n    interval: 1m\n    threshold: 5\n    stepWeight: 10\n    metrics:\n      \
                  - { name: errors, templateRef: { name: errors }, threshold: 5 }\n";
    assert!(!fires("c.yaml", canary, "PB213"));
    let template = "apiVersion: flagger.app/v1beta1\nkind: MetricTemplate\nmetadata: { name: errors }\nspec:\n  \
                    provider: { type: prometheus, address: http://p:9090 }\n  query: q\n";
    let read = [("c.yaml".to_string(), canary.to_string()), ("t.yaml".to_string(), template.to_string())];
    let (yaml, _) = imported(&read);
    assert_eq!(source_of(&yaml, "health_source"), ("t.yaml".to_string(), 5));
}

/// Harness: a Retry whose last failure is marked a success lets a timed-out approval through; only a
/// rolling rollback is known to skip on a first deployment; a strategy with an error type the spec
/// has no word for is noted, not narrowed.
#[test]
fn harness_retry_on_approval_helm_rollback_and_unknown_error_types() {
    let stage = |steps: &str, rollback: &str, strategies: &str| {
        format!(
            "pipeline:\n  identifier: p\n  name: p\n  stages:\n    - stage:\n        identifier: s\n        name: s\n        \
             type: Deployment\n        spec:\n          deploymentType: Kubernetes\n          execution:\n            \
             steps:\n{steps}            rollbackSteps:\n{rollback}        failureStrategies:\n{strategies}"
        )
    };
    let approval = "              - step:\n                  identifier: a\n                  name: a\n                  type: HarnessApproval\n                  spec: {}\n";
    let all = "          - onFailure: { errors: [AllErrors], action: { type: StageRollback } }\n";
    let retry = "          - onFailure: { errors: [Timeout], action: { type: Retry, spec: { retryCount: 1, retryIntervals: [1m], onRetryFailure: { action: { type: MarkAsSuccess } } } } }\n";
    let helm = "              - step: { identifier: h, name: h, type: HelmRollback, spec: {} }\n";
    assert!(fires("p.yaml", &stage(approval, helm, &format!("{all}{retry}")), "PB245"));
    assert!(!fires("p.yaml", &stage(approval, helm, all), "PB242"));
    let unknown = "          - onFailure: { errors: [Connectivity], action: { type: Abort } }\n";
    let read = [("p.yaml".to_string(), stage(approval, helm, &format!("{all}{unknown}")))];
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.deployment.failure_strategies.len(), 1, "{yaml}");
    assert!(yaml.contains("# Not read: failure strategy p.yaml:"), "{yaml}");
}

/// Argo Rollouts' blueGreen promotes on its own unless `autoPromotionEnabled: false` (the CRD's
/// default is true, AR-BG): written out as false, the Rollout waits for a promote, PB202 does not
/// fire and the imported spec says the approval is manual; left out or true, it promotes.
#[test]
fn a_blue_green_rollout_with_auto_promotion_off_waits_for_a_promote() {
    let rollout = |setting: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {{ name: ledger }}\nspec:\n  strategy:\n    \
             blueGreen:\n      activeService: ledger-active\n      previewService: ledger-preview\n{setting}"
        )
    };
    let off = rollout("      autoPromotionEnabled: false\n");
    assert!(!fires("r.yaml", &off, "PB202"), "{:?}", lint("r.yaml", &off));
    let (yaml, spec) = imported(&[("r.yaml".to_string(), off)]);
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual), "{yaml}");
    for on in [rollout(""), rollout("      autoPromotionEnabled: true\n")] {
        assert!(fires("r.yaml", &on, "PB202"), "{on}");
        assert_ne!(imported(&[("r.yaml".to_string(), on)]).1.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    }
}

#[test]
fn an_argo_cd_application_with_self_heal_is_found_to_undo_a_fallback_and_its_helm_source_noted() {
    let read = fixture(&["argo-cd/payments-app.yaml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // automated with selfHeal (PB251); prune is on and the resources finalizer is there: nothing else.
    let expected = BTreeSet::from([("PB251", file.clone(), line_of(text, "selfHeal: true"))]);
    assert_eq!(located(&findings), expected);
    assert_eq!(findings[0].severity, Severity::Error);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::ArgoCd);
    assert_eq!(spec.component.name, "payments-api");
    assert_eq!(spec.deployment.namespace.as_deref(), Some("payments"));
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    assert_eq!(spec.deployment.tool_settings.auto_sync, Some(true));
    assert_eq!(source_of(&yaml, "auto_sync"), (file.clone(), line_of(text, "automated:")));
    // Automated sync on: nobody syncs by hand, so no approval is read.
    assert_eq!(spec.rollout.approval, None);
    // Argo CD only syncs: the strategy and the workload are the synced manifests', asked.
    assert_eq!(spec.rollout.strategy, None);
    assert!(yaml.contains("# strategy: canary") && yaml.contains("# workload: rollout/…"), "{yaml}");
    let note = yaml.lines().find(|l| l.starts_with("# Not read: the manifests")).unwrap_or_else(|| panic!("{yaml}"));
    assert!(note.contains("https://charts.example.com/payments payments-api at 2.4.0"), "{note}");
}

#[test]
fn an_application_set_is_found_to_own_the_sync_policy_and_named_after_itself() {
    let read = fixture(&["argo-cd/guestbook-appset.yaml"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // `automated: {}` in the template: no prune (PB252), and no ignoreApplicationDifferences, so the
    // controller writes it back over each Application (PB254). The controller adds the finalizer to
    // generated Applications itself: no PB253.
    let at = line_of(text, "automated: {}");
    let expected = BTreeSet::from([("PB252", file.clone(), at), ("PB254", file.clone(), at)]);
    assert_eq!(located(&findings), expected);
    let pb254 = findings.iter().find(|f| f.id == "PB254").unwrap();
    assert!(pb254.message.starts_with("ApplicationSet guestbook generates"), "{}", pb254.message);
    let (_, spec) = imported(&read);
    // The generated names are templates ('{{.cluster}}-guestbook'): the ApplicationSet names the component.
    assert_eq!(spec.component.name, "guestbook");
    assert_eq!(spec.deployment.chained_pipelines, Some(true));
    assert_eq!(spec.deployment.namespace.as_deref(), Some("guestbook"));
}

/// What turns automated sync off, or lets it be turned off by hand, as Argo CD reads it.
#[test]
fn argo_cd_automated_enabled_false_rolling_sync_and_application_set_policies() {
    let app = |policy: &str, metadata: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{ name: a, namespace: argocd{metadata} }}\n\
             spec:\n  project: default\n  source: {{ repoURL: https://git.example.com/a.git, path: . }}\n  \
             destination: {{ server: https://kubernetes.default.svc, namespace: a }}\n  syncPolicy: {policy}\n"
        )
    };
    // `enabled: false` keeps the settings but turns automated sync off (types.go IsAutomatedSyncEnabled).
    let off = app("{ automated: { enabled: false, selfHeal: true } }", "");
    assert!(!fires("a.yaml", &off, "PB251") && !fires("a.yaml", &off, "PB252"));
    assert!(fires("a.yaml", &app("{ automated: { selfHeal: true, prune: true } }", ""), "PB251"));
    // `Prune=false` among the sync options prunes nothing, automated prune or not (sync-options.md).
    // (app() writes the sync policy on its 8th line.)
    let finalized = ", finalizers: [resources-finalizer.argocd.argoproj.io]";
    let kept = app("{ automated: { prune: true }, syncOptions: [CreateNamespace=true, Prune=false] }", finalized);
    assert_eq!(lint("a.yaml", &kept), [("PB252", 8)]);
    let pruned = app("{ automated: { prune: true }, syncOptions: [CreateNamespace=true] }", finalized);
    assert!(lint("a.yaml", &pruned).is_empty());
    // Every spelling of the resources finalizer cascades; another finalizer does not.
    for finalizer in ["resources-finalizer.argocd.argoproj.io", "resources-finalizer.argocd.argoproj.io/background"] {
        let with = app("{}", &format!(", finalizers: [{finalizer}]"));
        assert!(!fires("a.yaml", &with, "PB253"), "{finalizer}");
    }
    assert!(fires("a.yaml", &app("{}", ", finalizers: [example.com/other]"), "PB253"));
    assert!(fires("a.yaml", &app("{}", ""), "PB253"));

    let set = |spec: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {{ name: s, namespace: argocd }}\nspec:\n\
             {spec}  generators: [{{ list: {{ elements: [] }} }}]\n  template:\n    metadata: {{ name: 's-{{{{x}}}}' }}\n    \
             spec:\n      project: default\n      source: {{ repoURL: https://git.example.com/s.git, path: . }}\n      \
             destination: {{ server: https://kubernetes.default.svc, namespace: s }}\n      \
             syncPolicy: {{ automated: {{ prune: true }} }}\n"
        )
    };
    assert!(fires("s.yaml", &set(""), "PB254"));
    // An Application may differ in what the ApplicationSet ignores, or is not updated at all.
    for spec in [
        "  ignoreApplicationDifferences: [{ jsonPointers: [/spec/syncPolicy] }]\n",
        "  ignoreApplicationDifferences: [{ jqPathExpressions: [.spec.syncPolicy.automated] }]\n",
        "  syncPolicy: { applicationsSync: create-only }\n",
        "  syncPolicy: { applicationsSync: create-delete }\n",
    ] {
        assert!(!fires("s.yaml", &set(spec), "PB254"), "{spec}");
    }
    // `create-update` still updates Applications; a pointer below syncPolicy does not cover it.
    for spec in [
        "  syncPolicy: { applicationsSync: create-update }\n",
        "  ignoreApplicationDifferences: [{ jsonPointers: [/spec/source/targetRevision] }]\n",
    ] {
        assert!(fires("s.yaml", &set(spec), "PB254"), "{spec}");
    }
    // RollingSync turns automated sync off on every generated Application.
    let rolling = set("  strategy: { type: RollingSync, rollingSync: { steps: [] } }\n");
    assert!(!fires("s.yaml", &rolling, "PB254") && !fires("s.yaml", &rolling, "PB252"));
}

#[test]
fn a_spinnaker_pipeline_with_a_gated_fallback_is_found_to_judge_without_a_timeout_only() {
    let read = fixture(&["spinnaker/checkout-manifest.json"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The deploy ignores its failure and "Remove checkout-api" runs only when it failed: a fallback
    // on failure (no PB262), not halted (no PB261); the judgment is gated on SUCCEEDED and the scale
    // to zero on the judgment, so no stage runs on a failed deploy as on a good one (no PB265). The
    // judgment has no stageTimeoutMs: it waits 3 days (PB264), pointed at its type.
    let judgment = line_of(text, "\"type\": \"manualJudgment\"");
    assert_eq!(located(&findings), BTreeSet::from([("PB264", file.clone(), judgment)]));
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Spinnaker);
    assert_eq!(spec.component.name, "checkout");
    assert_eq!(spec.deployment.pipeline.as_deref(), Some("Deploy checkout-api"));
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    assert_eq!(spec.deployment.namespace.as_deref(), Some("checkout"));
    assert_eq!(spec.deployment.workload.as_deref(), Some("deployment/checkout-api"));
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(
        steps[0].starts_with("Spinnaker stage Remove checkout-api (deleteManifest) (runs when #stage("),
        "{steps:?}"
    );
    // "Fall back: …" is a fallback by its name (a scaleManifest is not one by its type).
    assert!(steps[1].starts_with("Spinnaker stage Fall back: scale checkout-api to zero (scaleManifest)"), "{steps:?}");
    assert_eq!(source_of(&yaml, "namespace"), (file.clone(), line_of(text, "\"namespace\": \"checkout\"")));
    // No traffic management and no cluster strategy: the strategy is asked.
    assert_eq!(spec.rollout.strategy, None);
}

#[test]
fn a_spinnaker_canary_before_an_ecs_red_black_deploy_is_noted_to_have_no_baseline_on_a_first_deploy() {
    let read = fixture(&["spinnaker/ledger-ecs-canary.json"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The judgment has a timeout; the ECS cluster rolls back on failure (rollback.onFailure), which
    // counts as a fallback on failure: only the canary's note.
    // At the stage: the line of its opening brace.
    let canary = line_of(text, "{\n      \"refId\": \"1\"");
    assert_eq!(located(&findings), BTreeSet::from([("PB263", file.clone(), canary)]));
    assert_eq!(findings[0].severity, Severity::Info);
    let (_, spec) = imported(&read);
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Ecs));
    // The canary comes first and names the strategy; Kayenta compares with a baseline.
    assert_eq!(spec.rollout.strategy, Some(Strategy::Canary));
    assert_eq!(spec.verification.analysis, Some(planb::spec::Analysis::Baseline));
    assert_eq!(spec.abort.triggers, ["Spinnaker canary analysis Canary Analysis scores 60 or less"]);
}

/// orca's failure statuses: continuePipeline wins over failPipeline; a halted stage starts nothing
/// after it; a pipeline started by another's failure is itself the fallback.
#[test]
fn spinnaker_failure_options_as_orca_reads_them() {
    let pipeline = |deploy: &str, fallback: &str, triggers: &str| {
        format!(
            "{{\"application\": \"a\", \"name\": \"p\", \"triggers\": [{triggers}], \"stages\": [\
             {{\"refId\": \"1\", \"requisiteStageRefIds\": [], \"type\": \"deployManifest\", \"name\": \"Deploy\"{deploy}}},\
             {{\"refId\": 2, \"requisiteStageRefIds\": [\"1\"], \"type\": \"undoRolloutManifest\", \"name\": \"Undo\"{fallback}}}]}}"
        )
    };
    let gate = ", \"stageEnabled\": {\"type\": \"expression\", \"expression\": \"#stage('Deploy')['status'].toString() == 'FAILED_CONTINUE'\"}";
    // failPipeline unset (TERMINAL) or false (STOPPED): the fallback never starts after a failure.
    for deploy in ["", ", \"failPipeline\": false", ", \"failPipeline\": true"] {
        let text = pipeline(deploy, gate, "");
        assert!(fires("p.json", &text, "PB261") && fires("p.json", &text, "PB262"), "{deploy}");
    }
    // continuePipeline makes it FAILED_CONTINUE even beside failPipeline true (Stage.kt).
    for deploy in [", \"continuePipeline\": true", ", \"failPipeline\": true, \"continuePipeline\": true"] {
        let text = pipeline(deploy, gate, "");
        assert!(!fires("p.json", &text, "PB261") && !fires("p.json", &text, "PB262"), "{deploy}");
        // Ungated, the "fallback" runs after a good deploy too.
        assert!(fires("p.json", &pipeline(deploy, "", ""), "PB265"), "{deploy}");
    }
    // Gated on the deploy by refId, or on its status not being SUCCEEDED.
    let by_ref = ", \"stageEnabled\": {\"type\": \"expression\", \"expression\": \"#stageByRefId('1')['status'].toString() != 'SUCCEEDED'\"}";
    assert!(!fires("p.json", &pipeline(", \"continuePipeline\": true", by_ref, ""), "PB262"));
    // A pipeline started when another fails is the fallback itself.
    let on_failure = "{\"type\": \"pipeline\", \"application\": \"a\", \"pipeline\": \"x\", \"status\": [\"failed\"], \"enabled\": true}";
    assert!(!fires("p.json", &pipeline("", "", on_failure), "PB262"));
    let disabled = on_failure.replace("true}", "false}");
    assert!(fires("p.json", &pipeline("", "", &disabled), "PB262"));
    // A judgment with continuePipeline: Stop does not stop.
    let judgment =
        "{\"application\": \"a\", \"stages\": [{\"refId\": \"1\", \"type\": \"manualJudgment\", \"name\": \"J\", \
                    \"stageTimeoutMs\": 60000, \"continuePipeline\": true}]}";
    assert_eq!(lint("j.json", judgment), [("PB266", 1)]);
}

#[test]
fn spinnaker_files_are_told_from_gitlab_and_templated_pipelines_refused() {
    let engine = engine();
    // GitLab's `stages` are names; Spinnaker's are objects with a type.
    let spinnaker =
        "{\"application\": \"a\", \"stages\": [{\"refId\": \"1\", \"type\": \"wait\", \"name\": \"Wait\"}]}";
    let (_, spec) = imported(&[("p.json".to_string(), spinnaker.to_string())]);
    assert_eq!(spec.tool(), Tool::Spinnaker);
    let gitlab = "stages: [build, deploy]\ndeploy:\n  stage: deploy\n  script: [./deploy.sh]\n";
    let (_, spec) = imported(&[("ci.yml".to_string(), gitlab.to_string())]);
    assert_eq!(spec.tool(), Tool::Gitlab);
    // A v2 templated pipeline's stages live in its template (spinnaker.io pipeline-templates).
    let templated = "{\"schema\": \"v2\", \"application\": \"a\", \"name\": \"p\", \"template\": {\"artifactAccount\": \
                     \"front50ArtifactCredentials\", \"reference\": \"spinnaker://deploy\", \"type\": \"front50/pipelineTemplate\"}, \
                     \"variables\": {}, \"stages\": []}";
    let e = engine.check_pipeline(&[PipelineFile { name: "t.json", text: templated }]).unwrap_err().to_string();
    assert!(e.starts_with("t.json:1:1: Spinnaker templated pipeline: recognised"), "{e}");
}

#[test]
fn a_codedeploy_ecs_group_without_alarms_and_its_appspec_fill_the_canary_and_the_hook_check() {
    let read = fixture(&["codedeploy/ecs/appspec.yaml", "codedeploy/ecs/deployment-group.json"]);
    let (appspec, group) = (&read[0], &read[1]);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // Rollback on failure is on; no alarmConfiguration (PB272, pointed at the group as nothing
    // states it), so no alarm rolls back either, which PB273 leaves to PB272; the original task set
    // is kept 5 minutes; AfterAllowTestTraffic checks before production traffic (no PB275).
    let expected = BTreeSet::from([("PB272", group.0.clone(), line_of(&group.1, "\"deploymentGroupInfo\""))]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Codedeploy);
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Ecs));
    assert_eq!(spec.component.name, "checkout-api");
    assert_eq!(spec.deployment.pipeline.as_deref(), Some("checkout-api-prod"));
    assert_eq!(spec.deployment.tool_settings.auto_rollback, Some(true));
    // ECSCanary10Percent5Minutes: 10% for 5 minutes (CD-CONFIGS).
    assert_eq!(spec.rollout.strategy, Some(Strategy::Canary));
    let steps: Vec<(u8, String)> = spec
        .rollout
        .steps
        .iter()
        .map(|s| (s.percent.unwrap().get(), s.bake_time.map(|d| d.to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(steps, [(10, "5m".to_string())]);
    assert_eq!(
        spec.abort.triggers,
        ["the AfterAllowTestTraffic hook (Lambda function checkout-test-traffic-smoke) reports Failed"]
    );
    assert_eq!(source_of(&yaml, "name"), (appspec.0.clone(), line_of(&appspec.1, "ContainerName")));
}

#[test]
fn a_codedeploy_ec2_group_as_the_cli_prints_it_is_found_to_neither_roll_back_nor_watch_alarms() {
    let read = fixture(&["codedeploy/ec2/appspec.yml", "codedeploy/ec2/deployment-group.json"]);
    let group = &read[1];
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // No autoRollbackConfiguration and no alarmConfiguration: both rules at the group. The AppSpec
    // has a ValidateService hook, in lower-case keys as the agent reads them: nothing on it.
    let at = line_of(&group.1, "\"deploymentGroupInfo\"");
    let expected = BTreeSet::from([("PB271", group.0.clone(), at), ("PB272", group.0.clone(), at)]);
    assert_eq!(located(&findings), expected);
    let (_, spec) = imported(&read);
    // The group names no computePlatform; its EC2 tag filters say Server; the AppSpec says so too.
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Vm));
    assert_eq!(spec.rollout.strategy, Some(Strategy::Rolling), "OneAtATime");
    assert_eq!(spec.abort.triggers, ["the ValidateService hook (scripts/smoke-test.sh) fails"]);
}

/// The AppSpec as each platform writes it: ECS and Lambda in either case, EC2 in lower case only.
#[test]
fn codedeploy_appspec_platforms_hooks_and_key_case() {
    let lambda =
        "version: 0.0\nresources:\n  - ledger-fn:\n      type: AWS::Lambda::Function\n      properties:\n        \
                  name: ledger-fn\n        alias: live\n        currentversion: \"1\"\n        targetversion: \"2\"\n\
                  hooks:\n  - AfterAllowTraffic: ledger-after\n";
    // AfterAllowTraffic runs once all traffic has moved: nothing checks before (PB275).
    assert_eq!(lint("appspec.yaml", lambda), [("PB275", 10)]);
    let checked = lambda.replace("AfterAllowTraffic", "BeforeAllowTraffic");
    assert!(lint("appspec.yaml", &checked).is_empty());
    let (_, spec) = imported(&[("appspec.yaml".to_string(), checked)]);
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Serverless));
    assert_eq!(spec.deployment.workload.as_deref(), Some("function/ledger-fn"));
    // EC2: a capitalised Hooks is ignored by the agent (PB276), and so its ValidateService (PB275).
    let ec2 = "version: 0.0\nos: linux\nHooks:\n  ValidateService:\n    - location: check.sh\n";
    assert_eq!(lint("appspec.yml", ec2), [("PB276", 3), ("PB275", 1)]);
    // A group's termination wait that is not stated is unknown, not 0.
    let group = |termination: &str| {
        format!(
            "{{\"deploymentGroupInfo\": {{\"applicationName\": \"a\", \"deploymentGroupName\": \"g\", \"computePlatform\": \"ECS\", \
             \"autoRollbackConfiguration\": {{\"enabled\": true, \"events\": [\"DEPLOYMENT_FAILURE\", \"DEPLOYMENT_STOP_ON_ALARM\"]}}, \
             \"alarmConfiguration\": {{\"enabled\": true, \"alarms\": [{{\"name\": \"x\"}}]}}, \
             \"blueGreenDeploymentConfiguration\": {{\"terminateBlueInstancesOnDeploymentSuccess\": {{\"action\": \"TERMINATE\"{termination}}}}}}}}}"
        )
    };
    assert!(lint("g.json", &group("")).is_empty());
    assert_eq!(lint("g.json", &group(", \"terminationWaitTimeInMinutes\": 0")), [("PB274", 1)]);
}

#[test]
fn the_jenkins_tour_pipeline_is_found_untimed_unguarded_and_without_a_fallback() {
    let read = fixture(&["jenkins/payments-api/Jenkinsfile"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // Both deploy stages run without a timeout (PB292); the sanity check's input step names no
    // submitter (PB293); nothing in a post runs on failure (PB294, at the pipeline, which has no
    // post). The input has no timeout, so PB291 (a timed-out input) does not apply.
    let expected = BTreeSet::from([
        ("PB292", file.clone(), line_of(text, "stage('Deploy - Staging')")),
        ("PB292", file.clone(), line_of(text, "stage('Deploy - Production')")),
        ("PB293", file.clone(), line_of(text, "input \"Does")),
        ("PB294", file.clone(), line_of(text, "pipeline {")),
    ]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Jenkins);
    // The folder names the component; `./deploy` names no platform, which is asked.
    assert_eq!(spec.component.name, "payments-api");
    assert_eq!(spec.deployment.platform, None);
    assert!(yaml.contains("# platform: kubernetes"), "{yaml}");
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    assert_eq!(source_of(&yaml, "approval"), (file.clone(), line_of(text, "input \"Does")));
    assert_eq!(spec.abort.triggers, ["Jenkins stage Sanity check fails"]);
}

#[test]
fn a_jenkins_gate_that_times_out_with_only_post_always_is_found_to_leave_no_fallback() {
    let read = fixture(&["jenkins/ledger/Jenkinsfile"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The gate's stage timeout (1 hour) ends the build ABORTED; the pipeline's post has only
    // `always` (PB291, at the input directive; PB294, at the post). The deploy stage has its
    // timeout, and the input its submitters.
    let expected = BTreeSet::from([
        ("PB291", file.clone(), line_of(text, "input {")),
        ("PB294", file.clone(), line_of(text, "post {")),
    ]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    // The deploy runs on the production branch only: said, as written (beforeInput is no condition).
    let when = format!(
        "# {file}:{}: stage Deploy to production runs only when branch 'production'\n",
        line_of(text, "when {\n")
    );
    assert!(yaml.contains(&when), "{yaml}");
    // helm upgrade: Kubernetes, to confirm. The submitters approve.
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    assert_eq!(spec.people.approver.as_ref().and_then(|p| p.name.as_deref()), Some("alice,bob"));
}

/// The post conditions that run after an abort or a failure, as Jenkins decides them.
#[test]
fn jenkins_post_conditions_inputs_and_stages_as_jenkins_runs_them() {
    let pipeline = |post: &str, gate: &str| {
        format!(
            "pipeline {{\n  agent any\n  options {{ timeout(time: 1, unit: 'HOURS') }}\n  stages {{\n    \
             stage('Deploy') {{ steps {{ sh 'kubectl apply -f k8s/' }} }}\n    {gate}\n  }}\n  post {{ {post} }}\n}}\n"
        )
    };
    let step_input = "stage('Gate') { steps { input message: 'Go?', submitter: 'ops' } }";
    // The pipeline's timeout covers the input: only `aborted` or `unsuccessful` runs after it.
    for post in ["aborted { sh './undo.sh' }", "unsuccessful { sh './undo.sh' }"] {
        assert!(!fires("Jenkinsfile", &pipeline(post, step_input), "PB291"), "{post}");
    }
    for post in ["failure { sh './undo.sh' }", "always { sh './undo.sh' }", "changed { sh './undo.sh' }", "aborted { }"]
    {
        assert!(fires("Jenkinsfile", &pipeline(post, step_input), "PB291"), "{post}");
    }
    // A stage's own post runs after an input step in it, not after its input directive.
    let own = |input: &str| format!("stage('Gate') {{ {input} post {{ aborted {{ sh './undo.sh' }} }} }}");
    let with_step = own("steps { input message: 'Go?', submitter: 'ops' }");
    assert!(!fires("Jenkinsfile", &pipeline("success { echo 'ok' }", &with_step), "PB291"));
    let with_directive = own("input { message 'Go?'\n submitter 'ops' }\n steps { echo 'go' }");
    assert!(fires("Jenkinsfile", &pipeline("success { echo 'ok' }", &with_directive), "PB291"));
    // A rollback stage after the deploy is skipped when the deploy fails (PB295).
    let rollback = "stage('Rollback') { steps { sh 'kubectl delete -f k8s/' } }";
    assert!(fires("Jenkinsfile", &pipeline("unsuccessful { echo 'x' }", rollback), "PB295"));
    // An empty submitter is none; a deploy inside a `timeout` step is timed out.
    let empty = "stage('Gate') { steps { input message: 'Go?', submitter: '' } }";
    assert!(fires("Jenkinsfile", &pipeline("unsuccessful { sh './undo.sh' }", empty), "PB293"));
    let timed = "pipeline {\n  agent any\n  stages {\n    stage('Deploy') {\n      steps {\n        timeout(time: 10, unit: 'MINUTES') {\n          sh 'helm upgrade --install a ./chart'\n        }\n      }\n    }\n  }\n  post { unsuccessful { sh './undo.sh' } }\n}\n";
    assert!(lint("Jenkinsfile", timed).is_empty(), "{:?}", lint("Jenkinsfile", timed));
    let untimed = timed.replace("timeout(time: 10, unit: 'MINUTES') {", "retry(2) {");
    assert_eq!(lint("Jenkinsfile", &untimed), [("PB292", 4)]);
    // A caught deploy or input goes on (PB296); a caught build step does not matter.
    for (wrapper, swallowed) in
        [("catchError {", true), ("warnError('deploy failed') {", true), ("dir('chart') {", false)]
    {
        let text = timed.replace("timeout(time: 10, unit: 'MINUTES') {", wrapper);
        assert_eq!(fires("Jenkinsfile", &text, "PB296"), swallowed, "{wrapper}");
    }
    let caught_input = "stage('Gate') { steps { catchError { input message: 'Go?', submitter: 'ops' } } }";
    assert!(fires("Jenkinsfile", &pipeline("unsuccessful { sh './undo.sh' }", caught_input), "PB296"));
}

#[test]
fn jenkinsfiles_are_told_by_name_or_content_and_scripted_ones_refused_at_their_line() {
    let engine = engine();
    let refused =
        |name: &str, text: &str| engine.check_pipeline(&[PipelineFile { name, text }]).unwrap_err().to_string();
    let scripted = "// the tour's scripted twin\nnode {\n    stage('Deploy') { sh './deploy production' }\n}\n";
    let e = refused("Jenkinsfile", scripted);
    assert!(e.starts_with("Jenkinsfile:2:1: Jenkins scripted pipeline: recognised"), "{e}");
    // Pasted text is read by its content.
    let e = refused("pasted text", scripted);
    assert!(e.starts_with("pasted text:2:1: Jenkins scripted pipeline"), "{e}");
    let declarative = "pipeline {\n  agent any\n  stages { stage('Build') { steps { sh 'make' } } }\n}\n";
    let (_, spec) = imported(&[("pasted text".to_string(), declarative.to_string())]);
    assert_eq!(spec.tool(), Tool::Jenkins);
    // A broken Jenkinsfile: the file, line and column of the stop.
    let e = refused("Jenkinsfile", "pipeline {\n  stages {\n    stage('x') { steps { sh 'make }\n");
    assert!(e.starts_with("Jenkinsfile:3:29: a string is not closed on its line"), "{e}");
    let e = refused("ci/Jenkinsfile", "@Library('steps') _\nstandardPipeline(env: 'prod')\n");
    assert!(e.starts_with("ci/Jenkinsfile:1:1: no top-level `pipeline { … }`"), "{e}");
    // The page hands a file to the importer by its name or first line.
    for (name, text) in [
        ("Jenkinsfile", "x"),
        ("p.txt", "#!/usr/bin/env groovy\n// c\npipeline {"),
        ("a.ocl", "x"),
        ("t", "step \"a\" {"),
    ] {
        assert!(planb::pipeline::looks_like_text_format(name, text), "{name}");
    }
    assert!(!planb::pipeline::looks_like_text_format("spec.yaml", "component: { name: pipeline }\n"));
}

#[test]
fn an_octopus_process_with_an_unowned_intervention_and_a_covered_fallback_is_read() {
    let read = fixture(&["octopus/payments-api/deployment_process.ocl"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The production gate names no responsible team and is not required (PB282, at its step). The
    // failure step runs after the deploy in every environment: no PB281.
    let expected = BTreeSet::from([("PB282", file.clone(), line_of(text, "step \"approve-production\""))]);
    assert_eq!(located(&findings), expected);
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.tool(), Tool::Octopus);
    assert_eq!(spec.component.name, "payments-api");
    assert_eq!(spec.deployment.platform, Some(planb::spec::Platform::Kubernetes));
    // DeploymentStyle RollingUpdate is a rolling update.
    assert_eq!(spec.rollout.strategy, Some(Strategy::Rolling));
    assert_eq!(source_of(&yaml, "strategy"), (file.clone(), line_of(text, "DeploymentStyle = \"RollingUpdate\"")));
    assert_eq!(spec.abort.triggers, ["Octopus step Smoke test fails"]);
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(steps, ["Octopus step Scale payments-api to zero (runs after a failed step: run condition Failure)"]);
}

#[test]
fn an_octopus_fallback_scoped_to_production_leaves_development_without_one() {
    let read = fixture(&["octopus/frontend/deployment_process.ocl"]);
    let (file, text) = (&read[0].0, &read[0].1);
    let findings = engine().check_pipeline(&files(&read)).unwrap();
    // The last deploy is the S3 upload, in Development and Production; the failure step runs in
    // Production only (PB281, at the upload step).
    let expected = BTreeSet::from([("PB281", file.clone(), line_of(text, "step \"Upload frontend\""))]);
    assert_eq!(located(&findings), expected);
}

/// Run conditions and environments as Octopus applies them.
#[test]
fn octopus_run_conditions_variables_and_environments() {
    let process = |fallback: &str| {
        format!(
            "step \"deploy\" {{\n    action {{\n        action_type = \"Octopus.HelmChartUpgrade\"\n        environments = [\"staging\", \"production\"]\n    }}\n}}\n\n\
             step \"undo\" {{\n{fallback}\n    action {{\n        action_type = \"Octopus.Script\"\n    }}\n}}\n"
        )
    };
    assert!(!fires("p.ocl", &process("    condition = \"Failure\""), "PB281"));
    let on_error = "    condition = \"Variable\"\n    properties = {\n        Octopus.Step.ConditionVariableExpression = \"#{if Octopus.Deployment.Error}true#{/if}\"\n    }";
    assert!(!fires("p.ocl", &process(on_error), "PB281"));
    let unless = on_error.replace("#{if", "#{unless").replace("#{/if}", "#{/unless}");
    assert!(fires("p.ocl", &process(&unless), "PB281"), "unless the error: a success path");
    assert!(fires("p.ocl", &process("    condition = \"Always\""), "PB281"), "Always runs on success too: no fallback");
    // A disabled fallback does not run.
    let disabled = process("    condition = \"Failure\"")
        .replace("action_type = \"Octopus.Script\"", "action_type = \"Octopus.Script\"\n        is_disabled = true");
    assert!(fires("p.ocl", &disabled, "PB281"));
    // A broken OCL file: the file, line and column.
    let e = engine()
        .check_pipeline(&[PipelineFile { name: "p.ocl", text: "step \"a\" {\n    name = \"x\n}\n" }])
        .unwrap_err();
    assert!(e.to_string().starts_with("p.ocl:2:12: a string is not closed on its line"), "{e}");
}

/// Every prefix of the Jenkinsfile and OCL fixtures, and each fixture with characters that matter to
/// their parsers put in at pseudo-random places, reads or fails with an error that names its file,
/// line and column: never a panic, never an error without a place.
#[test]
fn cut_or_mangled_jenkinsfiles_and_ocl_read_or_fail_at_a_place() {
    let engine = engine();
    let read = fixture(&["jenkins/ledger/Jenkinsfile", "octopus/frontend/deployment_process.ocl"]);
    const PUT: &[&str] = &[
        "{", "}", "(", ")", "[", "]", "\"", "'", "'''", "\"\"\"", "\n", "=", ":", ",", "#", "//", "/*", "${",
        "<<-EOT\n", "\\", "é",
    ];
    let mut state: u64 = 0x5eed;
    let mut next = |bound: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % bound.max(1)
    };
    for (name, text) in &read {
        let mut variants: Vec<String> = text.char_indices().map(|(i, _)| text[..i].to_string()).collect();
        for _ in 0..300 {
            let mut at = next(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            variants.push(format!("{}{}{}", &text[..at], PUT[next(PUT.len())], &text[at..]));
        }
        for variant in &variants {
            if let Err(e) = engine.check_pipeline(&[PipelineFile { name, text: variant }]) {
                assert!(e.mark.is_some() && e.origin.as_deref() == Some(name.as_str()), "{e:?} for\n{variant}");
            }
        }
    }
}

#[test]
fn argo_cd_hooks_in_the_synced_manifests_are_read_as_checks_and_a_fallback() {
    let read = fixture(&["argo-cd/checkout/application.yaml", "argo-cd/checkout/hooks.yaml"]);
    let (app, hooks) = (&read[0], &read[1]);
    // Automated sync off and the resources finalizer: no finding.
    assert!(engine().check_pipeline(&files(&read)).unwrap().is_empty());
    let (yaml, spec) = imported(&read);
    assert_eq!(spec.deployment.tool_settings.auto_sync, Some(false));
    assert_eq!(spec.rollout.approval, Some(planb::spec::ApprovalKind::Manual));
    // A failing PostSync hook marks the sync failed and undoes nothing; a SyncFail hook runs then.
    assert_eq!(
        spec.abort.triggers,
        ["Argo CD PostSync hook job/checkout-smoke-test fails (the sync is marked failed; nothing is undone)"]
    );
    let steps: Vec<String> = spec.fallback.steps.iter().map(|s| s.action.clone().unwrap()).collect();
    assert_eq!(steps, ["Argo CD SyncFail hook job/checkout-remove-route (runs when the sync fails)"]);
    let syncfail = line_of(&hooks.1, "argocd.argoproj.io/hook: SyncFail");
    assert!(yaml.contains(&format!("# from {}:{syncfail}", hooks.0)), "{yaml}");
    // The PreSync hook and the sync wave are named, not guessed at.
    assert!(yaml.contains("# Not read: PreSync hook job/checkout-db-migrate"), "{yaml}");
    assert!(yaml.contains("sync waves, lower first: service/checkout (wave -1)"), "{yaml}");
    assert_eq!(source_of(&yaml, "namespace"), (app.0.clone(), line_of(&app.1, "namespace: checkout")));
    // Hook annotations alone make a file Argo CD's; beside a Rollout they do not claim it.
    let rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: { name: a }\nspec: { strategy: { canary: {} } }\n---\n\
                   apiVersion: v1\nkind: Service\nmetadata: { name: a, annotations: { argocd.argoproj.io/sync-wave: \"1\" } }\n";
    let (_, spec) = imported(&[("r.yaml".to_string(), rollout.to_string())]);
    assert_eq!(spec.tool(), Tool::ArgoRollouts);
}
