//! `LpError`: the core's error kinds (design.md, "Errors") as a uniffi error
//! enum, so Kotlin gets `LpException.NotFound`, Swift `LpError.NotFound`. The
//! variants are declared from the core's list (`lpconfig::error_kinds!`).
//!
//! Built from `ErrorDetails` only: the server body is left out because it is
//! undocumented text, and nothing here ever holds a credential.

use std::fmt;

use lpconfig::{ErrorDetails, ErrorKind};

/// How far a chunked batch got before a chunk failed (D8): everything listed
/// was applied, nothing else was.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BatchProgress {
    /// Chunks applied before the failing one.
    pub applied_chunks: u64,
    /// Chunks in the whole batch.
    pub total_chunks: u64,
    /// Items applied.
    pub applied_items: u64,
    /// Ids of the applied items, when the server returned them.
    pub applied_ids: Vec<i64>,
    /// Indices (in the batch) of the items the account holds (applied).
    #[uniffi(default)]
    pub applied: Vec<u64>,
    /// Indices of applied items whose answer was lost, confirmed by re-reading.
    #[uniffi(default)]
    pub confirmed_after_loss: Vec<u64>,
    /// Indices of the items known not to be applied (refused, or not tried).
    #[uniffi(default)]
    pub not_applied: Vec<u64>,
    /// Indices of the items whose outcome could not be decided (answer lost,
    /// re-reading failed): they may or may not have been applied.
    #[uniffi(default)]
    pub unknown: Vec<u64>,
}

/// Indices across the FFI (`usize` does not cross uniffi).
fn indices_out(v: &[usize]) -> Vec<u64> {
    v.iter().map(|&i| i as u64).collect()
}

fn indices_in(v: &[u64]) -> Vec<usize> {
    v.iter().map(|&i| i as usize).collect()
}

/// The masked-`fullName` opt-out in Kotlin's and Swift's spelling, put in
/// place of the core's Rust spelling (`users().allow_masked_blank(true)`).
pub const MOBILE_MASKED_BLANK_HINT: &str =
    "client.users().allowMaskedBlank(true) (Swift: client.users().allowMaskedBlank(yes: true))";

