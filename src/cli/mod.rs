//! Argument parsing, commands and terminal output for the `planb` binary.

mod allocator;
mod args;
mod build;
mod commands;
mod output;

use std::ffi::OsString;

/// Exit codes, as documented in `--help`.
pub mod exit {
    /// Success; for `check`, no error-level finding.
    pub const OK: i32 = 0;
    /// `check` found at least one error-level finding.
    pub const FINDINGS: i32 = 1;
    /// Invalid input or usage.
    pub const INVALID: i32 = 2;
}

/// Runs the CLI with the given arguments and returns the exit code.
pub fn run(argv: Vec<OsString>) -> i32 {
    let command = match args::parse(argv) {
        Ok(command) => command,
        Err(message) => {
            output::error(&format!("{message}\n\nRun `planb --help` for usage."));
            return exit::INVALID;
        }
    };
    match commands::execute(command) {
        Ok(code) => code,
        Err(message) => {
            output::error(&message);
            exit::INVALID
        }
    }
}
