//! One error type for the whole library; its kinds are the same in every binding.

use std::fmt;

/// Replays the list of [`ErrorKind`]s (with their docs) into `$m!`, after the
/// tokens given after the macro: the enum below and the uniffi binding's error
/// enum are both declared from it.
#[doc(hidden)]
#[macro_export]
macro_rules! error_kinds {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
            /// Bad input caught before any I/O (empty account, bad URL, bad id, missing field).
            Config,
            /// 401 after one re-login, or login refused.
            Auth,
            /// 403.
            Forbidden,
            /// 404.
            NotFound,
            /// 409 or 412: stale revision, duplicate name.
            Conflict,
            /// 400 (or another 4xx) from the server.
            Invalid,
            /// 429 after the retries ran out.
            RateLimited,
            /// 5xx after the retries ran out.
            Server,
            /// Connect, timeout or TLS failure after the retries ran out.
            Transport,
            /// A body that is not the documented shape.
            Decode,
        }
    };
}

/// Declares [`ErrorKind`] from [`error_kinds!`].
macro_rules! error_kind_enum {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// The kind of an [`Error`]: what a caller (or a binding) branches on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            $($(#[$doc])* $kind,)*
        }
    };
}

crate::error_kinds!(error_kind_enum);

impl ErrorKind {
    /// The stable code the Node binding puts in `err.code` (`ERR_NOT_FOUND`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Self::Config => "ERR_CONFIG",
            Self::Auth => "ERR_AUTH",
            Self::Forbidden => "ERR_FORBIDDEN",
            Self::NotFound => "ERR_NOT_FOUND",
            Self::Conflict => "ERR_CONFLICT",
            Self::Invalid => "ERR_INVALID",
            Self::RateLimited => "ERR_RATE_LIMITED",
            Self::Server => "ERR_SERVER",
            Self::Transport => "ERR_TRANSPORT",
            Self::Decode => "ERR_DECODE",
        }
    }

    /// The kind a final HTTP status maps to (design.md, "Errors").
    pub fn from_status(status: u16) -> Self {
        match status {
            401 => Self::Auth,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            409 | 412 => Self::Conflict,
            429 => Self::RateLimited,
            500..=599 => Self::Server,
            _ => Self::Invalid,
        }
    }
}

/// What is known about a failure. Never holds a secret: messages name fields and
/// URLs (which carry no credentials: OAuth goes in a header), not values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorDetails {
    /// Human-readable text: the server's `message` when it sent one.
    pub message: String,
    /// The offending field, when known (`loginName`, `account`, ...).
    pub field: Option<String>,
    /// The final HTTP status, when a response was received.
    pub status: Option<u16>,
    /// The HTTP method of the failed call.
    pub method: Option<String>,
    /// The URL of the failed call.
    pub url: Option<String>,
    /// How many times the request was sent (1 = no retry).
    pub attempts: u32,
    /// The server's `internalCode`, when present.
    pub internal_code: Option<i64>,
    /// The server's raw body (truncated), kept because error bodies are undocumented.
    pub body: Option<String>,
    /// For a write: what was applied, item by item (D8, D22). `None` when the
    /// server refused the write outright (nothing applied) or for reads.
    pub batch: Option<BatchProgress>,
    /// Every field the server named in a `fields` array (docs/errors.md).
    pub fields: Vec<FieldError>,
    /// The server's `responseStatus` (`UNAUTHORIZED`, `BAD_REQUEST`, ...), when sent.
    pub response_status: Option<String>,
}

/// One entry of an error body's `fields` array: a field name, with the
/// server's message about it when there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldError {
    /// The field (`loginName`, `memberOf.agentGroupId`, ...).
    pub field: String,
    /// What is wrong with it.
    pub message: Option<String>,
}

