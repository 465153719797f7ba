//! Reading input, writing output files atomically, and colour only on a terminal, over a [`Host`].

use std::path::Path;

use super::host::{Host, Stream};

/// Reads a file's text, or standard input's for `-`: the name it is reported under, and the text.
pub fn read_input(host: &dyn Host, path: &Path) -> Result<(String, String), String> {
    if path.as_os_str() == "-" {
        let bytes = host.read_stdin().map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        let text = String::from_utf8(bytes).map_err(|_| "<stdin>: not UTF-8 text".to_string())?;
        return Ok(("<stdin>".to_string(), text));
    }
    let name = path.display().to_string();
    let bytes = host.read_file(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
    Ok((name, text))
}

/// Writes a file so that readers see either the old content or the new, never a part:
/// the text goes to a temporary file beside it, which is then renamed over it.
pub fn write_atomic(host: &dyn Host, path: &Path, text: &str) -> Result<(), String> {
    let name = path.display().to_string();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().ok_or_else(|| format!("{name}: not a file name"))?;
    let tmp = dir.join(format!(".{}.planb-{}.tmp", file_name.to_string_lossy(), host.run_id()));
    let result = host.write_file(&tmp, text).and_then(|()| host.rename(&tmp, path));
    result.map_err(|e| {
        host.remove_file(&tmp);
        format!("{name}: cannot write: {e}")
    })
}

/// Writes text to a file, or to standard output when no file is given.
pub fn emit(host: &dyn Host, output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => write_atomic(host, path, text),
        None => host.write(Stream::Stdout, text).map_err(|e| format!("cannot write to standard output: {e}")),
    }
}

/// ANSI styles, used only when the stream is a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
pub struct Paint(bool);

impl Paint {
    pub fn of(host: &dyn Host, stream: Stream) -> Paint {
        let no_colour = host.env("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = host.env("TERM").is_some_and(|t| t == "dumb");
        Paint(host.is_terminal(stream) && !no_colour && !dumb)
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

/// Prints a warning to standard error.
pub fn warn(host: &dyn Host, message: &str) {
    let paint = Paint::of(host, Stream::Stderr);
    let _ = host.write(Stream::Stderr, &format!("{} {message}\n", paint.yellow("warning:")));
}

/// Prints an error to standard error.
pub fn error(host: &dyn Host, message: &str) {
    let paint = Paint::of(host, Stream::Stderr);
    let _ = host.write(Stream::Stderr, &format!("{} {message}\n", paint.red("error:")));
}

/// `n` and the noun that goes with it: "1 error", "2 errors".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
