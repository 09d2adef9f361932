//! The route table: every URL the emulator answers, in one place.
//!
//! Platform routes (CSDS, Login Service) are here; account-config collections go in
//! [`collection_routes`]. Every route sits behind the `intercept` middleware (faults,
//! request log) and takes `State<Arc<AppState>>`.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

use crate::intercept::{intercept, MAX_BODY};
use crate::state::AppState;
use crate::{collections, csds, error_body, login, query_delta, sentinel};

/// The complete application for one emulator.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(platform_routes())
        .merge(collection_routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), intercept))
        .with_state(state)
}

/// CSDS, the Login Service and Sentinel.
fn platform_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/account/{account}/service/baseURI.json", get(csds::all_services))
        .route("/api/account/{account}/service/{service}/baseURI.json", get(csds::service))
        .route("/api/account/{account}/login", post(login::login))
        .route("/api/account/{account}/refresh", post(login::refresh))
        .route("/api/account/{account}/logout", post(login::logout))
        .route("/sentinel/api/account/{account}/app/token", post(sentinel::token_v1))
        .route("/sentinel/api/v2/account/{account}/app/token", post(sentinel::token_v2))
        .route("/sentinel/well-known/jwks", get(sentinel::jwks))
}

/// Account-config collections under `/api/account/{account}/configuration/le-users/`.
/// Every verb is routed so that `X-HTTP-Method-Override` can be honoured.
fn collection_routes() -> Router<Arc<AppState>> {
    const BASE: &str = "/api/account/{account}/configuration/le-users";
    Router::new()
        .route(&format!("{BASE}/{{collection}}"), any(collections::collection))
        .route(&format!("{BASE}/{{collection}}/{{id}}"), any(collections::item))
        .route(&format!("{BASE}/{{collection}}/{{id}}/{{action}}"), any(collections::action))
        // Query delta has no account in its path (docs/query-delta.md).
        .route("/api/account/configuration/le-users/{collection}/query", post(query_delta::query))
}

async fn not_found() -> Response {
    error_body::flat(StatusCode::NOT_FOUND, "Not found", 404)
}
