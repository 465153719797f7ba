//! The `planb` command line: its arguments, commands, words and exit codes, over a [`Host`] that
//! reads and writes for it. The native binary (src/bin/planb/) and the npm package's `planb` command
//! for Node (src/wasm/cli.rs) run this same code, so they take the same arguments and print the same
//! bytes.

mod args;
mod commands;
mod host;
pub mod output;

use std::ffi::OsString;

pub use args::Command;
pub use host::{Host, Stream};

/// Exit codes, as documented in `--help`.
pub mod exit {
    /// Success; for `check`, no error-level finding.
    pub const OK: i32 = 0;
    /// `check` found at least one error-level finding.
    pub const FINDINGS: i32 = 1;
    /// Invalid input or usage.
    pub const INVALID: i32 = 2;
}

/// Runs the command line with the given arguments (without the program's name) and returns the
/// exit code.
pub fn run(argv: Vec<OsString>, host: &dyn Host) -> i32 {
    let command = match args::parse(argv) {
        Ok(command) => command,
        Err(message) => {
            output::error(host, &format!("{message}\n\nRun `planb --help` for usage."));
            return exit::INVALID;
        }
    };
    match commands::execute(command, host) {
        Ok(code) => code,
        Err(message) => {
            output::error(host, &message);
            exit::INVALID
        }
    }
}
