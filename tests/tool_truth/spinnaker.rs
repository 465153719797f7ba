//! Spinnaker, from its source and docs: spinnaker/orca 2fdb327a9f67 (O), spinnaker/deck 3f2418ea6d1e
//! (D), spinnaker/clouddriver 2f5e98f0320a (C) and spinnaker/spinnaker.io 3bc6188527fb (S, published at
//! spinnaker.io/docs). Each expected value below is read from the file the comment names.

use planb::plan::RungKind;
use serde_json::Value;

use super::support::*;

fn stages(body: &str) -> Vec<Value> {
    json(body)["stages"].as_array().expect("a list of stages").clone()
}

fn of_type<'a>(stages: &'a [Value], kind: &str) -> &'a Value {
    stages.iter().find(|s| s["type"] == kind).unwrap_or_else(|| panic!("no {kind} stage: {stages:#?}"))
}

fn types(stages: &[Value]) -> Vec<String> {
    stages.iter().map(|s| s["type"].as_str().unwrap().to_string()).collect()
}

/// Issue point 7. C:clouddriver-kubernetes/.../description/KubernetesCoordinates.java#L53-L67: "Given a
/// full resource name of the type "kind name" (ex: "pod my-rs-v003-mnop")" and "Expected a full resource
/// name of the form <kind> <name>"; C:.../manifest/KubernetesDeleteManifestDescription.java#L58-L62:
/// `location` is the namespace. The old snippet wrote the spec's `deployment/orders-api` as manifestName.
#[test]
fn manifest_name_is_the_kind_and_the_name_separated_by_a_space() {
    let first = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "canary", false, ""))));
    let delete = of_type(&first, "deleteManifest");
    assert_eq!(delete["manifestName"], "deployment orders-api");
    assert_eq!(delete["location"], "shop");
    assert_eq!(delete["mode"], "static");
    let update = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "rolling", true, ""))));
    assert_eq!(of_type(&update, "undoRolloutManifest")["manifestName"], "deployment orders-api");
    let stateful =
        spec("spinnaker", "kubernetes", "rolling", true, "").replace("deployment/orders-api", "statefulset/ledger");
    let stateful = stages(snippet(&plan(&stateful)));
    assert_eq!(of_type(&stateful, "undoRolloutManifest")["manifestName"], "statefulset ledger");
}

/// Issue point 7: `abortCriteria` is not a stage field — no file of orca, deck or spinnaker.io's docs
/// names it (git grep -i abortCriteria: 0 hits); O:orca-validation/src/main/resources/schemas/
/// manualJudgment.json#L5-L86 lists the judgment's fields, `instructions` a string. The old snippet
/// put the abort criteria in an `abortCriteria` array.
#[test]
fn the_judgment_has_only_fields_orca_knows_and_its_instructions_hold_the_criteria() {
    const FIELDS: [&str; 18] = [
        "refId",
        "requisiteStageRefIds",
        "type",
        "name",
        "comments",
        "continuePipeline",
        "failPipeline",
        "notifications",
        "overrideTimeout",
        "restrictExecutionDuringTimeWindow",
        "restrictedExecutionWindow",
        "sendNotifications",
        "stageEnabled",
        "stageTimeoutMs",
        "clusters",
        "instructions",
        "judgmentInputs",
        "propagateAuthenticationContext",
    ];
    for update in [false, true] {
        let all = stages(snippet(&plan(&spec("spinnaker", "ecs", "blue-green", update, ""))));
        let judgment = of_type(&all, "manualJudgment");
        for key in judgment.as_object().unwrap().keys() {
            assert!(FIELDS.contains(&key.as_str()), "{key} is not a manualJudgment field");
        }
        let instructions = judgment["instructions"].as_str().expect("instructions is a string");
        assert!(instructions.contains("error_rate above 2.5"), "{instructions}");
        assert!(instructions.contains("Dana Kim"), "{instructions}");
    }
}

/// Issue point 7: Highlander is not rolling. D:packages/core/src/deploymentStrategy/strategies/
/// highlander/highlander.strategy.ts#L4-L10: "Destroys all previous server groups in the cluster as
/// soon as new server group passes health checks"; rollingredblack.strategy.ts#L4-L8: "incrementally
/// resizes the new server group while disabling the same percentage in the previous server group";
/// D:packages/ecs/src/ecs.module.ts#L116 registers only `redblack` for ECS. The old file called the
/// rolling strategy Highlander.
#[test]
fn rolling_is_rolling_red_black_and_highlander_is_the_all_at_once_replacement() {
    let rolling = plan(&spec("spinnaker", "vm", "rolling", true, ""));
    let word = rolling.strategy.as_deref().unwrap();
    assert!(word.contains("Rolling Red/Black") && !word.contains("Highlander"), "{word}");
    assert!(rolling.tool_rollback.steps.iter().all(|s| !s.contains("Highlander")), "{:?}", rolling.tool_rollback.steps);
    let all = plan(&spec("spinnaker", "vm", "all-at-once", true, ""));
    assert!(all.strategy.as_deref().unwrap().contains("Highlander"));
    assert!(refused(&plan(&spec("spinnaker", "ecs", "rolling", true, ""))), "ECS has no Rolling Red/Black");
}

