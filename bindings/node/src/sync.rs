//! HR sync (`lpconfig_sync`) for Node: plans from a file or records, applies with a
//! progress callback (a threadsafe function). Shapes cross as the engine's serde
//! forms (JSON text); `node/lib/sync.js` wraps them.

use std::sync::Arc;

use lpconfig_sync::{ApplyOptions, Desired, Options, Plan, Progress, Report, SyncError};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::convert::out;
use crate::error::{to_napi, PAYLOAD_PREFIX};

/// The progress callback: gets `{phase, done, total, elapsedMs}` as JSON text.
pub type ProgressCallback = ThreadsafeFunction<String, (), String, Status, false>;

/// HR sync for one client.
#[napi]
pub struct NativeSync {
    client: lpconfig::Client,
}

impl NativeSync {
    pub(crate) fn new(client: lpconfig::Client) -> Self {
        Self { client }
    }
}

/// A plan, with the rows and options it was made from when made in this process
/// (apply then re-plans to verify and knows the rows' initial passwords).
#[napi]
pub struct NativePlan {
    plan: Arc<Plan>,
    made_from: Option<Arc<(Desired, Options)>>,
}

/// The desired rows: `{ "path": "staff.csv" }` or `{ "rows": [ {...}, ... ] }`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
enum Source {
    Path(String),
    Rows(Vec<Value>),
}

/// A sync error as the tagged payload `node/lib/sync.js` rebuilds: `sync` names the
/// kind (`input`, `stale`, `unsupported`, `planFormat`, `options`), `errors` the input problems.
fn sync_error(e: SyncError) -> napi::Error {
    #[derive(Serialize)]
    struct Payload<'a> {
        code: &'static str,
        message: String,
        sync: &'static str,
        errors: &'a [lpconfig_sync::InputError],
    }
    let e = match e {
        SyncError::Api(api) => return to_napi(api),
        other => other,
    };
    let message = e.to_string();
    let none: &[lpconfig_sync::InputError] = &[];
    let (code, kind, errors) = match &e {
        SyncError::Input(errors) => ("ERR_INVALID", "input", errors.as_slice()),
        SyncError::Stale { .. } => ("ERR_CONFLICT", "stale", none),
        SyncError::Unsupported(_) => ("ERR_CONFIG", "unsupported", none),
        SyncError::PlanFormat(_) | SyncError::Api(_) => ("ERR_DECODE", "planFormat", none),
    };
    let text = serde_json::to_string(&Payload { code, message: message.clone(), sync: kind, errors })
        .unwrap_or(message);
    napi::Error::from_reason(format!("{PAYLOAD_PREFIX}{text}"))
}

fn options_error(message: String) -> napi::Error {
    let payload =
        serde_json::json!({"code": "ERR_CONFIG", "message": message, "sync": "options", "errors": []});
    napi::Error::from_reason(format!("{PAYLOAD_PREFIX}{payload}"))
}

#[napi]
impl NativeSync {
    /// Reads the rows (`source_json`: `{path}` or `{rows}`) and the account; returns the plan.
    /// `options_json`: the engine's `Options` (snake_case keys, docs/sync.md);
    /// `groups_json`: the groups section, `{path}` or `{rows}`, when there is one.
    #[napi]
    pub async fn plan(
        &self,
        source_json: String,
        options_json: String,
        groups_json: Option<String>,
    ) -> napi::Result<NativePlan> {
        let options: Options =
            serde_json::from_str(&options_json).map_err(|e| options_error(format!("sync options: {e}")))?;
        let source: Source = serde_json::from_str(&source_json)
            .map_err(|e| options_error(format!("source must be a path or an array of objects: {e}")))?;
        let desired = match source {
            Source::Path(p) => Desired::from_path(p),
            Source::Rows(rows) => Desired::from_values(rows),
        }
        .map_err(sync_error)?;
        let desired = match groups_json {
            None => desired,
            Some(text) => {
                let groups: Source = serde_json::from_str(&text).map_err(|e| {
                    options_error(format!("groups must be a path or an array of objects: {e}"))
                })?;
                match groups {
                    Source::Path(p) => desired.with_groups_path(p),
                    Source::Rows(rows) => desired.with_groups(rows),
                }
                .map_err(sync_error)?
            }
        };
        let plan = lpconfig_sync::plan(&self.client, &desired, &options).await.map_err(sync_error)?;
        Ok(NativePlan { plan: Arc::new(plan), made_from: Some(Arc::new((desired, options))) })
    }

