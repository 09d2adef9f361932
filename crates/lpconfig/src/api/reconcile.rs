//! Deciding what a write did when its answer was lost (D22, `docs/retries.md`).
//!
//! A write whose outcome is unknown (timeout, reset, 5xx, a malformed 2xx, or a
//! retried write that met `409`/`404`) is resolved by re-reading: the stored item
//! is compared with what was sent. These are the pure parts of that decision.

use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// The three writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteOp {
    Create,
    Update,
    Delete,
}

/// At most this many items are re-read one by one (`GET /{c}/{id}`); more are
/// decided from one read of the whole collection, which then costs fewer requests.
pub(crate) const MAX_READS_BY_ID: usize = 10;

/// How to re-read the items of a write whose outcome is unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reread {
    /// Each item by id, tombstones included (`include_deleted=true`): an update or
    /// delete of a few items, whose ids are known.
    ById(Vec<i64>),
    /// The whole collection: a create (the API has no lookup by name, users-api.md
    /// "No paging, sorting or filtering parameters exist"), or many items.
    Collection {
        /// Tombstones too (updates and deletes must tell deleted from absent).
        include_deleted: bool,
    },
}

/// What to read to decide the outcome of the `ids` (one per pending item; `None`
/// for a create) of a write `op` (docs/retries.md, "Re-reading only what is needed").
pub(crate) fn reread_for(op: WriteOp, ids: &[Option<i64>]) -> Reread {
    let known: Option<Vec<i64>> = ids.iter().copied().collect();
    match (op, known) {
        (WriteOp::Update | WriteOp::Delete, Some(ids)) if !ids.is_empty() && ids.len() <= MAX_READS_BY_ID => {
            Reread::ById(ids)
        }
        (WriteOp::Create, _) => Reread::Collection { include_deleted: false },
        _ => Reread::Collection { include_deleted: true },
    }
}

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
    fn only_what_is_needed_is_re_read() {
        let few: Vec<Option<i64>> = (1..=3).map(Some).collect();
        assert_eq!(reread_for(WriteOp::Update, &few), Reread::ById(vec![1, 2, 3]));
        assert_eq!(reread_for(WriteOp::Delete, &few), Reread::ById(vec![1, 2, 3]));
        // Creates have no id yet and the API cannot look a name up.
        assert_eq!(reread_for(WriteOp::Create, &[None]), Reread::Collection { include_deleted: false });
        let many: Vec<Option<i64>> = (0..=MAX_READS_BY_ID as i64).map(Some).collect();
        assert_eq!(reread_for(WriteOp::Update, &many), Reread::Collection { include_deleted: true });
        assert_eq!(
            reread_for(WriteOp::Update, &[Some(1), None]),
            Reread::Collection { include_deleted: true }
        );
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
