//! Harness CD (NextGen, v0 YAML), from harness-core at 042d99c86a72 (C), harness-core-ui at
//! 34c93979b2f4 (UI) and developer.harness.io (D). planb maps kubernetes → Kubernetes, ecs → ECS,
//! serverless → AwsLambda, vm → Ssh; other platforms leave the deployment type to confirm.
//!
//! "The old files" below are the knowledge file and snippet before issue 17: one text per strategy
//! for every platform (Kubernetes Rolling Rollback everywhere), a snippet that was a fragment (no
//! stage), `K8sRollingRollback` as the update rollback on every platform, a Shell Script of prose for
//! the other platforms, and "turn on Fail On No Analysis" as the verification remedy.

use planb::plan::RungKind;
use planb::Plan;
use serde_yaml_ng::Value;

use super::support::*;

/// The snippet's stage, parsed.
fn stage(p: &Plan) -> Value {
    let docs = yaml_docs(snippet(p));
    assert_eq!(docs.len(), 1, "one document: the stage to paste");
    docs[0]["stage"].clone()
}

/// Every step of a step list, step groups flattened.
fn steps(list: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for w in list.as_sequence().map(Vec::as_slice).unwrap_or_default() {
        if w.get("step").is_some() {
            out.push(w["step"].clone());
        }
        if w.get("stepGroup").is_some() {
            out.extend(steps(&w["stepGroup"]["steps"]));
        }
    }
    out
}

fn types(list: &[Value]) -> Vec<&str> {
    list.iter().map(|s| s["type"].as_str().unwrap_or("")).collect()
}

fn rollback_steps(p: &Plan) -> Vec<Value> {
    steps(&stage(p)["spec"]["execution"]["rollbackSteps"])
}

fn deploy_steps(p: &Plan) -> Vec<Value> {
    steps(&stage(p)["spec"]["execution"]["steps"])
}

