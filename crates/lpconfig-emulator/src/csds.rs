//! CSDS (the Domain API, platform.md §1): every service of a known account points at
//! the emulator itself, as a bare `127.0.0.1:PORT` (the client adds `http://` for
//! loopback hosts, decision D20).
//!
//! An unknown account answers `401`, the status the docs give for an "invalid site";
//! a missing or other `version` than `1.0` answers `400` ("problem with query parameters").

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error_body;
use crate::state::AppState;

/// Services listed by the all-services call and in the login reply's
/// `csdsCollectionResponse`. Per-service lookups answer for any name.
pub const KNOWN_SERVICES: &[&str] = &[
    "accountConfigReadOnly",
    "accountConfigReadWrite",
    "agentVep",
    "sentinel",
    "adminArea",
    "liveEngageUI",
    "leDataReporting",
    "smt",
    "asyncMessagingEnt",
];

/// Shape of the per-service answer; the docs show both (platform.md §1.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsdsShape {
    /// `{"service","account","baseURI"}` (older revision).
    #[default]
    Single,
    /// `{"baseURIs":[{"service","account","baseURI"}]}` (current revision's example).
    List,
}

impl std::str::FromStr for CsdsShape {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "single" => Ok(CsdsShape::Single),
            "list" => Ok(CsdsShape::List),
            other => Err(format!("unknown CSDS shape {other:?} (single|list)")),
        }
    }
}

/// One `{"service","account","baseURI"}` entry pointing at the emulator.
pub fn entry(state: &AppState, account: &str, service: &str) -> Value {
    json!({ "service": service, "account": account, "baseURI": state.host_port })
}

/// Every known service of `account`, as the `baseURIs` array.
pub fn all_entries(state: &AppState, account: &str) -> Vec<Value> {
    KNOWN_SERVICES.iter().map(|s| entry(state, account, s)).collect()
}

/// The refusal for a bad `version` or an unknown account, if any.
fn refusal(state: &AppState, account: &str, query: &HashMap<String, String>) -> Option<Response> {
    if query.get("version").map(String::as_str) != Some("1.0") {
        return Some(error_body::flat(StatusCode::BAD_REQUEST, "version must be 1.0", 33));
    }
    if !state.has_account(account) {
        return Some(error_body::flat(StatusCode::UNAUTHORIZED, "Invalid site", 2));
    }
    None
}

/// `GET /api/account/{accountId}/service/{serviceName}/baseURI.json?version=1.0`
pub async fn service(
    State(state): State<Arc<AppState>>,
    Path((account, service)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = refusal(&state, &account, &query) {
        return r;
    }
    let one = entry(&state, &account, &service);
    match state.settings.csds_shape {
        CsdsShape::Single => Json(one).into_response(),
        CsdsShape::List => Json(json!({ "baseURIs": [one] })).into_response(),
    }
}

/// `GET /api/account/{accountId}/service/baseURI.json?version=1.0` (all services).
pub async fn all_services(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = refusal(&state, &account, &query) {
        return r;
    }
    Json(json!({ "baseURIs": all_entries(&state, &account) })).into_response()
}
