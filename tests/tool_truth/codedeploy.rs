//! AWS CodeDeploy, from the CodeDeploy User Guide (UG: awsdocs/aws-codedeploy-user-guide@b998a2f5,
//! doc_source/), the Amazon ECS Developer Guide (ECSDG: awsdocs/amazon-ecs-developer-guide@49232cf2),
//! the Lambda Developer Guide (LDG: awsdocs/aws-lambda-developer-guide@03f7fcb0), botocore's service
//! models (BC: boto/botocore@0e6e2404, botocore/data/<service>/…/service-2.json), the AWS CLI's
//! `aws deploy stop-deployment` synopsis, and SAM (aws/serverless-application-model@7000d0a3).
//!
//! Before this change the knowledge file was in the old format and no longer parsed, so every
//! CodeDeploy plan fell back to the tool-neutral words, with no snippet; the old file and snippet
//! themselves said, for every platform, that a rollback "may do nothing useful", wrote one
//! `deploymentGroup` object without serviceRoleArn or deploymentStyle (the same for updates, with
//! `deploymentGroupName`), and ended in a `fallbackSteps` list of sentences. Each test below names
//! the old behaviour it catches.

use planb::plan::RungKind;
use serde_json::{json, Value};

use super::support::*;

fn requests(platform: &str, strategy: &str, update: bool, extra: &str) -> Value {
    json(snippet(&plan(&spec("codedeploy", platform, strategy, update, extra))))
}

fn appspec(doc: &Value) -> Value {
    let content = doc["createDeployment"]["revision"]["appSpecContent"]["content"].as_str().expect("an inline AppSpec");
    serde_json::from_str(content).unwrap_or_else(|e| panic!("the AppSpec is not JSON: {e}\n{content}"))
}

/// UG deployment-steps-ecs.md#L209: "CodeDeploy implements rollbacks by rerouting traffic from the
/// replacement task set to the original task set"; #L181: the original task set is removed once the
/// deployment succeeded, and BC codedeploy#L1353-L1356 sets when. Issue point 9 (ECS half). Old: one
/// rollback sentence for every platform, "deploys the last known good revision again".
#[test]
fn an_ecs_update_rolls_back_by_rerouting_to_the_original_task_set() {
    let p = plan(&spec("codedeploy", "ecs", "canary", true, ""));
    let effect = &p.tool_rollback.effect;
    assert!(
        effect.contains("rerouting traffic from the replacement task set to")
            && effect.contains("the original task set"),
        "{effect}"
    );
    assert!(effect.contains("terminationWaitTimeInMinutes") && effect.contains("2880"), "{effect}");
    assert!(source_keys(&p).contains(&"CD-ECS-ROLLBACK"));
    assert!(source_keys(&p).contains(&"BC-CD-TERMINATION-WAIT"));
}

/// UG deployment-steps-lambda.md#L61: "CodeDeploy implements rollbacks by redeploying, as a new
/// deployment, a previously deployed revision." No page says "shifts traffic back" for Lambda, so the
/// plan says AWS's words and lists the effect on the alias to confirm. Issue point 9 (Lambda half),
/// found not to be AWS's wording. Old: no Lambda case at all.
#[test]
fn a_lambda_rollback_is_said_in_aws_words_a_redeployment_of_the_earlier_revision() {
    let p = plan(&spec("codedeploy", "serverless", "canary", true, ""));
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("redeploys, as a new deployment"), "{effect}");
    assert!(!effect.to_lowercase().contains("shifts traffic back"), "{effect}");
    assert!(source_keys(&p).contains(&"CD-LAMBDA-ROLLBACK"));
    assert!(p.to_confirm.iter().any(|c| c.contains("alias's traffic on the earlier version")), "{:?}", p.to_confirm);
}

