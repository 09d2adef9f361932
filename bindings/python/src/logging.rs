//! Forwards the core's `tracing` events to Python's `logging` (logger
//! `lpconfig` and children: target `lpconfig::retry` logs to `lpconfig.retry`).
//!
//! The core never puts secrets in events (design.md), so the text is passed on as is.
//! To keep disabled events free, the effective level of the `lpconfig` logger
//! is copied into an atomic at the start of every call from Python; events
//! below it are dropped without touching the interpreter.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// 0 = off, 1 = error ... 5 = trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(3);
static ROOT_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static LOGGERS: Mutex<Option<HashMap<&'static str, Py<PyAny>>>> = Mutex::new(None);

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Python's numeric level for a tracing level (TRACE is 5, below DEBUG).
fn py_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

fn ours(target: &str) -> bool {
    target == "lpconfig" || target.starts_with("lpconfig::")
}

/// Installs the bridge as the process's tracing subscriber (once; a no-op if
/// something else installed one first).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(PyLogBridge);
}

/// Copies the effective level of the `lpconfig` logger; cheap enough for every call.
pub fn sync_level(py: Python<'_>) {
    let logger = ROOT_LOGGER.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("logging")?.call_method1("getLogger", ("lpconfig",))?.unbind())
    });
    let Ok(logger) = logger else { return };
    let Ok(level) = logger.bind(py).call_method0("getEffectiveLevel").and_then(|l| l.extract::<i32>()) else {
        return;
    };
    let max = match level {
        l if l <= 5 => 5,
        l if l <= 10 => 4,
        l if l <= 20 => 3,
        l if l <= 30 => 2,
        l if l <= 40 => 1,
        _ => 0,
    };
    MAX_LEVEL.store(max, Ordering::Relaxed);
}

struct PyLogBridge;

impl Subscriber for PyLogBridge {
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
        let meta = event.metadata();
        let mut text = Text::default();
        event.record(&mut text);
        let message = text.finish();
        // During interpreter shutdown there is no one left to log to.
        let _ = crate::runtime::with_python(|py| emit(py, meta.target(), py_level(meta.level()), &message));
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

fn emit(py: Python<'_>, target: &'static str, level: i32, message: &str) {
    let cached = {
        let guard = LOGGERS.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().and_then(|c| c.get(target)).map(|l| l.clone_ref(py))
    };
    // The lock is not held across Python calls: they may let another thread
    // take the GIL, and that thread may be waiting for the lock.
    let logger = match cached {
        Some(l) => l,
        None => {
            let name = target.replace("::", ".");
            let Ok(l) = py.import("logging").and_then(|m| m.call_method1("getLogger", (name,))) else {
                return;
            };
            let l = l.unbind();
            let mut guard = LOGGERS.lock().unwrap_or_else(|e| e.into_inner());
            guard.get_or_insert_with(HashMap::new).insert(target, l.clone_ref(py));
            l
        }
    };
    if let Err(e) = logger.bind(py).call_method1("log", (level, message)) {
        // A failing handler must not turn into an error of the API call.
        e.write_unraisable(py, None);
    }
}

/// Collects an event's fields as `message key=value ...`.
#[derive(Default)]
struct Text {
    message: String,
    fields: String,
}

impl Text {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
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
