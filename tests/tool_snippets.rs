//! Every tool's config snippet parses with an independent parser (YAML with serde_yaml_ng, JSON with
//! serde_json, Groovy by a balance check) and has the structure that enforces the plan, also when the
//! spec is full of hostile strings.

use planb::{Engine, Plan};
use serde_json::Value as Json;
use serde_yaml_ng::Value as Yaml;

fn plan(yaml: &str) -> Plan {
    Engine::new().unwrap().plan(&planb::parse_spec(yaml).unwrap()).unwrap()
}

fn body(yaml: &str) -> String {
    plan(yaml).snippet.expect("every known tool has a snippet").body
}

fn yaml_docs(body: &str) -> Vec<Yaml> {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(body)
        .map(|d| Yaml::deserialize(d).unwrap_or_else(|e| panic!("snippet does not parse: {e}\n{body}")))
        .collect()
}

fn json(body: &str) -> Json {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("snippet does not parse: {e}\n{body}"))
}

/// A spec for `tool` with two KPIs (one above, one below), canary steps and a kill switch.
fn spec(tool: &str, platform: &str) -> String {
    format!(
        "
component: {{ name: orders-api, environment: production }}
deployment: {{ tool: {tool}, platform: {platform}, first_deployment: true, namespace: shop, workload: orders-api }}
rollout: {{ strategy: canary, steps: [10, 50], bake_time: 10m }}
kill_switches: [{{ kind: feature-flag, flag_key: orders-on, flag_system: LaunchDarkly }}]
verification:
  health_source: prometheus
  kpis:
    - {{ metric: error_rate, comparison: above, threshold: 2.5, duration: 5m }}
    - {{ metric: orders_per_minute, comparison: below, threshold: 40, duration: 10m }}
abort: {{ decision_owner: Dana Kim, decision_window: 12m }}
"
    )
}

/// Values that break naive templating: quotes, interpolation, backslashes, line breaks, `'''`.
const HOSTILE: &str = r#"
component: { name: "o'r\"d${x}\\e\n}rs'''", environment: "prod\" }: x" }
deployment: { tool: TOOL, platform: kubernetes, first_deployment: true, namespace: "n's\n${y}", workload: "w\\'\"}" }
rollout: { strategy: canary, steps: [10] }
kill_switches: [{ kind: feature-flag, flag_key: "k'''\"", flag_system: "${env.X}" }]
verification:
  kpis: [{ metric: "m'\"}\\\n{", comparison: above, threshold: 1, duration: 5m }]
abort: { decision_owner: "D'a\"n${a}\\", decision_window: 15m, triggers: ["'''\"\"\" }} {{ ${b}"] }
fallback: { steps: [{ action: "step' \"}\n{", owner: "o\\'" }] }
"#;

const TOOLS: &[&str] = &[
    "harness",
    "argo-rollouts",
    "argo-cd",
    "flagger",
    "spinnaker",
    "github-actions",
    "gitlab",
    "jenkins",
    "octopus",
    "codedeploy",
];

#[test]
fn argo_rollouts_analysis_template_uses_the_kpis_as_absolute_thresholds() {
    let docs = yaml_docs(&body(&spec("argo-rollouts", "kubernetes")));
    let template = &docs[0];
    assert_eq!(template["kind"].as_str(), Some("AnalysisTemplate"));
    let metrics = template["spec"]["metrics"].as_sequence().unwrap();
    assert_eq!(metrics.len(), 2);
    assert_eq!(metrics[0]["failureCondition"].as_str(), Some("result[0] > 2.5"));
    assert_eq!(metrics[1]["failureCondition"].as_str(), Some("result[0] < 40.0"));
    assert_eq!(metrics[0]["provider"]["prometheus"]["query"].as_str(), Some("error_rate"));
    assert_eq!(metrics[0]["failureLimit"].as_u64(), Some(0));
    let canary = &docs[1]["canary"];
    assert_eq!(canary["analysis"]["templates"][0]["templateName"], template["metadata"]["name"]);
    let weights: Vec<u64> =
        canary["steps"].as_sequence().unwrap().iter().filter_map(|s| s["setWeight"].as_u64()).collect();
    assert_eq!(weights, [10, 50]);
    assert!(body(&spec("argo-rollouts", "kubernetes")).contains("SKIPPED on the initial deploy"));
}

