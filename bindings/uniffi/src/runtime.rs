//! The one tokio runtime of the library (design.md: bindings own one runtime
//! per process).
//!
//! Every core call is spawned here and the foreign side awaits the join
//! handle, so Kotlin/Swift/Python executors only ever poll a handle: the HTTP
//! work, timers and the session refresh run on these threads, never on the
//! caller's.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use crate::error::LpError;

fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lpconfig-ffi")
            .enable_all()
            .build()
            .expect("the lpconfig-ffi tokio runtime must start")
    })
}

/// Aborts the spawned task when the foreign caller drops the future
/// (a cancelled coroutine or Swift `Task`), so no orphan request runs on.
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `fut` on the runtime and returns its result, converting core errors.
pub(crate) async fn run<T, F>(fut: F) -> Result<T, LpError>
where
    F: Future<Output = lpconfig::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut handle = AbortOnDrop(runtime().spawn(fut));
    match (&mut handle.0).await {
        Ok(result) => result.map_err(LpError::from),
        Err(join) => Err(LpError::internal(if join.is_panic() {
            "the call panicked inside lpconfig"
        } else {
            "the call was cancelled"
        })),
    }
}

/// Like [`run`], but a dropped caller does not abort the task: it runs to its end
/// (used where the task itself stops cleanly on a signal, such as a sync apply
/// finishing its current batch, so no batch is cut off mid-request).
pub(crate) async fn run_to_end<T, F>(fut: F) -> Result<T, LpError>
where
    F: Future<Output = lpconfig::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    match runtime().spawn(fut).await {
        Ok(result) => result.map_err(LpError::from),
        Err(join) => Err(LpError::internal(if join.is_panic() {
            "the call panicked inside lpconfig"
        } else {
            "the call was cancelled"
        })),
    }
}
