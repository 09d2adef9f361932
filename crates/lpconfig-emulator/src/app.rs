//! The route table: every URL the emulator answers, in one place.
//!
//! Platform routes (CSDS, Login Service) are here; account-config collections go in
//! [`collection_routes`]. Every route sits behind the `intercept` middleware (faults,
//! request log) and takes `State<Arc<AppState>>`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::auth_guard::authorize;
use crate::intercept::{intercept, MAX_BODY};
use crate::state::AppState;
use crate::{csds, error_body, login};

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

/// CSDS and the Login Service.
fn platform_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/account/{account}/service/baseURI.json", get(csds::all_services))
        .route("/api/account/{account}/service/{service}/baseURI.json", get(csds::service))
        .route("/api/account/{account}/login", post(login::login))
        .route("/api/account/{account}/refresh", post(login::refresh))
        .route("/api/account/{account}/logout", post(login::logout))
}

/// Account-config collections under `/api/account/{account}/configuration/le-users/`.
fn collection_routes() -> Router<Arc<AppState>> {
    // replaced by store routes
    Router::new().route("/api/account/{account}/configuration/le-users/{collection}", get(placeholder_list))
}

// replaced by store routes: an authorized empty list, so the platform can be tested
// before the collections exist.
async fn placeholder_list(
    State(state): State<Arc<AppState>>,
    Path((account, _collection)): Path<(String, String)>,
    parts: Parts,
    body: Bytes,
) -> Response {
    if let Err(denied) = authorize(&state, &account, &parts, &body) {
        return denied;
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::HeaderName::from_static("ac-revision"), HeaderValue::from_static("0")),
            (header::ETAG, HeaderValue::from_static("0")),
        ],
        "[]",
    )
        .into_response()
}

async fn not_found() -> Response {
    error_body::flat(StatusCode::NOT_FOUND, "Not found", 404)
}
