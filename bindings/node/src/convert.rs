//! JSON text in and out. Entities cross the boundary as JSON text: the core's
//! serde (lenient in, native out, unknown fields kept) does the typing and the
//! JS side parses with `JSON.parse`, the fastest way to build plain objects.

use lpconfig::api::lenient::SendIfSet;
use lpconfig::api::users::User;
use lpconfig::{Fetched, IfMatch, ListOptions, Revision, Secret, Versioned};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::config;

/// Serializes a result for JS.
pub fn out<T: Serialize + ?Sized>(value: &T) -> napi::Result<String> {
    serde_json::to_string(value).map_err(|e| napi::Error::from_reason(format!("cannot encode result: {e}")))
}

#[derive(Serialize)]
struct VersionedOut<'a, T> {
    value: &'a T,
    revision: Option<u64>,
}

/// `{ value, revision }`.
pub fn versioned<T: Serialize>(v: &Versioned<T>) -> napi::Result<String> {
    out(&VersionedOut { value: &v.value, revision: v.revision.map(|r| r.0) })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FetchedOut<'a, T> {
    not_modified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a T>,
    revision: Option<u64>,
}

/// `{ notModified: false, value, revision }` or `{ notModified: true, revision }`.
pub fn fetched<T: Serialize>(f: &Fetched<T>) -> napi::Result<String> {
    match f {
        Fetched::Modified(v) => {
            out(&FetchedOut { not_modified: false, value: Some(&v.value), revision: v.revision.map(|r| r.0) })
        }
        Fetched::NotModified(r) => {
            out(&FetchedOut::<T> { not_modified: true, value: None, revision: r.map(|r| r.0) })
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListOptionsIn {
    select: Option<String>,
    #[serde(default)]
    include_deleted: bool,
}

/// `{ select?, includeDeleted? }`.
pub fn list_options(json: Option<String>) -> napi::Result<ListOptions> {
    let o: ListOptionsIn = match json {
        Some(t) => serde_json::from_str(&t).map_err(|e| config("options", e.to_string()))?,
        None => ListOptionsIn::default(),
    };
    Ok(ListOptions { select: o.select, include_deleted: o.include_deleted })
}

/// `-1` is `If-Match: -1` (apply regardless); anything else a revision.
pub fn if_match(value: i64) -> napi::Result<IfMatch> {
    match value {
        -1 => Ok(IfMatch::Any),
        r if r >= 0 => Ok(IfMatch::Revision(Revision(r as u64))),
        r => Err(config("ifMatch", format!("{r} is neither 'any' nor a revision"))),
    }
}

/// A revision read earlier.
pub fn revision(value: i64) -> napi::Result<Revision> {
    u64::try_from(value).map(Revision).map_err(|_| config("since", format!("{value} is not a revision")))
}

/// Parses JSON text into `T`; a failure is a `Config` error naming `what`.
pub fn entity<T: DeserializeOwned>(json: &str, what: &str) -> napi::Result<T> {
    serde_json::from_str(json).map_err(|e| config(what, e.to_string()))
}

/// Takes a write-only secret out of the object, so no serde message can quote it.
fn take_secret(obj: &mut serde_json::Map<String, Value>, key: &str) -> napi::Result<Option<Secret>> {
    match obj.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(Secret::new(s))),
        Some(_) => Err(config(key, "must be a string")),
    }
}

/// A user from a JS object: `passwordSh`, `oldPassword` and `confirmPassword`
/// are write-only in the core's serde (never read back), so they are set here.
pub fn user_from(value: Value) -> napi::Result<User> {
    let Value::Object(mut obj) = value else {
        return Err(config("user", "must be an object"));
    };
    let password = take_secret(&mut obj, "passwordSh")?;
    let old = take_secret(&mut obj, "oldPassword")?;
    let confirm = take_secret(&mut obj, "confirmPassword")?;
    let mut user: User =
        serde_json::from_value(Value::Object(obj)).map_err(|e| config("user", e.to_string()))?;
    user.password = password;
    user.old_password = SendIfSet(old);
    user.confirm_password = SendIfSet(confirm);
    Ok(user)
}

/// One user from JSON text.
pub fn user(json: &str) -> napi::Result<User> {
    user_from(entity(json, "user")?)
}

/// Users from a JSON array.
pub fn users(json: &str) -> napi::Result<Vec<User>> {
    let items: Vec<Value> = entity(json, "users")?;
    items.into_iter().map(user_from).collect()
}
