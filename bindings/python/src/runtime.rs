//! The tokio runtime of the process, the blocking wait of the synchronous
//! client, and the gate every runtime thread passes before touching Python.
//!
//! Two hazards shape this module (see `docs/python-runtime.md`):
//! - **Interpreter exit.** The runtime lives in a static and is never dropped
//!   (its threads keep running while Python finalizes). An `atexit` hook closes
//!   the gate ([`at_exit`]); after that no runtime thread attaches to the
//!   interpreter: completions, log events and callbacks are skipped, and the
//!   Python objects they hold are leaked instead of released.
//! - **`fork()`.** A child process has the runtime's memory but none of its
//!   threads. The runtime is keyed by process id: the first call in a child
//!   builds a fresh one (the parent's is leaked, never dropped), and clients
//!   made before the fork refuse to run in the child ([`check_pid`]).

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use pyo3::prelude::*;
use tokio::runtime::Runtime;

/// How often a blocked synchronous call looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// How long the exit hook waits for runtime threads already inside Python.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// The runtime of the current process, with the pid it was built in.
static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// The synchronous calls' runtime, with the pid it was built in.
static CALL_RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// Set by the `atexit` hook: the interpreter is going away.
static EXITING: AtomicBool = AtomicBool::new(false);

/// The thread that ran the `atexit` hook: the one that finalizes the interpreter.
static EXIT_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Runtime threads currently attached (or about to attach) through [`with_python`].
static ATTACHED: AtomicUsize = AtomicUsize::new(0);

/// The runtime of this process (built on first use, and again after a fork):
/// the one asynchronous calls run on, with a worker per core.
pub fn runtime() -> &'static Runtime {
    process_runtime(&RUNTIME, None, "lpconfig-rt")
}

/// The runtime the synchronous client's calls run on: one worker. A blocking
/// call is driven from the caller's thread, and only its connection's I/O runs
/// on a worker; with one worker that I/O never moves between workers, which
/// spares a thread wake-up or two per call (docs/performance.md, "Python sync
/// calls: one worker"). Each runtime's workers drive its own tasks, so a
/// connection opened by one runtime serves calls made on the other.
pub fn call_runtime() -> &'static Runtime {
    process_runtime(&CALL_RUNTIME, Some(1), "lpconfig-call")
}

fn process_runtime(
    slot: &Mutex<Option<(u32, &'static Runtime)>>,
    workers: Option<usize>,
    name: &str,
) -> &'static Runtime {
    let pid = std::process::id();
    let mut current = slot.lock().unwrap_or_else(|e| e.into_inner());
    match *current {
        Some((owner, rt)) if owner == pid => rt,
        _ => {
            // After a fork the parent's runtime has no threads here; dropping it
            // would wait for them forever, so it is left as it is.
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            if let Some(n) = workers {
                builder.worker_threads(n);
            }
            let rt: &'static Runtime = Box::leak(Box::new(
                builder.enable_all().thread_name(name).build().expect("the tokio runtime starts"),
            ));
            *current = Some((pid, rt));
            rt
        }
    }
}

/// Whether the interpreter is exiting (the `atexit` hook ran).
pub fn exiting() -> bool {
    EXITING.load(Ordering::SeqCst)
}

/// Runs `f` attached to the interpreter, unless it is exiting (then `None`).
/// Every runtime thread goes through here; the exit hook waits for the ones
/// inside, so none is attached once finalization starts.
pub fn with_python<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            ATTACHED.fetch_sub(1, Ordering::SeqCst);
        }
    }
    // Announce first, then look at the flag: the hook sets the flag first,
    // then waits for the count, so one of the two always sees the other.
    ATTACHED.fetch_add(1, Ordering::SeqCst);
    let _leave = Leave;
    if exiting() {
        return None;
    }
    Python::try_attach(f)
}

/// The `atexit` hook: closes the gate, then waits (detached, so they can
/// finish) for the runtime threads already inside Python.
#[pyfunction]
pub fn at_exit(py: Python<'_>) {
    let _ = EXIT_THREAD.set(std::thread::current().id());
    EXITING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = Instant::now() + EXIT_GRACE;
        while ATTACHED.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// `Ok` in the process that made the object; after a fork, the `ConfigError`
/// a call in the child raises at once (the parent's runtime, sessions and
/// connections do not exist there).
pub fn check_pid(py: Python<'_>, owner: u32, what: &str) -> PyResult<()> {
    if owner == std::process::id() {
        return Ok(());
    }
    let err = lpconfig::Error::config(
        what,
        format!(
            "this {what} was created in process {owner}, before a fork; create a new {what} in the child process"
        ),
    );
    Err(crate::errors::to_pyerr(py, &err))
}

/// Once the interpreter exits, a thread other than the one finalizing it (a
/// daemon thread still waiting on a call) must never attach again: it blocks
/// here for good, as CPython itself does with daemon threads, until the
/// process ends.
fn stay_detached_if_abandoned() {
    if exiting() && EXIT_THREAD.get() != Some(&std::thread::current().id()) {
        loop {
            std::thread::park();
        }
    }
}

/// Runs `fut` to completion with the GIL released, so other Python threads
/// keep running; a pending `KeyboardInterrupt` cancels the call (the future is
/// dropped) and is raised.
pub fn wait<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    wait_in(py, runtime(), fut)
}

/// [`wait`] on a given runtime ([`call_runtime`] for the client's calls).
pub fn wait_in<F>(py: Python<'_>, rt: &'static Runtime, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    py.detach(|| {
        let mut fut = pin!(fut);
        loop {
            let polled = rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, fut.as_mut()).await });
            stay_detached_if_abandoned();
            match polled {
                Ok(out) => return Ok(out),
                Err(_elapsed) => Python::attach(|py| py.check_signals())?,
            }
        }
    })
}
