//! For each tool, a spec that is not in `examples/`: the plan uses the tool's own words, says what
//! its rollback does on a first deployment, puts explicit steps in the fallback ladder, and carries a
//! snippet (parsed in detail in tests/tool_snippets.rs). The expectations come from the tools' facts
//! (see templates/tools/<tool>.yaml and their sources), not from planb's output.

use planb::plan::RungKind;
use planb::{Engine, Format, Plan, RenderOptions, Style};

fn spec(tool: &str, strategy: &str, platform: &str, extra: &str) -> String {
    format!(
        "
component: {{ name: stock-levels, environment: production }}
deployment: {{ tool: {tool}, platform: {platform}, first_deployment: true, namespace: inventory, workload: stock-levels }}
rollout: {{ strategy: {strategy}, steps: [20, 100], bake_time: 10m }}
verification:
  kpis: [{{ metric: error_ratio, comparison: above, threshold: 2, duration: 5m }}]
abort: {{ decision_owner: Ola Berg, decision_window: 10m }}
{extra}"
    )
}

fn plan(yaml: &str) -> Plan {
    Engine::new().unwrap().plan(&planb::parse_spec(yaml).unwrap()).unwrap()
}

fn markdown(yaml: &str) -> String {
    Engine::new()
        .unwrap()
        .render(&planb::parse_spec(yaml).unwrap(), RenderOptions { format: Format::Markdown, style: Style::Detailed })
        .unwrap()
}

/// The checks every tool's plan must pass.
struct Expect<'a> {
    tool: &'a str,
    name: &'a str,
    strategy: &'a str,
    platform: &'a str,
    /// Words of the tool that must appear in the plan.
    words: &'a [&'a str],
    /// What the plan must say the rollback does (or lacks) on a first deployment.
    first_deploy: &'a [&'a str],
    /// Words of the tool in the removal step of the ladder.
    removal: &'a [&'a str],
    snippet_language: &'a str,
}

fn check(e: Expect<'_>) -> Plan {
    let yaml = spec(e.tool, e.strategy, e.platform, "");
    let p = plan(&yaml);
    assert!(p.tool.known, "{}: planb has knowledge of it", e.tool);
    assert_eq!(p.tool.name, e.name);
    assert!(!p.findings.iter().any(|f| f.id == "PB022"), "{}: no neutral-wording finding", e.tool);
    let text = markdown(&yaml);
    for word in e.words {
        assert!(text.contains(word), "{}: the plan uses the word {word:?}", e.tool);
    }
    let rollback = format!("{} {}", p.tool_rollback.effect, p.tool_notes[0].text);
    for phrase in e.first_deploy {
        assert!(rollback.contains(phrase), "{}: the first-deploy rollback mentions {phrase:?}: {rollback}", e.tool);
    }
    assert!(!p.tool_rollback.sources.is_empty(), "{}: the rollback facts have sources", e.tool);
    let removal = p.ladder.iter().find(|r| r.kind == RungKind::RemoveWorkload).expect("a removal step");
    for word in e.removal {
        assert!(removal.how.contains(word), "{}: the removal step says {word:?}: {}", e.tool, removal.how);
    }
    assert!(removal.how.contains("stock-levels"), "{}: the removal step names the workload", e.tool);
    assert!(p.ladder.iter().any(|r| r.kind == RungKind::RouteAway), "{}: traffic is routed away first", e.tool);
    assert!(!text.contains("Harness") || e.tool == "harness", "{}: no Harness vocabulary", e.tool);
    let snippet = p.snippet.as_ref().expect("a snippet");
    assert_eq!(snippet.language, e.snippet_language);
    assert!(!snippet.body.trim().is_empty());
    match snippet.language.as_str() {
        "yaml" => {
            use serde::Deserialize;
            for doc in serde_yaml_ng::Deserializer::from_str(&snippet.body) {
                serde_yaml_ng::Value::deserialize(doc).unwrap();
            }
        }
        "json" => drop(serde_json::from_str::<serde_json::Value>(&snippet.body).unwrap()),
        _ => assert_eq!(snippet.body.matches('{').count(), snippet.body.matches('}').count()),
    }
    p
}

#[test]
fn argo_rollouts() {
    check(Expect {
        tool: "argo-rollouts",
        name: "Argo Rollouts",
        strategy: "canary",
        platform: "kubernetes",
        words: &["setWeight", "AnalysisTemplate", "kubectl argo rollouts promote"],
        first_deploy: &["no stable ReplicaSet", "skips the canary steps and the analysis"],
        removal: &["Delete the Rollout"],
        snippet_language: "yaml",
    });
}