/// The rollback steps that are not the kill switch's or a shared resource's.
fn rollback_types(p: &Plan) -> Vec<String> {
    rollback_steps(p)
        .iter()
        .filter(|s| {
            let id = s["identifier"].as_str().unwrap_or("");
            !id.starts_with("killSwitch") && !id.starts_with("revertShared")
        })
        .map(|s| s["type"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Every inline script: Shell Script steps and the Script units of Command steps.
fn scripts(p: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for s in deploy_steps(p).iter().chain(rollback_steps(p).iter()) {
        if s["type"] == "ShellScript" {
            out.push(s["spec"]["source"]["spec"]["script"].as_str().unwrap().to_string());
        }
        for unit in s["spec"]["commandUnits"].as_sequence().map(Vec::as_slice).unwrap_or_default() {
            if unit["type"] == "Script" {
                out.push(unit["spec"]["source"]["spec"]["script"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

fn verify(p: &Plan) -> Value {
    deploy_steps(p).into_iter().find(|s| s["type"] == "Verify").expect("a Verify step for the spec's KPIs")
}

fn note<'p>(p: &'p Plan, title: &str) -> &'p str {
    &p.tool_notes.iter().find(|n| n.title == title).unwrap_or_else(|| panic!("no note {title}")).text
}

/// Issue point 2, Kubernetes. C:930-delegate-tasks/.../k8s/K8sRollingRollbackBaseHandler.java#L372-377:
/// with no earlier successful release Rolling Rollback logs "No previous eligible release found.
/// Can't rollback." and returns success; #L873-877: with pruning it deletes nothing either. So the
/// Rollback section needs a K8sDelete by release name, which deletes every resource of the release
/// (D:.../kubernetes-executions/delete-kubernetes-resources), after the rollback it completes.
/// Fails on the old files: the fact was not cited at a commit and the snippet was no stage.
#[test]
fn kubernetes_rolling_rollback_reports_success_on_a_first_deployment_so_the_stage_deletes_the_release() {
    let p = plan(&spec("harness", "kubernetes", "rolling", false, ""));
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("Can't rollback") && effect.contains("reports success"), "{effect}");
    assert!(effect.contains("keeps running"), "{effect}");
    assert!(source_keys(&p).contains(&"HC-K8S-RRB-FIRST"), "{:?}", source_keys(&p));
    let rollback = rollback_steps(&p);
    assert_eq!(rollback_types(&p), ["K8sRollingRollback", "K8sDelete"]);
    let delete = rollback.iter().find(|s| s["type"] == "K8sDelete").unwrap();
    assert_eq!(delete["spec"]["deleteResources"]["type"], "ReleaseName");
    assert_eq!(delete["spec"]["deleteResources"]["spec"]["deleteNamespace"].as_bool(), Some(false));
    assert_eq!(stage(&p)["spec"]["deploymentType"], "Kubernetes");
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(
        removal.how.contains("K8sDelete")
            && removal.how.contains("kubectl --namespace shop delete deployment/orders-api"),
        "{}",
        removal.how
    );
}

/// Issue point 2, Kubernetes canary and Blue Green. C:.../k8s/K8sCanaryDeleteRequestHandler.java#L86-93
/// deletes the canary workload; the primary is left by Rolling Rollback as above. The Blue Green
/// rollback is K8sBGSwapServices (C:.../executionStrategyYaml/kubernetes-bluegreen.yaml#L25-32), which
/// only swaps Service selectors (.../K8sSwapServiceSelectorsBaseHandler.java#L79-84) and is skipped
/// without a swap (.../K8sBGSwapServicesStep.java#L62-63); that the stage workload then stays is read
/// from the code, not documented, so it is to confirm. Fails on the old files: their Blue Green text
/// said only that nothing could be swapped back, and the snippet had no swap step.
#[test]
fn kubernetes_canary_and_blue_green_first_deployments_delete_the_release_after_their_own_rollback() {
    let canary = plan(&spec("harness", "kubernetes", "canary", false, ""));
    assert_eq!(rollback_types(&canary), ["K8sCanaryDelete", "K8sRollingRollback", "K8sDelete"]);
    assert_eq!(types(&deploy_steps(&canary)), ["K8sCanaryDeploy", "Verify", "K8sCanaryDelete", "K8sRollingDeploy"]);
    let canary_deploy = &deploy_steps(&canary)[0];
    assert_eq!(
        canary_deploy["spec"]["instanceSelection"]["spec"]["percentage"].as_u64(),
        Some(10),
        "the spec's first step"
    );
    assert!(canary.tool_rollback.effect.contains("deletes the canary workload"), "{}", canary.tool_rollback.effect);

    let bg = plan(&spec("harness", "kubernetes", "blue-green", false, ""));
    assert_eq!(rollback_types(&bg), ["K8sBGSwapServices", "K8sDelete"]);
    assert_eq!(types(&deploy_steps(&bg)), ["K8sBlueGreenDeploy", "Verify", "K8sBGSwapServices"]);
    // harness.md marks what the swap-back leaves running as read from code, not documented: the
    // plan says it is not documented, and lists it to confirm, rather than stating it.
    assert!(bg.tool_rollback.effect.contains("is not documented"), "{}", bg.tool_rollback.effect);
    assert!(bg.to_confirm.iter().any(|c| c.contains("stage workload running")), "{:?}", bg.to_confirm);
}

/// Issue point 2, ECS: the ECS rollbacks remove what a first deployment created.
/// C:930-delegate-tasks/.../ecs/EcsPrepareRollbackCommandTaskHandler.java#L147-154 marks a first
/// deployment; EcsRollingRollbackCommandTaskHandler.java#L125-131 then deletes the service;
/// EcsCanaryDeleteCommandTaskHandler.java#L91-95 deletes the canary service;
/// EcsBasicRollbackTaskHandler.java#L74-82 deletes the new service; EcsBlueGreenRollbackCommandTaskHandler
/// .java#L184-210 downsizes the green service to 0 (#L295-303 deletes it behind a feature flag). So the
/// snippet uses the tool's own steps (ecs-*.yaml templates) and no delete of its own. Fails on the old
/// files: they said "Rolling Rollback ... reports success" for every platform and added a Shell Script.
#[test]
fn ecs_rollbacks_delete_what_a_first_deployment_created() {
    let cases = [
        ("rolling", vec!["EcsRollingRollback"], "deletes that service", "HC-ECS-ROLLING-RB-FIRST"),
        ("canary", vec!["EcsCanaryDelete", "EcsRollingRollback"], "deletes the canary service", "HC-ECS-CANARY-DELETE"),
        ("all-at-once", vec!["EcsBasicRollback"], "deletes the new service", "HC-ECS-BASIC-RB-FIRST"),
        ("blue-green", vec!["EcsBlueGreenRollback"], "desired count of 0", "HC-ECS-BG-DOWNSIZE"),
    ];
    for (strategy, rollback, says, source) in cases {
        let p = plan(&spec("harness", "ecs", strategy, false, ""));
        assert_eq!(stage(&p)["spec"]["deploymentType"], "ECS", "{strategy}");
        assert_eq!(rollback_types(&p), rollback, "{strategy}");
        assert!(p.tool_rollback.effect.contains(says), "{strategy}: {}", p.tool_rollback.effect);
        assert!(source_keys(&p).contains(&source), "{strategy}: {:?}", source_keys(&p));
        assert!(rung(&p, RungKind::RemoveWorkload).how.contains("Run the stage rollback"), "{strategy}");
    }
    let basic = plan(&spec("harness", "ecs", "all-at-once", false, ""));
    assert_eq!(types(&deploy_steps(&basic)), ["EcsServiceSetup", "EcsUpgradeContainer", "Verify"]);
}

/// Issue points 2 and 13, serverless. C:.../aws/lambda/AwsLambdaRollbackTaskCommandHandler.java#L64-67
/// deletes the function of a first deployment, and #L89-93 logs an AwsLambdaException and reports
/// SUCCESS, so the snippet checks that the function is gone with a script that parses and runs
/// commands. Fails on the old files: the serverless Shell Script read "remove the function's route or
/// trigger, then delete the function ...", which bash cannot parse.
#[test]
fn native_lambda_rollback_deletes_the_function_and_the_snippet_checks_that_it_is_gone() {
    let p = plan(&spec("harness", "serverless", "all-at-once", false, ""));
    let st = stage(&p);
    assert_eq!(st["spec"]["deploymentType"], "AwsLambda", "native Lambda, not AWS_Lambda or ServerlessAwsLambda");
    assert_eq!(rollback_types(&p), ["AwsLambdaRollback", "ShellScript"]);
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("deletes the function") && effect.contains("reported as success"), "{effect}");
    let check = rollback_steps(&p).into_iter().find(|s| s["identifier"] == "checkFunctionGone").unwrap();
    let script = check["spec"]["source"]["spec"]["script"].as_str().unwrap();
    assert!(script.contains("aws lambda get-function --function-name orders-api"), "{script}");
    assert!(script.contains("ResourceNotFoundException"), "{script}");
    assert_scripts_are_commands(&p);
}

/// Issue point 2: the claim "for ECS, Lambda, Tanzu the rollback removes or scales down what the
/// deployment created" is partly wrong. C:.../serverless/ServerlessAwsLambdaRollbackV2CommandTaskHandler
/// .java#L139-149: the Serverless.com v2 rollback only logs "please handle the rollback manually" and
/// reports SUCCESS; C:.../pcf/CfRollingRollbackCommandTaskHandlerNG.java#L145-154: TAS Rolling Rollback
/// skips a first deployment and reports success (harness-core commit 5870324b, PR 49372, removed the
/// delete). planb cannot tell Tanzu from any other platform, so the deployment type stays to confirm.
/// Fails on the old files: they had no word on Serverless.com or Tanzu.
#[test]
fn serverless_framework_v2_and_tanzu_rolling_skip_a_first_deployment_and_report_success() {
    let lambda = plan(&spec("harness", "serverless", "all-at-once", false, ""));
    let effect = &lambda.tool_rollback.effect;
    assert!(effect.contains("serverless remove") && effect.contains("rolled back by hand"), "{effect}");
    assert!(source_keys(&lambda).contains(&"HC-SLS-V2"));

    let other = plan(&spec("harness", "other", "rolling", false, ""));
    let effect = &other.tool_rollback.effect;
    assert!(effect.contains("TAS Rolling Rollback skips a first deployment and reports success"), "{effect}");
    assert!(effect.contains("delete it"), "App Rollback and Swap Rollback delete the new app: {effect}");
    assert!(source_keys(&other).contains(&"HC-TAS-49372"));
    assert!(other.to_confirm.iter().any(|c| c.contains("Harness deployment type")), "{:?}", other.to_confirm);
    assert!(stage(&other)["spec"].get("deploymentType").is_none(), "planb cannot know it");
    assert_eq!(rollback_types(&other), ["ShellScript"]);
}

/// Issue point 2, SSH/WinRM. C:125-cd-nextgen/.../creator/plan/steps/CommandStepPlanCreator.java#L63-64:
/// a Command step in rollbackSteps runs as a rollback; .../cdng/ssh/SshCommandStepHelper.java#L446-459:
/// without an earlier successful deployment it throws SkipRollbackException ("Not found previous
/// successful rollback data, hence skipping rollback"). So a first deployment needs a Shell Script; an
/// update uses the Command rollback (ssh-basic-jar.yaml#L103-112). Fails on the old files: they gave a
/// VM the Kubernetes texts and a prose script.
#[test]
fn ssh_rollback_is_skipped_on_a_first_deployment_so_a_shell_script_takes_the_new_version_out() {
    let first = plan(&spec("harness", "vm", "rolling", false, ""));
    assert_eq!(stage(&first)["spec"]["deploymentType"], "Ssh");
    assert_eq!(rollback_types(&first), ["ShellScript"], "no Command step: it would be skipped");
    assert!(first.tool_rollback.effect.contains("skipped"), "{}", first.tool_rollback.effect);
    assert!(first.to_confirm.iter().any(|c| c.contains("WinRm")), "{:?}", first.to_confirm);
    assert_scripts_are_commands(&first);

    let update = plan(&spec("harness", "vm", "rolling", true, ""));
    assert_eq!(rollback_types(&update), ["Command"]);
    let command = rollback_steps(&update).into_iter().find(|s| s["type"] == "Command").unwrap();
    assert_eq!(command["strategy"]["repeat"]["items"], "<+stage.output.hosts>");
    assert_eq!(command["spec"]["onDelegate"].as_bool(), Some(false));
}

/// Issue points 1 and 2: on an update the Rollback section is the deployment type's own rollback
/// (executionStrategyYaml at C: kubernetes-*.yaml, ecs-*.yaml, awslambda-basic.yaml, ssh-basic-jar.yaml)
/// and nothing in it deletes the running version. Fails on the old files: their update snippet ran
/// K8sRollingRollback on ECS, Lambda and VMs alike.
#[test]
fn updates_use_each_deployment_types_own_rollback_and_delete_nothing() {
    let cases: [(&str, &str, &[&str]); 9] = [
        ("kubernetes", "rolling", &["K8sRollingRollback"]),
        ("kubernetes", "canary", &["K8sCanaryDelete", "K8sRollingRollback"]),
        ("kubernetes", "blue-green", &["K8sBGSwapServices"]),
        ("ecs", "rolling", &["EcsRollingRollback"]),
        ("ecs", "canary", &["EcsCanaryDelete", "EcsRollingRollback"]),
        ("ecs", "blue-green", &["EcsBlueGreenRollback"]),
        ("ecs", "all-at-once", &["EcsBasicRollback"]),
        ("serverless", "all-at-once", &["AwsLambdaRollback"]),
        ("vm", "canary", &["Command"]),
    ];
    for (platform, strategy, expected) in cases {
        let p = plan(&spec("harness", platform, strategy, true, ""));
        assert_eq!(rollback_types(&p), expected, "{platform} {strategy}");
        for s in scripts(&p) {
            assert!(
                !s.contains("delete") || s.lines().all(|l| l.starts_with("echo") || l.starts_with("set")),
                "{platform} {strategy}: {s}"
            );
        }
        let back = rung(&p, RungKind::ToolRollback);
        assert!(
            back.title.contains("5.1.3") && back.how.contains("Manual Intervention"),
            "{platform} {strategy}: {back:?}"
        );
    }
    let k8s = plan(&spec("harness", "kubernetes", "rolling", true, ""));
    let how = &rung(&k8s, RungKind::ToolRollback).how;
    assert!(how.contains("K8sRollingRollback") && how.contains("Post deployment rollback"), "{how}");
    let lambda = plan(&spec("harness", "serverless", "all-at-once", true, ""));
    let how = &rung(&lambda, RungKind::ToolRollback).how;
    assert!(
        how.contains("does not cover Lambda"),
        "post deployment rollback supports no Lambda (PostProdRollbackServiceImpl.java#L35-37): {how}"
    );
}

/// Issue point 3. UI:.../ConfigureFields/ConfigureFields.tsx#L142-167 shows "Fail On No Analysis" for
/// every type but SimpleVerification, and .../SelectVerificationType.tsx#L33-38 clears
/// `spec.spec.failOnNoAnalysis` (and sensitivity) when Simple Verification is picked; the field for
/// custom metrics is the Verify step's `spec.spec.failIfAnyCustomMetricInNoAnalysis`
/// (.../NodeFilteringFieldsDetail.tsx#L36-39; C:.../VerificationJobSpec.java#L60-64). Durations end in m
/// (#L93-107). Fails on the old files: their remedy said to "turn on Fail On No Analysis" with Threshold
/// Analysis, and their snippet had no Verify step.
#[test]
fn threshold_verification_has_no_fail_on_no_analysis_and_fails_custom_metrics_without_data() {
    let p = plan(&spec("harness", "kubernetes", "rolling", true, ""));
    let v = verify(&p);
    assert_eq!(v["spec"]["type"], "SimpleVerification");
    let inner = &v["spec"]["spec"];
    assert!(inner.get("failOnNoAnalysis").is_none() && inner.get("sensitivity").is_none(), "{inner:?}");
    assert_eq!(inner["failIfAnyCustomMetricInNoAnalysis"].as_bool(), Some(true));
    assert_eq!(inner["duration"], "10m", "the bake time, in whole minutes");
    assert_eq!(v["spec"]["monitoredService"]["type"], "Default");
    let text = note(&p, "Verification of an update");
    assert!(text.contains("Fail On No Analysis (failOnNoAnalysis) is not offered for Simple Verification"), "{text}");
    assert!(text.contains("failIfAnyCustomMetricInNoAnalysis"), "{text}");
    assert!(!text.contains("turn on Fail On No Analysis"), "{text}");
    assert!(snippet(&p).contains("error_rate above 2.5 for 5m"), "the thresholds are named for the health source");
}

/// Issue point 3, the other types. C:.../BlueGreenCanaryVerificationJobSpec.java#L50-51: Canary, Blue
/// Green and Rolling verification need a sensitivity; C:.../VerificationJobInstanceServiceImpl.java
/// #L551-553: without failOnNoAnalysis a run whose risk is NO_ANALYSIS passes. Fails on the old files:
/// no Verify step at all.
#[test]
fn baseline_verification_fails_on_no_analysis() {
    let ml = spec("harness", "kubernetes", "canary", true, "")
        .replace("health_source: prometheus", "health_source: prometheus\n  analysis: ml");
    let p = plan(&ml);
    let v = verify(&p);
    assert_eq!(v["spec"]["type"], "Canary");
    assert_eq!(v["spec"]["spec"]["failOnNoAnalysis"].as_bool(), Some(true));
    assert!(v["spec"]["spec"]["sensitivity"].is_string());
}

/// Issue point 3, the spec's own field: `verification.fail_on_no_analysis: true` with threshold
/// analysis expects what Simple Verification does not offer (the UI sources above). Fails on the old
/// files: no such finding.
#[test]
fn pb110_says_fail_on_no_analysis_is_not_a_simple_verification_setting() {
    let yaml = spec("harness", "kubernetes", "rolling", true, "").replace(
        "health_source: prometheus",
        "health_source: prometheus\n  analysis: threshold\n  fail_on_no_analysis: true",
    );
    let p = plan(&yaml);
    assert!(p.findings.iter().any(|f| f.id == "PB110"), "{:?}", p.findings.iter().map(|f| f.id).collect::<Vec<_>>());
}

/// S (harness-schema v0/pipeline.json#L82744-82760) requires a literal Manual Intervention timeout;
/// planb writes the decision window in whole minutes, which that pattern accepts (1h30m becomes 90m,
/// since "1h30m" without a space is refused). Fails on the old files: they printed 1h30m as written.
#[test]
fn the_manual_intervention_waits_for_the_decision_window_then_rolls_the_stage_back() {
    let timeout = |window: &str| {
        let p = plan(&spec("harness", "ecs", "rolling", true, "").replace(", decision_window: 12m", window));
        let st = stage(&p);
        let mi = st["failureStrategies"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|f| f["onFailure"]["errors"][0] == "Verification")
            .unwrap()
            .clone();
        assert_eq!(mi["onFailure"]["action"]["type"], "ManualIntervention");
        assert_eq!(mi["onFailure"]["action"]["spec"]["onTimeout"]["action"]["type"], "StageRollback");
        mi["onFailure"]["action"]["spec"]["timeout"].as_str().unwrap().to_string()
    };
    assert_eq!(timeout(", decision_window: 12m"), "12m");
    assert_eq!(timeout(", decision_window: 1h30m"), "90m");
    assert_eq!(timeout(", decision_window: 90s"), "2m");
    assert_eq!(timeout(""), "15m", "no window: planb's placeholder, said in a comment");
}

/// C:960-ng-core-beans/.../ServiceDefinitionType.java#L24-99: Kubernetes has Rolling, Blue Green and
/// Canary (no Basic), AWS Lambda only Basic, SSH and WinRM no Blue Green; ECS has all four. Fails on
/// the old files: they mapped all-at-once to a Kubernetes Rolling Deployment and refused nothing.
#[test]
fn combinations_a_deployment_type_does_not_have_are_refused() {
    for (platform, strategy) in [
        ("kubernetes", "all-at-once"),
        ("serverless", "canary"),
        ("serverless", "blue-green"),
        ("serverless", "rolling"),
        ("vm", "blue-green"),
    ] {
        for update in [false, true] {
            assert!(refused(&plan(&spec("harness", platform, strategy, update, ""))), "{platform} {strategy}");
        }
    }
    for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
        assert!(!refused(&plan(&spec("harness", "ecs", strategy, false, ""))), "ecs {strategy}");
    }
    let lambda_canary = plan(&spec("harness", "serverless", "canary", false, ""));
    let why = lambda_canary.tool_rollback.unsupported.as_deref().unwrap();
    assert!(why.contains("only the") && why.contains("AwsLambdaCanaryDeploy"), "{why}");
}

/// Issue point 13: every inline script of every snippet parses in bash and holds commands or the
/// placeholder that stops it (never prose). Fails on the old files: "# Take the workload out of
/// service:" followed by prose for serverless and VMs.
#[test]
fn every_inline_script_parses_and_runs_commands() {
    for platform in ["kubernetes", "ecs", "serverless", "vm", "other"] {
        for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
            for update in [false, true] {
                let p = plan(&spec("harness", platform, strategy, update, ""));
                if !refused(&p) {
                    assert_scripts_are_commands(&p);
                }
            }
        }
    }
}

fn assert_scripts_are_commands(p: &Plan) {
    use std::io::Write;
    for script in scripts(p) {
        let mut bash = std::process::Command::new("bash")
            .arg("-n")
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("bash");
        bash.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
        let out = bash.wait_with_output().unwrap();
        assert!(out.status.success(), "bash -n: {}\n{script}", String::from_utf8_lossy(&out.stderr));
        for line in script.lines() {
            let commands = ["set -e", "echo ", "kubectl ", "aws ", "OUT=", "printf ", "#"];
            assert!(commands.iter().any(|c| line.starts_with(c)), "not a command: {line:?}\n{script}");
        }
    }
}

/// The ladders: a first deployment flips the kill switch, routes away and removes the new version
/// with the Rollback section; an update rolls back right after the kill switch and takes the workload
/// down only in a last step called an outage (issue point 1). Fails on the old files: an update's
/// ladder had no rollback step of Harness's own.
#[test]
fn first_deployment_and_update_ladders() {
    let first = plan(&spec("harness", "kubernetes", "rolling", false, ""));
    assert_eq!(
        kinds(&first),
        [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]
    );
    let update = plan(&spec("harness", "ecs", "blue-green", true, ""));
    assert_eq!(
        kinds(&update),
        [RungKind::KillSwitch, RungKind::ToolRollback, RungKind::RemoveWorkload, RungKind::FixForward]
    );
    assert!(rung(&update, RungKind::ToolRollback).how.contains("ECS Blue Green Rollback"));
    assert!(rung(&update, RungKind::RemoveWorkload).title.contains("outage"));
    assert!(update.summary.contains("replacing 5.1.3"), "{}", update.summary);
}
