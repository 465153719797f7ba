//! Jenkins declarative Pipeline, from www.jenkins.io/doc/book/pipeline/syntax/ (SYNTAX) and the
//! plugins' source: pipeline-input-step@d2b888df InputStepExecution.java#L303-L310 (ABORT: Abort
//! throws FlowInterruptedException(Result.ABORTED)); workflow-basic-steps@a789b075
//! TimeoutStep/help.html#L2-L4 (TIMEOUT: "an exception … is thrown, which leads to aborting the
//! build"); pipeline-model-definition@42c9dc3e ModelInterpreter.groovy#L244-L250 (SKIP: after an error
//! every later stage is skipped before its `when`) and #L86-L124 (POST: the pipeline's post runs even
//! so), BuildCondition.java#L179-L186 (a FlowInterruptedException gives ABORTED, any other error
//! FAILURE); workflow-cps@e007b7ff ReplayAction (REBUILD: Rebuild and Replay copy the build's
//! parameters and SCM revision).

use planb::plan::RungKind;

use super::github_actions::assert_commands_only;
use super::support::*;

const PLATFORMS: [&str; 5] = ["kubernetes", "ecs", "serverless", "vm", "other"];
const STRATEGIES: [&str; 4] = ["canary", "blue-green", "rolling", "all-at-once"];

/// The body of the block that opens at `header` (e.g. `post {`), braces inside Groovy strings and
/// `//` comments aside.
fn block<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text.find(header).unwrap_or_else(|| panic!("no {header:?} in\n{text}")) + header.len();
    let bytes = text.as_bytes();
    let (mut depth, mut quoted, mut i) = (1, false, start);
    while i < bytes.len() {
        match (quoted, bytes[i]) {
            (true, b'\\') => i += 1,
            (_, b'\'') => quoted = !quoted,
            (false, b'/') if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            (false, b'{') => depth += 1,
            (false, b'}') => {
                depth -= 1;
                if depth == 0 {
                    return &text[start..i];
                }
            }
            _ => {}
        }
        i += 1;
    }
    panic!("{header:?} is not closed")
}

/// The scripts of the `sh('…')` steps of a block, as the shell gets them (Groovy's `\\`, `\'`, `\n`,
/// `\r`, `\t` and `\uXXXX` undone).
fn sh_scripts(block: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(at) = rest.find("sh('") {
        let mut script = String::new();
        let mut chars = rest[at + 4..].char_indices();
        let mut end = 0;
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    end = at + 4 + i;
                    break;
                }
                '\\' => match chars.next().map(|(_, e)| e) {
                    Some('n') => script.push('\n'),
                    Some('r') => script.push('\r'),
                    Some('t') => script.push('\t'),
                    Some('u') => {
                        let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, h)| h)).collect();
                        script.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    Some(other) => script.push(other),
                    None => {}
                },
                c => script.push(c),
            }
        }
        out.push(script);
        rest = &rest[end + 1..];
    }
    out
}

/// Issue point 5. ABORT and TIMEOUT: Abort on the input, or its timeout, aborts the build; SKIP: every
/// later stage is then skipped, `when` or not; POST: the pipeline's post still runs, `aborted` for
/// the FlowInterruptedException and `failure` for any other error. So the snippet is a whole
/// `pipeline { }` whose post holds the fallback in both conditions, and no stage after the input
/// falls back. Catches the old snippet: a `stage('Fallback')` with a `when` after the go / no-go.
#[test]
fn the_fallback_sits_in_the_pipelines_post_for_an_abort_a_timeout_and_a_failure() {
    let p = plan(&spec("jenkins", "kubernetes", "canary", false, ""));
    let body = snippet(&p);
    let pipeline = block(body, "pipeline {");
    let stages = block(pipeline, "stages {");
    assert!(!stages.contains("stage('Fallback')"), "a stage after the input is skipped:\n{stages}");
    let post = block(pipeline, "post {");
    assert!(!stages.contains("post {"), "post at the pipeline's top level, not in a stage");
    for condition in ["failure {", "aborted {"] {
        let scripts = sh_scripts(block(post, condition));
        assert!(
            scripts.iter().any(|s| s.contains("kubectl --namespace shop delete deployment/orders-api")),
            "{condition}: {scripts:?}"
        );
    }
    let gate = block(stages, "stage('Go / no-go') {");
    let timeout = block(gate, "timeout(time: 720, unit: 'SECONDS') {");
    assert!(timeout.contains("input(message:"), "the input waits at most the 12m decision window:\n{gate}");
    let removal = rung(&p, RungKind::RemoveWorkload);
    assert!(removal.how.contains("post { failure") && removal.how.contains("aborted"), "{}", removal.how);
    assert!(source_keys(&p).contains(&"JNK-SKIP") && source_keys(&p).contains(&"JNK-POST-RESULT"));
}

