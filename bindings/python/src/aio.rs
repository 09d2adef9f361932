//! The asyncio bridge: a Rust future becomes an `asyncio.Future` of the running
//! loop. Written here rather than taken from pyo3-async-runtimes because its
//! completion must pass the exit gate of [`crate::runtime::with_python`]:
//! a call still in flight when the interpreter exits is abandoned (its Python
//! objects leaked) instead of attaching to a finalizing interpreter.
//!
//! Completions are batched per event loop (docs/performance.md, "Python async:
//! batched completions"). A finished call does not attach to the interpreter
//! at all: the runtime thread pushes its unconverted outcome onto the loop's
//! [`Queue`] and, only when the queue goes from empty to non-empty, wakes the
//! loop once. The loop then runs one [`Drain`], which converts every queued
//! outcome and resolves its future on the loop's own thread (which holds the
//! GIL anyway). So a burst of completions costs one wake-up and one Python
//! callback, and the runtime threads never contend with the loop for the GIL.
//! The wake-up is a byte on a socket pair whose read end the loop watches
//! (`loop.add_reader`); a loop without `add_reader` (Windows' proactor) is
//! woken with `call_soon_threadsafe` instead, still once per burst.

use std::cell::RefCell;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::task::AbortHandle;

use crate::runtime::{exiting, runtime, with_python};

/// A finished call's outcome, converted to Python on the loop's thread.
type Outcome = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Py<PyAny>> + Send>;

/// The finished calls of one event loop, waiting for its next [`Drain`].
struct Queue {
    /// `(asyncio future, outcome)` in completion order.
    done: Mutex<Vec<(Py<PyAny>, Outcome)>>,
    waker: Waker,
}

/// How a runtime thread wakes the loop when its queue stops being empty.
enum Waker {
    /// A byte on `write`; the loop watches `read` (`add_reader`) and drains.
    #[cfg(unix)]
    Socket { read: std::os::unix::net::UnixStream, write: std::os::unix::net::UnixStream },
    /// `loop.call_soon_threadsafe(Drain)` (attaches to the interpreter).
    Loop(Py<PyAny>),
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Vec<(Py<PyAny>, Outcome)>> {
        self.done.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues one outcome; wakes the loop if nothing was queued before it
    /// (otherwise a drain is already due and will take this one too).
    fn push(self: &Arc<Self>, fut: Py<PyAny>, outcome: Outcome) {
        let was_empty = {
            let mut done = self.lock();
            done.push((fut, outcome));
            done.len() == 1
        };
        if !was_empty {
            return;
        }
        match &self.waker {
            #[cfg(unix)]
            Waker::Socket { write, .. } => {
                use std::io::Write;
                // A full socket already holds an unread wake-up: nothing is lost.
                let _ = (&*write).write(&[1]);
            }
            Waker::Loop(event_loop) => {
                let queue = Arc::clone(self);
                let sent = with_python(|py| {
                    // A closed loop (the caller stopped waiting) just drops the results.
                    let _ = event_loop
                        .bind(py)
                        .call_method1(intern!(py, "call_soon_threadsafe"), (Drain(queue),));
                });
                if sent.is_none() {
                    // The interpreter is exiting: leave its objects alone for good.
                    std::mem::forget(std::mem::take(&mut *self.lock()));
                }
            }
        }
    }
}

/// Resolves every queued future of one loop; runs on the loop's thread.
#[pyclass(frozen)]
struct Drain(Arc<Queue>);

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        #[cfg(unix)]
        if let Waker::Socket { read, .. } = &self.0.waker {
            use std::io::Read;
            // Consume the wake-ups first: one written after this read comes with
            // a push this drain may miss, and triggers the next drain.
            let mut buf = [0u8; 64];
            while matches!((&*read).read(&mut buf), Ok(n) if n == buf.len()) {}
        }
        let done = std::mem::take(&mut *self.0.lock());
        for (fut, outcome) in done {
            let fut = fut.bind(py);
            // A cancelled future keeps its cancellation; its result is dropped unconverted.
            if fut.call_method0(intern!(py, "done")).and_then(|d| d.is_truthy()).unwrap_or(true) {
                continue;
            }
            let _ = match outcome(py) {
                Ok(v) => fut.call_method1(intern!(py, "set_result"), (v,)),
                Err(e) => fut.call_method1(intern!(py, "set_exception"), (e.into_value(py),)),
            };
        }
    }
}