/// What a failed batch (or single write) did, item by item.
///
/// Chunks are atomic on the server. Items are named by their index in the
/// caller's input (0-based). An item is in exactly one of `applied`,
/// `not_applied` and `unknown`; `confirmed_after_loss` is the part of `applied`
/// whose answer was lost and which the client confirmed by re-reading (D22).
/// An item is only ever listed as `not_applied` when the client knows the
/// account does not hold it (the server refused it, or a re-read showed it absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchProgress {
    /// Chunks fully applied before the one that failed.
    pub applied_chunks: usize,
    /// Chunks in the whole batch.
    pub total_chunks: usize,
    /// How many items were applied (the length of `applied`).
    pub applied_items: usize,
    /// Ids of the applied items, when known.
    pub applied_ids: Vec<i64>,
    /// Indices of the items the account holds (applied).
    pub applied: Vec<usize>,
    /// Indices of applied items whose answer was lost, confirmed by re-reading.
    pub confirmed_after_loss: Vec<usize>,
    /// Indices of the items known not to be applied (refused, or not tried
    /// because an earlier chunk failed).
    pub not_applied: Vec<usize>,
    /// Indices of the items whose outcome could not be decided (the answer was
    /// lost and re-reading failed too): they may or may not have been applied.
    pub unknown: Vec<usize>,
}

impl BatchProgress {
    /// Whether every item's outcome is known.
    pub fn is_decided(&self) -> bool {
        self.unknown.is_empty()
    }
}

impl fmt::Display for ErrorDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)?;
        match (&self.method, &self.url) {
            (Some(m), Some(u)) => write!(f, " ({m} {u}")?,
            (None, Some(u)) => write!(f, " ({u}")?,
            _ => return Ok(()),
        }
        if let Some(s) = self.status {
            write!(f, " -> {s}")?;
        }
        if self.attempts > 1 {
            write!(f, ", {} attempts", self.attempts)?;
        }
        f.write_str(")")?;
        if let Some(b) = &self.batch {
            if b.total_chunks > 1 {
                write!(
                    f,
                    "; {} of {} chunks ({} items) were applied before this one",
                    b.applied_chunks, b.total_chunks, b.applied_items
                )?;
            }
            let items = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
            if !b.confirmed_after_loss.is_empty() {
                write!(
                    f,
                    "; applied although the answer was lost: items {}",
                    items(&b.confirmed_after_loss)
                )?;
            }
            if !b.unknown.is_empty() {
                write!(f, "; outcome unknown (may or may not be applied): items {}", items(&b.unknown))?;
            } else if b.total_chunks <= 1 && !b.not_applied.is_empty() {
                write!(f, "; not applied: items {}", items(&b.not_applied))?;
            }
        }
        Ok(())
    }
}

/// Every failure of the library.
///
/// ```
/// use lpconfig::{Error, ErrorKind};
/// let e = Error::config("account", "must match ^[a-zA-Z0-9_]{1,20}$");
/// assert_eq!(e.kind(), ErrorKind::Config);
/// assert_eq!(e.details().field.as_deref(), Some("account"));
/// assert!(e.to_string().contains("account"));
/// ```
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// See [`ErrorKind::Config`].
    #[error("configuration error: {0}")]
    Config(Box<ErrorDetails>),
    /// See [`ErrorKind::Auth`].
    #[error("authentication failed: {0}")]
    Auth(Box<ErrorDetails>),
    /// See [`ErrorKind::Forbidden`].
    #[error("forbidden: {0}")]
    Forbidden(Box<ErrorDetails>),
    /// See [`ErrorKind::NotFound`].
    #[error("not found: {0}")]
    NotFound(Box<ErrorDetails>),
    /// See [`ErrorKind::Conflict`].
    #[error("conflict: {0}")]
    Conflict(Box<ErrorDetails>),
    /// See [`ErrorKind::Invalid`].
    #[error("invalid: {0}")]
    Invalid(Box<ErrorDetails>),
    /// See [`ErrorKind::RateLimited`].
    #[error("rate limited: {0}")]
    RateLimited(Box<ErrorDetails>),
    /// See [`ErrorKind::Server`].
    #[error("server error: {0}")]
    Server(Box<ErrorDetails>),
    /// See [`ErrorKind::Transport`].
    #[error("transport error: {0}")]
    Transport(Box<ErrorDetails>),
    /// See [`ErrorKind::Decode`].
    #[error("unexpected response: {0}")]
    Decode(Box<ErrorDetails>),
}

