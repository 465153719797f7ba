//! GitHub Actions, from docs.github.com (read in github/docs at the commits named in
//! /work/research/ci-tools.md): deployments-and-environments (ENV), expressions (EXPR),
//! workflow-syntax (NEEDS, INPUTS), events-that-trigger-workflows (DISPATCH), re-run-workflows-and-jobs
//! (RERUN).

use std::process::Command;

use planb::plan::RungKind;
use serde_yaml_ng::Value;

use super::support::*;

const PLATFORMS: [&str; 5] = ["kubernetes", "ecs", "serverless", "vm", "other"];
const STRATEGIES: [&str; 4] = ["canary", "blue-green", "rolling", "all-at-once"];

fn workflow(p: &planb::Plan) -> Value {
    yaml_docs(snippet(p)).remove(0)
}

/// The scripts of a job's steps.
fn runs(workflow: &Value, job: &str) -> Vec<String> {
    let steps = workflow["jobs"][job]["steps"].as_sequence().unwrap_or_else(|| panic!("no steps in {job}"));
    steps.iter().filter_map(|s| s["run"].as_str().map(str::to_string)).collect()
}

/// Issue point 13, shared by the CI tools' tests: a script parses in bash and holds commands only.
/// A line is a command planb writes (a platform CLI of templates/platforms.yaml, `set`, an assignment)
/// or the placeholder that stops an unfilled script, `echo 'planb: fill in before running: …' >&2;
/// exit 1`; any other `echo` is prose in disguise, like the old snippets' `echo "replace with the
/// deploy command"`.
pub fn assert_commands_only(where_: &str, script: &str) {
    let out = Command::new("bash").arg("-n").arg("-c").arg(script).output().expect("bash runs");
    assert!(out.status.success(), "{where_}: bash -n rejects it: {}\n{script}", String::from_utf8_lossy(&out.stderr));
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let word = line.split_whitespace().next().unwrap_or_default();
        let placeholder = line.starts_with("echo 'planb: fill in before running: ") && line.ends_with(">&2; exit 1");
        let assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        });
        let command = ["kubectl", "aws", "helm", "serverless", "set", "curl", "test", "sleep"].contains(&word);
        assert!(placeholder || assignment || command, "{where_}: not a command planb writes: {line:?}\n{script}");
    }
}

/// Issue point 11. ENV: "All deployment protection rules must pass before a job referencing the
/// environment is sent to a runner" (required reviewers, wait timer): a fallback job behind the
/// protected environment waits for them when it is needed most, so it names its own environment.
/// NEEDS: "If a job fails or is skipped, all jobs that need it are skipped unless the jobs use a
/// conditional expression that causes the job to continue"; EXPR: failure() "returns true if any
/// ancestor job fails". So the fallback needs deploy and verify and runs `if: failure()`.
/// Catches the old snippet, whose fallback job named the protected environment itself and ran only
/// when dispatched by hand.
#[test]
fn the_fallback_job_runs_after_a_failed_verify_in_an_environment_without_reviewers() {
    for update in [false, true] {
        let p = plan(&spec("github-actions", "kubernetes", "canary", update, ""));
        let w = workflow(&p);
        let (deploy, fallback) = (&w["jobs"]["deploy"], &w["jobs"]["fallback"]);
        assert_eq!(deploy["environment"]["name"], "production");
        assert_eq!(fallback["environment"]["name"], "production-fallback", "its own environment");
        let needs: Vec<&str> = fallback["needs"].as_sequence().unwrap().iter().filter_map(Value::as_str).collect();
        assert_eq!(needs, ["deploy", "verify"]);
        let condition = fallback["if"].as_str().unwrap();
        assert!(condition.contains("failure()"), "a status function, so a failed verify does not skip it: {condition}");
        assert!(condition.contains("inputs.action == 'fallback'"), "and by hand (workflow_dispatch): {condition}");
        let approvals = p.tool_notes.iter().find(|n| n.title == "Approvals").unwrap();
        assert!(approvals.text.contains("-fallback") && approvals.text.contains("no wait timer"), "{}", approvals.text);
        assert!(approvals.sources.iter().any(|s| s.key == "GHA-ENV"));
    }
}

