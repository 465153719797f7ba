//! What the command line needs of the machine it runs on: files, standard streams, the terminal.
//! The native binary's host is the file system itself (src/bin/planb/host.rs); the npm package's
//! is Node's `fs` and `process`, reached through Wasm (src/wasm/cli.rs). Everything else the command
//! line does, its words and its exit codes, is the same code on both.

use std::path::Path;

/// A standard output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// The machine's side of the command line. Each error is the reason in a few words, as the
/// command line shows it after the file's name: "no such file", "permission denied".
pub trait Host {
    /// A file's bytes.
    fn read_file(&self, path: &Path) -> Result<Vec<u8>, String>;
    /// All of standard input.
    fn read_stdin(&self) -> Result<Vec<u8>, String>;
    /// Whether a file or folder is at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// Writes a new file, flushed to the disk.
    fn write_file(&self, path: &Path, text: &str) -> Result<(), String>;
    /// Moves a file over another.
    fn rename(&self, from: &Path, to: &Path) -> Result<(), String>;
    fn remove_file(&self, path: &Path);
    /// Writes to a stream; a reader that went away (`planb render x | head`) is no error.
    fn write(&self, stream: Stream, text: &str) -> Result<(), String>;
    /// Whether a stream is a terminal.
    fn is_terminal(&self, stream: Stream) -> bool;
    /// An environment variable (`NO_COLOR`, `TERM`).
    fn env(&self, name: &str) -> Option<String>;
    /// The working directory, absolute.
    fn working_directory(&self) -> Option<String>;
    /// A number for this run, that no other run writing the same folder has now (the process id).
    fn run_id(&self) -> u32;
    /// `planb build`: a whole site, with its threads and progress bar; the native binary's alone.
    fn build(&self, command: &super::Command) -> Result<i32, String> {
        let _ = command;
        Err("planb build is in the native planb only (it writes a whole site in parallel): use the planb binary".into())
    }
}
