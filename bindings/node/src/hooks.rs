//! Callbacks into JS: retry events (`onRetry` of `new Client`) and the log
//! handler (`setLogHandler`), both as weak threadsafe functions, so they never
//! keep the process alive. Each call passes JSON text, parsed on the JS side.
//! The core puts no secret in either (its events carry method, URL without
//! credentials, attempt, reason and delay).

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// A JS function called with one JSON string, from any thread.
pub type JsCallback = ThreadsafeFunction<String, (), String, napi::Status, false, true>;

/// The JSON of one retry event: `{ method, url, attempt, status?, reason, delayMs }`.
pub fn retry_json(e: &lpconfig::RetryEvent) -> String {
    let (status, reason) = match &e.reason {
        lpconfig::RetryReason::Status(s) => (Some(*s), format!("status {s}")),
        lpconfig::RetryReason::Transport(t) => (None, format!("transport: {t}")),
    };
    serde_json::json!({
        "method": e.method,
        "url": e.url,
        "attempt": e.attempt,
        "status": status,
        "reason": reason,
        "delayMs": e.delay.as_millis() as u64,
    })
    .to_string()
}

/// The core's retry hook calling `f`.
pub fn retry_hook(f: JsCallback) -> impl Fn(&lpconfig::RetryEvent) + Send + Sync + 'static {
    let f = Arc::new(f);
    move |e| {
        f.call(retry_json(e), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// 0 = off, 1 = error ... 5 = trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);
static HANDLER: Mutex<Option<Arc<JsCallback>>> = Mutex::new(None);

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Sends the core's log events at `level` (`'error'`, `'warn'`, `'info'`,
/// `'debug'`, `'trace'`) and above to `handler` as JSON
/// `{ level, target, message }`; `null` stops logging.
#[napi]
pub fn set_log_handler(handler: Option<JsCallback>, level: Option<String>) -> napi::Result<()> {
    let max = match level.as_deref().unwrap_or("info") {
        "error" => 1,
        "warn" => 2,
        "info" => 3,
        "debug" => 4,
        "trace" => 5,
        _ => {
            return Err(crate::error::config("level", "must be 'error', 'warn', 'info', 'debug' or 'trace'"))
        }
    };
    let _ = tracing::subscriber::set_global_default(JsLogBridge);
    let on = handler.is_some();
    *HANDLER.lock().unwrap_or_else(|e| e.into_inner()) = handler.map(Arc::new);
    MAX_LEVEL.store(if on { max } else { 0 }, Ordering::Relaxed);
    Ok(())
}

fn ours(target: &str) -> bool {
    target == "lpconfig" || target.starts_with("lpconfig::")
}

struct JsLogBridge;

impl Subscriber for JsLogBridge {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.is_event() && ours(meta.target()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.is_event() && ours(meta.target()) && rank(meta.level()) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let Some(handler) = HANDLER.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return };
        let meta = event.metadata();
        let mut text = Text::default();
        event.record(&mut text);
        let json = serde_json::json!({
            "level": meta.level().as_str().to_ascii_lowercase(),
            "target": meta.target().replace("::", "."),
            "message": text.finish(),
        });
        handler.call(json.to_string(), ThreadsafeFunctionCallMode::NonBlocking);
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
