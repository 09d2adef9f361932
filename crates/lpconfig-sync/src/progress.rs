//! Progress reports and cancellation of an apply.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How often progress is reported while a request runs.
pub const TICK: Duration = Duration::from_millis(250);

/// The step an apply is in, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Checking that the account has not moved since the plan was made.
    Checking,
    /// Creating missing lines of business and skills (`create_missing_catalog_entries`).
    CreateCatalogEntries,
    /// Creating agent groups (parents first).
    CreateGroups,
    /// Renaming / changing agent groups (groups section).
    UpdateGroups,
    /// Moving agent groups to new parents.
    MoveGroups,
    /// Creating users.
    CreateUsers,
    /// Updating (and disabling) users.
    UpdateUsers,
    /// Deleting users.
    DeleteUsers,
    /// Finished.
    Done,
}

/// One progress report: `done` of `total` changes applied so far, `elapsed` since apply began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The current step.
    pub phase: Phase,
    /// Changes applied so far (all steps).
    pub done: usize,
    /// Changes in the plan.
    pub total: usize,
    /// Time since apply began, in milliseconds.
    pub elapsed_ms: u64,
}

impl Progress {
    /// The elapsed time.
    pub fn elapsed(&self) -> Duration {
        Duration::from_millis(self.elapsed_ms)
    }
}

/// A progress callback: called at every batch boundary and at least every [`TICK`] while a
/// request runs. Keep it quick; it runs on the apply's task.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Asks a running apply to stop: the current batch finishes, the rest is reported as not applied.
///
/// ```
/// let token = lpconfig_sync::CancelToken::new();
/// let copy = token.clone();
/// copy.cancel();
/// assert!(token.is_cancelled());
/// ```
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests the stop (idempotent; callable from any thread or a signal handler task).
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