#[test]
fn flagger_canary_checks_each_kpi_with_a_threshold_range() {
    let doc = &yaml_docs(&body(&spec("flagger", "kubernetes")))[0];
    assert_eq!(doc["kind"].as_str(), Some("Canary"));
    let analysis = &doc["spec"]["analysis"];
    assert_eq!(analysis["stepWeight"].as_u64(), Some(10));
    let metrics = analysis["metrics"].as_sequence().unwrap();
    assert_eq!(metrics[0]["thresholdRange"]["max"].as_f64(), Some(2.5));
    assert_eq!(metrics[1]["thresholdRange"]["min"].as_f64(), Some(40.0));
    let hooks: Vec<&str> =
        analysis["webhooks"].as_sequence().unwrap().iter().map(|h| h["type"].as_str().unwrap()).collect();
    assert_eq!(hooks, ["confirm-rollout", "rollback"]);
}

#[test]
fn argo_cd_application_has_no_automated_sync() {
    let doc = &yaml_docs(&body(&spec("argo-cd", "kubernetes")))[0];
    assert_eq!(doc["kind"].as_str(), Some("Application"));
    assert!(doc["spec"]["syncPolicy"].get("automated").is_none(), "automated sync must be off");
    assert_eq!(doc["spec"]["destination"]["namespace"].as_str(), Some("shop"));
}

#[test]
fn spinnaker_stages_judge_then_fall_back() {
    let doc = json(&body(&spec("spinnaker", "kubernetes")));
    let stages = doc["stages"].as_array().unwrap();
    assert_eq!(stages[0]["type"], "manualJudgment");
    assert_eq!(stages[0]["abortCriteria"][0], "error_rate above 2.5 for 5m");
    assert_eq!(stages[1]["type"], "deleteManifest");
    assert_eq!(stages[1]["requisiteStageRefIds"][0], stages[0]["refId"]);
    assert!(stages[1]["stageEnabled"]["expression"].as_str().unwrap().contains("Fall back"));
    let vm = json(&body(&spec("spinnaker", "vm")));
    assert_eq!(vm["stages"][1]["type"], "disableServerGroup");
}

#[test]
fn github_actions_workflow_protects_the_environment_and_dispatches_the_fallback() {
    let doc = &yaml_docs(&body(&spec("github-actions", "ecs")))[0];
    let options = doc["on"]["workflow_dispatch"]["inputs"]["action"]["options"].as_sequence().unwrap();
    assert!(options.iter().any(|o| o.as_str() == Some("fallback")));
    let fallback = &doc["jobs"]["fallback"];
    assert_eq!(fallback["environment"]["name"].as_str(), Some("production"));
    assert_eq!(doc["jobs"]["deploy"]["environment"]["name"].as_str(), Some("production"));
    let steps = fallback["steps"].as_sequence().unwrap();
    let remove = steps.iter().find(|s| s["env"]["REMOVE"].is_string()).expect("a removal step");
    assert!(remove["env"]["REMOVE"]
        .as_str()
        .unwrap()
        .contains("aws ecs delete-service --cluster shop --service orders-api"));
}