/// Issue point 7: Kayenta needs a baseline. O:orca-kayenta/.../pipeline/DeployCanaryServerGroupsStage.kt
/// #L43-L64 starts with "Find baseline image" from the baseline cluster, and O:.../tasks/cluster/
/// FindImageFromClusterTask.groovy#L174 throws "Could not find cluster" when it does not exist;
/// S:content/en/docs/guides/user/canary/best-practices/_index.md#L27-L28: the baseline runs the
/// production version. The old file (which no longer parses as knowledge) said the judge "can pass
/// without evidence", and PB104 never fired.
#[test]
fn kayenta_cannot_judge_a_first_deployment_and_the_finding_says_so() {
    let bare = |first: &str| {
        plan(&format!(
            "component: {{ name: checkout }}\ndeployment: {{ tool: spinnaker, platform: kubernetes, {first}, workload: deployment/checkout, namespace: shop }}\nrollout: {{ strategy: canary }}\n"
        ))
    };
    let first = bare("first_deployment: true");
    let finding = first.findings.iter().find(|f| f.id == "PB104").expect("PB104 fires on a first canary");
    assert!(finding.message.contains("baseline"), "{}", finding.message);
    let update = bare("first_deployment: false, previous_version: \"5.1.3\"");
    assert!(!update.findings.iter().any(|f| f.id == "PB104"), "an update has a baseline");
    let judged = plan(&spec("spinnaker", "kubernetes", "canary", false, ""));
    let note = judged.tool_notes.iter().find(|n| n.title == "Verification without a baseline").unwrap();
    assert!(note.text.contains("Could not find cluster"), "{}", note.text);
    assert!(note.sources.iter().any(|s| s.key == "SPIN-KAYENTA-BASELINE"));
    let instructions =
        of_type(&stages(snippet(&judged)), "manualJudgment")["instructions"].as_str().unwrap().to_string();
    assert!(instructions.contains("Kayenta has no baseline"), "{instructions}");
}

/// Issue point 7: the fall-back branch. D:packages/core/.../manualJudgment/ManualJudgmentApproval.tsx
/// #L150-L172: Stop and Continue stay disabled until an input is chosen; O:orca-echo/.../
/// ManualJudgmentStage.groovy#L92-L100: Stop is TERMINAL, and O:orca-kotlin/.../ext/Stage.kt#L124-L132:
/// with failPipeline unset or true the pipeline halts; O:orca-core/.../StageExpressionFunctionProvider.java
/// #L183-L210 and S:content/en/docs/reference/pipeline/expressions/_index.md#L177-L183: #judgment takes
/// the stage's name, case-sensitive. So "Fall back" plus Continue runs the fallback, Stop fails the
/// pipeline. The old snippet set failPipeline false, so Stop could end in a green pipeline.
#[test]
fn fall_back_is_an_input_plus_continue_and_stop_fails_the_pipeline() {
    for update in [false, true] {
        let all = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "canary", update, ""))));
        let judgment = of_type(&all, "manualJudgment");
        assert_eq!(judgment["failPipeline"], true);
        let inputs: Vec<&str> =
            judgment["judgmentInputs"].as_array().unwrap().iter().map(|j| j["value"].as_str().unwrap()).collect();
        assert!(inputs.contains(&"Fall back"), "{inputs:?}");
        let instructions = judgment["instructions"].as_str().unwrap();
        assert!(instructions.contains("choose \"Fall back\" and click Continue"), "{instructions}");
        assert!(instructions.contains("Stop fails the whole pipeline"), "{instructions}");
        let name = judgment["name"].as_str().unwrap();
        let fallback: Vec<&Value> = all.iter().filter(|s| s["type"] != "manualJudgment").collect();
        assert!(!fallback.is_empty());
        for stage in fallback {
            // D:.../optionalStage/optionalStage.directive.js#L31-L33; no ${ }: O:OptionalStageSupport.java#L109-L116
            assert_eq!(stage["stageEnabled"]["type"], "expression");
            assert_eq!(stage["stageEnabled"]["expression"], format!("#judgment('{name}') == 'Fall back'"));
        }
    }
}

