//! SCIM errors (RFC 7644 §3.12): a status, an optional `scimType` and a detail,
//! rendered in the `urn:ietf:params:scim:api:messages:2.0:Error` schema.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use lpconfig::ErrorKind;
use serde_json::json;

/// The schema URN of SCIM error bodies.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// A SCIM error response.
///
/// ```
/// let e = lpconfig_scim::ScimError::bad("invalidFilter", "unknown attribute \"foo\"");
/// assert_eq!(e.status, 400);
/// assert_eq!(e.body()["scimType"], "invalidFilter");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    /// HTTP status.
    pub status: u16,
    /// RFC 7644 Table 9 keyword (`invalidFilter`, `invalidValue`, `uniqueness`, ...).
    pub scim_type: Option<&'static str>,
    /// Human-readable detail (never a secret).
    pub detail: String,
}

/// Result of bridge operations.
pub type ScimResult<T> = Result<T, ScimError>;

impl ScimError {
    /// A 400 with a `scimType`.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        Self { status: 400, scim_type: Some(scim_type), detail: detail.into() }
    }
    /// Any status without a `scimType`.
    pub fn status(status: u16, detail: impl Into<String>) -> Self {
        Self { status, scim_type: None, detail: detail.into() }
    }
    /// 404 for a resource id.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::status(404, format!("{what} {id} not found"))
    }
    /// The error body.
    pub fn body(&self) -> serde_json::Value {
        let mut v = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            v["scimType"] = json!(t);
        }
        v
    }

    /// Maps a core error; `if_match` says whether the request carried `If-Match`
    /// (a conflict then means a stale version, else a duplicate).
    pub fn from_core(e: &lpconfig::Error, if_match: bool) -> Self {
        let msg = e.details().message.clone();
        match e.kind() {
            ErrorKind::NotFound => Self::status(404, msg),
            ErrorKind::Conflict if if_match => Self::status(412, format!("version mismatch: {msg}")),
            ErrorKind::Conflict => Self { status: 409, scim_type: Some("uniqueness"), detail: msg },
            ErrorKind::Invalid | ErrorKind::Config => Self::bad("invalidValue", msg),
            ErrorKind::RateLimited => Self::status(429, msg),
            ErrorKind::Forbidden | ErrorKind::Auth => {
                Self::status(502, format!("the LivePerson account refused the bridge's credentials: {msg}"))
            }
            _ => Self::status(503, format!("LivePerson unavailable: {msg}")),
        }
    }
}

impl std::fmt::Display for ScimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.detail)
    }
}

impl std::error::Error for ScimError {}

impl From<lpconfig::Error> for ScimError {
    fn from(e: lpconfig::Error) -> Self {
        Self::from_core(&e, false)
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, [(header::CONTENT_TYPE, crate::SCIM_JSON)], self.body().to_string()).into_response()
    }
}
