//! The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit (PyPI, installed into
//! target/validators/venv by `bash scripts/setup.sh validators`): the manifest validates, and
//! `pre-commit try-repo` over a fixture repository fails on an error-level finding and passes once it
//! is fixed, with the native planb on PATH and with the npm package's planb for Node.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn pre_commit() -> PathBuf {
    let tool = Path::new(ROOT).join("target/validators/venv/bin/pre-commit");
    assert!(tool.is_file(), "pre-commit is not installed ({}): run `bash scripts/setup.sh validators`", tool.display());
    tool
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn the_hook_manifest_and_the_documented_configuration_are_valid() {
    let run = |args: &[&str]| Command::new(pre_commit()).args(args).current_dir(ROOT).output().unwrap();
    let o = run(&["validate-manifest", ".pre-commit-hooks.yaml"]);
    assert!(o.status.success(), "{}", text(&o));
    let config = "docs/publishing/pre-commit-config.yaml";
    let o = run(&["validate-config", config]);
    assert!(o.status.success(), "{}", text(&o));
    // It names hooks the manifest has.
    let manifest = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let documented = std::fs::read_to_string(Path::new(ROOT).join(config)).unwrap();
    for id in documented.lines().filter_map(|l| l.trim().strip_prefix("- id: ")) {
        assert!(manifest.contains(&format!("- id: {id}\n")), "{id} is not a hook of .pre-commit-hooks.yaml");
    }
}

/// A workflow whose rollback job runs only on success: GitHub skips it after the deploy fails, the
/// very failure that calls for it (PB222, an error). With `failure()` it runs then.
fn workflow(condition: &str) -> String {
    format!(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps: [{{ run: ./deploy.sh }}]\n  \
         rollback:\n    needs: deploy\n    if: {condition}\n    runs-on: ubuntu-latest\n    steps: [{{ run: ./undo.sh }}]\n"
    )
}

/// A folder holding only a `planb` command that runs `target`: the binary itself, or Node on the
/// npm package's planb.mjs.
fn path_with_planb(dir: &Path, node: bool) -> String {
    let bin = dir.join(if node { "bin-node" } else { "bin-native" });
    std::fs::create_dir_all(&bin).unwrap();
    let command = if node {
        let script = Path::new(ROOT).join("target/pkg/planb.mjs");
        assert!(script.is_file(), "the npm package is not built: run `bash scripts/build-site.sh`");
        format!("exec node '{}' \"$@\"", script.display())
    } else {
        format!("exec '{}' \"$@\"", env!("CARGO_BIN_EXE_planb"))
    };
    let planb = bin.join("planb");
    std::fs::write(&planb, format!("#!/bin/sh\n{command}\n")).unwrap();
    let mut permissions = std::fs::metadata(&planb).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&planb, permissions).unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git").args(args).current_dir(dir).output().unwrap();
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
}

#[test]
fn try_repo_fails_on_an_error_level_finding_and_passes_when_it_is_fixed() {
    for node in [false, true] {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(if node { "pre-commit-node" } else { "pre-commit-native" });
        let _ = std::fs::remove_dir_all(&dir);
        let repo = dir.join("repo");
        std::fs::create_dir_all(repo.join(".github/workflows")).unwrap();
        git(&repo, &["init", "--quiet"]);
        let path = path_with_planb(&dir, node);
        let run = |condition: &str| {
            std::fs::write(repo.join(".github/workflows/deploy.yml"), workflow(condition)).unwrap();
            Command::new(pre_commit())
                .args(["try-repo", ROOT, "planb-pipeline", "--files", ".github/workflows/deploy.yml"])
                .current_dir(&repo)
                .env("PATH", &path)
                .env("PRE_COMMIT_HOME", dir.join("cache"))
                .env("NO_COLOR", "1")
                .output()
                .unwrap()
        };
        let failing = run("success()");
        assert_eq!(failing.status.code(), Some(1), "node: {node}\n{}", text(&failing));
        assert!(text(&failing).contains("error[PB222]"), "node: {node}\n{}", text(&failing));
        let fixed = run("failure()");
        assert_eq!(fixed.status.code(), Some(0), "node: {node}\n{}", text(&fixed));
    }
}