/// The library's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Builds an error of `kind` from its details.
    pub fn new(kind: ErrorKind, details: ErrorDetails) -> Self {
        let d = Box::new(details);
        match kind {
            ErrorKind::Config => Self::Config(d),
            ErrorKind::Auth => Self::Auth(d),
            ErrorKind::Forbidden => Self::Forbidden(d),
            ErrorKind::NotFound => Self::NotFound(d),
            ErrorKind::Conflict => Self::Conflict(d),
            ErrorKind::Invalid => Self::Invalid(d),
            ErrorKind::RateLimited => Self::RateLimited(d),
            ErrorKind::Server => Self::Server(d),
            ErrorKind::Transport => Self::Transport(d),
            ErrorKind::Decode => Self::Decode(d),
        }
    }

    /// A `Config` error naming the offending field.
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(
            ErrorKind::Config,
            ErrorDetails { field: Some(field.into()), message: message.into(), ..Default::default() },
        )
    }

    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.parts().0
    }

    /// Everything known about the failure.
    pub fn details(&self) -> &ErrorDetails {
        self.parts().1
    }

    fn parts(&self) -> (ErrorKind, &ErrorDetails) {
        match self {
            Self::Config(d) => (ErrorKind::Config, d),
            Self::Auth(d) => (ErrorKind::Auth, d),
            Self::Forbidden(d) => (ErrorKind::Forbidden, d),
            Self::NotFound(d) => (ErrorKind::NotFound, d),
            Self::Conflict(d) => (ErrorKind::Conflict, d),
            Self::Invalid(d) => (ErrorKind::Invalid, d),
            Self::RateLimited(d) => (ErrorKind::RateLimited, d),
            Self::Server(d) => (ErrorKind::Server, d),
            Self::Transport(d) => (ErrorKind::Transport, d),
            Self::Decode(d) => (ErrorKind::Decode, d),
        }
    }

    /// Mutable details, for layers that add context (attempts, batch progress).
    pub(crate) fn details_mut(&mut self) -> &mut ErrorDetails {
        match self {
            Self::Config(d)
            | Self::Auth(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::Conflict(d)
            | Self::Invalid(d)
            | Self::RateLimited(d)
            | Self::Server(d)
            | Self::Transport(d)
            | Self::Decode(d) => d,
        }
    }

    /// The final HTTP status, when a response was received.
    pub fn status(&self) -> Option<u16> {
        self.details().status
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.details().attempts
    }

    /// The offending field, when known.
    pub fn field(&self) -> Option<&str> {
        self.details().field.as_deref()
    }
}

/// Longest server body kept in an error; bodies are for diagnosis, not storage.
const MAX_BODY: usize = 2048;

/// The `fields` array of an error body: strings, or objects naming the field
/// as `field` or `name` with an optional `message` (docs/errors.md).
fn fields_of(obj: Option<&serde_json::Value>) -> Vec<FieldError> {
    let Some(items) = obj.and_then(|o| o.get("fields")).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            serde_json::Value::String(s) => Some(FieldError { field: s.clone(), message: None }),
            serde_json::Value::Object(m) => {
                let text = |k: &str| m.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                let field = text("field").or_else(|| text("name"))?;
                Some(FieldError { field, message: text("message") })
            }
            _ => None,
        })
        .collect()
}

