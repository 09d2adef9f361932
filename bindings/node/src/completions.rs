//! Batched completions for the hot calls (docs/performance.md, "Node: batched
//! completions").
//!
//! napi-rs settles each `async fn` through a deferred that creates, and later
//! releases, a threadsafe function of its own (a libuv async handle per call),
//! and wakes the event loop once per completion. A call made through a
//! [`NativeCompletions`] instead names a token; when it finishes, a runtime
//! thread appends `[token, 1, <result JSON>]` (or `[token, 0, "<error message>"]`)
//! to one shared JSON text, and only when that text was empty calls the one
//! threadsafe function `onReady` (weak: it never keeps the process alive; the
//! JS side keeps it alive while a call is pending). `onReady` then takes the
//! whole batch with [`NativeCompletions::take`] and one `JSON.parse`, so a burst
//! of completions costs one wake-up, one string and one parse.

use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

/// `onReady()`, called from any thread, never keeping the process alive.
pub type OnReady = ThreadsafeFunction<(), (), (), napi::Status, false, true>;

struct Shared {
    /// `[a,b,...` without the closing bracket: the finished calls not yet taken.
    batch: Mutex<String>,
    on_ready: OnReady,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, String> {
        self.batch.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, token: u32, result: napi::Result<String>) {
        let first = {
            let mut batch = self.lock();
            let first = batch.is_empty();
            batch.push(if first { '[' } else { ',' });
            match result {
                Ok(json) => {
                    let _ = write!(batch, "[{token},1,{json}]");
                }
                Err(e) => {
                    let reason = serde_json::to_string(&e.reason).unwrap_or_else(|_| "\"\"".into());
                    let _ = write!(batch, "[{token},0,{reason}]");
                }
            }
            first
        };
        // Otherwise a wake-up is already due and takes this result too.
        if first {
            self.on_ready.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

/// The completion channel of one JS realm (made once by `lib/args.js`).
#[napi]
pub struct NativeCompletions {
    shared: Arc<Shared>,
}

#[napi]
impl NativeCompletions {
    /// `onReady` is called (with no argument) when results are waiting.
    #[napi(constructor)]
    pub fn new(on_ready: OnReady) -> Self {
        Self { shared: Arc::new(Shared { batch: Mutex::new(String::new()), on_ready }) }
    }

    /// Every finished call since the last take, as a JSON array of
    /// `[token, 1, result]` and `[token, 0, errorMessage]`.
    #[napi]
    pub fn take(&self) -> String {
        let mut batch = std::mem::take(&mut *self.shared.lock());
        if batch.is_empty() {
            batch.push('[');
        }
        batch.push(']');
        batch
    }
}

impl NativeCompletions {
    /// Runs `fut` on napi's runtime; its outcome is delivered under `token`.
    pub(crate) fn spawn<F>(&self, token: u32, fut: F)
    where
        F: Future<Output = napi::Result<String>> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        napi::bindgen_prelude::spawn(async move {
            let result = fut.await;
            shared.push(token, result);
        });
    }
}
