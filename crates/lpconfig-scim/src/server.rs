//! The HTTP side: routes under `/scim/v2`, bearer check, body limit, list
//! parameters, ETags, request logging (method, path, status, time; never headers).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use lpconfig::Secret;
use serde::Deserialize;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use crate::bridge::{Bridge, Found};
use crate::error::{ScimError, ScimResult};
use crate::filter::Filter;
use crate::schema::{self, LIST};
use crate::version::Version;

/// Largest request body accepted (RFC 7644 lets the server choose; 413 above it).
pub const MAX_BODY: usize = 256 * 1024;

/// Largest `count` of one page.
pub const MAX_COUNT: usize = 1000;

/// Shared state of the routes.
pub struct AppState {
    /// The bridge.
    pub bridge: Bridge,
    /// The IdP's bearer token.
    pub token: Secret,
}

/// The router: everything under `/scim/v2`.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema_one))
        .route("/Users", get(list_users).post(create_user))
        .route("/.search", axum::routing::post(search_all))
        .route("/Users/.search", axum::routing::post(search_users))
        .route("/Groups/.search", axum::routing::post(search_groups))
        .route("/Users/{id}", get(get_user).put(put_user).patch(patch_user).delete(delete_user))
        .route("/Groups", get(list_groups).post(create_group))
        .route("/Groups/{id}", get(get_group).put(put_group).patch(patch_group).delete(delete_group))
        .fallback(|| async { ScimError::status(404, "no such endpoint") })
        .layer(middleware::from_fn_with_state(state.clone(), auth))
        .with_state(state);
    Router::new()
        .nest("/scim/v2", api)
        .fallback(|| async { ScimError::status(404, "no such endpoint (the SCIM base is /scim/v2)") })
        .layer(middleware::from_fn(log))
}

async fn log(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let t = Instant::now();
    let resp = next.run(req).await;
    tracing::info!(target: "lpconfig_scim", %method, %path, status = resp.status().as_u16(),
        ms = t.elapsed().as_millis() as u64, "scim request");
    resp
}

async fn auth(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .unwrap_or_default();
    let ok: bool = given.as_bytes().ct_eq(st.token.expose().as_bytes()).into();
    if !ok || given.is_empty() {
        let mut r = ScimError::status(401, "missing or wrong bearer token").into_response();
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"scim\""));
        return r;
    }
    next.run(req).await
}

fn scim_json(status: StatusCode, v: &Value) -> Response {
    (status, [(header::CONTENT_TYPE, crate::SCIM_JSON)], v.to_string()).into_response()
}

fn found(status: StatusCode, f: Found, q: &ListQuery, group: bool, location: bool) -> Response {
    let mut v = f.resource;
    project(&mut v, q, group);
    let loc = v["meta"]["location"].as_str().map(str::to_owned);
    let tag = f.version.etag();
    v["meta"]["version"] = json!(tag);
    let mut r = scim_json(status, &v);
    if let Ok(e) = HeaderValue::from_str(&tag) {
        r.headers_mut().insert(header::ETAG, e);
    }
    if location {
        if let Some(l) = loc.and_then(|l| HeaderValue::from_str(&l).ok()) {
            r.headers_mut().insert(header::LOCATION, l);
        }
    }
    r
}

fn body_json(body: Result<Bytes, axum::extract::rejection::BytesRejection>) -> ScimResult<Value> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ScimError::status(413, format!("the body is larger than {MAX_BODY} bytes"))
        } else {
            ScimError::bad("invalidSyntax", format!("cannot read the body: {e}"))
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ScimError::bad("invalidSyntax", format!("invalid JSON: {e}")))
}

fn if_match(h: &HeaderMap) -> ScimResult<Option<Version>> {
    match h.get(header::IF_MATCH).map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(v)) => Ok(Version::parse(v)),
        Some(Err(_)) => Err(ScimError::status(412, "If-Match is not a version of this server")),
    }
}

/// List and projection parameters.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    filter: Option<String>,
    #[serde(rename = "startIndex")]
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

fn split(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or_default()
        .split(',')
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect()
}

