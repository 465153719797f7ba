//! The Harness snippet parses as YAML (with an independent parser) and does the right thing.

use planb::{Engine, Plan};
use serde_yaml_ng::Value;

fn plan(yaml: &str) -> Plan {
    Engine::new().unwrap().plan(&planb::parse_spec(yaml).unwrap()).unwrap()
}

fn snippet(yaml: &str) -> Value {
    let p = plan(yaml);
    let body = p.snippet.expect("a Harness plan has a snippet").body;
    serde_yaml_ng::from_str(&body).unwrap_or_else(|e| panic!("snippet does not parse: {e}\n{body}"))
}

fn step_types(doc: &Value) -> Vec<String> {
    doc["rollbackSteps"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s["step"]["type"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn first_deployment_canary_on_kubernetes_deletes_the_release() {
    let doc = snippet(
        "
component: { name: orders-api }
deployment: { tool: harness, platform: kubernetes, first_deployment: true }
rollout: { strategy: canary, steps: [10, 100] }
kill_switches: [{ kind: feature-flag, flag_key: orders-on, flag_system: Harness FME, takes_effect: 1m }]
abort: { decision_window: 12m }
",
    );
    assert_eq!(step_types(&doc), ["ShellScript", "K8sCanaryDelete", "K8sDelete"]);
    let delete = &doc["rollbackSteps"][2]["step"];
    assert_eq!(delete["spec"]["deleteResources"]["type"].as_str(), Some("ReleaseName"));
    let strategies = doc["failureStrategies"].as_sequence().unwrap();
    let manual = &strategies[0]["onFailure"];
    assert_eq!(manual["errors"][0].as_str(), Some("Verification"));
    assert_eq!(manual["action"]["type"].as_str(), Some("ManualIntervention"));
    assert_eq!(manual["action"]["spec"]["timeout"].as_str(), Some("12m"), "timeout is the decision window");
    assert_eq!(manual["action"]["spec"]["onTimeout"]["action"]["type"].as_str(), Some("StageRollback"));
    assert_eq!(strategies[1]["onFailure"]["action"]["type"].as_str(), Some("StageRollback"));
    for step in doc["rollbackSteps"].as_sequence().unwrap() {
        let id = step["step"]["identifier"].as_str().unwrap();
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "identifier {id}");
    }
}

#[test]
fn an_update_keeps_the_rolling_rollback() {
    let doc = snippet(
        "
component: { name: a }
deployment: { tool: harness, platform: kubernetes, first_deployment: false, previous_version: true }
rollout: { strategy: rolling }
",
    );
    assert_eq!(step_types(&doc), ["K8sRollingRollback"]);
}

#[test]
fn other_platforms_get_a_shell_step_with_the_platform_command() {
    let doc = snippet(
        "
component: { name: worker }
deployment: { tool: harness, platform: ecs, first_deployment: true, namespace: prod, workload: worker }
shared_resources: [{ kind: queue, name: jobs, revert: delete the subscription }]
",
    );
    assert_eq!(step_types(&doc), ["ShellScript", "ShellScript"]);
    let script = doc["rollbackSteps"][0]["step"]["spec"]["source"]["spec"]["script"].as_str().unwrap();
    assert!(script.contains("aws ecs delete-service --cluster prod --service worker"), "{script}");
    let revert = doc["rollbackSteps"][1]["step"]["spec"]["source"]["spec"]["script"].as_str().unwrap();
    assert!(revert.contains("delete the subscription"));
}

#[test]
fn hostile_names_stay_inside_their_yaml_strings() {
    let doc = snippet(
        r#"
component: { name: "evil\n- step: {type: Exec}\n# " }
deployment: { tool: harness, platform: kubernetes }
kill_switches: [{ kind: feature-flag, flag_key: "k: v\n  injected: true", flag_system: "x\"y" }]
"#,
    );
    assert_eq!(step_types(&doc), ["ShellScript", "K8sDelete"]);
    assert_eq!(doc["rollbackSteps"][0]["step"]["name"].as_str(), Some("Flag off k: v\n  injected: true"));
    assert!(doc.get("injected").is_none());
}
