//! The core's own `tracing` events, handed to a binding's logger (Python's
//! `logging`, a JS handler, a Swift/Kotlin `Logger`). Each binding supplies
//! only the last step, how a line reaches its language; which events pass and
//! how a line reads are decided here once.
//!
//! The core puts no secret in its events (docs/auth.md: secrets are held in
//! `Secret`, which prints `***`), so the text is passed on as it is.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU8, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// The most verbose level a [`LogBridge`] passes on, changeable at any time
/// (a binding's "set level" call), read without a lock on every event.
///
/// ```
/// use lpconfig::log_bridge::LevelGate;
/// use tracing::Level;
/// static GATE: LevelGate = LevelGate::off();
/// assert!(!GATE.allows(&Level::ERROR));
/// GATE.set(Some(Level::INFO));
/// assert!(GATE.allows(&Level::WARN) && !GATE.allows(&Level::DEBUG));
/// ```
#[derive(Debug)]
pub struct LevelGate(AtomicU8);

/// 0 is off; 1 (error) to 5 (trace), most severe first.
fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

impl LevelGate {
    /// A gate that passes nothing until [`LevelGate::set`].
    pub const fn off() -> Self {
        Self(AtomicU8::new(0))
    }

    /// A gate that passes `INFO` and more severe events.
    pub const fn info() -> Self {
        Self(AtomicU8::new(3))
    }

    /// Passes events at `max` and more severe ones; `None` passes nothing.
    pub fn set(&self, max: Option<Level>) {
        self.0.store(max.as_ref().map_or(0, rank), Ordering::Relaxed);
    }

    /// Whether an event at `level` passes.
    pub fn allows(&self, level: &Level) -> bool {
        rank(level) <= self.0.load(Ordering::Relaxed)
    }
}

/// The logger name of an event's target: `lpconfig::retry` → `lpconfig.retry`.
///
/// ```
/// assert_eq!(lpconfig::log_bridge::logger_name("lpconfig::auth::session"), "lpconfig.auth.session");
/// ```
pub fn logger_name(target: &str) -> String {
    target.replace("::", ".")
}

/// A `tracing` subscriber that passes the core's own events (targets
/// `lpconfig` and `lpconfig::…`) that its [`LevelGate`] allows to `sink`, as
/// `(level, target, text)`; the text is the event's message followed by its
/// other fields as ` key=value`. Everything else (spans, other crates' events)
/// costs nothing: such callsites are never enabled.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use lpconfig::log_bridge::{LevelGate, LogBridge};
/// static GATE: LevelGate = LevelGate::info();
/// let lines = Arc::new(Mutex::new(Vec::new()));
/// let seen = Arc::clone(&lines);
/// let bridge = LogBridge::new(&GATE, move |level, target, text| {
///     seen.lock().unwrap().push(format!("{level} {target}: {text}"));
/// });
/// tracing::subscriber::with_default(bridge, || {
///     tracing::warn!(target: "lpconfig::retry", attempt = 2, "retrying");
///     tracing::debug!(target: "lpconfig::retry", "below the gate");
///     tracing::warn!(target: "hyper", "not ours");
/// });
/// assert_eq!(*lines.lock().unwrap(), ["WARN lpconfig::retry: retrying attempt=2"]);
/// ```
pub struct LogBridge<F> {
    gate: &'static LevelGate,
    sink: F,
}

impl<F> LogBridge<F>
where
    F: Fn(&Level, &'static str, String) + Send + Sync + 'static,
{
    /// A bridge to `sink`, passing what `gate` allows.
    pub fn new(gate: &'static LevelGate, sink: F) -> Self {
        Self { gate, sink }
    }

    /// Makes it the process's subscriber; `false` (and nothing changes) when
    /// one was installed before.
    pub fn install(self) -> bool {
        tracing::subscriber::set_global_default(self).is_ok()
    }
}

fn ours(target: &str) -> bool {
    target == "lpconfig" || target.starts_with("lpconfig::")
}

impl<F> Subscriber for LogBridge<F>
where
    F: Fn(&Level, &'static str, String) + Send + Sync + 'static,
{
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.is_event() && ours(meta.target()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        meta.is_event() && ours(meta.target()) && self.gate.allows(meta.level())
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
        (self.sink)(meta.level(), meta.target(), text.finish());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn capture(gate: &'static LevelGate, f: impl FnOnce()) -> Vec<(Level, &'static str, String)> {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&lines);
        let bridge = LogBridge::new(gate, move |level, target, text| {
            seen.lock().unwrap().push((*level, target, text));
        });
        tracing::subscriber::with_default(bridge, f);
        let out = lines.lock().unwrap().clone();
        out
    }

    #[test]
    fn passes_the_cores_events_the_gate_allows_with_their_fields() {
        static GATE: LevelGate = LevelGate::off();
        assert!(capture(&GATE, || tracing::error!(target: "lpconfig", "off")).is_empty());
        GATE.set(Some(Level::DEBUG));
        let lines = capture(&GATE, || {
            tracing::debug!(target: "lpconfig::auth", account = "demo", "logged in");
            tracing::info!(target: "lpconfig::retry", status = 503, delay_ms = 250u64);
            tracing::trace!(target: "lpconfig", "too verbose");
            tracing::error!(target: "lpconfigx", "a crate that only starts with the name");
            tracing::error!(target: "reqwest::connect", "not ours");
        });
        assert_eq!(
            lines,
            [
                (Level::DEBUG, "lpconfig::auth", "logged in account=demo".to_owned()),
                (Level::INFO, "lpconfig::retry", "status=503 delay_ms=250".to_owned()),
            ]
        );
        GATE.set(None);
        assert!(capture(&GATE, || tracing::error!(target: "lpconfig", "off again")).is_empty());
    }
}
