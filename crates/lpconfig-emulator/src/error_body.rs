//! The two error-body shapes the platform documents (platform.md §5.2).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::clock;

/// The documented CSRF message of refresh/logout (platform.md §2.4).
pub const CSRF_MESSAGE: &str =
    "CSRF token invalid! The CSRF token on request does not match the CSRF token on the session";

/// Flat entity `{"time": <epoch ms>, "message": "...", "internalCode": n}`, as other
/// LivePerson services document it; used for CSDS and account-config errors.
pub fn flat(status: StatusCode, message: &str, internal_code: i64) -> Response {
    let body = json!({
        "time": clock::now_millis(),
        "message": message,
        "internalCode": internal_code,
    });
    json_response(status, body.to_string())
}

/// Wrapped `{"error":{"time","message","internalCode","responseStatus"}}`, the Login
/// Service shape; `responseStatus` is the status's canonical name in upper snake case.
pub fn wrapped(status: StatusCode, message: &str, internal_code: i64) -> Response {
    let response_status = status.canonical_reason().unwrap_or("ERROR").to_ascii_uppercase().replace(' ', "_");
    let body = json!({
        "error": {
            "time": clock::java_medium_datetime(clock::now_secs()),
            "message": message,
            "internalCode": internal_code,
            "responseStatus": response_status,
        }
    });
    json_response(status, body.to_string())
}

/// The exact refresh/logout rejection: `401` with the documented CSRF body.
pub fn csrf_invalid() -> Response {
    wrapped(StatusCode::UNAUTHORIZED, CSRF_MESSAGE, 10)
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}
