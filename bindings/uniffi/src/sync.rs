//! HR sync (`lpconfig_sync`) for Swift and Kotlin: `client.sync().plan(rows, options, groups)`
//! and `sync.apply(plan, observer, cancel)` with a progress callback interface and a
//! cancel token. Rows are string maps keyed by staff-file column (lists as `a;b`, as
//! in a CSV cell); the plan stays a Rust object (it keeps the rows' initial
//! passwords, never exposed). docs/sync-bindings.md compares the languages.

use std::collections::HashMap;
use std::sync::Arc;

use lpconfig_sync::{ApplyOptions, Desired, Options, Plan, Progress, Prune, Report};

use crate::runtime::{run, run_to_end};
use crate::secret::Secret;

/// What happens to users the rows do not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncPrune {
    /// Leave them alone.
    Off,
    /// Disable them.
    Disable,
    /// Delete them.
    Delete,
}

/// Settings of a plan (the engine's `Options`, docs/sync.md).
#[derive(uniffi::Record)]
pub struct SyncOptions {
    /// What to do with users absent from the rows.
    pub prune: Option<SyncPrune>,
    /// Login names never pruned.
    pub protected_logins: Vec<String>,
    /// May send back a masked (`""`) full name.
    pub allow_masked_blank: bool,
    /// Initial password of new users whose row has none (default: random each).
    pub initial_password: Option<Arc<Secret>>,
    /// Create the skills and lines of business the rows name but the account lacks
    /// (listed in the plan, created before the users); otherwise an unknown name is an
    /// input error.
    #[uniffi(default = false)]
    pub create_missing_catalog_entries: bool,
}

impl SyncOptions {
    fn core(&self) -> Options {
        Options {
            prune: match self.prune.unwrap_or(SyncPrune::Off) {
                SyncPrune::Off => Prune::Off,
                SyncPrune::Disable => Prune::Disable,
                SyncPrune::Delete => Prune::Delete,
            },
            protected_logins: self.protected_logins.clone(),
            allow_masked_blank: self.allow_masked_blank,
            initial_password: self.initial_password.as_ref().map(|s| s.core()),
            create_missing_catalog_entries: self.create_missing_catalog_entries,
        }
    }
}

/// One problem of the rows: `path:line:column: message` (`rows:3:0` = the third row).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncInputProblem {
    /// The file, or `rows`.
    pub path: String,
    /// 1-based line or row number (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Why planning or applying did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum SyncError {
    /// The rows have problems (every one found); nothing contacted or applied.
    #[error("{reason}")]
    Input {
        /// The summary text.
        reason: String,
        /// Every problem, with its position.
        problems: Vec<SyncInputProblem>,
    },
    /// The account changed since the plan was made: make a new plan.
    #[error("{reason}")]
    Stale {
        /// What moved.
        reason: String,
    },
    /// A saved plan that cannot be read.
    #[error("{reason}")]
    PlanFormat {
        /// Why.
        reason: String,
    },
    /// An option the engine cannot honour yet.
    #[error("{reason}")]
    Unsupported {
        /// Which.
        reason: String,
    },
    /// The API failed (`code` as in `LpError`: `ERR_AUTH`, ...).
    #[error("{reason}")]
    Api {
        /// The error code.
        code: String,
        /// The core's message.
        reason: String,
        /// The HTTP status, when a response was received.
        status: Option<i32>,
    },
}

impl From<lpconfig_sync::SyncError> for SyncError {
    fn from(e: lpconfig_sync::SyncError) -> Self {
        use lpconfig_sync::SyncError as E;
        let message = e.to_string();
        match e {
            E::Input(errors) => SyncError::Input {
                reason: message,
                problems: errors
                    .into_iter()
                    .map(|p| SyncInputProblem {
                        path: p.path,
                        line: p.line as u32,
                        column: p.column as u32,
                        message: p.message,
                    })
                    .collect(),
            },
            E::Stale { .. } => SyncError::Stale { reason: message },
            E::PlanFormat(_) => SyncError::PlanFormat { reason: message },
            E::Unsupported(_) => SyncError::Unsupported { reason: message },
            E::Api(api) => SyncError::Api {
                code: api.kind().code().to_owned(),
                reason: message,
                status: api.details().status.map(i32::from),
            },
        }
    }
}

impl From<crate::error::LpError> for SyncError {
    fn from(e: crate::error::LpError) -> Self {
        SyncError::Api { code: "ERR_INTERNAL".into(), reason: e.to_string(), status: None }
    }
}