/// ECSDG deployment-type-bluegreen.md#L37: "When an Amazon ECS service using the blue/green
/// deployment type is initially created, an Amazon ECS task set is created"; create-blue-green.md
/// #L159-L162 creates it with `"deploymentController": {"type": "CODE_DEPLOY"}` and #L482-L489
/// removes it with `aws ecs delete-service … --force`; BC ecs#L1392: a CODE_DEPLOY service accepts a
/// new desired count. Issue point 9 (first task set from create-service). Old: "stop the deployment,
/// then remove the component", as if a CodeDeploy deployment ran.
#[test]
fn an_ecs_first_deployment_is_create_service_and_is_removed_with_delete_service_force() {
    let p = plan(&spec("codedeploy", "ecs", "canary", false, ""));
    let effect = &p.tool_rollback.effect;
    assert!(effect.contains("aws ecs create-service") && effect.contains("CODE_DEPLOY"), "{effect}");
    assert!(effect.contains("no CodeDeploy rollback"), "{effect}");
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let away = rung(&p, RungKind::RouteAway);
    assert!(
        away.how.contains("aws ecs update-service --cluster shop --service orders-api --desired-count 0"),
        "{}",
        away.how
    );
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(
        removal.how.contains("aws ecs delete-service --cluster shop --service orders-api --force"),
        "{}",
        removal.how
    );
    let doc = json(snippet(&p));
    assert_eq!(doc["deleteService"], json!({ "cluster": "shop", "service": "orders-api", "force": true }));
    assert_eq!(doc["updateService"]["desiredCount"], 0);
    assert_eq!(
        doc["createDeploymentGroup"]["ecsServices"],
        json!([{ "serviceName": "orders-api", "clusterName": "shop" }])
    );
    assert!(
        doc.get("stopDeployment").is_none() && doc.get("createDeployment").is_none(),
        "no CodeDeploy deployment to stop or redo"
    );
}

/// BC codedeploy#L1500-L1506: CreateDeploymentGroup requires applicationName, deploymentGroupName and
/// serviceRoleArn. UG welcome.md#L133: "All AWS Lambda and Amazon ECS deployments are blue/green";
/// ECSDG create-blue-green.md#L252-L255 and SAM deployment_preference_collection.py#L220 write
/// BLUE_GREEN with WITH_TRAFFIC_CONTROL; welcome.md#L84: EC2/On-Premises can deploy in place. Issue
/// point 9 (serviceRoleArn, deploymentStyle). Old: neither key.
#[test]
fn create_deployment_group_has_the_service_role_and_the_deployment_style_aws_uses() {
    let blue_green = json!({ "deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL" });
    for (platform, strategy, style) in [
        ("ecs", "canary", &blue_green),
        ("ecs", "all-at-once", &blue_green),
        ("serverless", "blue-green", &blue_green),
        ("vm", "blue-green", &blue_green),
    ] {
        let group = &requests(platform, strategy, false, "")["createDeploymentGroup"];
        assert!(
            group["serviceRoleArn"].as_str().is_some_and(|a| a.starts_with("arn:aws:iam::")),
            "{platform}: {group}"
        );
        assert_eq!(&group["deploymentStyle"], style, "{platform} {strategy}");
        assert_eq!(group["deploymentGroupName"], "orders-api-production");
    }
    let in_place = &requests("vm", "rolling", false, "")["createDeploymentGroup"];
    assert_eq!(in_place["deploymentStyle"]["deploymentType"], "IN_PLACE");
    assert_eq!(in_place["deploymentConfigName"], "CodeDeployDefault.OneAtATime", "UG deployment-configurations.md#L26");
}

/// BC codedeploy#L4672-L4677: UpdateDeploymentGroup requires applicationName and
/// currentDeploymentGroupName and has no deploymentGroupName. Issue point 9. Old: the same
/// `deploymentGroup` object with deploymentGroupName for an update.
#[test]
fn an_update_changes_the_existing_group_by_its_current_name() {
    for platform in ["ecs", "serverless", "vm"] {
        let doc = requests(platform, "all-at-once", true, "");
        let group = &doc["updateDeploymentGroup"];
        assert_eq!(group["currentDeploymentGroupName"], "orders-api-production", "{platform}");
        assert!(group.get("deploymentGroupName").is_none(), "{platform}");
        assert!(doc.get("createDeploymentGroup").is_none() && doc.get("createApplication").is_none(), "{platform}");
    }
}