    /// Applies `plan`; returns `{report, passwords}` as JSON text (`report` is the engine's
    /// `Report` without its leftover plan, which comes back as `leftover`).
    #[napi]
    pub async fn apply(
        &self,
        plan: &NativePlan,
        on_progress: Option<ProgressCallback>,
        batch_size: Option<u32>,
        cancel: Option<&NativeCancelToken>,
    ) -> napi::Result<NativeApplied> {
        let progress = on_progress.map(|tsfn| {
            let f: lpconfig_sync::ProgressFn = Arc::new(move |p: &Progress| {
                if let Ok(text) = serde_json::to_string(p) {
                    // Non-blocking: a slow callback must not hold the apply up.
                    tsfn.call(text, ThreadsafeFunctionCallMode::NonBlocking);
                }
            });
            f
        });
        let opts = ApplyOptions {
            progress,
            batch_size: batch_size.map(|b| b as usize),
            cancel: cancel.map(|c| c.0.clone()).unwrap_or_default(),
        };
        let report = match &plan.made_from {
            Some(m) => lpconfig_sync::apply_and_verify(&self.client, &plan.plan, &m.0, &m.1, &opts).await,
            None => lpconfig_sync::apply(&self.client, &plan.plan, &opts).await,
        }
        .map_err(sync_error)?;
        NativeApplied::new(report)
    }
}

/// Stops a running apply after its current batch (`node/lib/sync.js` cancels it
/// when the caller's `AbortSignal` fires).
#[napi]
#[derive(Default)]
pub struct NativeCancelToken(lpconfig_sync::CancelToken);

#[napi]
impl NativeCancelToken {
    /// A token that is not cancelled.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Requests the stop (idempotent).
    #[napi]
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

/// What an apply returns: the report as JSON and the leftover plan, if any.
#[napi]
pub struct NativeApplied {
    json: String,
    leftover: Option<Arc<Plan>>,
}

impl NativeApplied {
    fn new(mut report: Report) -> napi::Result<Self> {
        let leftover = report.leftover.take().map(Arc::new);
        #[derive(Serialize)]
        struct Out<'a> {
            report: &'a Report,
            passwords: Vec<(&'a str, &'a str)>,
        }
        let passwords = report.applied.passwords.iter().map(|(l, p)| (l.as_str(), p.expose())).collect();
        Ok(Self { json: out(&Out { report: &report, passwords })?, leftover })
    }
}

#[napi]
impl NativeApplied {
    /// `{report, passwords}` as JSON text.
    #[napi]
    pub fn json(&self) -> String {
        self.json.clone()
    }

    /// The new plan when the verifying re-plan was not empty.
    #[napi]
    pub fn leftover(&self) -> Option<NativePlan> {
        self.leftover.clone().map(|plan| NativePlan { plan, made_from: None })
    }
}

#[napi]
impl NativePlan {
    /// Reads a plan saved with `toJson` (refuses other formats and versions).
    #[napi(factory)]
    pub fn from_json(text: String) -> napi::Result<Self> {
        Ok(Self { plan: Arc::new(Plan::from_json(&text).map_err(sync_error)?), made_from: None })
    }

    /// The plan's versioned JSON form (never with passwords).
    #[napi]
    pub fn to_json(&self) -> String {
        self.plan.to_json()
    }

    /// The number of changes.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.plan.len() as u32
    }

    /// `{summary, text, warnings, changes}` as JSON text (the engine's serde forms).
    #[napi]
    pub fn describe(&self) -> napi::Result<String> {
        out(&serde_json::json!({
            "summary": self.plan.summary,
            "text": self.plan.summary.to_string(),
            "warnings": self.plan.warnings,
            "changes": lpconfig_sync::changes::of(&self.plan),
        }))
    }
}
