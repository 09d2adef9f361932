//! What a command can fail with, and the exit code each failure maps to.

use std::fmt;

use lpconfig::{Error, ErrorKind};

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: bad usage, bad configuration or a bad input file.
pub const EXIT_USAGE: u8 = 1;
/// Exit code: the API (or the network) failed.
pub const EXIT_API: u8 = 2;
/// Exit code: `sync --detailed-exitcode` found changes to make.
pub const EXIT_CHANGES: u8 = 3;
/// Exit code: interrupted (Ctrl-C) during `sync --apply`, after the current batch.
pub const EXIT_INTERRUPTED: u8 = 130;

/// A failure: one line for the user, optional detail for `-v`.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The one-line message (never a secret).
    pub message: String,
    /// Extra lines shown with `-v`.
    pub detail: Option<String>,
}

impl Failure {
    /// A usage or configuration error (exit 1).
    pub fn usage(message: impl Into<String>) -> Self {
        Self { code: EXIT_USAGE, message: message.into(), detail: None }
    }

    /// An API error (exit 2).
    pub fn api(message: impl Into<String>) -> Self {
        Self { code: EXIT_API, message: message.into(), detail: None }
    }

    /// Adds `-v` detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Prefixes the message with what was being done.
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = if e.kind() == ErrorKind::Config { EXIT_USAGE } else { EXIT_API };
        let d = e.details();
        let mut detail = format!("kind: {} ({:?})", e.kind().code(), e.kind());
        if let Some(s) = d.status {
            detail.push_str(&format!("\nstatus: {s}"));
        }
        if let (Some(m), Some(u)) = (&d.method, &d.url) {
            detail.push_str(&format!("\nrequest: {m} {u}"));
        }
        if d.attempts > 1 {
            detail.push_str(&format!("\nattempts: {}", d.attempts));
        }
        if let Some(c) = d.internal_code {
            detail.push_str(&format!("\ninternal code: {c}"));
        }
        if let Some(b) = &d.body {
            detail.push_str(&format!("\nbody: {b}"));
        }
        Self { code, message: e.to_string(), detail: Some(detail) }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::usage(e.to_string())
    }
}

/// The CLI's `Result`.
pub type CliResult<T = ()> = Result<T, Failure>;
