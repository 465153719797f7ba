"""AWS CodeDeploy: what CodeDeploy, CloudWatch, ECS and Lambda do with the snippet's requests, beyond
botocore's models.

The snippet is one JSON object: "about" (a string), then one request a key, each what
`aws <service> <operation> --cli-input-json` takes (REQUESTS below). It holds no inline script, so
there is nothing for common.bash_n to parse: the way back is API requests, and the ladder's
commands are in the plan.

Sources (UG = awsdocs/aws-codedeploy-user-guide@b998a2f507d018b402919c4448898b592777aa90:doc_source,
ECSDG = awsdocs/amazon-ecs-developer-guide@49232cf2ab3bbe78781a45fb1a4c4cf7eee8790a:doc_source,
CD/CW/ECS = boto/botocore@0e6e2404b85dc336dd2889814e089bde7d1a4c55:botocore/data/{codedeploy/2014-10-06,
cloudwatch/2010-08-01,ecs/2014-11-13}/service-2.json, SAM = aws/serverless-application-model@7000d0a3):
each rule below names the lines it comes from.
"""
import json

import yaml

# key -> (service, operation): the AWS CLI command each key goes to.
REQUESTS = {
    "createApplication": ("codedeploy", "CreateApplication"),
    "createDeploymentConfig": ("codedeploy", "CreateDeploymentConfig"),
    "createDeploymentGroup": ("codedeploy", "CreateDeploymentGroup"),
    "updateDeploymentGroup": ("codedeploy", "UpdateDeploymentGroup"),
    "putMetricAlarm": ("cloudwatch", "PutMetricAlarm"),
    "continueDeployment": ("codedeploy", "ContinueDeployment"),
    "stopDeployment": ("codedeploy", "StopDeployment"),
    "createDeployment": ("codedeploy", "CreateDeployment"),
    "updateAlias": ("lambda", "UpdateAlias"),
    "updateService": ("ecs", "UpdateService"),
    "deleteService": ("ecs", "DeleteService"),
    "putFunctionConcurrency": ("lambda", "PutFunctionConcurrency"),
    "deleteFunction": ("lambda", "DeleteFunction"),
}

BOTOCORE = "botocore ParamValidator and model enums/maxima (every request)"
SHAPE = "CodeDeploy snippet shape (requests only, one a key)"
WAY_BACK = "CodeDeploy way back fits the situation (first: remove the new; update: roll back, delete nothing)"
PLATFORM = "CodeDeploy platform rules (compute platform, deploymentStyle, deployment configuration)"
ALARMS = "CodeDeploy alarms (every watched alarm created, at most ten, an alarm stop rolls back, PutMetricAlarm rules)"
ECS_GROUP = "ECS deployment group (one target group pair, one listener, termination wait 1 to 2880 minutes)"
APPSPEC = "AppSpec of the redeploy (documented structure)"

# CD#L1413-L1419 (ComputePlatform), UG welcome.md#L82-L94: the three compute platforms.
COMPUTE = {"ecs": "ECS", "serverless": "Lambda", "vm": "Server"}

# UG deployment-configurations.md#L24-L26 (EC2/On-Premises), #L43-L47 (ECS), #L73-L81 (Lambda).
PREDEFINED = {
    "vm": {"CodeDeployDefault.AllAtOnce", "CodeDeployDefault.HalfAtATime", "CodeDeployDefault.OneAtATime"},
    "ecs": {
        "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
        "CodeDeployDefault.ECSCanary10Percent5Minutes",
        "CodeDeployDefault.ECSCanary10Percent15Minutes",
        "CodeDeployDefault.ECSAllAtOnce",
    },
    "serverless": {
        "CodeDeployDefault.LambdaCanary10Percent5Minutes",
        "CodeDeployDefault.LambdaCanary10Percent10Minutes",
        "CodeDeployDefault.LambdaCanary10Percent15Minutes",
        "CodeDeployDefault.LambdaCanary10Percent30Minutes",
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
        "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
        "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
        "CodeDeployDefault.LambdaAllAtOnce",
    },
}

