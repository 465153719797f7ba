//! The command line's host on this machine: `std::fs`, standard streams, the terminal.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use planb::cli::{Command, Host, Stream};

/// The machine the binary runs on.
pub struct Native;

fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

impl Host for Native {
    fn read_file(&self, path: &Path) -> Result<Vec<u8>, String> {
        fs::read(path).map_err(|e| reason(&e))
    }

    fn read_stdin(&self) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        Ok(bytes)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn write_file(&self, path: &Path, text: &str) -> Result<(), String> {
        let mut file = fs::File::create(path).map_err(|e| reason(&e))?;
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| reason(&e))
    }

    fn rename(&self, from: &Path, to: &Path) -> Result<(), String> {
        fs::rename(from, to).map_err(|e| reason(&e))
    }

    fn remove_file(&self, path: &Path) {
        let _ = fs::remove_file(path);
    }

    fn write(&self, stream: Stream, text: &str) -> Result<(), String> {
        let result = match stream {
            Stream::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| out.flush())
            }
            Stream::Stderr => io::stderr().lock().write_all(text.as_bytes()),
        };
        match result {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.to_string()),
            _ => Ok(()),
        }
    }

    fn is_terminal(&self, stream: Stream) -> bool {
        match stream {
            Stream::Stdout => io::stdout().is_terminal(),
            Stream::Stderr => io::stderr().is_terminal(),
        }
    }

    fn env(&self, name: &str) -> Option<String> {
        std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    fn working_directory(&self) -> Option<String> {
        std::env::current_dir().ok().map(|d| d.display().to_string())
    }

    fn run_id(&self) -> u32 {
        std::process::id()
    }

    fn build(&self, command: &Command) -> Result<i32, String> {
        let Command::Build { specs, out, base_url, keep_going, jobs } = command else {
            return Err("internal error, please report it: not a build".into());
        };
        let engine = planb::Engine::new().map_err(|e| format!("internal error, please report it: {e}"))?;
        let options = planb::site::BuildOptions {
            specs: specs.clone(),
            out: out.clone(),
            base_url: base_url.clone(),
            keep_going: *keep_going,
            jobs: *jobs,
        };
        super::build::run(self, &engine, &options)
    }
}
