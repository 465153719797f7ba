//! Runs a command with text on its standard input, and keeps all it wrote; lists the files a
//! command is run over.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The files under `dir` (relative to the repository) whose names end in one of `endings`, as
/// paths relative to the repository, sorted.
#[allow(dead_code)] // tests/cli.rs runs commands but lists no files
pub fn files_under(dir: &str, endings: &[&str]) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join(dir), &mut out);
    let mut names: Vec<String> = out
        .into_iter()
        .filter(|p| endings.iter().any(|e| p.to_string_lossy().ends_with(e)))
        .map(|p| p.strip_prefix(root).unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

/// Runs `command` with `stdin` written to its standard input (closed after it), `NO_COLOR` set.
pub fn with_stdin(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}
