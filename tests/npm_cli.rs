//! The npm package's `planb` command for Node (target/pkg/planb.mjs, built by scripts/build-site.sh)
//! against the native binary: for every example and pipeline fixture, the same arguments give the
//! same standard output, standard error, exit code and written files, byte for byte.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/run.rs"]
mod run;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn node_planb() -> PathBuf {
    let bin = Path::new(ROOT).join("target/pkg/planb.mjs");
    assert!(
        bin.is_file(),
        "the npm package is not built ({} is missing): run `bash scripts/build-site.sh`",
        bin.display()
    );
    bin
}

/// Runs `planb ARGS` natively and in Node, in `dir`, with `stdin`; both must agree.
fn both(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let run = |mut command: Command| run::with_stdin(command.args(args).current_dir(dir), stdin);
    let native = run(Command::new(env!("CARGO_BIN_EXE_planb")));
    let mut node = Command::new("node");
    node.arg(node_planb());
    let node = run(node);
    let shown = |o: &Output| {
        format!(
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };
    assert!(
        native.status.code() == node.status.code() && native.stdout == node.stdout && native.stderr == node.stderr,
        "planb {args:?} differs in Node\n=== native: {}\n=== node: {}",
        shown(&native),
        shown(&node)
    );
    native
}

/// How the pipeline fixtures' names end: every format planb reads.
const PIPELINE_FILES: &[&str] = &[".yaml", ".yml", ".json", ".ocl", "Jenkinsfile"];

#[test]
fn check_agrees_in_every_format_on_every_example_and_pipeline_fixture() {
    let root = Path::new(ROOT);
    let mut all = run::files_under("examples", &[".yaml", ".json"]);
    all.extend(run::files_under("tests/pipelines", PIPELINE_FILES));
    for format in ["text", "json", "sarif", "github", "gitlab"] {
        let mut args = vec!["check", "--format", format];
        args.extend(all.iter().map(String::as_str));
        let o = both(root, &args, "");
        assert_eq!(o.status.code(), Some(1), "some examples have error-level findings");
    }
    for file in &all {
        both(root, &["check", file], "");
    }
    // Input that does not read, standard input, a missing file, bad usage.
    both(root, &["check", "-"], "component: { name: a }\nrollout: { steps: [10, 150] }\n");
    both(root, &["check", "-", "--format", "sarif"], "component:\n  name: [unclosed\n");
    both(root, &["check", "no-such-file.yaml", "--format", "github"], "");
    both(root, &["check", "--format", "xml", "examples/minimal.yaml"], "");
}

#[test]
fn render_and_import_agree_on_every_example_and_fixture() {
    let root = Path::new(ROOT);
    for example in run::files_under("examples", &[".yaml", ".json"]) {
        both(root, &["render", &example], "");
        both(root, &["link", &example, "--base", "https://plans.example.com/"], "");
    }
    for format in planb::render::FORMATS.iter().map(|f| f.key) {
        for style in ["detailed", "brief"] {
            both(
                root,
                &["render", "examples/harness-blue-green-destructive.yaml", "--format", format, "--style", style],
                "",
            );
        }
    }
    for fixture in run::files_under("tests/pipelines", PIPELINE_FILES) {
        both(root, &["import", &fixture], "");
    }
    both(
        root,
        &[
            "import",
            "tests/pipelines/argo-rollouts/background-analysis/rollout.yaml",
            "tests/pipelines/argo-rollouts/background-analysis/analysis-templates.yaml",
        ],
        "",
    );
    for args in [
        &["--help"][..],
        &["--version"],
        &["check", "--help"],
        &["import", "--help"],
        &["schema"],
        &["init", "--tool", "gitlab"],
    ] {
        both(root, args, "");
    }
}

#[test]
fn files_written_with_o_are_the_same_and_written_whole() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("npm-cli-written");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let example = Path::new(ROOT).join("examples/harness-blue-green-destructive.yaml");
    let mut written = Vec::new();
    for (i, runner) in ["native", "node"].iter().enumerate() {
        let out = dir.join(format!("plan-{runner}.md"));
        let mut command = if i == 0 { Command::new(env!("CARGO_BIN_EXE_planb")) } else { Command::new("node") };
        if i == 1 {
            command.arg(node_planb());
        }
        let o = command
            .args(["render", &example.display().to_string(), "-o", &out.display().to_string()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{runner}: {}", String::from_utf8_lossy(&o.stderr));
        written.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(written[0], written[1]);
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
    // `init` refuses to overwrite, in both.
    let existing = dir.join("plan-native.md");
    both(&dir, &["init", "-o", &existing.display().to_string()], "");
}
