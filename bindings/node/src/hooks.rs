//! Callbacks into JS: retry events (`onRetry` of `new Client`) and the log
//! handler (`setLogHandler`), both as weak threadsafe functions, so they never
//! keep the process alive. Each call passes JSON text, parsed on the JS side.
//! The core puts no secret in either (its events carry method, URL without
//! credentials, attempt, reason and delay).

use std::sync::{Arc, Mutex};

use lpconfig::log_bridge::{logger_name, LevelGate, LogBridge};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use tracing::Level;

/// A JS function called with one JSON string, from any thread.
pub type JsCallback = ThreadsafeFunction<String, (), String, napi::Status, false, true>;

/// The JSON of one retry event: `{ method, url, attempt, status?, reason, delayMs }`.
pub fn retry_json(e: &lpconfig::RetryEvent) -> String {
    serde_json::json!({
        "method": e.method,
        "url": e.url,
        "attempt": e.attempt,
        "status": e.reason.status(),
        "reason": e.reason.to_string(),
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

static GATE: LevelGate = LevelGate::off();
static HANDLER: Mutex<Option<Arc<JsCallback>>> = Mutex::new(None);

/// Sends the core's log events at `level` (`'error'`, `'warn'`, `'info'`,
/// `'debug'`, `'trace'`) and above to `handler` as JSON
/// `{ level, target, message }`; `null` stops logging.
#[napi]
pub fn set_log_handler(handler: Option<JsCallback>, level: Option<String>) -> napi::Result<()> {
    let max = match level.as_deref().unwrap_or("info") {
        "error" => Level::ERROR,
        "warn" => Level::WARN,
        "info" => Level::INFO,
        "debug" => Level::DEBUG,
        "trace" => Level::TRACE,
        _ => {
            return Err(crate::error::config("level", "must be 'error', 'warn', 'info', 'debug' or 'trace'"))
        }
    };
    // Installed by the first call; later ones find it there and only move the gate.
    LogBridge::new(&GATE, to_handler).install();
    let on = handler.is_some();
    *HANDLER.lock().unwrap_or_else(|e| e.into_inner()) = handler.map(Arc::new);
    GATE.set(on.then_some(max));
    Ok(())
}

fn to_handler(level: &Level, target: &'static str, message: String) {
    let Some(handler) = HANDLER.lock().unwrap_or_else(|e| e.into_inner()).clone() else { return };
    let json = serde_json::json!({
        "level": level.as_str().to_ascii_lowercase(),
        "target": logger_name(target),
        "message": message,
    });
    handler.call(json.to_string(), ThreadsafeFunctionCallMode::NonBlocking);
}
