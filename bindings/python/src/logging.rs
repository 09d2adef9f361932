//! Forwards the core's `tracing` events to Python's `logging` (logger
//! `lpconfig` and children: target `lpconfig::retry` logs to `lpconfig.retry`).
//!
//! Which events pass and how a line reads is the core's `log_bridge`; this file
//! only hands lines to Python. To keep disabled events free, the effective level
//! of the `lpconfig` logger is copied into the bridge's gate at the start of
//! every call from Python; events below it are dropped without touching the
//! interpreter.

use std::collections::HashMap;
use std::sync::Mutex;

use lpconfig::log_bridge::{logger_name, LevelGate, LogBridge};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::Level;

/// The `lpconfig` logger's effective level, copied by [`sync_level`]; INFO
/// until the first call from Python.
static GATE: LevelGate = LevelGate::info();
static ROOT_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static LOGGERS: Mutex<Option<HashMap<&'static str, Py<PyAny>>>> = Mutex::new(None);

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

/// Installs the bridge as the process's tracing subscriber (once; a no-op if
/// something else installed one first).
pub fn install() {
    LogBridge::new(&GATE, |level, target, message| {
        // During interpreter shutdown there is no one left to log to.
        let _ = crate::runtime::with_python(|py| emit(py, target, py_level(level), &message));
    })
    .install();
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
    GATE.set(match level {
        l if l <= 5 => Some(Level::TRACE),
        l if l <= 10 => Some(Level::DEBUG),
        l if l <= 20 => Some(Level::INFO),
        l if l <= 30 => Some(Level::WARN),
        l if l <= 40 => Some(Level::ERROR),
        _ => None,
    });
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
            let name = logger_name(target);
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