/// Builds the error for a non-success HTTP response, reading the server's
/// `message`, `internalCode`, `field`, `fields[]` and `responseStatus` from
/// either known error shape (flat `{"message",..}` or wrapped `{"error":{..}}`,
/// docs/errors.md).
pub(crate) fn from_response(status: u16, method: &str, url: &str, attempts: u32, body: &[u8]) -> Error {
    let text = String::from_utf8_lossy(body);
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let obj = parsed.as_ref().map(|v| v.get("error").filter(|e| e.is_object()).unwrap_or(v));
    let str_of = |k: &str| obj.and_then(|o| o.get(k)).and_then(|v| v.as_str()).map(str::to_owned);
    let fields = fields_of(obj);
    let response_status = str_of("responseStatus");
    // Without a top-level message, the first field's message, then the status
    // name the server gave, then the HTTP reason phrase.
    let message = str_of("message")
        .or_else(|| fields.iter().find_map(|f| f.message.clone()))
        .or_else(|| response_status.clone())
        .unwrap_or_else(|| {
            reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("unexpected status")
                .to_owned()
        });
    let mut kept = text.into_owned();
    if kept.len() > MAX_BODY {
        let mut cut = MAX_BODY;
        while !kept.is_char_boundary(cut) {
            cut -= 1;
        }
        kept.truncate(cut);
    }
    Error::new(
        ErrorKind::from_status(status),
        ErrorDetails {
            message,
            field: str_of("field").or_else(|| fields.first().map(|f| f.field.clone())),
            status: Some(status),
            method: Some(method.to_owned()),
            url: Some(url.to_owned()),
            attempts,
            internal_code: obj.and_then(|o| o.get("internalCode")).and_then(|v| v.as_i64()),
            body: (!kept.is_empty()).then_some(kept),
            batch: None,
            fields,
            response_status,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_statuses_to_kinds() {
        for (s, k) in [
            (400, ErrorKind::Invalid),
            (401, ErrorKind::Auth),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (412, ErrorKind::Conflict),
            (422, ErrorKind::Invalid),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (503, ErrorKind::Server),
        ] {
            assert_eq!(ErrorKind::from_status(s), k, "{s}");
        }
    }

    #[test]
    fn reads_both_error_shapes() {
        let flat = from_response(
            400,
            "POST",
            "http://h/x",
            1,
            br#"{"time":1,"message":"loginName taken","internalCode":33,"field":"loginName"}"#,
        );
        assert_eq!(flat.kind(), ErrorKind::Invalid);
        assert_eq!(flat.field(), Some("loginName"));
        assert_eq!(flat.details().internal_code, Some(33));
        assert_eq!(flat.to_string(), "invalid: loginName: loginName taken (POST http://h/x -> 400)");

        let wrapped = from_response(
            401,
            "POST",
            "http://h/r",
            1,
            br#"{"error":{"message":"CSRF token invalid!","internalCode":10}}"#,
        );
        assert_eq!(wrapped.kind(), ErrorKind::Auth);
        assert_eq!(wrapped.details().message, "CSRF token invalid!");

        assert_eq!(wrapped.details().response_status, None);

        let html = from_response(502, "GET", "http://h/y", 4, b"<html>bad gateway</html>");
        assert_eq!(html.details().message, "Bad Gateway");
        assert_eq!(html.attempts(), 4);
        assert!(html.to_string().ends_with("-> 502, 4 attempts)"));
    }

    #[test]
    fn reads_fields_and_response_status() {
        let e = from_response(
            400,
            "PUT",
            "http://h/u",
            1,
            br#"{"fields":[{"field":"email","message":"email is not valid"},"nickname",{"name":"maxChats"},7]}"#,
        );
        assert_eq!(e.field(), Some("email"), "the first listed field");
        assert_eq!(e.details().message, "email is not valid");
        let names: Vec<&str> = e.details().fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["email", "nickname", "maxChats"]);
        assert_eq!(e.details().fields[1].message, None);

        let status_only =
            from_response(401, "POST", "http://h/r", 1, br#"{"error":{"responseStatus":"UNAUTHORIZED"}}"#);
        assert_eq!(status_only.details().response_status.as_deref(), Some("UNAUTHORIZED"));
        assert_eq!(status_only.details().message, "UNAUTHORIZED");

        let full = from_response(
            401,
            "POST",
            "http://h/r",
            1,
            br#"{"error":{"time":"Sep 22, 2016 4:10:15 PM","message":"CSRF token invalid!","internalCode":10,"responseStatus":"UNAUTHORIZED"}}"#,
        );
        assert_eq!(full.details().message, "CSRF token invalid!");
        assert_eq!(full.details().internal_code, Some(10));
        assert_eq!(full.details().response_status.as_deref(), Some("UNAUTHORIZED"));
        assert!(full.details().fields.is_empty());
    }
}
