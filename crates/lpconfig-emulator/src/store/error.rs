//! The one error type of the store: an HTTP status plus the field and a stable
//! machine-readable rule name, so clients and tests can tell violations apart
//! without parsing prose.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

/// A refused store operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// HTTP status: 400 (invalid), 404 (unknown id), 409 (duplicate or stale revision).
    pub status: u16,
    /// The offending input field (`loginName`, `memberOf.agentGroupId`, `If-Match`, ...).
    pub field: Option<String>,
    /// Stable rule name, e.g. `loginName.duplicate`.
    pub rule: &'static str,
    /// Human-readable explanation.
    pub message: String,
    /// `internalCode` of the flat error body.
    pub internal_code: i64,
    /// Position of the offending item in a batch request, when one item caused it.
    pub item: Option<usize>,
}

impl StoreError {
    fn new(status: u16, field: Option<&str>, rule: &'static str, message: String) -> StoreError {
        StoreError {
            status,
            field: field.map(str::to_owned),
            rule,
            message,
            // No codes are documented for account-config errors; the status keeps
            // them distinct and predictable.
            internal_code: i64::from(status),
            item: None,
        }
    }

    /// `400`: the input breaks a rule.
    pub fn invalid(field: &str, rule: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::new(400, Some(field), rule, message.into())
    }

    /// `404`: the id does not exist (or is deleted).
    pub fn not_found(field: &str, rule: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::new(404, Some(field), rule, message.into())
    }

    /// `409`: a uniqueness clash or a stale revision.
    pub fn conflict(field: &str, rule: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::new(409, Some(field), rule, message.into())
    }

    /// Names the batch item that broke the rule, in the message and the body, so
    /// a client can point at the row that caused a failed batch.
    pub fn at_item(mut self, index: usize, natural_key: Option<&str>) -> StoreError {
        if self.item.is_none() {
            self.item = Some(index);
            self.message = match natural_key {
                Some(key) => format!("item {index} ({key:?}): {}", self.message),
                None => format!("item {index}: {}", self.message),
            };
        }
        self
    }

    /// The flat body of platform.md §5.2 plus our `field`, `rule` and `item`.
    pub fn to_body(&self) -> Value {
        let time = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        let mut body = json!({
            "time": time,
            "message": self.message,
            "internalCode": self.internal_code,
            "rule": self.rule,
        });
        if let Some(field) = &self.field {
            body["field"] = Value::String(field.clone());
        }
        if let Some(item) = self.item {
            body["item"] = Value::from(item);
        }
        body
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.rule, self.message)
    }
}

impl std::error::Error for StoreError {}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;