# CW#L4344-L4346: "Valid Values: breaching | notBreaching | ignore | missing" (a free string in the
# model, so ParamValidator lets a typo through).
MISSING_DATA = {"breaching", "notBreaching", "ignore", "missing"}
# CW#L1214 ComparisonOperator: the last three are for anomaly detection bands (ThresholdMetricId).
BAND_OPERATORS = {"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"}


def check(entry, report, parsed):
    doc, validate = parsed
    cell = entry.get("cell") or {}
    if not isinstance(doc, dict):
        report.add(entry, SHAPE, ["the snippet is not a JSON object of requests"])
        return
    report.add(entry, SHAPE, shape(doc))
    report.add(entry, BOTOCORE, botocore(doc, validate))
    situation = cell.get("situation") or ("update" if "updateDeploymentGroup" in doc else "first")
    platform = cell.get("platform") or platform_of(doc)
    report.add(entry, WAY_BACK, way_back(doc, situation, platform, cell))
    report.add(entry, PLATFORM, platform_rules(doc, platform, cell.get("strategy")))
    report.add(entry, ALARMS, alarms(doc, situation))
    report.add(entry, ECS_GROUP, ecs_group(doc, platform))
    report.add(entry, APPSPEC, appspec(doc, platform))


def group_of(doc):
    return doc.get("createDeploymentGroup") or doc.get("updateDeploymentGroup") or {}


def platform_of(doc):
    """The platform a fixture (no cell) is for, read from its requests."""
    names = {v: k for k, v in COMPUTE.items()}
    for key in ("createApplication", "createDeploymentConfig"):
        platform = names.get((doc.get(key) or {}).get("computePlatform"))
        if platform:
            return platform
    group = group_of(doc)
    if "ecsServices" in group or "deleteService" in doc or "updateService" in doc:
        return "ecs"
    if any(k in doc for k in ("updateAlias", "deleteFunction", "putFunctionConcurrency")):
        return "serverless"
    if "ec2TagSet" in group or "autoScalingGroups" in group:
        return "vm"
    return None


def shape(doc):
    """One request a key, each an object (putMetricAlarm a list of them, one CLI call each); "about"
    is the only prose. `--cli-input-json` takes the input shape of one operation, a JSON object
    (validate_codedeploy.py in ../shared/schemas reads the same)."""
    errors = []
    for key, value in doc.items():
        if key == "about":
            if not isinstance(value, str):
                errors.append("about must be a string")
        elif key not in REQUESTS:
            errors.append(f"{key}: not a request (keys are operations: {', '.join(REQUESTS)})")
        elif key == "putMetricAlarm":
            if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
                errors.append("putMetricAlarm must be a non-empty list of PutMetricAlarm requests")
        elif not isinstance(value, dict):
            errors.append(f"{key} must be one request object, not {type(value).__name__}")
    if "createDeploymentGroup" not in doc and "updateDeploymentGroup" not in doc:
        errors.append("no createDeploymentGroup or updateDeploymentGroup request")
    return errors


def botocore(doc, validate):
    errors = []
    for key, (service, operation) in REQUESTS.items():
        value = doc.get(key)
        items = value if isinstance(value, list) else [value] if value is not None else []
        for i, params in enumerate(items):
            if isinstance(params, dict):
                where = key if len(items) == 1 and not isinstance(value, list) else f"{key}[{i}]"
                errors += [f"{where} ({service} {operation}): {e}" for e in validate(service, operation, params)]
    return errors


