//! Deciding what a write did when its answer was lost (D22, `docs/retries.md`).
//!
//! A write whose outcome is unknown (timeout, reset, 5xx, a malformed 2xx, or a
//! retried write that met `409`/`404`) is resolved by re-reading: the stored item
//! is compared with what was sent. These are the pure parts of that decision.

use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// Fields the server sets or never returns: a stored item may differ from what
/// was sent in these even when the write was applied.
const SERVER_SET: &[&str] = &[
    "id",
    "pid",
    "deleted",
    "dateUpdated",
    "passwordSh",
    "oldPassword",
    "confirmPassword",
    "lastPwdChangeDate",
    "assignmentDate",
];

/// Whether the outcome of a failed write is unknown: the request may have been
/// applied. `5xx`, transport failures (timeout, reset) and undecodable 2xx bodies
/// may hide an applied write; so may a `409`/`404` met by a *retried* send, whose
/// earlier attempt may have been applied (moving the revision, or deleting).
pub fn outcome_unknown(e: &Error) -> bool {
    match e.kind() {
        ErrorKind::Server | ErrorKind::Transport | ErrorKind::Decode => true,
        ErrorKind::Conflict | ErrorKind::NotFound => e.attempts() > 1,
        _ => false,
    }
}

/// Whether `stored` holds what `sent` asked for: every field sent (other than
/// server-set ones and `null`, which means "unchanged"/"inherit") has the same
/// value in `stored`. Lists of numbers compare as sets; a stored `""` where text
/// was sent counts as equal, because servers mask personal fields (`fullName`,
/// `employeeId`) on read.
pub fn holds(sent: &Value, stored: &Value) -> bool {
    match (sent, stored) {
        (Value::Object(s), Value::Object(t)) => s.iter().all(|(k, v)| {
            if SERVER_SET.contains(&k.as_str()) || v.is_null() {
                return true;
            }
            match t.get(k) {
                Some(tv) => holds(v, tv),
                None => is_empty(v),
            }
        }),
        (Value::Array(s), Value::Array(t)) => {
            if s.len() != t.len() {
                return false;
            }
            if s.iter().all(is_scalar) && t.iter().all(is_scalar) {
                let key = |v: &Value| v.to_string();
                let mut a: Vec<String> = s.iter().map(key).collect();
                let mut b: Vec<String> = t.iter().map(key).collect();
                a.sort();
                b.sort();
                return a == b;
            }
            s.iter().all(|sv| t.iter().any(|tv| holds(sv, tv)))
        }
        (Value::String(s), Value::String(t)) => s == t || t.is_empty(),
        (Value::Number(a), Value::Number(b)) => a == b || a.as_f64() == b.as_f64(),
        (Value::Array(s), Value::Null) => s.is_empty(),
        (s, t) => s == t,
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Null => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stored_holds_what_was_sent() {
        let sent = json!({"id": 5, "loginName": "kim", "fullName": "Kim", "skillIds": [2, 1],
                          "memberOf": {"agentGroupId": 7, "assignmentDate": "old"},
                          "passwordSh": "x", "maxAsyncChats": null, "managerOf": []});
        let stored = json!({"id": 5, "loginName": "kim", "fullName": "", "skillIds": [1, 2],
                            "memberOf": {"agentGroupId": 7, "assignmentDate": "new"},
                            "maxAsyncChats": 3, "dateUpdated": "now", "nickname": "K"});
        assert!(holds(&sent, &stored));
        let moved = json!({"loginName": "kim", "memberOf": {"agentGroupId": 8}, "skillIds": [1, 2]});
        assert!(!holds(&sent, &moved));
        assert!(!holds(&json!({"skillIds": [1]}), &json!({"skillIds": [1, 2]})));
        assert!(!holds(&json!({"maxChats": 4}), &json!({"maxChats": 0})));
        assert!(!holds(&json!({"description": "x"}), &json!({})));
        assert!(holds(&json!({"isEnabled": true}), &json!({"isEnabled": true})));
    }

    #[test]
    fn which_failures_hide_an_outcome() {
        use crate::error::ErrorDetails;
        let e = |kind, attempts| Error::new(kind, ErrorDetails { attempts, ..Default::default() });
        assert!(outcome_unknown(&e(ErrorKind::Server, 1)));
        assert!(outcome_unknown(&e(ErrorKind::Transport, 1)));
        assert!(outcome_unknown(&e(ErrorKind::Decode, 1)));
        assert!(outcome_unknown(&e(ErrorKind::Conflict, 2)));
        assert!(outcome_unknown(&e(ErrorKind::NotFound, 3)));
        assert!(!outcome_unknown(&e(ErrorKind::Conflict, 1)));
        assert!(!outcome_unknown(&e(ErrorKind::Invalid, 2)));
        assert!(!outcome_unknown(&e(ErrorKind::RateLimited, 4)));
    }
}