/// A plan's counts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncSummary {
    /// Skills to create (with `create_missing_catalog_entries`).
    pub skills_to_create: u32,
    /// Lines of business to create (with `create_missing_catalog_entries`).
    pub lobs_to_create: u32,
    /// Agent groups to create.
    pub groups_to_create: u32,
    /// Agent groups to move.
    pub groups_to_move: u32,
    /// Agent groups the groups section renames, re-parents or otherwise changes.
    pub groups_to_update: u32,
    /// Users to create.
    pub users_to_create: u32,
    /// Users to update.
    pub users_to_update: u32,
    /// Users to disable (prune).
    pub users_to_disable: u32,
    /// Users to delete (prune).
    pub users_to_delete: u32,
    /// Rows that need nothing.
    pub unchanged: u32,
    /// The one-line text.
    pub text: String,
}

/// One field's change, as staff-file text.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncFieldChange {
    /// The column name.
    pub field: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// One change of a plan (the same kind, name and order as the report's).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncChange {
    /// `create_skill`, `create_lob`, `create_group`, `update_group`, `move_group`, `create_user`, `update_user`, `disable_user`, `delete_user`.
    pub kind: String,
    /// Login name or group path.
    pub name: String,
    /// Where it comes from (`rows:3`).
    pub at: String,
    /// The fields that change.
    pub fields: Vec<SyncFieldChange>,
}

/// One change and whether it was applied.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncChangeResult {
    /// As in [`SyncChange::kind`].
    pub kind: String,
    /// Login name or group path.
    pub name: String,
    /// Where it comes from.
    pub at: String,
    /// Whether the server accepted it.
    pub applied: bool,
}

/// What an apply did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncReport {
    /// `done`, `cancelled` or `failed`.
    pub outcome: String,
    /// Every change of the plan with its status, in apply order.
    pub changes: Vec<SyncChangeResult>,
    /// `Some(true)` when a re-plan came out empty (plans made in this process).
    pub verified: Option<bool>,
    /// The report as the engine's JSON (docs/sync.md; never with passwords).
    pub json: String,
}

/// A progress report: `done` of `total` changes, `elapsed_ms` since apply began.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncProgress {
    /// `checking`, `create_groups`, `update_groups`, `move_groups`, `create_users`, `update_users`, `delete_users`, `done`.
    pub phase: String,
    /// Changes applied so far.
    pub done: u64,
    /// Changes in the plan.
    pub total: u64,
    /// Milliseconds since apply began.
    pub elapsed_ms: u64,
}

/// Receives progress while a plan is applied (at every batch and at least every
/// 250 ms). Called on a library thread: keep it quick.
#[uniffi::export(with_foreign)]
pub trait SyncObserver: Send + Sync {
    /// One progress report.
    fn on_progress(&self, progress: SyncProgress);
}

fn kind_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A plan: what must change for the account to match the rows.
#[derive(uniffi::Object)]
pub struct SyncPlan {
    plan: Arc<Plan>,
    made_from: Option<Arc<(Desired, Options)>>,
}

#[uniffi::export]
impl SyncPlan {
    /// Reads a plan saved with [`SyncPlan::to_json`].
    #[uniffi::constructor]
    pub fn from_json(text: String) -> Result<Arc<Self>, SyncError> {
        Ok(Arc::new(Self { plan: Arc::new(Plan::from_json(&text)?), made_from: None }))
    }

    /// The versioned JSON form (never with passwords).
    pub fn to_json(&self) -> String {
        self.plan.to_json()
    }

    /// The number of changes.
    pub fn length(&self) -> u64 {
        self.plan.len() as u64
    }

    /// Counts by kind.
    pub fn summary(&self) -> SyncSummary {
        let s = &self.plan.summary;
        SyncSummary {
            skills_to_create: s.skills_to_create as u32,
            lobs_to_create: s.lobs_to_create as u32,
            groups_to_create: s.groups_to_create as u32,
            groups_to_move: s.groups_to_move as u32,
            groups_to_update: s.groups_to_update as u32,
            users_to_create: s.users_to_create as u32,
            users_to_update: s.users_to_update as u32,
            users_to_disable: s.users_to_disable as u32,
            users_to_delete: s.users_to_delete as u32,
            unchanged: s.unchanged as u32,
            text: s.to_string(),
        }
    }

    /// Things worth knowing that are not errors.
    pub fn warnings(&self) -> Vec<String> {
        self.plan.warnings.clone()
    }

    /// Every change, in apply order.
    pub fn changes(&self) -> Vec<SyncChange> {
        lpconfig_sync::changes::of(&self.plan)
            .into_iter()
            .map(|c| SyncChange {
                kind: kind_str(&c.kind),
                name: c.name,
                at: c.at,
                fields: c
                    .fields
                    .into_iter()
                    .map(|f| SyncFieldChange { field: f.field, before: f.before, after: f.after })
                    .collect(),
            })
            .collect()
    }
}

/// HR sync for one account (`client.sync()`).
#[derive(uniffi::Object)]
pub struct SyncClient {
    pub(crate) client: lpconfig::Client,
}

