//! Octopus Deploy, from octopus.com/docs (read in OctopusDeploy/docs), the OCL library
//! OctopusDeploy/Ocl at 6056fac4032e (OCL) and OctopusSamples/OctoHR at 2bcc51786f33 (HR). The OCL
//! snippet is read here line by line, as the OCL grammar lays it out (one attribute a line, blocks
//! closing on their own line); each expected value comes from the file the comment names.

use planb::plan::RungKind;

use super::support::*;

/// The lines of `step "<label>" { … }`, without the first and the last.
fn step<'a>(body: &'a str, label: &str) -> Vec<&'a str> {
    let open = format!("step \"{label}\" {{");
    let mut lines = body.lines().skip_while(|l| *l != open);
    assert!(lines.next().is_some(), "no step {label:?} in:\n{body}");
    lines.take_while(|l| *l != "}").collect()
}

/// The raw value of `name = value` at exactly `indent` spaces.
fn attribute<'a>(lines: &[&'a str], indent: usize, name: &str) -> Option<&'a str> {
    let prefix = format!("{}{name} = ", " ".repeat(indent));
    lines.iter().find_map(|l| l.strip_prefix(prefix.as_str()))
}

/// An OCL quoted string as Octopus reads it: OCL:source/Ocl/Parsing/QuotedStringParser.cs#L8-L38
/// (escapes \" \n \t \r \\ only).
fn unquote(raw: &str) -> String {
    let inner =
        raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or_else(|| panic!("not a quoted string: {raw}"));
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(c @ ('"' | '\\')) => out.push(c),
                other => panic!("{other:?} is not an OCL escape in {raw}"),
            }
        } else {
            assert!(c != '"', "an unescaped quote inside {raw}");
            out.push(c);
        }
    }
    out
}

fn script(body: &str) -> String {
    let lines = step(body, "fall-back");
    unquote(attribute(&lines, 12, "Octopus.Action.Script.ScriptBody").expect("a ScriptBody"))
}

/// Issue point 8: the Manual Intervention's instructions are a string, not an array.
/// HR:.octopus/deployment_process.ocl#L12-L16 writes `Octopus.Action.Manual.Instructions = "Please
/// confirm …"` among string properties; "all Octopus variables are strings"
/// (octopus.com/docs/projects/variables/variable-substitutions); `notes` is a string too (HR#L11).
/// The old snippet was JSON with `"Notes": [ … ]` arrays of criteria and ladder steps.
#[test]
fn manual_intervention_instructions_and_notes_are_one_quoted_string_each() {
    let p = plan(&spec("octopus", "vm", "canary", false, ""));
    assert_eq!(p.snippet.as_ref().unwrap().language, "ocl");
    let lines = step(snippet(&p), "go-no-go");
    assert_eq!(attribute(&lines, 8, "action_type"), Some("\"Octopus.Manual\""));
    let instructions = unquote(attribute(&lines, 12, "Octopus.Action.Manual.Instructions").unwrap());
    assert!(
        instructions.contains("error_rate above 2.5") && instructions.contains("orders_per_minute below 40"),
        "{instructions}"
    );
    assert!(instructions.contains("Abort fails the deployment"), "{instructions}");
    assert!(!unquote(attribute(&lines, 8, "notes").unwrap()).is_empty());
    assert!(!snippet(&p).contains("\"Notes\""));
}

