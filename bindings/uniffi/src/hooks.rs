//! Callbacks into Swift/Kotlin: a [`RetryListener`] per client (given to
//! [`crate::Client::with_retry_listener`]) and one process-wide [`Logger`]
//! ([`set_logger`]) that receives the core's `tracing` events. The core puts
//! no secret in either.

use std::sync::{Arc, Mutex};

use lpconfig::log_bridge::{logger_name, LevelGate, LogBridge};
use tracing::Level;

/// One retry the client is about to make.
#[derive(Debug, Clone, uniffi::Record)]
pub struct RetryEvent {
    /// HTTP method of the request.
    pub method: String,
    /// The request URL (never carries credentials).
    pub url: String,
    /// The attempt that just failed (1 = the first send).
    pub attempt: u32,
    /// The status being retried (5xx or 429); `null` for a transport failure.
    pub status: Option<u16>,
    /// `status 503` or `transport: <what failed>`.
    pub reason: String,
    /// Milliseconds until the next attempt.
    pub delay_ms: u64,
}

impl From<&lpconfig::RetryEvent> for RetryEvent {
    fn from(e: &lpconfig::RetryEvent) -> Self {
        Self {
            method: e.method.clone(),
            url: e.url.clone(),
            attempt: e.attempt,
            status: e.reason.status(),
            reason: e.reason.to_string(),
            delay_ms: e.delay.as_millis() as u64,
        }
    }
}

/// Receives every retry of a client, before its wait.
#[uniffi::export(with_foreign)]
pub trait RetryListener: Send + Sync {
    /// Called from the library's runtime thread; keep it short.
    fn on_retry(&self, event: RetryEvent);
}

/// Levels of [`Logger`], most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LogLevel {
    /// Failures.
    Error,
    /// Retries and other recoverable trouble.
    Warn,
    /// Re-logins and conflicts retried.
    Info,
    /// Sessions, domains.
    Debug,
    /// Everything.
    Trace,
}

impl LogLevel {
    fn level(self) -> Level {
        match self {
            Self::Error => Level::ERROR,
            Self::Warn => Level::WARN,
            Self::Info => Level::INFO,
            Self::Debug => Level::DEBUG,
            Self::Trace => Level::TRACE,
        }
    }

    fn of(level: &Level) -> Self {
        match *level {
            Level::ERROR => Self::Error,
            Level::WARN => Self::Warn,
            Level::INFO => Self::Info,
            Level::DEBUG => Self::Debug,
            Level::TRACE => Self::Trace,
        }
    }
}

/// Receives the core's log events (target `lpconfig.retry`, `lpconfig.auth`, ...).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// Called from the library's threads; keep it short.
    fn log(&self, level: LogLevel, target: String, message: String);
}

static GATE: LevelGate = LevelGate::off();
static LOGGER: Mutex<Option<Arc<dyn Logger>>> = Mutex::new(None);

/// Sends the core's log events at `level` and above to `logger`; `null` stops.
#[uniffi::export]
pub fn set_logger(logger: Option<Arc<dyn Logger>>, level: LogLevel) {
    // Installed by the first call; later ones find it there and only move the gate.
    LogBridge::new(&GATE, to_logger).install();
    let on = logger.is_some();
    *LOGGER.lock().unwrap_or_else(|e| e.into_inner()) = logger;
    GATE.set(on.then(|| level.level()));
}

fn to_logger(level: &Level, target: &'static str, message: String) {
    let Some(logger) = LOGGER.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return };
    logger.log(LogLevel::of(level), logger_name(target), message);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    struct Lines(Mutex<Vec<(LogLevel, String, String)>>);

    impl Logger for Lines {
        fn log(&self, level: LogLevel, target: String, message: String) {
            self.0.lock().unwrap().push((level, target, message));
        }
    }

    #[test]
    fn the_logger_gets_the_cores_events_at_its_level_until_removed() {
        let lines = Arc::new(Lines(Mutex::new(Vec::new())));
        set_logger(Some(lines.clone()), LogLevel::Warn);
        tracing::warn!(target: "lpconfig::retry", attempt = 2, "retrying");
        tracing::info!(target: "lpconfig::retry", "below the level");
        tracing::error!(target: "hyper", "not the core's");
        set_logger(None, LogLevel::Trace);
        tracing::error!(target: "lpconfig", "after removal");
        let seen = lines.0.lock().unwrap().clone();
        assert_eq!(seen, [(LogLevel::Warn, "lpconfig.retry".to_owned(), "retrying attempt=2".to_owned())]);
    }

    #[test]
    fn a_retry_event_carries_status_and_reason() {
        let event = |reason| lpconfig::RetryEvent {
            method: "GET".into(),
            url: "https://example.invalid/x".into(),
            attempt: 1,
            reason,
            delay: Duration::from_millis(250),
        };
        let e = RetryEvent::from(&event(lpconfig::RetryReason::Status(503)));
        assert_eq!((e.status, e.reason.as_str(), e.delay_ms), (Some(503), "status 503", 250));
        let e = RetryEvent::from(&event(lpconfig::RetryReason::Transport("reset".into())));
        assert_eq!((e.status, e.reason.as_str()), (None, "transport: reset"));
    }
}
