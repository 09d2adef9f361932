//! HTTP face of the account-config collections (`/configuration/le-users/...`):
//! `v`, `select`, `include_deleted`, `If-Match` (304 on reads), revision headers,
//! `Location`, and `X-HTTP-Method-Override`. Every rule about data lives in
//! [`crate::store`]; this module only translates HTTP to store calls and back.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::auth_guard::authorize;
use crate::state::AppState;
use crate::store::{project, AccountStore, CollectionKind, IdInput, IfMatch, Selector, StoreError};

const AC_REVISION: HeaderName = HeaderName::from_static("ac-revision");
const OVERRIDE: &str = "x-http-method-override";

/// `/{collection}`: list, create, batch update, batch delete.
pub async fn collection(
    State(state): State<Arc<AppState>>,
    Path((account, collection)): Path<(String, String)>,
    parts: Parts,
    body: Bytes,
) -> Response {
    handle(&state, &account, &collection, None, None, &parts, &body)
}

/// `/{collection}/{id}`: get, update, delete one.
pub async fn item(
    State(state): State<Arc<AppState>>,
    Path((account, collection, id)): Path<(String, String, String)>,
    parts: Parts,
    body: Bytes,
) -> Response {
    handle(&state, &account, &collection, Some(&id), None, &parts, &body)
}

/// `/users/{id}/resetPassword` and `/users/{id}/changePassword`.
pub async fn action(
    State(state): State<Arc<AppState>>,
    Path((account, collection, id, action)): Path<(String, String, String, String)>,
    parts: Parts,
    body: Bytes,
) -> Response {
    handle(&state, &account, &collection, Some(&id), Some(&action), &parts, &body)
}

fn store_error(e: &StoreError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    json(status, e.to_body().to_string().into(), None)
}

fn bad_request(field: &str, rule: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::invalid(field, rule, message)
}

fn json(status: StatusCode, body: Bytes, revision: Option<u64>) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(r) = revision {
        let v = HeaderValue::from(r);
        h.insert(AC_REVISION, v.clone());
        h.insert(header::ETAG, v);
    }
    resp
}

fn query_param<'a>(parts: &'a Parts, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    let q = parts.uri.query()?;
    url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v)
}

/// D1: any numeric `v` from 1.0 to 6.0 gets the same model; missing is accepted
/// unless the account is strict.
fn check_version(parts: &Parts, strict: bool) -> Result<(), StoreError> {
    let Some(v) = query_param(parts, "v") else {
        return if strict {
            Err(bad_request("v", "version.required", "v is required (strict mode)"))
        } else {
            Ok(())
        };
    };
    match v.trim().parse::<f64>() {
        Ok(n) if (1.0..=6.0).contains(&n) => Ok(()),
        Ok(_) => {
            Err(bad_request("v", "version.unsupported", format!("version {v} is not supported (1.0 to 6.0)")))
        }
        Err(_) => Err(bad_request("v", "version.invalid", format!("Illegal Version: {v:?} is not a number"))),
    }
}

fn effective_method(parts: &Parts) -> Result<Method, StoreError> {
    let over = parts.headers.get(OVERRIDE).and_then(|v| v.to_str().ok());
    match (&parts.method, over) {
        (&Method::POST, Some(o)) => match o.trim().to_ascii_uppercase().as_str() {
            "PUT" => Ok(Method::PUT),
            "DELETE" => Ok(Method::DELETE),
            "POST" => Ok(Method::POST),
            other => Err(bad_request(
                OVERRIDE,
                "methodOverride.invalid",
                format!("cannot override POST with {other}"),
            )),
        },
        (m, _) => Ok(m.clone()),
    }
}

fn if_match(parts: &Parts) -> Result<Option<IfMatch>, StoreError> {
    match parts.headers.get(header::IF_MATCH).map(|v| v.to_str().unwrap_or("")) {
        None => Ok(None),
        Some(raw) => IfMatch::parse(raw).map(Some),
    }
}

fn parse_body(body: &[u8]) -> Result<Value, StoreError> {
    serde_json::from_slice(body)
        .map_err(|e| bad_request("body", "body.malformed", format!("body is not valid JSON: {e}")))
}

fn parse_id(raw: &str) -> Result<i64, StoreError> {
    raw.parse().map_err(|_| StoreError::not_found("id", "id.invalid", format!("{raw:?} is not an id")))
}

#[allow(clippy::too_many_arguments)]
fn handle(
    state: &AppState,
    account: &str,
    collection: &str,
    id: Option<&str>,
    action: Option<&str>,
    parts: &Parts,
    body: &[u8],
) -> Response {
    if let Err(denied) = authorize(state, account, parts, body) {
        return denied;
    }
    let run = || -> Result<Response, StoreError> {
        let kind = CollectionKind::from_path_segment(collection).ok_or_else(|| {
            StoreError::not_found("collection", "collection.unknown", format!("no collection {collection:?}"))
        })?;
        let method = effective_method(parts)?;
        let mut stores = state.stores.lock().expect("store lock");
        let store = stores.get_mut(account).ok_or_else(|| {
            StoreError::not_found("account", "account.unknown", format!("no account {account:?}"))
        })?;
        check_version(parts, store.config().strict_version)?;
        match (action, id) {
            (Some(action), Some(id)) => password_action(store, kind, &method, parse_id(id)?, action, body),
            (None, Some(id)) => one(state, store, kind, &method, parse_id(id)?, parts, body),
            (None, None) => many(state, account, store, kind, &method, parts, body),
            (Some(_), None) => unreachable!("routes always give an id with an action"),
        }
    };
    run().unwrap_or_else(|e| store_error(&e))
}

