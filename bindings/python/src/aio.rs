//! The asyncio bridge: a Rust future becomes an `asyncio.Future` of the running
//! loop. Written here rather than taken from pyo3-async-runtimes because its
//! completion must pass the exit gate of [`crate::runtime::with_python`]:
//! a call still in flight when the interpreter exits is abandoned (its Python
//! objects leaked) instead of attaching to a finalizing interpreter.

use std::future::Future;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::task::AbortHandle;

use crate::runtime::{runtime, with_python};

static COMPLETE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Sets the outcome on the future unless it was cancelled meanwhile.
/// Runs on the loop's thread (scheduled with `call_soon_threadsafe`).
#[pyfunction]
fn complete(fut: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if fut.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    fut.call_method1(if ok { "set_result" } else { "set_exception" }, (value,))?;
    Ok(())
}

/// Cancels the Rust task when the asyncio future is cancelled.
#[pyclass(frozen)]
struct CancelOnDone(AbortHandle);

#[pymethods]
impl CancelOnDone {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.0.abort();
        }
        Ok(())
    }
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
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let py_fut = event_loop.call_method0("create_future")?;
    let complete = COMPLETE.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(wrap_pyfunction!(complete, py)?.into_any().unbind())
    })?;
    let held = (event_loop.unbind(), py_fut.clone().unbind(), complete.clone_ref(py));
    let handle = runtime().spawn(async move {
        let out = fut.await;
        let sent = with_python(|py| {
            let (event_loop, fut, complete) = &held;
            let (ok, value) = match convert(py, out) {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            // A closed loop (the caller stopped waiting) just drops the result.
            let _ = event_loop
                .bind(py)
                .call_method1("call_soon_threadsafe", (complete.clone_ref(py), fut.clone_ref(py), ok, value));
        });
        if sent.is_none() {
            // The interpreter is exiting: leave its objects alone for good.
            std::mem::forget(held);
        }
    });
    py_fut.call_method1("add_done_callback", (CancelOnDone(handle.abort_handle()),))?;
    Ok(py_fut)
}
