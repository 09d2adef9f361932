//! The request log: the last N requests the emulator saw (N = [`DEFAULT_CAPACITY`]
//! unless configured), each with the status it answered.
//!
//! It lives in memory only, for tests to assert on. Unlike `tracing` output it keeps
//! headers and bodies verbatim (including credentials), because tests check exactly
//! what the client sent.

use std::collections::VecDeque;
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

/// Default capacity of the request log: plenty for any test, bounded for a
/// long-running emulator under load.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// The last N [`LoggedRequest`]s, in completion order: a ring buffer, so a
/// long-running emulator does not grow without limit.
#[derive(Debug)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
    capacity: usize,
}

impl Default for RequestLog {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl RequestLog {
    /// A log keeping the last `capacity` requests (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        RequestLog { entries: Mutex::new(VecDeque::with_capacity(capacity.min(1024))), capacity }
    }

    /// How many requests it keeps.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Records one finished request, forgetting the oldest when full.
    pub fn push(&self, entry: LoggedRequest) {
        let mut entries = self.lock();
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// A copy of every entry kept, oldest first.
    pub fn snapshot(&self) -> Vec<LoggedRequest> {
        self.lock().iter().cloned().collect()
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(n: usize) -> LoggedRequest {
        LoggedRequest {
            method: "GET".into(),
            path: format!("/{n}"),
            query: None,
            headers: Vec::new(),
            body: String::new(),
            body_bytes: Bytes::new(),
            status: 200,
            at: Instant::now(),
        }
    }

    #[test]
    fn keeps_only_the_last_n() {
        let log = RequestLog::with_capacity(3);
        for n in 0..5 {
            log.push(req(n));
        }
        let paths: Vec<String> = log.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, ["/2", "/3", "/4"]);
        assert_eq!(RequestLog::with_capacity(0).capacity(), 1);
    }
}