fn selector(store: &AccountStore, kind: CollectionKind, list: bool, parts: &Parts) -> Selector {
    store.selector(kind, list, query_param(parts, "select").as_deref())
}

fn include_deleted(parts: &Parts) -> bool {
    query_param(parts, "include_deleted").is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

fn many(
    state: &AppState,
    account: &str,
    store: &mut AccountStore,
    kind: CollectionKind,
    method: &Method,
    parts: &Parts,
    body: &[u8],
) -> Result<Response, StoreError> {
    let current = store.revision(kind);
    match *method {
        Method::GET => {
            if if_match(parts)?.is_some_and(|m| m.not_modified(current)) {
                return Ok(json(StatusCode::NOT_MODIFIED, Bytes::new(), Some(current)));
            }
            let sel = selector(store, kind, true, parts);
            let body = store.list_json(kind, include_deleted(parts), &sel);
            Ok(json(StatusCode::OK, body.into(), Some(current)))
        }
        Method::POST => {
            let input = parse_body(body)?;
            let (items, single) = match input {
                Value::Array(items) => (items, false),
                obj @ Value::Object(_) => (vec![obj], true),
                _ => {
                    return Err(bad_request(
                        "body",
                        "body.shape",
                        "body must be an object or an array of objects",
                    ))
                }
            };
            let created = store.create(kind, items)?;
            let revision = store.revision(kind);
            if single {
                let one = created.into_iter().next().unwrap_or(Value::Null);
                let mut resp = json(StatusCode::CREATED, one.to_string().into(), Some(revision));
                if let Some(id) = one.get("id").and_then(Value::as_i64) {
                    let loc = format!(
                        "http://{}/api/account/{account}/configuration/le-users/{}/{id}",
                        state.host_port,
                        kind.path_segment()
                    );
                    if let Ok(v) = HeaderValue::from_str(&loc) {
                        resp.headers_mut().insert(header::LOCATION, v);
                    }
                }
                Ok(resp)
            } else {
                Ok(json(
                    StatusCode::CREATED,
                    serde_json::to_vec(&created).expect("serializes").into(),
                    Some(revision),
                ))
            }
        }
        Method::PUT => {
            let guard = if_match(parts)?;
            let Value::Array(items) = parse_body(body)? else {
                return Err(bad_request("body", "body.shape", "a batch update takes an array of objects"));
            };
            let updated = store.update(kind, items, guard)?;
            Ok(json(
                StatusCode::OK,
                serde_json::to_vec(&updated).expect("serializes").into(),
                Some(store.revision(kind)),
            ))
        }
        Method::DELETE => {
            let guard = if_match(parts)?;
            let ids = IdInput::parse_list(&parse_body(body)?)?;
            let deleted = store.delete(kind, ids, guard)?;
            Ok(json(
                StatusCode::OK,
                serde_json::to_vec(&deleted).expect("serializes").into(),
                Some(store.revision(kind)),
            ))
        }
        _ => Err(method_not_allowed()),
    }
}

fn one(
    _state: &AppState,
    store: &mut AccountStore,
    kind: CollectionKind,
    method: &Method,
    id: i64,
    parts: &Parts,
    body: &[u8],
) -> Result<Response, StoreError> {
    let current = store.revision(kind);
    match *method {
        Method::GET => {
            if if_match(parts)?.is_some_and(|m| m.not_modified(current)) {
                return Ok(json(StatusCode::NOT_MODIFIED, Bytes::new(), Some(current)));
            }
            let value = store.get(kind, id, include_deleted(parts))?;
            let sel = selector(store, kind, false, parts);
            Ok(json(StatusCode::OK, project(&value, &sel).to_string().into(), Some(current)))
        }
        Method::PUT => {
            let guard = if_match(parts)?;
            let one = store.update_one(kind, id, parse_body(body)?, guard)?;
            Ok(json(StatusCode::OK, one.to_string().into(), Some(store.revision(kind))))
        }
        Method::DELETE => {
            let guard = if_match(parts)?;
            let deleted = store.delete(kind, vec![IdInput::Num(id)], guard)?;
            let one = deleted.into_iter().next().unwrap_or(Value::Null);
            Ok(json(StatusCode::OK, one.to_string().into(), Some(store.revision(kind))))
        }
        _ => Err(method_not_allowed()),
    }
}

fn password_action(
    store: &mut AccountStore,
    kind: CollectionKind,
    method: &Method,
    id: i64,
    action: &str,
    body: &[u8],
) -> Result<Response, StoreError> {
    if kind != CollectionKind::Users || *method != Method::PUT {
        return Err(method_not_allowed());
    }
    let input = parse_body(body)?;
    let user = match action {
        "resetPassword" => store.reset_password(id, &input),
        "changePassword" => store.change_password(id, &input),
        other => {
            return Err(StoreError::not_found("action", "action.unknown", format!("no action {other:?}")))
        }
    }?;
    Ok(json(StatusCode::OK, user.to_string().into(), Some(store.revision(kind))))
}

fn method_not_allowed() -> StoreError {
    StoreError {
        status: 405,
        field: None,
        rule: "method.notAllowed",
        message: "Method not allowed".into(),
        internal_code: 405,
        item: None,
    }
}
