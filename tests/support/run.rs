//! Runs a command with text on its standard input, and keeps all it wrote.

use std::io::Write;
use std::process::{Command, Output, Stdio};

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