/// The stage graph, for every cell planb supports: O:orca-kotlin/.../ext/Stage.kt#L76-L83 keeps the
/// upstream stages whose refId is in requisiteStageRefIds, so each entry must name a stage, and refIds
/// are unique; the fallback stages wait for the judgment whose input they read.
#[test]
fn every_snippet_has_unique_ref_ids_and_requisites_that_exist() {
    for platform in ["kubernetes", "ecs", "serverless", "vm"] {
        for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
            for update in [false, true] {
                let p = plan(&spec("spinnaker", platform, strategy, update, ""));
                if refused(&p) {
                    continue;
                }
                let all = stages(snippet(&p));
                let ids: Vec<&str> = all.iter().map(|s| s["refId"].as_str().unwrap()).collect();
                let mut unique = ids.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), ids.len(), "{platform} {strategy}: {ids:?}");
                for s in &all {
                    for r in s["requisiteStageRefIds"].as_array().unwrap() {
                        assert!(ids.contains(&r.as_str().unwrap()), "{platform} {strategy}: {r} names no stage");
                    }
                }
                let judgment = of_type(&all, "manualJudgment")["refId"].clone();
                assert!(all[1]["requisiteStageRefIds"].as_array().unwrap().contains(&judgment));
            }
        }
    }
}

/// Issue points 1 and 7: an update returns with the platform's rollback stage and deletes nothing.
/// S:content/en/docs/guides/user/kubernetes/automated-rollbacks/index.md#L43-L63 (Undo Rollout
/// (Manifest), Revisions Back); S:.../kubernetes/rollout-strategies/index.md#L74 (blue/green: "roll back
/// to a previous version by configuring an Enable (Manifest) stage") and traffic-management/index.md
/// #L213-L237 (Kind replicaSet, Cluster "replicaSet frontend", Target Second Newest);
/// D:packages/amazon/.../rollbackCluster/awsRollbackClusterStage.js#L12-L20 (Rollback Cluster for AWS);
/// D:packages/ecs/.../enableAsg/ecsEnableAsgStage.js#L11-L23 and stageConstants.ts#L24-L39 (Previous
/// Server Group = ancestor_asg_dynamic); O:.../utils/LambdaCloudDriverUtils.java#L329-L332 ($PREVIOUS:
/// the second-newest version); O:.../strategies/HighlanderStrategy.groovy#L46-L57 (Highlander leaves one
/// server group, so only a new deployment returns). The old snippet deleted or disabled the new
/// workload on every update, the running version with it.
#[test]
fn an_update_uses_the_platforms_rollback_stage_and_deletes_nothing() {
    let cases: [(&str, &str, &[&str]); 7] = [
        ("kubernetes", "canary", &["undoRolloutManifest"]),
        ("kubernetes", "blue-green", &["enableManifest", "disableManifest"]),
        ("vm", "rolling", &["rollbackCluster"]),
        ("ecs", "blue-green", &["enableServerGroup", "disableServerGroup"]),
        ("serverless", "canary", &["Aws.LambdaTrafficRoutingStage"]),
        ("vm", "all-at-once", &["pipeline"]),
        ("ecs", "all-at-once", &["pipeline"]),
    ];
    for (platform, strategy, expected) in cases {
        let all = stages(snippet(&plan(&spec("spinnaker", platform, strategy, true, ""))));
        assert_eq!(
            types(&all)[1..],
            expected.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{platform} {strategy}"
        );
    }
    let k8s = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "canary", true, ""))));
    assert_eq!(of_type(&k8s, "undoRolloutManifest")["numRevisionsBack"], 1);
    let bg = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "blue-green", true, ""))));
    assert_eq!(of_type(&bg, "enableManifest")["criteria"], "second_newest");
    assert_eq!(of_type(&bg, "enableManifest")["cluster"], "replicaSet orders-api");
    assert_eq!(of_type(&bg, "disableManifest")["criteria"], "newest");
    let ecs = stages(snippet(&plan(&spec("spinnaker", "ecs", "canary", true, ""))));
    assert_eq!(of_type(&ecs, "enableServerGroup")["target"], "ancestor_asg_dynamic");
    assert_eq!(of_type(&ecs, "disableServerGroup")["target"], "current_asg_dynamic");
    let lambda = stages(snippet(&plan(&spec("spinnaker", "serverless", "blue-green", true, ""))));
    assert_eq!(of_type(&lambda, "Aws.LambdaTrafficRoutingStage")["versionNameA"], "$PREVIOUS");
    let again = stages(snippet(&plan(&spec("spinnaker", "vm", "all-at-once", true, ""))));
    assert_eq!(of_type(&again, "pipeline")["pipelineParameters"]["version"], "5.1.3");

    let p = plan(&spec("spinnaker", "kubernetes", "canary", true, ""));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2, "right after the kill switch");
    assert!(back.title.contains("5.1.3"), "{}", back.title);
    assert!(
        back.how.contains("undoRolloutManifest")
            && back.how.contains("kubectl --namespace shop rollout undo deployment/orders-api"),
        "{}",
        back.how
    );
    assert!(!p.ladder.iter().any(|r| r.kind == RungKind::RouteAway));
    assert!(source_keys(&p).contains(&"SPIN-UNDO-OP"));
}

