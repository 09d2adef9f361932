//! One module per command group, plus the lookups they share.

pub mod catalog;
pub mod config;
pub mod emulator;
pub mod groups;
pub mod scim;
pub mod shell;
pub mod users;

use std::io::BufRead;

use lpconfig::{Client, Secret};
use serde_json::{Map, Value};

use crate::failure::{CliResult, Failure};
use crate::names::Names;

/// A user id, from an id or a login name.
pub async fn user_id(client: &Client, spec: &str) -> CliResult<i64> {
    if let Ok(id) = spec.trim().parse::<i64>() {
        return Ok(id);
    }
    match client.users().find_by_login_name(spec).await? {
        Some(u) => u.id.ok_or_else(|| Failure::api(format!("user {spec:?} has no id"))),
        None => Err(Failure::api(format!("no user with login name {spec:?}"))),
    }
}

/// A group id, from an id, a name or a path.
pub fn group_id(names: &Names, spec: &str) -> CliResult<i64> {
    names
        .find_group(spec)
        .and_then(|g| g.id)
        .ok_or_else(|| Failure::usage(format!("no agent group {spec:?} (see `lpconfig groups tree`)")))
}

/// `--json '{...}'` or `--json @file.json`: a JSON object.
pub fn json_arg(arg: &str) -> CliResult<Map<String, Value>> {
    let (text, origin) = match arg.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?,
            path.to_owned(),
        ),
        None => (arg.to_owned(), "--json".to_owned()),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(Failure::usage(format!("{origin}: expected a JSON object"))),
        Err(e) => Err(Failure::usage(format!("{origin}:{}:{}: invalid JSON: {e}", e.line(), e.column()))),
    }
}

/// Lays `patch`'s fields over `entity` (top-level replacement), through JSON.
pub fn overlay<T: serde::Serialize + serde::de::DeserializeOwned>(
    entity: &T,
    patch: &Map<String, Value>,
) -> CliResult<T> {
    let mut v = serde_json::to_value(entity).map_err(|e| Failure::usage(format!("cannot encode: {e}")))?;
    if let Value::Object(m) = &mut v {
        for (k, val) in patch {
            m.insert(k.clone(), val.clone());
        }
    }
    serde_json::from_value(v).map_err(|e| Failure::usage(format!("--json: {e}")))
}

/// The first line of stdin, as a secret.
pub fn password_from_stdin() -> CliResult<Secret> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let pw = line.trim_end_matches(['\r', '\n']).to_owned();
    if pw.is_empty() {
        return Err(Failure::usage("--new-password-stdin: stdin is empty"));
    }
    Ok(Secret::new(pw))
}