/// Issue point 8, as the docs correct it: octopus.com/docs/projects/version-control/ocl-file-format —
/// `step.condition` takes Success, Failure, Always or Variable, `step.action.condition` only Success or
/// Variable; octopus.com/docs/projects/steps/conditions: "Only if the previous step failed"; the
/// manual-intervention page and OctopusDeploy/docs#2580: after an Abort, steps that run on failure
/// run. So `condition = "Failure"` sits on the step, after the go / no-go. The old snippet was JSON
/// that Octopus's config-as-code does not read.
#[test]
fn the_fallback_step_runs_on_failure_by_its_step_condition_after_the_go_no_go() {
    for update in [false, true] {
        let body = plan(&spec("octopus", "kubernetes", "canary", update, ""));
        let body = snippet(&body);
        let fallback = step(body, "fall-back");
        assert_eq!(attribute(&fallback, 4, "condition"), Some("\"Failure\""));
        assert_eq!(attribute(&fallback, 8, "condition"), None, "an action takes only Success or Variable");
        assert_eq!(attribute(&fallback, 8, "action_type"), Some("\"Octopus.Script\""));
        assert!(body.find("step \"go-no-go\"").unwrap() < body.find("step \"fall-back\"").unwrap());
        assert_eq!(
            attribute(&step(body, "go-no-go"), 4, "condition"),
            None,
            "the go / no-go keeps the default Success"
        );
    }
}

/// Issue point 8: OCL:README.md#L28-L35 — `attribute = name, "=", literal | dictionary` and
/// `dictionary = "{", newline, [ dictionary_entry, newline ], "}"`: one attribute a line, no commas;
/// #L125: name, `=` and value on one line; #L161: "The closing brace must be on a line by itself".
/// The old snippet's JSON separated every member with a comma.
#[test]
fn ocl_has_one_attribute_a_line_no_commas_and_braces_that_close_alone() {
    for platform in ["kubernetes", "ecs", "serverless", "vm", "other"] {
        let p = plan(&spec("octopus", platform, "blue-green", true, ""));
        for line in snippet(&p).lines() {
            // The line with its quoted strings left out (OCL strings hold no line break).
            let mut bare = String::new();
            let (mut quoted, mut escaped) = (false, false);
            for c in line.chars() {
                match (quoted, escaped, c) {
                    (true, true, _) => escaped = false,
                    (true, false, '\\') => escaped = true,
                    (true, false, '"') => quoted = false,
                    (true, false, _) => {}
                    (false, _, '"') => quoted = true,
                    (false, _, c) => bare.push(c),
                }
            }
            assert!(!bare.contains(','), "{platform}: a comma in {line:?}");
            assert!(bare.matches('=').count() <= 1, "{platform}: two attributes in {line:?}");
            assert!(!bare.contains('}') || bare.trim() == "}", "{platform}: {line:?}");
        }
    }
}

/// Issue point 13: the Octopus fallback script ended in prose ("… delete deployment/web (or helm
/// uninstall of its release)"). Octopus runs `Octopus.Action.Script.ScriptBody` with the Bash syntax
/// (ocl-file-format's example), so it must pass `bash -n` and hold commands only, or the line that stops
/// an unfilled script.
#[test]
fn the_fallback_script_parses_in_bash_and_holds_only_commands() {
    for platform in ["kubernetes", "ecs", "serverless", "vm", "other"] {
        for update in [false, true] {
            let p = plan(&spec("octopus", platform, "canary", update, ""));
            let body = script(snippet(&p));
            let file = std::env::temp_dir().join(format!("planb-octopus-{platform}-{update}.sh"));
            std::fs::write(&file, &body).unwrap();
            let status = std::process::Command::new("bash").arg("-n").arg(&file).status().unwrap();
            assert!(status.success(), "{platform}: bash -n rejects:\n{body}");
            for line in body.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
                let first = line.split_whitespace().next().unwrap();
                assert!(["set", "kubectl", "aws", "echo"].contains(&first), "{platform}: not a command: {line}");
            }
            assert!(!body.contains("(or helm uninstall"), "{body}");
        }
    }
    let k8s = script(snippet(&plan(&spec("octopus", "kubernetes", "canary", false, ""))));
    assert_eq!(k8s, "set -eu\nkubectl --namespace shop delete deployment/orders-api\n");
}