/// `attributes` / `excludedAttributes` (RFC 7644 §3.9); `id` and `schemas` always stay.
fn project(v: &mut Value, q: &ListQuery, _group: bool) {
    let (only, except) = (split(&q.attributes), split(&q.excluded_attributes));
    let Some(m) = v.as_object_mut() else { return };
    let strip = |s: &str| {
        let lower = s.to_ascii_lowercase();
        for core in [schema::USER, schema::GROUP] {
            if let Some(rest) = lower.strip_prefix(&format!("{}:", core.to_ascii_lowercase())) {
                return rest.to_owned();
            }
        }
        lower
    };
    if !only.is_empty() {
        let only: Vec<String> = only.iter().map(|a| strip(a)).collect();
        let keys: Vec<String> = m.keys().cloned().collect();
        for k in keys {
            let kl = k.to_ascii_lowercase();
            if ["id", "schemas", "meta"].contains(&kl.as_str()) {
                continue;
            }
            let whole = only.iter().any(|a| *a == kl || a.starts_with(&format!("{kl}:")));
            let subs: Vec<String> =
                only.iter().filter_map(|a| a.strip_prefix(&format!("{kl}.")).map(str::to_owned)).collect();
            if whole {
                continue;
            }
            if subs.is_empty() {
                m.remove(&k);
            } else if let Some(Value::Object(inner)) = m.get_mut(&k) {
                inner.retain(|ik, _| subs.contains(&ik.to_ascii_lowercase()));
            } else if let Some(Value::Array(items)) = m.get_mut(&k) {
                for i in items.iter_mut() {
                    if let Some(o) = i.as_object_mut() {
                        o.retain(|ik, _| subs.contains(&ik.to_ascii_lowercase()));
                    }
                }
            }
        }
    }
    for a in except.iter().map(|a| strip(a)) {
        if ["id", "schemas"].contains(&a.as_str()) {
            continue;
        }
        match a.split_once('.') {
            Some((top, sub)) if !top.starts_with("urn:") => {
                if let Some(k) = m.keys().find(|k| k.eq_ignore_ascii_case(top)).cloned() {
                    match m.get_mut(&k) {
                        Some(Value::Object(o)) => o.retain(|ik, _| !ik.eq_ignore_ascii_case(sub)),
                        Some(Value::Array(items)) => items
                            .iter_mut()
                            .filter_map(Value::as_object_mut)
                            .for_each(|o| o.retain(|ik, _| !ik.eq_ignore_ascii_case(sub))),
                        _ => {}
                    }
                }
            }
            _ => {
                let ks: Vec<String> = m.keys().filter(|k| k.eq_ignore_ascii_case(&a)).cloned().collect();
                for k in ks {
                    m.remove(&k);
                }
            }
        }
    }
}

fn excludes_members(q: &ListQuery) -> bool {
    let only = split(&q.attributes);
    split(&q.excluded_attributes).iter().any(|a| a.eq_ignore_ascii_case("members"))
        || (!only.is_empty() && !only.iter().any(|a| a.to_ascii_lowercase().starts_with("members")))
}

fn page(items: Vec<Value>, q: &ListQuery, group: bool) -> ScimResult<Response> {
    let filter = match q.filter.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(f) => {
            let parsed = Filter::parse(f)?;
            for p in parsed.paths() {
                if !schema::known(&p, group) && !p.eq_ignore_ascii_case("meta.lastModified") {
                    return Err(ScimError::bad(
                        "invalidFilter",
                        format!("unknown attribute {p:?} in the filter"),
                    ));
                }
            }
            Some(parsed)
        }
        None => None,
    };
    let num = |s: &Option<String>, name: &str| -> ScimResult<Option<i64>> {
        s.as_deref()
            .map(|v| {
                v.trim()
                    .parse::<i64>()
                    .map_err(|_| ScimError::bad("invalidValue", format!("{name}: not an integer")))
            })
            .transpose()
    };
    let start = num(&q.start_index, "startIndex")?.unwrap_or(1).max(1) as usize;
    let count = num(&q.count, "count")?.map_or(100, |c| c.max(0) as usize).min(MAX_COUNT);
    let mut hits: Vec<Value> =
        items.into_iter().filter(|r| filter.as_ref().is_none_or(|f| f.matches(r))).collect();
    hits.sort_by_key(|r| r["id"].as_str().and_then(|s| s.parse::<i64>().ok()).unwrap_or_default());
    let total = hits.len();
    let mut resources: Vec<Value> = hits.into_iter().skip(start - 1).take(count).collect();
    for r in &mut resources {
        project(r, q, group);
    }
    Ok(scim_json(
        StatusCode::OK,
        &json!({"schemas": [LIST], "totalResults": total, "itemsPerPage": resources.len(), "startIndex": start,
                "Resources": resources}),
    ))
}

fn no_query_filter(q: &ListQuery) -> ScimResult<()> {
    if q.filter.is_some() {
        return Err(ScimError::bad("invalidFilter", "filter is only allowed on list requests"));
    }
    Ok(())
}

type Q = Query<ListQuery>;
type St = State<Arc<AppState>>;
type Body = Result<Bytes, axum::extract::rejection::BytesRejection>;

async fn service_provider_config(State(st): St) -> Response {
    scim_json(StatusCode::OK, &schema::service_provider_config(st.bridge.base()))
}

fn listed(items: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({"schemas": [LIST], "totalResults": items.len(), "itemsPerPage": items.len(), "startIndex": 1,
                "Resources": items}),
    )
}

async fn resource_types(State(st): St) -> Response {
    listed(schema::resource_types(st.bridge.base(), st.bridge.mapping().users.liveperson_extension))
}