#[test]
fn gitlab_fallback_is_a_manual_job_that_stops_the_environment() {
    let doc = &yaml_docs(&body(&spec("gitlab", "kubernetes")))[0];
    let fallback = &doc["fallback_production"];
    assert_eq!(fallback["when"].as_str(), Some("manual"));
    assert_eq!(fallback["environment"]["action"].as_str(), Some("stop"));
    assert_eq!(doc["deploy_production"]["environment"]["on_stop"].as_str(), Some("fallback_production"));
    assert!(fallback["variables"]["REMOVE_COMMAND"]["value"]
        .as_str()
        .unwrap()
        .contains("kubectl --namespace shop delete orders-api"));
    // User text is never expanded by GitLab: `$CI_JOB_TOKEN` in it stays that text.
    let hostile = spec("gitlab", "kubernetes").replace("name: orders-api,", "name: \"orders $CI_JOB_TOKEN\",");
    let doc = &yaml_docs(&body(&hostile))[0];
    assert!(serde_json::to_string(doc).unwrap().contains("$CI_JOB_TOKEN"), "the spec's text is in the snippet");
    for job in ["verify_production", "fallback_production"] {
        let variables = doc[job]["variables"].as_mapping().unwrap();
        assert!(!variables.is_empty());
        for (name, variable) in variables {
            assert_eq!(variable["expand"].as_bool(), Some(false), "{job}.{name:?} is not expanded");
        }
    }
}

#[test]
fn octopus_has_a_manual_intervention_and_a_fallback_on_failure() {
    let doc = json(&body(&spec("octopus", "vm")));
    let steps = doc["Steps"].as_array().unwrap();
    assert_eq!(steps[0]["Actions"][0]["ActionType"], "Octopus.Manual");
    assert_eq!(steps[1]["Condition"], "Failure");
    assert!(steps[1]["Actions"][0]["Properties"]["Octopus.Action.Script.ScriptBody"]
        .as_str()
        .unwrap()
        .contains("orders-api"));
    // Octopus substitutes `#{…}`: user text reaches it as `##{…}`, Octopus's literal `#{`.
    let hostile = spec("octopus", "vm").replace("name: orders-api,", "name: \"orders #{Octopus.Deployment.Id}\",");
    let text = body(&hostile);
    json(&text);
    assert!(text.contains("orders ##{Octopus.Deployment.Id}"), "{text}");
    assert!(!text.replace("##{", "").contains("#{"), "no `#{{` reaches Octopus unescaped: {text}");
}

#[test]
fn codedeploy_alarms_carry_the_thresholds_and_first_deploys_do_not_trust_auto_rollback() {
    let doc = json(&body(&spec("codedeploy", "ecs")));
    let group = &doc["deploymentGroup"];
    assert_eq!(group["deploymentConfigName"], "CodeDeployDefault.ECSCanary10Percent5Minutes");
    assert_eq!(group["alarmConfiguration"]["enabled"], true);
    assert_eq!(group["alarmConfiguration"]["alarms"].as_array().unwrap().len(), 2);
    assert_eq!(group["autoRollbackConfiguration"]["enabled"], false, "no last known good revision to roll back to");
    let alarms = doc["alarms"].as_array().unwrap();
    assert_eq!(alarms[0]["Threshold"].as_f64(), Some(2.5));
    assert_eq!(alarms[0]["ComparisonOperator"], "GreaterThanThreshold");
    assert_eq!(alarms[1]["ComparisonOperator"], "LessThanThreshold");
    assert_eq!(alarms[0]["TreatMissingData"], "breaching");
    assert_eq!(alarms[0]["AlarmName"], group["alarmConfiguration"]["alarms"][0]["name"]);
}

#[test]
fn jenkinsfile_has_an_input_gate_and_a_fallback_stage() {
    let text = body(&spec("jenkins", "kubernetes"));
    assert_balanced(&text);
    assert!(text.contains("stage('Go / no-go')") && text.contains("stage('Fallback')"));
    assert!(text.contains("input(") && text.contains("submitter: 'Dana Kim'"));
    assert!(text.contains("def window = '12m'"), "the timeout uses the decision window");
    assert!(text.contains("sh('kubectl --namespace shop delete orders-api"));
}