#[test]
fn argo_cd() {
    let p = check(Expect {
        tool: "argo-cd",
        name: "Argo CD",
        strategy: "rolling",
        platform: "kubernetes",
        words: &["a sync of the Application", "argocd app rollback"],
        first_deploy: &["no earlier entry", "automated sync"],
        removal: &["argocd app delete", "--cascade"],
        snippet_language: "yaml",
    });
    assert!(!p.findings.iter().any(|f| f.id == "PB102"), "auto-sync unstated: no finding");
    let on = plan(
        &spec("argo-cd", "rolling", "kubernetes", "kill_switches: []\n")
            .replace("workload: stock-levels }", "workload: stock-levels, tool_settings: { auto_sync: true } }"),
    );
    let f = on.findings.iter().find(|f| f.id == "PB102").expect("auto-sync on fires PB102");
    assert_eq!(f.path, "deployment.tool_settings.auto_sync");
}

#[test]
fn flagger() {
    check(Expect {
        tool: "flagger",
        name: "Flagger",
        strategy: "canary",
        platform: "kubernetes",
        words: &["stepWeight", "confirm-rollout", "Canary analysis"],
        first_deploy: &["without any analysis", "primary"],
        removal: &["delete the Canary"],
        snippet_language: "yaml",
    });
}

#[test]
fn spinnaker() {
    let p = check(Expect {
        tool: "spinnaker",
        name: "Spinnaker",
        strategy: "canary",
        platform: "kubernetes",
        words: &["Kayenta", "Manual Judgment"],
        first_deploy: &["baseline", "no earlier server group"],
        removal: &["Delete (Manifest)"],
        snippet_language: "json",
    });
    assert!(!p.findings.iter().any(|f| f.id == "PB104"), "KPIs with thresholds given: no finding");
}

#[test]
fn github_actions() {
    check(Expect {
        tool: "github-actions",
        name: "GitHub Actions",
        strategy: "all-at-once",
        platform: "ecs",
        words: &["required reviewers", "workflow_dispatch"],
        first_deploy: &["earlier successful run", "first deployment has none"],
        removal: &["workflow_dispatch", "aws ecs delete-service"],
        snippet_language: "yaml",
    });
}

#[test]
fn gitlab() {
    check(Expect {
        tool: "gitlab",
        name: "GitLab CI/CD",
        strategy: "canary",
        platform: "kubernetes",
        words: &["incremental rollout", "deployment approval", "Rollback environment"],
        first_deploy: &["earlier successful deployment", "no earlier job"],
        removal: &["Stop the environment"],
        snippet_language: "yaml",
    });
}

#[test]
fn jenkins() {
    check(Expect {
        tool: "jenkins",
        name: "Jenkins",
        strategy: "blue-green",
        platform: "vm",
        words: &["input step", "Jenkinsfile"],
        first_deploy: &["no built-in rollback", "nothing to redeploy"],
        removal: &["fallback stage"],
        snippet_language: "groovy",
    });
}

#[test]
fn octopus() {
    check(Expect {
        tool: "octopus",
        name: "Octopus Deploy",
        strategy: "rolling",
        platform: "vm",
        words: &["Manual Intervention", "Guided Failure"],
        first_deploy: &["previous release", "first deployment does not have"],
        removal: &["run condition: failure"],
        snippet_language: "json",
    });
}

#[test]
fn codedeploy() {
    let p = check(Expect {
        tool: "codedeploy",
        name: "AWS CodeDeploy",
        strategy: "canary",
        platform: "serverless",
        words: &["CloudWatch alarms", "last known good revision"],
        first_deploy: &["last known good", "no such revision"],
        removal: &["Stop the deployment"],
        snippet_language: "json",
    });
    assert!(!p.findings.iter().any(|f| f.id == "PB109"));
    let relied = spec("codedeploy", "canary", "serverless", "")
        .replace("workload: stock-levels }", "workload: stock-levels, tool_settings: { auto_rollback: true } }");
    assert!(plan(&relied).findings.iter().any(|f| f.id == "PB109" && f.severity == planb::Severity::Error));
}

#[test]
fn harness_keeps_its_own_words() {
    check(Expect {
        tool: "harness",
        name: "Harness CD",
        strategy: "canary",
        platform: "kubernetes",
        words: &["Canary Delete", "Verify step"],
        first_deploy: &["no previous release"],
        removal: &["Kubernetes Delete step"],
        snippet_language: "yaml",
    });
}
