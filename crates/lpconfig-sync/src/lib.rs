//! HR/staff sync for a LivePerson account: make its users and agent groups match a
//! list of people (a CSV/JSON/YAML staff file or records handed in directly).
//!
//! The engine is the one place sync lives (the CLI, the bindings and other front ends
//! call it): desired-state reading ([`Desired`]), name resolution ([`names`]), a pure,
//! deterministic planner ([`plan::build`]) producing a serializable [`Plan`], an applier
//! ([`apply()`]) with progress and cancellation, and a [`Report`]. The columns, the plan's
//! JSON form and the rules are documented in docs/sync.md.
//!
//! ```no_run
//! # async fn demo(client: &lpconfig::Client) -> Result<(), lpconfig_sync::SyncError> {
//! use lpconfig_sync::{ApplyOptions, Desired, Options, Prune};
//! let desired = Desired::from_path("staff.csv")?;          // input errors: all at once
//! let options = Options { prune: Prune::Disable, ..Options::default() };
//! let plan = lpconfig_sync::plan(client, &desired, &options).await?;
//! println!("{}", plan.summary);
//! let report = lpconfig_sync::apply_and_verify(client, &plan, &desired, &options, &ApplyOptions::default()).await?;
//! assert_eq!(report.verified, Some(true));
//! # Ok(()) }
//! ```

pub mod apply;
pub mod changes;
pub mod columns;
pub mod desired;
pub mod error;
pub mod fold;
pub mod group_plan;
pub mod groups_input;
pub mod input;
pub mod names;
pub mod options;
pub mod password;
pub mod plan;
pub mod progress;
pub mod report;
pub mod snapshot;
pub mod suggest;
pub mod summary;

#[cfg(test)]
mod plan_tests;

pub use apply::{apply, ApplyOptions};
pub use desired::Desired;
pub use error::SyncError;
pub use input::{Format, InputError};
pub use options::{Options, Prune};
pub use plan::{Plan, PLAN_VERSION};
pub use progress::{CancelToken, Phase, Progress, ProgressFn};
pub use report::{Outcome, Report};
pub use snapshot::Snapshot;
pub use summary::Summary;

use lpconfig::Client;

/// Plans against a snapshot already read: pure and deterministic.
pub fn plan_snapshot(desired: &Desired, snapshot: &Snapshot, options: &Options) -> Result<Plan, SyncError> {
    let rows = if options.create_missing_catalog_entries {
        desired.resolve(&snapshot.names.clone().creating_missing())?
    } else {
        desired.resolve(&snapshot.names)?
    };
    plan::build(&rows, snapshot, options).map_err(SyncError::Input)
}

/// Reads the account and plans what would make it match `desired`. Writes nothing.
pub async fn plan(client: &Client, desired: &Desired, options: &Options) -> Result<Plan, SyncError> {
    let snapshot = Snapshot::read(client).await?;
    plan_snapshot(desired, &snapshot, options)
}

/// [`apply()`], then (when everything was applied) a new plan that must come out empty:
/// the report's `verified` says whether it did, `leftover` holds it when not.
pub async fn apply_and_verify(
    client: &Client,
    plan: &Plan,
    desired: &Desired,
    options: &Options,
    apply_options: &ApplyOptions,
) -> Result<Report, SyncError> {
    let mut report = apply(client, plan, apply_options).await?;
    if matches!(report.outcome, Outcome::Done) {
        let after = self::plan(client, desired, options).await?;
        report.set_verification(after);
    }
    Ok(report)
}