/// The CLI's `stop-deployment --deployment-id <value> [--auto-rollback-enabled]` and BC
/// codedeploy#L4280-L4287 (roll back the updated instances when stopped); UG
/// deployments-rollback-and-redeploy.md#L26: afterwards, "creating a new deployment that uses any
/// previously deployed application revision"; BC codedeploy#L1641-L1644 and SAM
/// safe_lambda_deployments.rst#L319: the alarm that fired stops every new deployment unless alarm
/// polling is turned off for it. Issue point 1: the tool's own rollback right after the kill switch,
/// and nothing takes 5.1.3 down but a last step called an outage. Old: "stop the deployment and
/// remove the component" on every plan, an update included.
#[test]
fn an_update_stops_with_rollback_then_redeploys_the_previous_revision_and_deletes_nothing() {
    for platform in ["ecs", "serverless", "vm"] {
        let p = plan(&spec("codedeploy", platform, "all-at-once", true, ""));
        assert_eq!(
            kinds(&p),
            [RungKind::KillSwitch, RungKind::ToolRollback, RungKind::RemoveWorkload, RungKind::FixForward],
            "{platform}"
        );
        let back = rung(&p, RungKind::ToolRollback);
        assert!(back.title.contains("5.1.3"), "{}", back.title);
        assert!(
            back.how.contains("aws deploy stop-deployment --deployment-id DEPLOYMENT_ID --auto-rollback-enabled"),
            "{}",
            back.how
        );
        assert!(
            back.how.contains("aws deploy create-deployment") && back.how.contains("overrideAlarmConfiguration"),
            "{}",
            back.how
        );
        assert!(rung(&p, RungKind::RemoveWorkload).title.contains("outage"));
        let doc = json(snippet(&p));
        assert_eq!(doc["stopDeployment"]["autoRollbackEnabled"], true, "{platform}");
        let redeploy = &doc["createDeployment"];
        assert_eq!(redeploy["overrideAlarmConfiguration"], json!({ "enabled": false }), "{platform}");
        assert_eq!(redeploy["deploymentGroupName"], doc["updateDeploymentGroup"]["currentDeploymentGroupName"]);
        assert!(redeploy.to_string().contains("5.1.3"), "{platform}: {redeploy}");
        for key in ["deleteService", "deleteFunction", "updateService", "putFunctionConcurrency"] {
            assert!(doc.get(key).is_none(), "{platform}: an update snippet never has {key}");
        }
    }
}

/// UG monitoring-create-alarms.md#L7: an activated alarm stops the deployment, up to ten alarms;
/// deployment-groups-configure-advanced-options.md#L47 and BC codedeploy#L1093-L1099: with
/// DEPLOYMENT_STOP_ON_ALARM CodeDeploy redeploys the last known good revision. BC cloudwatch
/// #L4272-L4346: PutMetricAlarm's members; the spec's criteria are "error_rate above 2.5 for 5m" and
/// "orders_per_minute below 40 for 10m". Old: the alarms were written, but the plan had no snippet
/// once the file stopped parsing, and the old one had no rollback on alarm stop for a first deployment.
#[test]
fn each_abort_criterion_is_an_alarm_that_stops_the_deployment_and_rolls_it_back() {
    let doc = requests("ecs", "canary", true, "");
    let alarms = doc["putMetricAlarm"].as_array().unwrap();
    assert_eq!(alarms.len(), 2);
    assert_eq!(alarms[0]["MetricName"], "error_rate");
    assert_eq!(alarms[0]["Threshold"], 2.5);
    assert_eq!(alarms[0]["ComparisonOperator"], "GreaterThanThreshold");
    assert_eq!((alarms[0]["Period"].as_u64(), alarms[0]["EvaluationPeriods"].as_u64()), (Some(60), Some(5)));
    assert_eq!(alarms[1]["Threshold"], 40.0);
    assert_eq!(alarms[1]["ComparisonOperator"], "LessThanThreshold");
    assert_eq!(alarms[1]["EvaluationPeriods"], 10);
    let group = &doc["updateDeploymentGroup"];
    let watched: Vec<&Value> =
        group["alarmConfiguration"]["alarms"].as_array().unwrap().iter().map(|a| &a["name"]).collect();
    let created: Vec<&Value> = alarms.iter().map(|a| &a["AlarmName"]).collect();
    assert_eq!(watched, created, "the group watches exactly the alarms the snippet creates");
    assert_eq!(group["alarmConfiguration"]["enabled"], true);
    assert_eq!(group["autoRollbackConfiguration"]["enabled"], true);
    assert!(group["autoRollbackConfiguration"]["events"]
        .as_array()
        .unwrap()
        .contains(&json!("DEPLOYMENT_STOP_ON_ALARM")));
}

