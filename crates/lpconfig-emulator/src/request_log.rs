//! The request log: every request the emulator saw, with the status it answered.
//!
//! It lives in memory only, for tests to assert on. Unlike `tracing` output it keeps
//! headers and bodies verbatim (including credentials), because tests check exactly
//! what the client sent.

use std::sync::Mutex;
use std::time::Instant;

use bytes::Bytes;

/// One request and the status of its answer.
#[derive(Debug, Clone)]
pub struct LoggedRequest {
    /// Method, uppercase (`GET`).
    pub method: String,
    /// Path without query (`/api/account/demo/login`).
    pub path: String,
    /// Raw query string without `?`, when there was one (`v=1.3`).
    pub query: Option<String>,
    /// Headers in arrival order; names lowercase, values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// Body, lossily decoded as UTF-8.
    pub body: String,
    /// Body bytes exactly as received.
    pub body_bytes: Bytes,
    /// Status answered; `0` when the connection was reset instead.
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
}

impl LoggedRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Append-only (until cleared) list of [`LoggedRequest`]s, in completion order.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<Vec<LoggedRequest>>,
}

impl RequestLog {
    /// Records one finished request.
    pub fn push(&self, entry: LoggedRequest) {
        self.lock().push(entry);
    }

    /// A copy of every entry so far.
    pub fn snapshot(&self) -> Vec<LoggedRequest> {
        self.lock().clone()
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