/// Cancels the Rust task when the asyncio future is cancelled.
#[pyclass(frozen)]
struct CancelOnDone(AbortHandle);

#[pymethods]
impl CancelOnDone {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0(intern!(fut.py(), "cancelled"))?.is_truthy()? {
            self.0.abort();
        }
        Ok(())
    }
}

/// The queue of the loop this thread last used, with that loop and the process
/// it was made in (a forked child makes its own). Never dropped with the thread:
/// a thread may end after the interpreter, so the objects are leaked instead.
struct Current {
    event_loop: Py<PyAny>,
    pid: u32,
    queue: Arc<Queue>,
}

thread_local! {
    static CURRENT: RefCell<Option<ManuallyDrop<Current>>> = const { RefCell::new(None) };
}

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The queue of `event_loop` (made, and its wake-up registered, on first use).
fn queue_of(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Queue>> {
    let pid = std::process::id();
    let cached = CURRENT.with_borrow(|c| {
        c.as_ref().filter(|c| c.pid == pid && c.event_loop.is(event_loop)).map(|c| Arc::clone(&c.queue))
    });
    if let Some(queue) = cached {
        return Ok(queue);
    }
    let queue = new_queue(py, event_loop)?;
    let old = CURRENT.with_borrow_mut(|c| {
        c.replace(ManuallyDrop::new(Current {
            event_loop: event_loop.clone().unbind(),
            pid,
            queue: Arc::clone(&queue),
        }))
    });
    // Attached here, so the previous loop's references can go now.
    drop(old.map(ManuallyDrop::into_inner));
    Ok(queue)
}

fn new_queue(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Queue>> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        if let Ok((read, write)) = std::os::unix::net::UnixStream::pair() {
            if read.set_nonblocking(true).is_ok() && write.set_nonblocking(true).is_ok() {
                let fd = read.as_raw_fd();
                let queue =
                    Arc::new(Queue { done: Mutex::new(Vec::new()), waker: Waker::Socket { read, write } });
                let drain = Drain(Arc::clone(&queue));
                if event_loop.call_method1(intern!(py, "add_reader"), (fd, drain)).is_ok() {
                    return Ok(queue);
                }
            }
        }
    }
    Ok(Arc::new(Queue { done: Mutex::new(Vec::new()), waker: Waker::Loop(event_loop.clone().unbind()) }))
}

/// Spawns `fut` on the runtime and returns an `asyncio.Future` of the running
/// loop that resolves to `convert`'s value (or raises its error).
pub fn into_awaitable<'py, F, T>(
    py: Python<'py>,
    fut: F,
    convert: fn(Python<'_>, T) -> PyResult<Py<PyAny>>,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let get_running_loop = GET_RUNNING_LOOP.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
    })?;
    let event_loop = get_running_loop.bind(py).call0()?;
    let queue = queue_of(py, &event_loop)?;
    let py_fut = event_loop.call_method0(intern!(py, "create_future"))?;
    let held = py_fut.clone().unbind();
    let handle = runtime().spawn(async move {
        let out = fut.await;
        if exiting() {
            // The interpreter is exiting: leave its objects alone for good.
            std::mem::forget(held);
            return;
        }
        queue.push(held, Box::new(move |py| convert(py, out)));
    });
    py_fut.call_method1(intern!(py, "add_done_callback"), (CancelOnDone(handle.abort_handle()),))?;
    Ok(py_fut)
}
