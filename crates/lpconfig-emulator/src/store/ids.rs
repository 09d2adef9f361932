//! Ids as clients send them (numbers or numeric strings, D7) and the server-made
//! identifiers (`id`, `pid`).

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::{StoreError, StoreResult};

/// An id from a request: the docs send delete ids as strings, clients may send numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdInput {
    /// A JSON number (or a path segment already parsed).
    Num(i64),
    /// A JSON string that should hold a number.
    Str(String),
}

impl From<i64> for IdInput {
    fn from(v: i64) -> Self {
        IdInput::Num(v)
    }
}

impl From<&str> for IdInput {
    fn from(v: &str) -> Self {
        IdInput::Str(v.to_owned())
    }
}

impl From<String> for IdInput {
    fn from(v: String) -> Self {
        IdInput::Str(v)
    }
}

impl IdInput {
    /// The numeric id, or `400 id.type`.
    pub fn resolve(&self) -> StoreResult<i64> {
        match self {
            IdInput::Num(n) => Ok(*n),
            IdInput::Str(s) => s.trim().parse::<i64>().map_err(|_| bad_id(s)),
        }
    }

    /// One JSON element of a delete body.
    pub fn from_value(v: &Value) -> StoreResult<IdInput> {
        match v {
            Value::Number(n) => n.as_i64().map(IdInput::Num).ok_or_else(|| bad_id(&n.to_string())),
            Value::String(s) => Ok(IdInput::Str(s.clone())),
            other => Err(bad_id(&other.to_string())),
        }
    }

    /// A whole delete body: an array of ids; a lone id is tolerated.
    pub fn parse_list(body: &Value) -> StoreResult<Vec<IdInput>> {
        match body {
            Value::Array(items) => items.iter().map(IdInput::from_value).collect(),
            Value::Number(_) | Value::String(_) => Ok(vec![IdInput::from_value(body)?]),
            _ => Err(StoreError::invalid("body", "body.type", "the delete body must be a JSON array of ids")),
        }
    }
}

fn bad_id(raw: &str) -> StoreError {
    StoreError::invalid("id", "id.type", format!("id must be an integer, got {raw}"))
}

/// A deterministic UUID-shaped `pid` for a user: stable across runs so seeds and
/// tests can rely on it, distinct per account and id.
pub fn pid_for(account_id: &str, id: i64) -> String {
    let digest = Sha256::digest(format!("pid:{account_id}:{id}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_ids() {
        let ids = IdInput::parse_list(&json!(["12", 13])).unwrap();
        assert_eq!(ids.iter().map(|i| i.resolve().unwrap()).collect::<Vec<_>>(), vec![12, 13]);
        assert_eq!(IdInput::from("x").resolve().unwrap_err().rule, "id.type");
        assert!(IdInput::parse_list(&json!({"a": 1})).is_err());
    }

    #[test]
    fn pid_is_uuid_shaped_and_stable() {
        let p = pid_for("demo", 4052816112);
        assert_eq!(p.len(), 36);
        assert_eq!(p, pid_for("demo", 4052816112));
        assert_ne!(p, pid_for("demo", 4052816212));
        assert_eq!(&p[14..15], "4");
    }
}