/// BC codedeploy#L1353-L1356: for ECS, terminationWaitTimeInMinutes is "the number of minutes before
/// deleting the original (blue) task set", at most 2880; UG deployment-steps-ecs.md#L209: that task
/// set is what a rollback reroutes to. planb keeps it for the bake time (10m) plus the decision
/// window (12m); with neither, the ECS console's 1 hour (ECSDG deployment-type-bluegreen.md#L68).
/// Whether a stop can still roll back during that wait is not documented: it is listed to confirm.
/// Old: no blueGreenDeploymentConfiguration.
#[test]
fn the_original_task_set_is_kept_through_the_bake_time_and_the_decision_window() {
    let p = plan(&spec("codedeploy", "ecs", "blue-green", true, ""));
    let doc = json(snippet(&p));
    let terminate =
        &doc["updateDeploymentGroup"]["blueGreenDeploymentConfiguration"]["terminateBlueInstancesOnDeploymentSuccess"];
    assert_eq!(terminate["action"], "TERMINATE");
    assert_eq!(terminate["terminationWaitTimeInMinutes"], 22);
    assert!(p.to_confirm.iter().any(|c| c.contains("during the termination wait")), "{:?}", p.to_confirm);
    let bare = plan("component: { name: a }\ndeployment: { tool: codedeploy, platform: ecs, first_deployment: false, previous_version: \"1.0.0\", workload: a }\nrollout: { strategy: canary }\n");
    let wait = &json(snippet(&bare))["updateDeploymentGroup"]["blueGreenDeploymentConfiguration"]
        ["terminateBlueInstancesOnDeploymentSuccess"]["terminationWaitTimeInMinutes"];
    assert_eq!(wait, 60);
}

/// UG primary-components.md#L39: EC2/On-Premises configurations set the minimum healthy instances,
/// only Lambda and ECS route traffic; welcome.md#L86: Lambda and ECS "cannot use an in-place
/// deployment type"; welcome.md#L82-L94: the compute platforms are EC2/On-Premises, Lambda and ECS.
/// Old: every cell accepted, Kubernetes included.
#[test]
fn combinations_codedeploy_cannot_deploy_are_refused() {
    for platform in ["kubernetes", "other"] {
        for update in [false, true] {
            assert!(refused(&plan(&spec("codedeploy", platform, "canary", update, ""))), "{platform}");
        }
    }
    for update in [false, true] {
        let canary_on_ec2 = plan(&spec("codedeploy", "vm", "canary", update, ""));
        assert!(refused(&canary_on_ec2));
        assert!(canary_on_ec2
            .tool_rollback
            .unsupported
            .as_deref()
            .unwrap()
            .contains("no traffic canary on EC2/On-Premises"));
        for platform in ["ecs", "serverless"] {
            assert!(refused(&plan(&spec("codedeploy", platform, "rolling", update, ""))), "{platform} rolling");
        }
    }
    for (platform, strategy) in [
        ("ecs", "canary"),
        ("ecs", "blue-green"),
        ("ecs", "all-at-once"),
        ("serverless", "canary"),
        ("serverless", "blue-green"),
        ("serverless", "all-at-once"),
        ("vm", "rolling"),
        ("vm", "blue-green"),
        ("vm", "all-at-once"),
    ] {
        assert!(!refused(&plan(&spec("codedeploy", platform, strategy, true, ""))), "{platform} {strategy}");
    }
}

