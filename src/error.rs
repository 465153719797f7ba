//! The one error type of the library: what went wrong, where, and in which field.

use std::fmt;

/// A position in a source document (both 1-based; columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
}

/// The broad class of an error, so callers can react without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The text is not well-formed in its format (YAML, JSON, OCL, a Jenkinsfile).
    Syntax,
    /// The document is well-formed but does not describe a valid spec.
    InvalidSpec,
    /// A template failed to render (a bug in planb, never the user's fault).
    Render,
}

/// An error with its kind, message, and where known the field path and position.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The field path, e.g. `rollout.steps[1]`; `None` for the document root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub mark: Option<Mark>,
    /// The file (or `<stdin>`) the document came from, when the caller named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), path: None, mark: None, origin: None }
    }

    /// Sets the position unless one is already known (the innermost position wins).
    pub fn at(mut self, mark: Mark) -> Error {
        self.mark.get_or_insert(mark);
        self
    }

    /// Sets the field path unless one is already known.
    pub fn in_field(mut self, path: String) -> Error {
        if self.path.is_none() && !path.is_empty() {
            self.path = Some(path);
        }
        self
    }

    /// Names the file the document came from.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Error {
        self.origin = Some(origin.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            write!(f, "{origin}:")?;
        }
        if let Some(m) = self.mark {
            write!(f, "{}:{}:", m.line, m.column)?;
        }
        if self.origin.is_some() || self.mark.is_some() {
            f.write_str(" ")?;
        }
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error::new(ErrorKind::InvalidSpec, msg.to_string())
    }
}