/// Issue point 1: octopus.com/docs/deployments/patterns/rollbacks — "You can re-deploy the previous
/// version, `1.1.20`, to **QA** by going to that release and clicking on the **REDEPLOY** button";
/// octopus.com/docs/octopus-rest-api/cli/octopus-release-deploy — `octopus release deploy --project
/// MyProject --version 1.0 --environment Dev`. The way back is a manual action; nothing deletes the
/// running version (the old plan's ladder removed the workload on an update too).
#[test]
fn an_update_redeploys_the_previous_release_by_hand_and_removes_nothing() {
    for platform in ["kubernetes", "ecs", "vm"] {
        let p = plan(&spec("octopus", platform, "canary", true, ""));
        let back = rung(&p, RungKind::ToolRollback);
        assert_eq!(back.step, 2);
        assert_eq!(back.title, "Redeploy release 5.1.3");
        assert!(back.how.starts_with("A manual action"), "{}", back.how);
        assert!(back.how.contains("clicking on the REDEPLOY button"), "{}", back.how);
        assert!(
            back.how.contains("octopus release deploy --project PROJECT --version 5.1.3 --environment ENVIRONMENT"),
            "{}",
            back.how
        );
        assert!(source_keys(&p).contains(&"OCT-ROLLBACK"));
        let body = script(snippet(&p));
        assert!(!body.contains(" delete") && !body.contains("--replicas=0"), "{platform}: {body}");
    }
    let k8s = script(snippet(&plan(&spec("octopus", "kubernetes", "canary", true, ""))));
    assert!(k8s.contains("kubectl --namespace shop rollout undo deployment/orders-api"), "{k8s}");
    let vm = script(snippet(&plan(&spec("octopus", "vm", "canary", true, ""))));
    assert!(vm.contains("planb: fill in before running") && vm.contains("REDEPLOY"), "{vm}");
    // octopus.com/docs/deployments/patterns/blue-green-deployments: "Since green still runs the old
    // code, we can roll back easily".
    let bg = plan(&spec("octopus", "vm", "blue-green", true, ""));
    assert!(rung(&bg, RungKind::ToolRollback).title.contains("environment that runs 5.1.3"));
}

/// A first deployment has no previous release to redeploy (rollbacks docs): the ladder routes away and
/// removes the new version with the Failure step, never a rollback.
#[test]
fn a_first_deployment_removes_the_new_version_with_the_failure_step() {
    let p = plan(&spec("octopus", "ecs", "all-at-once", false, ""));
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(removal.how.contains("run condition is Failure"), "{}", removal.how);
    assert!(
        removal.how.contains("aws ecs delete-service --cluster shop --service orders-api --force"),
        "{}",
        removal.how
    );
    assert!(p.tool_rollback.effect.contains("a first deployment has none"), "{}", p.tool_rollback.effect);
    let body = script(snippet(&p));
    assert!(body.contains("aws ecs delete-service --cluster shop --service orders-api --force"), "{body}");
    assert!(!body.contains("rollout undo"));
}

/// Octopus deploys anywhere a script reaches (octopus.com/docs/deployments: Kubernetes, virtual
/// machines, AWS, Azure, Google Cloud, "anything, anywhere"); planb's Octopus snippet is a script step,
/// so no combination is refused.
#[test]
fn no_platform_or_strategy_is_refused() {
    for platform in ["kubernetes", "ecs", "serverless", "vm", "other"] {
        for strategy in ["canary", "blue-green", "rolling", "all-at-once"] {
            assert!(!refused(&plan(&spec("octopus", platform, strategy, true, ""))), "{platform} {strategy}");
        }
    }
}

/// octopus.com/docs/projects/variables/variable-substitutions: Octopus substitutes `#{Name}` in step
/// properties, and `##{` stands for a literal `#{`. The old snippet escaped it in JSON; the OCL must too.
#[test]
fn user_text_cannot_become_an_octopus_variable() {
    let p = plan(&spec("octopus", "vm", "canary", false, "").replace("Dana Kim", "\"#{Octopus.Deployment.Id}\""));
    let instructions =
        attribute(&step(snippet(&p), "go-no-go"), 12, "Octopus.Action.Manual.Instructions").unwrap().to_string();
    assert!(instructions.contains("##{Octopus.Deployment.Id}"), "{instructions}");
}