/// First deployments remove the new version. C:.../op/manifest/KubernetesUndoRolloutManifestOperation
/// .java#L71-L79: "There are N revision(s) in total, cannot rollback" when there is no earlier one;
/// O:.../tasks/cluster/DetermineRollbackCandidatesTask.java#L304-L311: fewer than two server groups,
/// the region is skipped; D:packages/amazon/.../deleteLambda/constants/deleteVersion.constants.ts
/// #L32-L36: "All Function Versions" ($ALL) deletes the function.
#[test]
fn a_first_deployment_deletes_or_destroys_the_new_version() {
    let p = plan(&spec("spinnaker", "kubernetes", "canary", false, ""));
    assert!(p.tool_rollback.effect.contains("There are 1 revision(s) in total"), "{}", p.tool_rollback.effect);
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(
        removal.how.contains("Delete (Manifest)")
            && removal.how.contains("kubectl --namespace shop delete deployment/orders-api"),
        "{}",
        removal.how
    );
    let bg = stages(snippet(&plan(&spec("spinnaker", "kubernetes", "blue-green", false, ""))));
    let delete = of_type(&bg, "deleteManifest");
    assert_eq!((delete["kind"].as_str(), delete["criteria"].as_str()), (Some("replicaSet"), Some("newest")));
    let ecs = stages(snippet(&plan(&spec("spinnaker", "ecs", "blue-green", false, ""))));
    assert_eq!(of_type(&ecs, "destroyServerGroup")["target"], "current_asg_dynamic");
    assert_eq!(of_type(&ecs, "destroyServerGroup")["cloudProvider"], "ecs");
    let lambda = stages(snippet(&plan(&spec("spinnaker", "serverless", "canary", false, ""))));
    assert_eq!(of_type(&lambda, "Aws.LambdaDeleteStage")["version"], "$ALL");
    for s in lambda.iter().chain(&ecs).chain(&bg) {
        let kind = s["type"].as_str().unwrap();
        assert!(
            !["undoRolloutManifest", "rollbackCluster", "enableServerGroup"].contains(&kind),
            "{kind} needs an earlier version"
        );
    }
}

/// Refused: S:content/en/docs/setup/install/providers/_index.md#L25-L32 lists providers planb has no
/// stages for (platform `other`); D:packages/amazon/.../routeLambda/constants/strategy.constants.tsx
/// #L10-L26: Lambda traffic routing is Simple, Weighted or Blue/Green, no rolling update.
#[test]
fn other_providers_and_rolling_on_lambda_or_ecs_are_refused() {
    for strategy in ["canary", "rolling"] {
        assert!(refused(&plan(&spec("spinnaker", "other", strategy, false, ""))), "{strategy}");
    }
    assert!(refused(&plan(&spec("spinnaker", "serverless", "rolling", true, ""))));
    assert!(refused(&plan(&spec("spinnaker", "ecs", "rolling", false, ""))));
    for platform in ["kubernetes", "vm"] {
        assert!(!refused(&plan(&spec("spinnaker", platform, "rolling", true, ""))), "{platform}");
    }
}

/// O:orca-core/.../expressions/PipelineExpressionEvaluator.java#L135: orca reads every string of a
/// stage as a Spring template with `${…}` expressions, so a `${` in user text is written `${'$'}{`,
/// which evaluates to the literal `${`. The old snippet printed user text as it was.
#[test]
fn user_text_cannot_become_a_spel_expression() {
    let p = plan(&spec("spinnaker", "kubernetes", "canary", false, "").replace("Dana Kim", "\"${trigger.user}\""));
    let all = stages(snippet(&p));
    let instructions = of_type(&all, "manualJudgment")["instructions"].as_str().unwrap();
    assert!(instructions.contains("${'$'}{trigger.user}"), "{instructions}");
    assert!(!instructions.replace("${'$'}{", "").contains("${"), "{instructions}");
}