def way_back(doc, situation, platform, cell):
    errors = []
    group = group_of(doc)
    stop = doc.get("stopDeployment")
    if situation == "first":
        # A first deployment creates the application and its group (CD#L1500-L1506 needs
        # serviceRoleArn); UpdateDeploymentGroup (CD#L4672-L4677) is for a group that exists.
        for key in ("createApplication", "createDeploymentGroup"):
            if key not in doc:
                errors.append(f"a first deployment needs {key}")
        if "updateDeploymentGroup" in doc:
            errors.append("a first deployment has no deployment group to update")
        # A rollback redeploys a previously deployed revision (UG deployments-rollback-and-redeploy.md#L3):
        # a first deployment has none, so nothing is redeployed and no stop asks for a rollback, whose
        # effect without an earlier revision AWS does not document.
        if "createDeployment" in doc:
            errors.append("a first deployment has no earlier revision to redeploy (createDeployment)")
        if isinstance(stop, dict) and stop.get("autoRollbackEnabled") is not False:
            errors.append("a first deployment stops without rollback: stopDeployment.autoRollbackEnabled must be false")
        if platform == "ecs":
            # ECSDG deployment-type-bluegreen.md#L37: the service creates the first task set, so the
            # fallback deletes the service: create-blue-green.md#L482-L489 `delete-service --force`
            # (without force the desired count must be 0 first, ECS#L309).
            delete = doc.get("deleteService")
            service = (group.get("ecsServices") or [{}])[0]
            if not isinstance(delete, dict) or delete.get("force") is not True:
                errors.append("an ECS first deployment is removed with deleteService and force: true")
            elif (delete.get("service"), delete.get("cluster")) != (service.get("serviceName"), service.get("clusterName")):
                errors.append("deleteService must name the service and cluster of the group's ecsServices")
        elif platform == "serverless":
            if "deleteFunction" not in doc:
                errors.append("a Lambda first deployment is removed with deleteFunction (its first version is no CodeDeploy revision)")
        elif "stopDeployment" not in doc:
            errors.append("an EC2/On-Premises first deployment is stopped (stopDeployment without rollback) before the instances are cleared")
        return errors
    # Update: the tool's rollback, then the redeploy of the earlier revision; nothing takes the
    # running version down (the point 1).
    if "updateDeploymentGroup" not in doc:
        errors.append("an update changes the existing group with updateDeploymentGroup (currentDeploymentGroupName)")
    for key in ("createApplication", "createDeploymentGroup"):
        if key in doc:
            errors.append(f"an update does not create the application or group again ({key})")
    for key in ("deleteService", "deleteFunction"):
        if key in doc:
            errors.append(f"{key} takes down the version that runs before the change: never in an update")
    if (doc.get("updateService") or {}).get("desiredCount") == 0 or "putFunctionConcurrency" in doc:
        errors.append("scaling to zero or throttling takes the earlier version down too: never in an update snippet")
    # `aws deploy stop-deployment --auto-rollback-enabled` ([CLI] synopsis; CD#L4280-L4287): "whether
    # instances that have been updated should be rolled back to the previous version".
    if not isinstance(stop, dict) or stop.get("autoRollbackEnabled") is not True:
        errors.append("an update stops the deployment with rollback: stopDeployment.autoRollbackEnabled true")
    redeploy = doc.get("createDeployment")
    if not isinstance(redeploy, dict):
        errors.append("an update redeploys the earlier revision with createDeployment once the deployment is over (UG deployments-rollback-and-redeploy.md#L26)")
        return errors
    wanted = (group.get("applicationName"), group.get("currentDeploymentGroupName"))
    if (redeploy.get("applicationName"), redeploy.get("deploymentGroupName")) != wanted:
        errors.append("createDeployment must name the application and deployment group that updateDeploymentGroup names")
    # CD#L1641-L1644 and SAM docs/safe_lambda_deployments.rst#L319: an alarm still in ALARM stops
    # the redeploy at once unless the deployment turns alarm polling off.
    if (redeploy.get("overrideAlarmConfiguration") or {}).get("enabled") is not False:
        errors.append("the redeploy of the earlier revision must turn the alarms off (overrideAlarmConfiguration.enabled false): the alarm that fired would stop it")
    previous = cell.get("previous_version")
    if previous and previous not in json.dumps(redeploy):
        errors.append(f"createDeployment does not name the earlier version {previous}")
    return errors


