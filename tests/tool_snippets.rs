//! Every tool's config snippet parses with an independent parser (YAML with serde_yaml_ng, JSON with
//! serde_json, Groovy by a balance check), also when the spec is full of hostile strings or says almost
//! nothing. What each snippet must contain is tested per tool in `tests/tool_truth/`, and the tools'
//! own validators run in `tests/tool_validators.rs`.

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

/// Values that break naive templating: quotes, interpolation, backslashes, line breaks, `'''`.
const HOSTILE: &str = r#"
component: { name: "o'r\"d${x}\\e\n}rs'''", environment: "prod\" }: x" }
deployment: { tool: TOOL, platform: PLATFORM, first_deployment: true, namespace: "n's\n${y}", workload: "w\\'\"}" }
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

/// The hostile spec for a tool, on a platform it deploys to (CodeDeploy has no Kubernetes).
fn hostile(tool: &str) -> String {
    let platform = if tool == "codedeploy" { "ecs" } else { "kubernetes" };
    HOSTILE.replace("TOOL", tool).replace("PLATFORM", platform)
}

#[test]
fn every_snippet_parses_with_hostile_strings_in_the_spec() {
    for tool in TOOLS {
        let text = body(&hostile(tool));
        let language = plan(&hostile(tool)).snippet.unwrap().language;
        match language.as_str() {
            "yaml" => {
                let docs = yaml_docs(&text);
                assert!(!docs.is_empty(), "{tool}");
            }
            "json" => {
                json(&text);
            }
            "groovy" | "ocl" => assert_balanced(&text),
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
                let Some(snippet) = p.snippet else {
                    assert!(
                        p.tool_rollback.unsupported.is_some(),
                        "{tool} {strategy} {platform}: no snippet, yet supported"
                    );
                    continue;
                };
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
