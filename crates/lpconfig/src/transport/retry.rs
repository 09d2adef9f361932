//! The documented retry policy (platform.md §4, decisions D11-D12) and its events.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why an attempt is being retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryReason {
    /// The server answered with this status (5xx or 429).
    Status(u16),
    /// The request failed below HTTP (connect, timeout, reset); the text says how.
    Transport(String),
}

impl RetryReason {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status(s) => Some(*s),
            Self::Transport(_) => None,
        }
    }
}

/// `status 503` or `transport: <how>`: the `reason` every binding's retry
/// event carries.
///
/// ```
/// use lpconfig::RetryReason;
/// assert_eq!(RetryReason::Status(503).to_string(), "status 503");
/// assert_eq!(RetryReason::Transport("connection reset".into()).to_string(), "transport: connection reset");
/// ```
impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(s) => write!(f, "status {s}"),
            Self::Transport(t) => write!(f, "transport: {t}"),
        }
    }
}

/// One retry, as reported to the hook and to `tracing`.
#[derive(Debug, Clone)]
pub struct RetryEvent {
    /// HTTP method of the request.
    pub method: String,
    /// URL of the request.
    pub url: String,
    /// The attempt that just failed (1 = the first send).
    pub attempt: u32,
    /// What went wrong.
    pub reason: RetryReason,
    /// How long the client waits before the next attempt.
    pub delay: Duration,
}

/// How a request failed below HTTP, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportFailure {
    /// The connection could not be opened: nothing was sent.
    Connect,
    /// The server's TLS certificate was rejected: the same on every try.
    Certificate,
    /// A timeout, a reset or a broken body: the request may have arrived.
    Other,
}

type Hook = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// When and how long to wait before sending a request again.
///
/// [`RetryPolicy::documented`] is LivePerson's published policy; tests shrink
/// the delays with [`RetryPolicy::with_server_delays`] and friends.
///
/// ```
/// use std::time::Duration;
/// use lpconfig::RetryPolicy;
/// let p = RetryPolicy::documented();
/// assert_eq!(p.server_delays, [5, 10, 15].map(Duration::from_secs));
/// assert_eq!(p.rate_limit_delay(0, None), Some(Duration::from_secs(1)));
/// assert_eq!(p.rate_limit_delay(1, Some(Duration::from_secs(7))), Some(Duration::from_secs(7)));
/// assert_eq!(p.rate_limit_delay(3, None), None);
/// ```
#[derive(Clone)]
pub struct RetryPolicy {
    /// Waits before each retry of a 5xx or transport failure; its length is the
    /// number of retries (documented: 5, 10, 15 s).
    pub server_delays: Vec<Duration>,
    /// How many times a 429 is retried (documented: "same 3 retries").
    pub rate_limit_retries: u32,
    /// The first wait after a 429, doubled on each further 429 (documented: 1 s).
    pub rate_limit_base: Duration,
    /// Whether connect/timeout/reset failures are retried like 5xx.
    pub retry_transport: bool,
    hook: Option<Hook>,
}

impl RetryPolicy {
    /// LivePerson's published policy: 5xx and transport failures retried 3 times
    /// after 5, 10 and 15 s; 429 retried 3 times after max(1 s·2ⁿ, `Retry-After`);
    /// other 4xx never.
    pub fn documented() -> Self {
        Self {
            server_delays: [5, 10, 15].map(Duration::from_secs).to_vec(),
            rate_limit_retries: 3,
            rate_limit_base: Duration::from_secs(1),
            retry_transport: true,
            hook: None,
        }
    }

    /// Never retry.
    pub fn none() -> Self {
        Self { server_delays: Vec::new(), rate_limit_retries: 0, ..Self::documented() }
    }

    /// Replaces the 5xx/transport waits (their count is the number of retries).
    pub fn with_server_delays(mut self, delays: impl Into<Vec<Duration>>) -> Self {
        self.server_delays = delays.into();
        self
    }

    /// Replaces the first 429 wait.
    pub fn with_rate_limit_base(mut self, base: Duration) -> Self {
        self.rate_limit_base = base;
        self
    }

    /// Calls `hook` before every retry, after the `tracing` event.
    pub fn on_retry(mut self, hook: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// Whether a failure below HTTP may be retried at all. A rejected
    /// certificate never is: it fails the same way every time, so waiting only
    /// hides the message that says how to fix it (docs/network.md).
    ///
    /// ```
    /// use lpconfig::transport::{RetryPolicy, TransportFailure};
    /// let p = RetryPolicy::documented();
    /// assert!(p.retries_transport(TransportFailure::Connect));
    /// assert!(!p.retries_transport(TransportFailure::Certificate));
    /// ```
    pub fn retries_transport(&self, failure: TransportFailure) -> bool {
        self.retry_transport && failure != TransportFailure::Certificate
    }

    /// The wait before retry number `retry` (0-based) of a 5xx or transport
    /// failure, or `None` when the retries are used up.
    pub fn server_delay(&self, retry: u32) -> Option<Duration> {
        self.server_delays.get(retry as usize).copied()
    }

    /// The wait before retry number `retry` (0-based) of a 429, or `None` when used up.
    pub fn rate_limit_delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if retry >= self.rate_limit_retries {
            return None;
        }
        let backoff = self.rate_limit_base.saturating_mul(1u32 << retry.min(16));
        Some(backoff.max(retry_after.unwrap_or_default()).max(self.rate_limit_base))
    }

    pub(crate) fn report(&self, event: &RetryEvent) {
        tracing::warn!(
            target: "lpconfig::retry",
            method = %event.method,
            url = %event.url,
            attempt = event.attempt,
            reason = ?event.reason,
            delay_ms = event.delay.as_millis() as u64,
            "retrying request"
        );
        if let Some(hook) = &self.hook {
            hook(event);
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::documented()
    }
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("server_delays", &self.server_delays)
            .field("rate_limit_retries", &self.rate_limit_retries)
            .field("rate_limit_base", &self.rate_limit_base)
            .field("retry_transport", &self.retry_transport)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

/// Reads `Retry-After` as delta-seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_schedule() {
        let p = RetryPolicy::documented();
        let waits: Vec<_> = (0..4).map(|i| p.server_delay(i)).collect();
        assert_eq!(waits, [Some(5), Some(10), Some(15), None].map(|s| s.map(Duration::from_secs)));
        let rl: Vec<_> = (0..4).map(|i| p.rate_limit_delay(i, None)).collect();
        assert_eq!(rl, [Some(1), Some(2), Some(4), None].map(|s| s.map(Duration::from_secs)));
        // Retry-After wins when longer, never goes under the 1 s floor.
        assert_eq!(p.rate_limit_delay(0, Some(Duration::from_secs(3))), Some(Duration::from_secs(3)));
        assert_eq!(p.rate_limit_delay(0, Some(Duration::ZERO)), Some(Duration::from_secs(1)));
        assert_eq!(RetryPolicy::none().server_delay(0), None);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }
}
