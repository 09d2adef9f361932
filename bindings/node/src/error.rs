//! Core errors as napi errors whose message is a tagged JSON payload; the JS
//! side (`errors.js`) rebuilds the right `LpError` subclass from it.

use serde::Serialize;

/// Prefix that marks a message as an lpconfig error payload.
pub const PAYLOAD_PREFIX: &str = "LPCONFIG_ERROR:";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payload<'a> {
    code: &'static str,
    message: String,
    detail: String,
    field: Option<&'a str>,
    status: Option<u16>,
    method: Option<&'a str>,
    url: Option<&'a str>,
    attempts: u32,
    internal_code: Option<i64>,
    body: Option<&'a str>,
    batch: Option<Batch<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Batch<'a> {
    applied_chunks: usize,
    total_chunks: usize,
    applied_items: usize,
    applied_ids: &'a [i64],
}

/// The napi error carrying `e` (whose text never holds a secret: the core
/// guarantees it, and this adds nothing but the same details).
pub fn to_napi(e: lpconfig::Error) -> napi::Error {
    let d = e.details();
    // The core's hint names its Rust method; say it the JS way.
    let js = |t: &str| t.replace(lpconfig::api::users::MASKED_BLANK_HINT, "client.users.allowMaskedBlank()");
    let payload = Payload {
        code: e.kind().code(),
        message: js(&e.to_string()),
        detail: js(&d.message),
        field: d.field.as_deref(),
        status: d.status,
        method: d.method.as_deref(),
        url: d.url.as_deref(),
        attempts: d.attempts,
        internal_code: d.internal_code,
        body: d.body.as_deref(),
        batch: d.batch.as_ref().map(|b| Batch {
            applied_chunks: b.applied_chunks,
            total_chunks: b.total_chunks,
            applied_items: b.applied_items,
            applied_ids: &b.applied_ids,
        }),
    };
    let text = serde_json::to_string(&payload).unwrap_or_else(|_| e.to_string());
    napi::Error::from_reason(format!("{PAYLOAD_PREFIX}{text}"))
}

/// A `Config` error naming `field`, as a napi error.
pub fn config(field: &str, message: impl Into<String>) -> napi::Error {
    to_napi(lpconfig::Error::config(field, message))
}

/// `?`-friendly conversion of core results.
pub trait IntoNapi<T> {
    /// Maps the core error.
    fn napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for lpconfig::Result<T> {
    fn napi(self) -> napi::Result<T> {
        self.map_err(to_napi)
    }
}
