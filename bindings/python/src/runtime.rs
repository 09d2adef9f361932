//! The one tokio runtime of the process (shared with the asyncio bridge) and
//! the blocking wait of the synchronous client.

use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;

/// How often a blocked synchronous call looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// The process-wide runtime (created on first use).
pub fn runtime() -> &'static Runtime {
    pyo3_async_runtimes::tokio::get_runtime()
}

/// Runs `fut` to completion with the GIL released, so other Python threads
/// keep running; a pending `KeyboardInterrupt` cancels the call (the future is
/// dropped) and is raised.
pub fn wait<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    py.detach(|| {
        let rt = runtime();
        let mut fut = pin!(fut);
        loop {
            match rt.block_on(async { tokio::time::timeout(SIGNAL_POLL, fut.as_mut()).await }) {
                Ok(out) => return Ok(out),
                Err(_elapsed) => Python::attach(|py| py.check_signals())?,
            }
        }
    })
}