/// Issue point 1. SYNTAX `parameters`: values "a user should provide when triggering the Pipeline",
/// exported as environment variables; REBUILD: Rebuild runs a build again with its parameters and SCM
/// revision. The ladder returns to 5.1.3 with a build of VERSION 5.1.3 or a Rebuild, and the post
/// section redeploys 5.1.3 without deleting anything. The UI label of the form is not in the
/// sources read: it stays to confirm. Catches the old files: the neutral "Redeploy 5.1.3 … with the
/// same pipeline", and a Fallback stage that ran the platform's delete command on an update.
#[test]
fn an_update_redeploys_the_previous_version_from_post_and_deletes_nothing() {
    let p = plan(&spec("jenkins", "serverless", "all-at-once", true, ""));
    let back = rung(&p, RungKind::ToolRollback);
    assert_eq!(back.step, 2);
    assert!(
        back.how.contains("Build with Parameters with VERSION 5.1.3") && back.how.contains("Rebuild"),
        "{}",
        back.how
    );
    assert!(p.tool_rollback.effect.contains("parameters and SCM revision"), "{}", p.tool_rollback.effect);
    assert!(p.to_confirm.iter().any(|c| c.contains("Build with Parameters")), "{:?}", p.to_confirm);
    let body = snippet(&p);
    let pipeline = block(body, "pipeline {");
    assert!(block(pipeline, "parameters {").contains("string(name: 'VERSION'"));
    let post = block(pipeline, "post {");
    for condition in ["failure {", "aborted {"] {
        let scripts = sh_scripts(block(post, condition)).join("\n");
        assert!(scripts.contains("VERSION=5.1.3"), "{condition}: {scripts}");
        assert!(!scripts.contains("delete"), "{condition}: the running version stays: {scripts}");
    }
    assert_eq!(
        kinds(&p),
        [RungKind::KillSwitch, RungKind::ToolRollback, RungKind::RemoveWorkload, RungKind::FixForward]
    );
}

/// A first deployment has no earlier build to rebuild (REBUILD), so the ladder routes traffic away
/// and the post section takes the new version out with the platform's command.
#[test]
fn a_first_deployment_takes_the_new_version_out_from_post() {
    let p = plan(&spec("jenkins", "ecs", "blue-green", false, ""));
    assert_eq!(kinds(&p), [RungKind::KillSwitch, RungKind::RouteAway, RungKind::RemoveWorkload, RungKind::FixForward]);
    assert!(p.summary.contains("no earlier version"), "{}", p.summary);
    let post = block(block(snippet(&p), "pipeline {"), "post {");
    let scripts = sh_scripts(block(post, "failure {")).join("\n");
    assert!(scripts.contains("aws ecs delete-service --cluster shop --service orders-api --force"), "{scripts}");
    assert!(!scripts.contains("VERSION="), "{scripts}");
}

/// Issue point 13: every `sh` script of every platform and situation parses in bash and runs
/// commands. Catches the old snippet's `echo(…)` prose steps, e.g. the step's "how" sentence.
#[test]
fn every_sh_script_parses_and_holds_only_commands() {
    for platform in PLATFORMS {
        for update in [false, true] {
            let p = plan(&spec("jenkins", platform, "rolling", update, ""));
            let body = snippet(&p);
            let scripts = sh_scripts(body);
            assert!(scripts.len() >= 4, "deploy, checks and the fallback twice: {scripts:?}");
            for script in scripts {
                assert_commands_only(&format!("{platform} update={update}"), &script);
            }
            assert!(!body.contains("echo("), "no prose echo steps:\n{body}");
        }
    }
}

/// A Jenkinsfile runs the commands of its steps (SYNTAX), so Jenkins deploys to every platform with
/// every strategy: nothing is refused.
#[test]
fn no_platform_or_strategy_is_refused() {
    for platform in PLATFORMS {
        for strategy in STRATEGIES {
            assert!(!refused(&plan(&spec("jenkins", platform, strategy, true, ""))), "{platform} {strategy}");
        }
    }
}
