//! Reading input, writing output files atomically, and colour only on a terminal.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

/// Reads a spec from a path, or from standard input for `-`.
pub fn read_input(path: &Path) -> Result<(String, String), String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| "<stdin>: not UTF-8 text".to_string())?;
        return Ok(("<stdin>".to_string(), text));
    }
    let name = path.display().to_string();
    let bytes = fs::read(path).map_err(|e| format!("{name}: cannot read: {}", io_reason(&e)))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    Ok((name, text))
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Writes a file so that readers see either the old content or the new, never a part:
/// the text goes to a temporary file beside it, which is then renamed over it.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), String> {
    let name = path.display().to_string();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().ok_or_else(|| format!("{name}: not a file name"))?;
    let tmp = dir.join(format!(".{}.planb-{}.tmp", file_name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        format!("{name}: cannot write: {}", io_reason(&e))
    })
}

/// Writes text to a file, or to standard output when no file is given.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => write_atomic(path, text),
        None => {
            let mut out = io::stdout().lock();
            // A closed pipe (e.g. `planb render x | head`) is not an error worth reporting.
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("cannot write to standard output: {e}")),
                _ => Ok(()),
            }
        }
    }
}

/// ANSI styles, used only when the stream is a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
pub struct Paint(bool);

impl Paint {
    pub fn stdout() -> Paint {
        Paint(io::stdout().is_terminal() && colour_allowed())
    }

    fn stderr() -> Paint {
        Paint(io::stderr().is_terminal() && colour_allowed())
    }

    /// Whether styles are written.
    pub fn enabled(self) -> bool {
        self.0
    }

    pub fn red(self, s: &str) -> String {
        self.wrap("1;31", s)
    }

    pub fn yellow(self, s: &str) -> String {
        self.wrap("1;33", s)
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Prints a warning to standard error.
pub fn warn(message: &str) {
    let paint = Paint::stderr();
    eprintln!("{} {message}", paint.yellow("warning:"));
}

/// Prints an error to standard error.
pub fn error(message: &str) {
    let paint = Paint::stderr();
    eprintln!("{} {message}", paint.red("error:"));
}

/// `n` and the noun that goes with it: "1 error", "2 errors".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