/// Issue point 1. DISPATCH and INPUTS: a workflow_dispatch run takes a `version` input of type string
/// (Run workflow); RERUN: a re-run "uses the same GITHUB_SHA … of the original event" and is possible
/// "for up to 30 days", re-running every job of that run. Whether a re-run asks for the reviewers again
/// is not documented: it stays to confirm. The fallback job redeploys 5.1.3 and deletes nothing.
/// Catches the old files: the neutral "Redeploy 5.1.3 … with the same pipeline", and a fallback job
/// that ran the platform's delete command on an update.
#[test]
fn an_update_redeploys_the_previous_version_and_deletes_nothing() {
    let p = plan(&spec("github-actions", "ecs", "rolling", true, ""));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2, "right after the kill switch");
    assert!(back.title.contains("5.1.3"), "{}", back.title);
    assert!(back.how.contains("Run workflow") && back.how.contains("version 5.1.3"), "{}", back.how);
    assert!(back.how.contains("Re-run all jobs") && back.how.contains("30 days"), "{}", back.how);
    assert!(p.tool_rollback.effect.contains("commit SHA") && p.tool_rollback.effect.contains("30 days"));
    assert!(source_keys(&p).contains(&"GHA-RERUN") && source_keys(&p).contains(&"GHA-DISPATCH"));
    assert!(p.to_confirm.iter().any(|c| c.contains("re-running an earlier run waits for the environment's reviewers")));
    let w = workflow(&p);
    assert_eq!(w["on"]["workflow_dispatch"]["inputs"]["version"]["type"], "string");
    let scripts = runs(&w, "fallback").join("\n");
    assert!(scripts.contains("VERSION=5.1.3"), "{scripts}");
    assert!(!scripts.contains("delete"), "the running version stays: {scripts}");
    assert_eq!(
        kinds(&p),
        [RungKind::KillSwitch, RungKind::ToolRollback, RungKind::RemoveWorkload, RungKind::FixForward]
    );
    assert!(rung(&p, RungKind::RemoveWorkload).title.contains("outage"));
}

/// A first deployment has no earlier run or version (RERUN, DISPATCH), so the ladder routes traffic
/// away and the fallback job takes the new version out with the platform's command.
#[test]
fn a_first_deployment_takes_the_new_version_out_with_the_fallback_job() {
    let p = plan(&spec("github-actions", "kubernetes", "canary", false, ""));
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(removal.how.contains("fallback job") && removal.how.contains("if failure()"), "{}", removal.how);
    assert!(removal.how.contains("kubectl --namespace shop delete deployment/orders-api"), "{}", removal.how);
    assert!(p.summary.contains("no earlier version"), "{}", p.summary);
    let scripts = runs(&workflow(&p), "fallback").join("\n");
    assert!(scripts.contains("kubectl --namespace shop delete deployment/orders-api"), "{scripts}");
    assert!(!scripts.contains("VERSION="), "nothing to redeploy: {scripts}");
}

/// Issue point 13: every `run:` of every platform and situation parses in bash and runs commands
/// (the deploy and KPI checks planb cannot write are placeholders that stop the step). Catches the
/// old snippet's `run: echo "replace with the deploy command"` and its `echo "$HOW"` prose.
#[test]
fn every_run_script_parses_and_holds_only_commands() {
    for platform in PLATFORMS {
        for update in [false, true] {
            let p = plan(&spec("github-actions", platform, "rolling", update, ""));
            let w = workflow(&p);
            for job in ["deploy", "verify", "fallback"] {
                for script in runs(&w, job) {
                    assert_commands_only(&format!("{platform} update={update} {job}"), &script);
                }
            }
        }
    }
}

/// A workflow runs the commands of its steps (workflow-syntax, jobs.<job_id>.steps[*].run), so
/// GitHub Actions deploys to every platform with every strategy: nothing is refused.
#[test]
fn no_platform_or_strategy_is_refused() {
    for platform in PLATFORMS {
        for strategy in STRATEGIES {
            assert!(!refused(&plan(&spec("github-actions", platform, strategy, true, ""))), "{platform} {strategy}");
        }
    }
}
