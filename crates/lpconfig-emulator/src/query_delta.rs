//! `POST /api/account/configuration/le-users/{collection}/query` (docs/query-delta.md):
//! the legacy query delta. The path has no account; the sites travel in the body:
//!
//! ```json
//! {"type": 0, "parameters": [{"site": "demo", "revision": 211}]}
//! {"type": 1, "parameters": [{"site": "demo", "from": 0, "to": 3}]}
//! {"type": 2, "parameters": [{"site": "demo"}]}
//! ```
//!
//! Users answer types 0, 1 and 2; agent groups, skills, profiles and LOBs types 0
//! and 1 (their pages document no snapshot). Unknown sites are skipped; the caller
//! must be authorized for every known one.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::auth_guard;
use crate::error_body;
use crate::state::AppState;
use crate::store::{delta, CollectionKind};

fn bad(message: &str) -> Response {
    error_body::flat(StatusCode::BAD_REQUEST, message, 400)
}

fn as_u64(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The handler.
pub async fn query(
    State(state): State<Arc<AppState>>,
    Path(collection): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Response {
    let Some(kind) = CollectionKind::from_path_segment(&collection) else {
        return error_body::flat(StatusCode::NOT_FOUND, "Not found", 404);
    };
    let v = parts.uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "v").map(|(_, v)| v.into_owned())
    });
    if v.is_some_and(|v| v.trim().parse::<f64>().is_err()) {
        return bad("Illegal Version");
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return bad("body is not valid JSON");
    };
    let Some(kind_of_query) = request.get("type").and_then(as_u64) else {
        return bad("type is required (0, 1 or 2)");
    };
    if kind_of_query > 2 || (kind_of_query == 2 && kind != CollectionKind::Users) {
        return bad(&format!("query type {kind_of_query} is not supported for {collection}"));
    }
    let Some(params) = request.get("parameters").and_then(Value::as_array).filter(|p| !p.is_empty()) else {
        return bad("parameters must be a non-empty array");
    };
    let mut sites = Vec::new();
    for p in params {
        let Some(site) = p.get("site").and_then(Value::as_str) else {
            return bad("every parameter needs a site");
        };
        if !state.has_account(site) {
            continue;
        }
        if let Err(denied) = auth_guard::check(&state, site, &parts, &body) {
            return denied.response();
        }
        sites.push((site.to_owned(), p));
    }

    let stores = state.stores.lock().expect("store lock");
    let reply = match kind_of_query {
        0 => {
            let mut out = Vec::new();
            for (site, p) in sites {
                let Some(since) = p.get("revision").and_then(as_u64) else {
                    return bad("type 0 needs a revision per site");
                };
                let Some(store) = stores.get(&site) else { continue };
                let (items, revision) = store.delta_since(kind, since);
                out.push((site, items, revision));
            }
            delta::delta_envelope(kind, out)
        }
        1 => {
            let mut out = Vec::new();
            for (site, p) in sites {
                let (Some(from), Some(to)) = (p.get("from").and_then(as_u64), p.get("to").and_then(as_u64))
                else {
                    return bad("type 1 needs from and to per site");
                };
                let Some(store) = stores.get(&site) else { continue };
                let revisions: Vec<Value> = store
                    .changes_between(kind, from, to)
                    .into_iter()
                    .map(|(revision, items)| {
                        json!({ "revision": revision, "revisionDate": delta::revision_date(&items), "items": items })
                    })
                    .collect();
                out.push(json!({ "siteId": site, "revisionsCollection": revisions }));
            }
            Value::Array(out)
        }
        _ => {
            let mut out = Vec::new();
            for (site, _) in sites {
                let Some(store) = stores.get(&site) else { continue };
                let (items, revision) = store.snapshot(kind);
                out.push(json!({ "revision": revision, "siteId": site, "collection": items }));
            }
            Value::Array(out)
        }
    };
    drop(stores);
    let mut resp = (StatusCode::OK, reply.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}
