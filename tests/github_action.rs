//! The GitHub Action (action.yml, action/main.mjs): its metadata passes the action schema
//! (check-jsonschema's `vendor.github-actions`, installed by `bash scripts/setup.sh validators`), and
//! run as the runner runs it (inputs as `INPUT_*`, outputs to `$GITHUB_OUTPUT`) with the npm
//! package the build leaves in target/pkg, it annotates, writes SARIF and fails as documented.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_action_metadata_passes_the_action_schema() {
    let tool = Path::new(ROOT).join("target/validators/venv/bin/check-jsonschema");
    assert!(tool.is_file(), "check-jsonschema is not installed: run `bash scripts/setup.sh validators`");
    let o = Command::new(tool)
        .args(["--builtin-schema", "vendor.github-actions", "action.yml"])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    // JavaScript actions on GitHub's runners run on Node 24 (Node 20 is being removed from them).
    let metadata = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    assert!(metadata.contains("  using: node24\n"), "{metadata}");
}

/// Runs the action in `dir` with `inputs` (name, value), as the runner does.
fn action(dir: &Path, inputs: &[(&str, &str)]) -> (Output, String) {
    let package = Path::new(ROOT).join("target/pkg");
    assert!(package.join("planb.mjs").is_file(), "the npm package is not built: run `bash scripts/build-site.sh`");
    let outputs = dir.join("github-output.txt");
    std::fs::write(&outputs, "").unwrap();
    let mut command = Command::new("node");
    command.arg(Path::new(ROOT).join("action/main.mjs")).current_dir(dir).env("GITHUB_OUTPUT", &outputs);
    command.env("INPUT_PACKAGE", &package).env("NPM_CONFIG_CACHE", dir.join("npm-cache"));
    for (name, value) in inputs {
        // The runner's names: INPUT_ and the input's name in capitals (a `-` stays).
        command.env(format!("INPUT_{}", name.to_uppercase()), value);
    }
    let o = command.output().unwrap();
    (o, std::fs::read_to_string(outputs).unwrap())
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    dir
}

/// A rollback job that runs only on success: GitHub skips it after the failure that calls for it
/// (PB222, an error); with `failure()` it runs then.
fn workflow(condition: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps: [{{ run: ./deploy.sh }}]\n  \
         rollback:\n    needs: deploy\n    if: {condition}\n    runs-on: ubuntu-latest\n    steps: [{{ run: ./undo.sh }}]\n"
    )
}

#[test]
fn the_action_annotates_writes_sarif_and_fails_on_an_error() {
    let dir = scratch("github-action");
    let file = ".github/workflows/deploy.yml";
    std::fs::write(dir.join(file), workflow("success()")).unwrap();
    let (o, outputs) = action(&dir, &[("paths", file), ("sarif-file", "planb.sarif")]);
    let log = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{log}{}", String::from_utf8_lossy(&o.stderr));
    let line = workflow("success()").lines().position(|l| l.trim() == "if: success()").unwrap() + 1;
    assert!(log.contains(&format!("::error file={file},line={line},col=5,title=PB222 ")), "{log}");
    assert_eq!(outputs, "exit-code=1\n");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("planb.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "PB222" && r["level"] == "error"), "{sarif}");

    // The log in another format: planb's text.
    let (o, _) = action(&dir, &[("paths", file), ("format", "text"), ("sarif-file", "")]);
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("{file}:{line}:5: error[PB222]")));
    // `fail-on: never` reports and passes; a fixed workflow passes.
    let (o, outputs) = action(&dir, &[("paths", file), ("fail-on", "never"), ("sarif-file", "")]);
    assert_eq!((o.status.code(), outputs.as_str()), (Some(0), "exit-code=1\n"));
    std::fs::write(dir.join(file), workflow("failure()")).unwrap();
    let (o, outputs) = action(&dir, &[("paths", file)]);
    assert_eq!(
        (o.status.code(), outputs.as_str()),
        (Some(0), "exit-code=0\n"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // No paths: an error, not a silent pass.
    let (o, _) = action(&dir, &[("paths", " ")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("::error "));
}