#[uniffi::export]
impl SyncClient {
    /// Reads the rows (and the optional groups section: maps with `id`, `name`,
    /// `parent`, `description`, `enabled`, which rename, re-parent and create
    /// groups) and the account; writes nothing.
    #[uniffi::method(default(groups = None))]
    pub async fn plan(
        &self,
        rows: Vec<HashMap<String, String>>,
        options: SyncOptions,
        groups: Option<Vec<HashMap<String, String>>>,
    ) -> Result<Arc<SyncPlan>, SyncError> {
        let options = options.core();
        let mut desired = Desired::from_records(rows)?;
        if let Some(groups) = groups {
            desired = desired.with_groups(groups)?;
        }
        let client = self.client.clone();
        let planned = run(async move {
            let plan = lpconfig_sync::plan(&client, &desired, &options).await;
            Ok::<_, lpconfig::Error>(plan.map(|p| (p, desired, options)))
        })
        .await??;
        let (plan, desired, options) = planned;
        Ok(Arc::new(SyncPlan { plan: Arc::new(plan), made_from: Some(Arc::new((desired, options))) }))
    }

    /// Applies `plan`; API failures during the apply do not throw (see `outcome`).
    ///
    /// `cancel` stops it after the current batch: the report's outcome is then
    /// `cancelled` and each change says whether it was applied. Cancelling the
    /// calling coroutine or task does the same (the batch in flight is finished,
    /// never cut off mid-request), but its report is lost with the call.
    /// `batch_size`: items per request (default 500).
    #[uniffi::method(default(observer = None, cancel = None, batch_size = None))]
    pub async fn apply(
        &self,
        plan: Arc<SyncPlan>,
        observer: Option<Arc<dyn SyncObserver>>,
        cancel: Option<Arc<SyncCancelToken>>,
        batch_size: Option<u32>,
    ) -> Result<SyncReport, SyncError> {
        let progress = observer.map(|o| {
            let f: lpconfig_sync::ProgressFn = Arc::new(move |p: &Progress| {
                o.on_progress(SyncProgress {
                    phase: kind_str(&p.phase),
                    done: p.done as u64,
                    total: p.total as u64,
                    elapsed_ms: p.elapsed_ms,
                })
            });
            f
        });
        let token = cancel.map(|c| c.0.clone()).unwrap_or_default();
        // A dropped call (cancelled coroutine/task) cancels like the token does.
        let _on_drop = CancelOnDrop(token.clone());
        let opts = ApplyOptions { progress, cancel: token, batch_size: batch_size.map(|b| b as usize) };
        let client = self.client.clone();
        let (p, m) = (plan.plan.clone(), plan.made_from.clone());
        let report = run_to_end(async move {
            Ok::<_, lpconfig::Error>(match &m {
                Some(m) => lpconfig_sync::apply_and_verify(&client, &p, &m.0, &m.1, &opts).await,
                None => lpconfig_sync::apply(&client, &p, &opts).await,
            })
        })
        .await??;
        Ok(report_record(&report))
    }
}

/// Asks a running apply to stop after its current batch (`SyncCancelToken()`,
/// then `cancel()` from any thread).
#[derive(Debug, Default, uniffi::Object)]
pub struct SyncCancelToken(lpconfig_sync::CancelToken);

#[uniffi::export]
impl SyncCancelToken {
    /// A token that is not cancelled.
    #[uniffi::constructor]
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests the stop (idempotent).
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether a stop was requested.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

struct CancelOnDrop(lpconfig_sync::CancelToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

fn report_record(r: &Report) -> SyncReport {
    let outcome = serde_json::to_value(&r.outcome)
        .ok()
        .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
        .unwrap_or_default();
    SyncReport {
        outcome,
        changes: r
            .changes
            .iter()
            .map(|c| SyncChangeResult {
                kind: kind_str(&c.kind),
                name: c.name.clone(),
                at: c.at.clone(),
                applied: c.status == lpconfig_sync::report::Status::Applied,
            })
            .collect(),
        verified: r.verified,
        json: r.to_json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record mirrors the engine's `Options`: every engine field is here
    /// (a new engine option fails this test).
    #[test]
    fn options_cover_the_engine() {
        let core = serde_json::to_value(Options::default()).unwrap();
        let mut keys: Vec<&str> = core.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        // `initial_password` is never serialized by the engine; the record has it.
        assert_eq!(
            keys,
            ["allow_masked_blank", "create_missing_catalog_entries", "protected_logins", "prune"]
        );
        let o = SyncOptions {
            prune: Some(SyncPrune::Delete),
            protected_logins: vec!["admin".into()],
            allow_masked_blank: true,
            initial_password: Some(Arc::new(Secret::new("pw-1".into()))),
            create_missing_catalog_entries: true,
        }
        .core();
        assert_eq!(o.prune, Prune::Delete);
        assert!(o.allow_masked_blank && o.initial_password.is_some());
        assert!(o.create_missing_catalog_entries);
    }
}