async fn resource_type(State(st): St, UrlPath(id): UrlPath<String>) -> ScimResult<Response> {
    let t = schema::resource_types(st.bridge.base(), st.bridge.mapping().users.liveperson_extension)
        .into_iter()
        .find(|t| t["id"] == id.as_str());
    t.map(|t| scim_json(StatusCode::OK, &t)).ok_or_else(|| ScimError::not_found("ResourceType", &id))
}

async fn schemas(State(st): St) -> Response {
    listed(schema::schemas(st.bridge.base(), st.bridge.mapping().users.liveperson_extension))
}

async fn schema_one(State(st): St, UrlPath(id): UrlPath<String>) -> ScimResult<Response> {
    let s = schema::schemas(st.bridge.base(), st.bridge.mapping().users.liveperson_extension)
        .into_iter()
        .find(|s| s["id"] == id.as_str());
    s.map(|s| scim_json(StatusCode::OK, &s)).ok_or_else(|| ScimError::not_found("Schema", &id))
}

async fn list_users(State(st): St, Query(q): Q) -> ScimResult<Response> {
    let (items, _) = st.bridge.list_users().await?;
    page(items, &q, false)
}

/// `POST /.search` (RFC 7644 §3.4.3): the list parameters in a body.
fn search_query(body: Body) -> ScimResult<ListQuery> {
    let v = body_json(body)?;
    let text = |k: &str| {
        crate::filter::get_ci(&v, k).map(|x| match x {
            Value::String(s) => s.clone(),
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
            o => o.to_string(),
        })
    };
    Ok(ListQuery {
        filter: text("filter"),
        start_index: text("startIndex"),
        count: text("count"),
        attributes: text("attributes"),
        excluded_attributes: text("excludedAttributes"),
    })
}

async fn search_users(State(st): St, body: Body) -> ScimResult<Response> {
    let q = search_query(body)?;
    let (items, _) = st.bridge.list_users().await?;
    page(items, &q, false)
}

async fn search_all(State(st): St, body: Body) -> ScimResult<Response> {
    let q = search_query(body)?;
    let (mut items, _) = st.bridge.list_users().await?;
    items.extend(st.bridge.list_groups(!excludes_members(&q)).await?.0);
    page(items, &q, false)
}

async fn search_groups(State(st): St, body: Body) -> ScimResult<Response> {
    let q = search_query(body)?;
    let (items, _) = st.bridge.list_groups(!excludes_members(&q)).await?;
    page(items, &q, true)
}

async fn get_user(State(st): St, UrlPath(id): UrlPath<String>, Query(q): Q) -> ScimResult<Response> {
    no_query_filter(&q)?;
    Ok(found(StatusCode::OK, st.bridge.get_user(&id).await?, &q, false, false))
}

async fn create_user(State(st): St, Query(q): Q, body: Body) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::CREATED, st.bridge.create_user(&body).await?, &q, false, true))
}

async fn put_user(
    State(st): St,
    UrlPath(id): UrlPath<String>,
    Query(q): Q,
    h: HeaderMap,
    body: Body,
) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::OK, st.bridge.replace_user(&id, &body, if_match(&h)?).await?, &q, false, false))
}

async fn patch_user(
    State(st): St,
    UrlPath(id): UrlPath<String>,
    Query(q): Q,
    h: HeaderMap,
    body: Body,
) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::OK, st.bridge.patch_user(&id, &body, if_match(&h)?).await?, &q, false, false))
}

async fn delete_user(State(st): St, UrlPath(id): UrlPath<String>, h: HeaderMap) -> ScimResult<Response> {
    st.bridge.delete_user(&id, if_match(&h)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn list_groups(State(st): St, Query(q): Q) -> ScimResult<Response> {
    let (items, _) = st.bridge.list_groups(!excludes_members(&q)).await?;
    page(items, &q, true)
}

async fn get_group(State(st): St, UrlPath(id): UrlPath<String>, Query(q): Q) -> ScimResult<Response> {
    no_query_filter(&q)?;
    Ok(found(StatusCode::OK, st.bridge.get_group(&id, !excludes_members(&q)).await?, &q, true, false))
}

async fn create_group(State(st): St, Query(q): Q, body: Body) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::CREATED, st.bridge.create_group(&body).await?, &q, true, true))
}

async fn put_group(
    State(st): St,
    UrlPath(id): UrlPath<String>,
    Query(q): Q,
    h: HeaderMap,
    body: Body,
) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::OK, st.bridge.replace_group(&id, &body, if_match(&h)?).await?, &q, true, false))
}

async fn patch_group(
    State(st): St,
    UrlPath(id): UrlPath<String>,
    Query(q): Q,
    h: HeaderMap,
    body: Body,
) -> ScimResult<Response> {
    let body = body_json(body)?;
    Ok(found(StatusCode::OK, st.bridge.patch_group(&id, &body, if_match(&h)?).await?, &q, true, false))
}

async fn delete_group(State(st): St, UrlPath(id): UrlPath<String>, h: HeaderMap) -> ScimResult<Response> {
    st.bridge.delete_group(&id, if_match(&h)?).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