#[test]
fn every_snippet_parses_with_hostile_strings_in_the_spec() {
    for tool in TOOLS {
        let text = body(&HOSTILE.replace("TOOL", tool));
        let language = plan(&HOSTILE.replace("TOOL", tool)).snippet.unwrap().language;
        match language.as_str() {
            "yaml" => {
                let docs = yaml_docs(&text);
                assert!(!docs.is_empty(), "{tool}");
            }
            "json" => {
                json(&text);
            }
            "groovy" => assert_balanced(&text),
            other => panic!("{tool}: no parser for {other}"),
        }
    }
}

#[test]
fn every_snippet_parses_for_every_strategy_and_platform_with_an_empty_spec() {
    for tool in TOOLS {
        for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
            for platform in ["kubernetes", "ecs", "serverless", "vm", "other"] {
                let spec = format!(
                    "component: {{ name: a }}\ndeployment: {{ tool: {tool}, platform: {platform} }}\nrollout: {{ strategy: {strategy} }}\n"
                );
                let p = plan(&spec);
                let snippet = p.snippet.unwrap();
                match snippet.language.as_str() {
                    "yaml" => drop(yaml_docs(&snippet.body)),
                    "json" => drop(json(&snippet.body)),
                    _ => assert_balanced(&snippet.body),
                }
            }
        }
    }
}

/// Groovy structure: quotes close on the line they open, and (), [], {} nest and balance outside
/// strings and comments. Single-quoted strings take `\` escapes; `/…/` regexes are skipped.
fn assert_balanced(text: &str) {
    let mut stack: Vec<char> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '/' if chars.get(i + 1) == Some(&'/') => break,
                '/' if chars.get(i + 1) == Some(&'(') => {
                    // A slashy regex such as /(\d+)([hms])/: skip to its closing slash.
                    i += 1;
                    while i < chars.len() && chars[i] != '/' {
                        i += 1;
                    }
                    assert!(i < chars.len(), "unclosed regex on line {}: {line}", n + 1);
                }
                '\'' | '"' => {
                    i += 1;
                    loop {
                        assert!(i < chars.len(), "unclosed string on line {}: {line}", n + 1);
                        match chars[i] {
                            '\\' => i += 1,
                            q if q == c => break,
                            _ => {}
                        }
                        i += 1;
                    }
                }
                '(' | '[' | '{' => stack.push(c),
                ')' | ']' | '}' => {
                    let open = stack.pop().unwrap_or_else(|| panic!("unbalanced {c} on line {}: {line}", n + 1));
                    let want = match c {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    assert_eq!(open, want, "mismatched {c} on line {}: {line}", n + 1);
                }
                _ => {}
            }
            i += 1;
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}\n{text}");
}

#[test]
fn the_balance_check_catches_broken_groovy() {
    let broken = std::panic::catch_unwind(|| assert_balanced("echo('it's')"));
    assert!(broken.is_err());
    let broken = std::panic::catch_unwind(|| assert_balanced("stage('a') {"));
    assert!(broken.is_err());
    assert_balanced(r"echo('it\'s ${x} \'\'\' }')");
}

/// GitHub evaluates `${{ … }}` in workflow strings; user text must reach the runner as written.
#[test]
fn github_expressions_in_user_text_are_not_evaluated() {
    let engine = planb::Engine::new().unwrap();
    let spec = planb::parse_spec(
        "component: { name: \"x ${{ secrets.TOKEN }}\" }\ndeployment: { tool: github-actions, first_deployment: true }\n",
    )
    .unwrap();
    let body = engine.plan(&spec).unwrap().snippet.unwrap().body;
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&body).unwrap();
    let name = doc["name"].as_str().unwrap();
    assert_eq!(name, "Deploy x ${{ '${{' }} secrets.TOKEN }}", "GitHub's literal form of `${{`");
    assert!(!body.contains("\"Deploy x ${{ secrets"), "{body}");
}