/// UG deployments-rollback-and-redeploy.md#L3 and #L15: a rollback deploys the last known good
/// revision again; a first deployment to a group has none, and no AWS page says what an automatic
/// rollback does then, so planb does not rely on it: the stop is `--no-auto-rollback-enabled` (CLI
/// synopsis) and the fact is listed to confirm. Old: the rollback "may fail or leave the new revision
/// serving", stated as if known.
#[test]
fn an_ec2_first_deployment_stops_without_rollback_and_lists_the_rollback_to_confirm() {
    let p = plan(&spec("codedeploy", "vm", "rolling", false, ""));
    assert!(
        p.to_confirm.iter().any(|c| c.contains("automatic rollback does on the first deployment")),
        "{:?}",
        p.to_confirm
    );
    assert!(p.tool_rollback.effect.contains("[to confirm:"));
    let away = rung(&p, RungKind::RouteAway);
    assert!(
        away.how.contains("aws deploy stop-deployment --deployment-id DEPLOYMENT_ID --no-auto-rollback-enabled"),
        "{}",
        away.how
    );
    let doc = json(snippet(&p));
    assert_eq!(doc["stopDeployment"]["autoRollbackEnabled"], false);
    assert_eq!(doc["createDeploymentGroup"]["autoRollbackConfiguration"]["enabled"], false);
    assert!(doc.get("createDeployment").is_none(), "nothing earlier to redeploy");
}

/// UG troubleshooting-deployments-lambda.md#L8: a Lambda deployment stopped by hand without
/// rollback can leave the alias on two versions; LDG configuration-aliases.md#L140-L145: update-alias
/// with `--routing-config AdditionalVersionWeights={}` points it at one version. SAM
/// safe_lambda_deployments.rst#L319: an alarm already in error rolls back every new deployment.
/// Old: neither fact.
#[test]
fn a_split_lambda_alias_and_an_alarm_already_firing_are_named_with_their_way_out() {
    let p = plan(&spec("codedeploy", "serverless", "canary", true, ""));
    assert!(p.tool_rollback.effect.contains("two versions"), "{}", p.tool_rollback.effect);
    let back = rung(&p, RungKind::ToolRollback);
    assert!(back.how.contains("aws lambda update-alias --function-name orders-api --name ALIAS"), "{}", back.how);
    assert!(back.how.contains("AdditionalVersionWeights={}"), "{}", back.how);
    let doc = json(snippet(&p));
    assert_eq!(doc["updateAlias"]["FunctionName"], "orders-api");
    assert_eq!(doc["updateAlias"]["RoutingConfig"], json!({ "AdditionalVersionWeights": {} }));
    let note = p.tool_notes.iter().find(|n| n.title == "Verification of an update").unwrap();
    assert!(
        note.text.contains("already in ALARM") && note.text.contains("overrideAlarmConfiguration"),
        "{}",
        note.text
    );
    assert!(note.sources.iter().any(|s| s.key == "SAM-ALARM-FIRING"));
}

/// UG deployment-configurations.md#L43-L81: the predefined canaries shift 10% first, after 5 or 15
/// minutes on ECS and 5, 10, 15 or 30 on Lambda; custom ones can be created (#L32, #L62). BC
/// codedeploy#L4502-L4515: a TimeBasedCanary shifts "in two increments". The spec's first step is
/// 10% with a 10m bake time. Old: CodeDeployDefault.*Canary10Percent5Minutes whatever the spec said.
#[test]
fn a_canary_uses_the_first_step_and_the_bake_time() {
    let ecs = requests("ecs", "canary", false, "");
    let config = &ecs["createDeploymentConfig"];
    assert_eq!(config["computePlatform"], "ECS");
    assert_eq!(config["trafficRoutingConfig"]["type"], "TimeBasedCanary");
    assert_eq!(
        config["trafficRoutingConfig"]["timeBasedCanary"],
        json!({ "canaryPercentage": 10, "canaryInterval": 10 })
    );
    assert_eq!(ecs["createDeploymentGroup"]["deploymentConfigName"], config["deploymentConfigName"]);
    let lambda = requests("serverless", "canary", false, "");
    assert_eq!(
        lambda["createDeploymentGroup"]["deploymentConfigName"],
        "CodeDeployDefault.LambdaCanary10Percent10Minutes"
    );
    assert!(lambda.get("createDeploymentConfig").is_none());
}