def platform_rules(doc, platform, strategy):
    errors = []
    compute = COMPUTE.get(platform)
    for key in ("createApplication", "createDeploymentConfig"):
        given = (doc.get(key) or {}).get("computePlatform")
        if compute and given is not None and given != compute:
            errors.append(f"{key}.computePlatform {given!r} is not {compute!r} for {platform}")
    group = group_of(doc)
    style = group.get("deploymentStyle")
    if "createDeploymentGroup" in doc and platform in COMPUTE:
        # UG welcome.md#L86/#L133: Lambda and ECS deployments are all blue/green, never in place;
        # AWS's own groups use BLUE_GREEN with WITH_TRAFFIC_CONTROL (ECSDG create-blue-green.md#L252-L255,
        # SAM samtranslator/model/preferences/deployment_preference_collection.py#L220).
        if platform in ("ecs", "serverless"):
            wanted = {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
        elif strategy == "blue-green":
            wanted = {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
        else:
            wanted = {"deploymentType": "IN_PLACE"}
        if not isinstance(style, dict) or any(style.get(k) != v for k, v in wanted.items()):
            errors.append(f"deploymentStyle {style} is not {wanted} for {platform}")
    if platform == "vm" and strategy == "canary":
        errors.append("EC2/On-Premises has no traffic canary (UG primary-components.md#L39)")
    created = doc.get("createDeploymentConfig") or {}
    known = set().union(*PREDEFINED.values()) if platform not in PREDEFINED else PREDEFINED[platform]
    for where, name in (("deployment group", group.get("deploymentConfigName")),
                        ("createDeployment", (doc.get("createDeployment") or {}).get("deploymentConfigName"))):
        if name is None:
            continue
        if name.startswith("CodeDeployDefault."):
            if name not in known:
                errors.append(f"{where}: {name} is not a predefined configuration for {platform or 'any platform'} (UG deployment-configurations.md)")
        elif name != created.get("deploymentConfigName"):
            errors.append(f"{where}: the custom configuration {name} is not created by the snippet's createDeploymentConfig")
    routing = created.get("trafficRoutingConfig")
    if routing:
        # UG primary-components.md#L39, CD#L4555-L4572: traffic routing is for Lambda and ECS only.
        if created.get("computePlatform") not in ("ECS", "Lambda"):
            errors.append("trafficRoutingConfig (canary/linear) exists for the ECS and Lambda compute platforms only")
        canary = routing.get("timeBasedCanary")
        if routing.get("type") == "TimeBasedCanary":
            # CD#L4514: a canary shifts in two increments, the first a share below 100%.
            if not isinstance(canary, dict) or not 0 < canary.get("canaryPercentage", 0) < 100 or canary.get("canaryInterval", 0) < 1:
                errors.append("a TimeBasedCanary needs a canaryPercentage between 1 and 99 and an interval of a minute or more")
    return errors


def alarms(doc, situation):
    errors = []
    group = group_of(doc)
    config = group.get("alarmConfiguration") or {}
    watched = [a.get("name") for a in config.get("alarms") or []]
    created = [a.get("AlarmName") for a in doc.get("putMetricAlarm") or [] if isinstance(a, dict)]
    if not watched:
        errors.append("the deployment group watches no alarm: an abort criterion stops nothing")
    # CD#L960-L963 "A maximum of 10 alarms can be added"; UG monitoring-create-alarms.md#L7 (not a model maximum).
    if len(watched) > 10:
        errors.append(f"{len(watched)} alarms: a deployment group takes at most ten")
    for name in watched:
        if name not in created:
            errors.append(f"alarm {name} is watched but no putMetricAlarm creates it")
    for name in created:
        if name not in watched:
            errors.append(f"alarm {name} is created but the deployment group does not watch it")
    if watched and config.get("enabled") is not True:
        errors.append("alarmConfiguration.enabled must be true, or the alarms stop nothing")
    # CD#L956: with ignorePollAlarmFailure true a deployment goes on when CloudWatch cannot be read.
    if config.get("ignorePollAlarmFailure") is True:
        errors.append("ignorePollAlarmFailure true lets a deployment go on unwatched")
    # UG monitoring-create-alarms.md#L7: an alarm stops the deployment (Stopped); only
    # DEPLOYMENT_STOP_ON_ALARM (CD#L1093-L1099; deployment-groups-configure-advanced-options.md#L47)
    # makes that stop a rollback.
    rollback = group.get("autoRollbackConfiguration") or {}
    if watched and "DEPLOYMENT_STOP_ON_ALARM" not in (rollback.get("events") or []):
        errors.append("autoRollbackConfiguration.events lacks DEPLOYMENT_STOP_ON_ALARM: an alarm stops the deployment without rolling back")
    if situation == "update" and rollback.get("enabled") is not True:
        errors.append("an update needs automatic rollback enabled")
    for alarm in doc.get("putMetricAlarm") or []:
        if isinstance(alarm, dict):
            errors += [f"{alarm.get('AlarmName')}: {e}" for e in metric_alarm(alarm)]
    return errors


def metric_alarm(alarm):
    """CW PutMetricAlarmInput (#L4272-L4346): rules the model states in prose."""
    errors = []
    if "MetricName" in alarm:
        # "If you specify MetricName, you must specify either Statistic or ExtendedStatistic, but not both."
        if ("Statistic" in alarm) == ("ExtendedStatistic" in alarm):
            errors.append("give exactly one of Statistic and ExtendedStatistic")
        # "Period is required for alarms based on static thresholds"; so is Threshold.
        for key in ("Period", "Threshold", "EvaluationPeriods", "ComparisonOperator"):
            if key not in alarm:
                errors.append(f"a static-threshold alarm needs {key}")
    period, evaluations = alarm.get("Period"), alarm.get("EvaluationPeriods")
    if isinstance(period, int):
        # CW#L4322: "Valid values are 10, 20, 30, and any multiple of 60"; Period × EvaluationPeriods
        # at most 86,400 s for periods under an hour, else 604,800 s.
        if period not in (10, 20, 30) and period % 60:
            errors.append(f"Period {period} is not 10, 20, 30 or a multiple of 60")
        if isinstance(evaluations, int) and period * evaluations > (86400 if period < 3600 else 604800):
            errors.append("Period × EvaluationPeriods is longer than CloudWatch evaluates")
    points = alarm.get("DatapointsToAlarm")
    if isinstance(points, int) and isinstance(evaluations, int) and points > evaluations:
        errors.append("DatapointsToAlarm is more than EvaluationPeriods (M out of N)")
    missing = alarm.get("TreatMissingData")
    if missing is not None and missing not in MISSING_DATA:
        errors.append(f"TreatMissingData {missing!r} is not one of {sorted(MISSING_DATA)}")
    if alarm.get("ComparisonOperator") in BAND_OPERATORS and "ThresholdMetricId" not in alarm:
        errors.append(f"{alarm.get('ComparisonOperator')} is for anomaly detection bands (ThresholdMetricId)")
    return errors


def ecs_group(doc, platform):
    group = group_of(doc)
    if platform != "ecs" and "ecsServices" not in group:
        return []
    errors = []
    if "createDeploymentGroup" in doc:
        # CD ECSService (serviceName, clusterName); UG deployment-steps-ecs.md: the group names one service.
        services = group.get("ecsServices") or []
        if len(services) != 1 or not all(services[0].get(k) for k in ("serviceName", "clusterName")):
            errors.append("an ECS group names exactly one service, with serviceName and clusterName")
        pairs = (group.get("loadBalancerInfo") or {}).get("targetGroupPairInfoList") or []
        # CD#L3911-L3914: "an array of TargeGroupPairInfo objects with a maximum size of one";
        # CD#L4548-L4551: listenerArns "an array of strings with a maximum size of one".
        if len(pairs) != 1:
            errors.append(f"targetGroupPairInfoList holds {len(pairs)} pairs: an ECS group takes exactly one")
        for pair in pairs:
            if len(pair.get("targetGroups") or []) != 2:
                errors.append("a target group pair has two target groups (original and replacement task sets)")
            for route in ("prodTrafficRoute", "testTrafficRoute"):
                listeners = (pair.get(route) or {}).get("listenerArns")
                if route == "prodTrafficRoute" and not listeners:
                    errors.append("prodTrafficRoute needs the production listener")
                if listeners is not None and len(listeners) != 1:
                    errors.append(f"{route}.listenerArns holds {len(listeners)} listeners: at most one")
    blue_green = group.get("blueGreenDeploymentConfiguration") or {}
    terminate = blue_green.get("terminateBlueInstancesOnDeploymentSuccess")
    # CD#L1353-L1356: for ECS, the minutes before the original (blue) task set is deleted, "The maximum
    # setting is 2880 minutes"; the model's Duration has no bounds. The original task set is what a
    # rollback reroutes to (UG deployment-steps-ecs.md#L209), so planb keeps it at least a minute.
    if not isinstance(terminate, dict):
        errors.append("blueGreenDeploymentConfiguration.terminateBlueInstancesOnDeploymentSuccess sets how long the original task set stays")
    else:
        wait = terminate.get("terminationWaitTimeInMinutes")
        if not isinstance(wait, int) or not 1 <= wait <= 2880:
            errors.append(f"terminationWaitTimeInMinutes {wait} is outside 1 to 2880")
    return errors


def appspec(doc, platform):
    redeploy = doc.get("createDeployment")
    if not isinstance(redeploy, dict):
        return []
    errors = []
    revision = redeploy.get("revision") or {}
    if platform == "vm":
        # CD#L990: AppSpecContent is "A revision for an Lambda or Amazon ECS deployment".
        if revision.get("revisionType") not in ("S3", "GitHub"):
            errors.append("an EC2/On-Premises revision is a bundle in S3 or GitHub")
        return errors
    if revision.get("revisionType") != "AppSpecContent":
        return errors
    text = (revision.get("appSpecContent") or {}).get("content", "")
    try:
        spec = yaml.safe_load(text)  # JSON is YAML; UG reference-appspec-file-example.md#L46-L107 shows both
    except yaml.YAMLError as exc:
        return [f"the AppSpec does not parse: {str(exc).splitlines()[0]}"]
    if not isinstance(spec, dict) or str(spec.get("version")) != "0.0":
        return ["the AppSpec needs version 0.0"]
    resources = spec.get("Resources")
    if not isinstance(resources, list) or len(resources) != 1 or not isinstance(resources[0], dict) or len(resources[0]) != 1:
        return ["Resources is a list of one resource, a single-key map"]
    resource = next(iter(resources[0].values())) or {}
    kind, props = resource.get("Type"), resource.get("Properties") or {}
    if platform == "ecs" or kind == "AWS::ECS::Service":
        # UG reference-appspec-file-structure-resources.md#L124-L127: TaskDefinition, and
        # ContainerName and ContainerPort (a number) under LoadBalancerInfo, all required.
        if kind != "AWS::ECS::Service":
            errors.append(f"an ECS AppSpec resource is AWS::ECS::Service, not {kind}")
        if not props.get("TaskDefinition"):
            errors.append("the ECS AppSpec needs TaskDefinition")
        info = props.get("LoadBalancerInfo") or {}
        for key in ("ContainerName", "ContainerPort"):
            if key in props:
                errors.append(f"{key} belongs under LoadBalancerInfo")
            if key not in info:
                errors.append(f"LoadBalancerInfo needs {key}")
        port = info.get("ContainerPort")
        if port is not None and not isinstance(port, int) and not str(port).startswith("FILL-IN"):
            errors.append("ContainerPort is a number")
    else:
        # UG reference-appspec-file-structure-resources.md#L43-L46: name, alias, current and target
        # version, all required.
        if kind != "AWS::Lambda::Function":
            errors.append(f"a Lambda AppSpec resource is AWS::Lambda::Function, not {kind}")
        for key in ("Name", "Alias", "CurrentVersion", "TargetVersion"):
            if not props.get(key):
                errors.append(f"the Lambda AppSpec needs {key}")
        alias = doc.get("updateAlias") or {}
        if alias and alias.get("FunctionName") != props.get("Name"):
            errors.append("updateAlias and the AppSpec name different functions")
    return errors