macro_rules! lp_error {
    ($($(#[$doc:meta])* $kind:ident),* $(,)?) => {
        /// Every failure of the library. All variants carry the same fields.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        #[uniffi::export(Display)]
        pub enum LpError {
            $(
                $(#[$doc])*
                #[error("{}", render(ErrorKind::$kind, message, status, field, method, url, attempts, batch))]
                $kind {
                    /// The server's message when it sent one, else a description.
                    message: String,
                    /// The final HTTP status, when a response was received.
                    status: Option<i32>,
                    /// The offending field, when known (`loginName`, `account`, ...).
                    field: Option<String>,
                    /// The HTTP method of the failed call.
                    method: Option<String>,
                    /// The URL of the failed call (never carries credentials).
                    url: Option<String>,
                    /// How many times the request was sent (0 = failed before I/O).
                    attempts: i32,
                    /// For a chunked batch: what was applied before this failure.
                    batch: Option<BatchProgress>,
                },
            )*
        }

        impl LpError {
            fn from_parts(kind: ErrorKind, d: &ErrorDetails) -> Self {
                let message = d.message.replace(lpconfig::api::users::MASKED_BLANK_HINT, MOBILE_MASKED_BLANK_HINT);
                let status = d.status.map(i32::from);
                let field = d.field.clone();
                let method = d.method.clone();
                let url = d.url.clone();
                let attempts = i32::try_from(d.attempts).unwrap_or(i32::MAX);
                let batch = d.batch.as_ref().map(|b| BatchProgress {
                    applied_chunks: b.applied_chunks as u64,
                    total_chunks: b.total_chunks as u64,
                    applied_items: b.applied_items as u64,
                    applied_ids: b.applied_ids.clone(),
                    applied: indices_out(&b.applied),
                    confirmed_after_loss: indices_out(&b.confirmed_after_loss),
                    not_applied: indices_out(&b.not_applied),
                    unknown: indices_out(&b.unknown),
                });
                match kind {
                    $(ErrorKind::$kind => Self::$kind { message, status, field, method, url, attempts, batch },)*
                }
            }

            fn code_str(&self) -> &'static str {
                match self {
                    $(Self::$kind { .. } => ErrorKind::$kind.code(),)*
                }
            }

            /// The final HTTP status, when a response was received.
            pub fn status(&self) -> Option<i32> {
                match self {
                    $(Self::$kind { status, .. } => *status,)*
                }
            }

            /// The offending field, when known.
            pub fn field(&self) -> Option<&str> {
                match self {
                    $(Self::$kind { field, .. } => field.as_deref(),)*
                }
            }
        }
    };
}

// The variants are the core's error kinds, with the core's docs.
lpconfig::error_kinds!(lp_error);

/// The core's own rendering, so every language prints the same text.
#[allow(clippy::too_many_arguments)]
fn render(
    kind: ErrorKind,
    message: &str,
    status: &Option<i32>,
    field: &Option<String>,
    method: &Option<String>,
    url: &Option<String>,
    attempts: &i32,
    batch: &Option<BatchProgress>,
) -> String {
    let details = ErrorDetails {
        message: message.to_owned(),
        field: field.clone(),
        status: status.and_then(|s| u16::try_from(s).ok()),
        method: method.clone(),
        url: url.clone(),
        attempts: u32::try_from(*attempts).unwrap_or_default(),
        batch: batch.as_ref().map(|b| lpconfig::BatchProgress {
            applied_chunks: b.applied_chunks as usize,
            total_chunks: b.total_chunks as usize,
            applied_items: b.applied_items as usize,
            applied_ids: b.applied_ids.clone(),
            applied: indices_in(&b.applied),
            confirmed_after_loss: indices_in(&b.confirmed_after_loss),
            not_applied: indices_in(&b.not_applied),
            unknown: indices_in(&b.unknown),
        }),
        ..Default::default()
    };
    lpconfig::Error::new(kind, details).to_string()
}

impl From<lpconfig::Error> for LpError {
    fn from(e: lpconfig::Error) -> Self {
        Self::from_parts(e.kind(), e.details())
    }
}

impl LpError {
    /// A `Config` error naming `field`, for bad input caught while converting.
    pub(crate) fn config(field: &str, message: impl fmt::Display) -> Self {
        lpconfig::Error::config(field, message.to_string()).into()
    }

    /// A failure inside the binding itself (a panic or a cancelled task). The
    /// taxonomy has no "internal" kind; `Decode` is the closest ("not what
    /// was expected") and keeps callers' `when` exhaustive.
    pub(crate) fn internal(message: &str) -> Self {
        Self::from_parts(
            ErrorKind::Decode,
            &ErrorDetails { message: message.to_owned(), ..Default::default() },
        )
    }
}

#[uniffi::export]
impl LpError {
    /// The stable error code (`ERR_NOT_FOUND`, ...), the same as Node's `err.code`.
    pub fn code(&self) -> String {
        self.code_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_kind_and_details() {
        let core = lpconfig::Error::new(
            ErrorKind::NotFound,
            ErrorDetails {
                message: "no such user".into(),
                status: Some(404),
                method: Some("GET".into()),
                url: Some("http://127.0.0.1:1/api/account/demo/configuration/le-users/users/9".into()),
                attempts: 1,
                ..Default::default()
            },
        );
        let e = LpError::from(core.clone());
        assert!(matches!(&e, LpError::NotFound { status: Some(404), attempts: 1, .. }));
        assert_eq!(e.code(), "ERR_NOT_FOUND");
        assert_eq!(e.to_string(), core.to_string());
    }

    #[test]
    fn the_masked_blank_hint_is_in_kotlin_and_swift_spelling() {
        let core = lpconfig::Error::config(
            "fullName",
            format!("the server masks it; opt in with {}", lpconfig::api::users::MASKED_BLANK_HINT),
        );
        let e = LpError::from(core);
        let text = e.to_string();
        assert!(
            text.contains("allowMaskedBlank(true)") && text.contains("allowMaskedBlank(yes: true)"),
            "{text}"
        );
        assert!(!text.contains("allow_masked_blank"), "{text}");
    }

    /// `BatchProgress` is written twice (the core's has `usize` indices, which
    /// uniffi cannot carry), so its fields are checked against the core's and
    /// every value must survive the trip.
    #[test]
    fn batch_progress_has_every_core_field() {
        let core = lpconfig::BatchProgress {
            applied_chunks: 1,
            total_chunks: 3,
            applied_items: 2,
            applied_ids: vec![7, 8],
            applied: vec![0, 1],
            confirmed_after_loss: vec![1],
            not_applied: vec![3],
            unknown: vec![2],
        };
        let names = |debug: String| -> Vec<String> {
            debug
                .lines()
                .filter_map(|l| l.strip_prefix("    "))
                .filter(|l| !l.starts_with(' '))
                .filter_map(|l| l.split_once(':').map(|(n, _)| n.to_owned()))
                .collect()
        };
        let details = ErrorDetails { batch: Some(core.clone()), ..Default::default() };
        let e = LpError::from(lpconfig::Error::new(ErrorKind::Server, details));
        let LpError::Server { batch: Some(b), .. } = &e else { panic!("{e:?}") };
        assert_eq!(names(format!("{b:#?}")), names(format!("{core:#?}")));
        assert_eq!((b.applied.clone(), b.confirmed_after_loss.clone()), (vec![0, 1], vec![1]));
        assert_eq!((b.not_applied.clone(), b.unknown.clone()), (vec![3], vec![2]));
        assert_eq!(
            e.to_string(),
            lpconfig::Error::new(ErrorKind::Server, ErrorDetails { batch: Some(core), ..Default::default() })
                .to_string()
        );
    }

    #[test]
    fn config_errors_name_the_field() {
        let e = LpError::config("extra_json", "is not a JSON object");
        assert_eq!(e.field(), Some("extra_json"));
        assert_eq!(e.status(), None);
        assert!(matches!(e, LpError::Config { .. }));
    }
}
