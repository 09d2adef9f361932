//! Callbacks into Swift/Kotlin: a [`RetryListener`] per client (given to
//! [`crate::Client::with_retry_listener`]) and one process-wide [`Logger`]
//! ([`set_logger`]) that receives the core's `tracing` events. The core puts
//! no secret in either.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

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
        let (status, reason) = match &e.reason {
            lpconfig::RetryReason::Status(s) => (Some(*s), format!("status {s}")),
            lpconfig::RetryReason::Transport(t) => (None, format!("transport: {t}")),
        };
        Self {
            method: e.method.clone(),
            url: e.url.clone(),
            attempt: e.attempt,
            status,
            reason,
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
    fn rank(self) -> u8 {
        match self {
            Self::Error => 1,
            Self::Warn => 2,
            Self::Info => 3,
            Self::Debug => 4,
            Self::Trace => 5,
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

static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);
static LOGGER: Mutex<Option<Arc<dyn Logger>>> = Mutex::new(None);

/// Sends the core's log events at `level` and above to `logger`; `null` stops.
#[uniffi::export]
pub fn set_logger(logger: Option<Arc<dyn Logger>>, level: LogLevel) {
    let _ = tracing::subscriber::set_global_default(Bridge);
    let rank = if logger.is_some() { level.rank() } else { 0 };
    *LOGGER.lock().unwrap_or_else(|e| e.into_inner()) = logger;
    MAX_LEVEL.store(rank, Ordering::Relaxed);
}

fn ours(target: &str) -> bool {
    target == "lpconfig" || target.starts_with("lpconfig::")
}

struct Bridge;

impl Subscriber for Bridge {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.is_event() && ours(meta.target()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.is_event()
            && ours(meta.target())
            && LogLevel::of(meta.level()).rank() <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some(logger) = LOGGER.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return };
        let meta = event.metadata();
        let mut text = Text::default();
        event.record(&mut text);
        logger.log(LogLevel::of(meta.level()), meta.target().replace("::", "."), text.finish());
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// Collects an event's fields as `message key=value ...`.
#[derive(Default)]
struct Text {
    message: String,
    fields: String,
}

impl Text {
    fn finish(self) -> String {
        if self.message.is_empty() {
            self.fields.trim_start().to_owned()
        } else {
            self.message + &self.fields
        }
    }
}

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={:?}", field.name(), value);
        }
    }
}