/// UG reference-appspec-file-example.md#L46-L107 and #L143-L166 (JSON AppSpecs), and
/// reference-appspec-file-structure-resources.md#L43-L46 and #L124-L127: ECS names TaskDefinition and,
/// under LoadBalancerInfo, ContainerName and ContainerPort; Lambda names the function, alias, current
/// and target versions. Old: no redeploy at all.
#[test]
fn the_redeploy_appspec_has_the_documented_shape_and_names_the_previous_version() {
    let ecs = appspec(&requests("ecs", "canary", true, ""));
    assert_eq!(ecs["version"], 0.0);
    let service = &ecs["Resources"][0]["TargetService"];
    assert_eq!(service["Type"], "AWS::ECS::Service");
    assert!(service["Properties"]["TaskDefinition"].as_str().unwrap().contains("5.1.3"));
    let info = &service["Properties"]["LoadBalancerInfo"];
    assert!(info.get("ContainerName").is_some() && info.get("ContainerPort").is_some(), "{info}");
    let lambda = appspec(&requests("serverless", "all-at-once", true, ""));
    let props = &lambda["Resources"][0]["function"]["Properties"];
    assert_eq!(lambda["Resources"][0]["function"]["Type"], "AWS::Lambda::Function");
    assert_eq!(props["Name"], "orders-api");
    for key in ["Alias", "CurrentVersion", "TargetVersion"] {
        assert!(props[key].is_string(), "{key}: {props}");
    }
    assert!(props["TargetVersion"].as_str().unwrap().contains("5.1.3"));
}

/// UG deployment-groups-create-ecs.md#L29-L33 and BC codedeploy#L2164-L2181, #L1421-L1431: with
/// "Specify when to reroute traffic" (STOP_DEPLOYMENT) the deployment waits for continue-deployment
/// READY_WAIT, the approval. Old: no approval in the snippet.
#[test]
fn an_approval_on_ecs_is_the_wait_before_traffic_is_rerouted() {
    let text = spec("codedeploy", "ecs", "blue-green", true, "")
        .replace("bake_time: 10m }", "bake_time: 10m, approval: manual }");
    let doc = json(snippet(&plan(&text)));
    let ready = &doc["updateDeploymentGroup"]["blueGreenDeploymentConfiguration"]["deploymentReadyOption"];
    assert_eq!(ready["actionOnTimeout"], "STOP_DEPLOYMENT");
    assert_eq!(doc["continueDeployment"]["deploymentWaitType"], "READY_WAIT");
    let without = requests("ecs", "blue-green", true, "");
    assert_eq!(
        without["updateDeploymentGroup"]["blueGreenDeploymentConfiguration"]["deploymentReadyOption"]
            ["actionOnTimeout"],
        "CONTINUE_DEPLOYMENT"
    );
    assert!(without.get("continueDeployment").is_none());
}

/// The example update (examples/codedeploy-update.yaml) names its earlier version, "4.2.0": the
/// way back is CodeDeploy's rollback to it (UG deployment-steps-lambda.md#L59-L67). Old: no
/// CodeDeploy update example, and `previous_version` took only a boolean.
#[test]
fn the_update_example_rolls_back_to_its_named_version() {
    let p = plan(include_str!("../../examples/codedeploy-update.yaml"));
    assert_eq!(p.previous_version.as_deref(), Some("4.2.0"));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2);
    assert!(back.title.contains("4.2.0"), "{}", back.title);
    assert!(p.summary.contains("replacing 4.2.0"), "{}", p.summary);
    assert!(
        back.how.contains("aws deploy stop-deployment") && back.how.contains("--auto-rollback-enabled"),
        "{}",
        back.how
    );
    let doc = json(snippet(&p));
    assert_eq!(doc["createDeployment"]["description"], "planb: roll back to 4.2.0");
    assert_eq!(
        doc["updateDeploymentGroup"]["deploymentConfigName"],
        "CodeDeployDefault.LambdaCanary10Percent10Minutes"
    );
}
