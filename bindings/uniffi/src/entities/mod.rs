//! Entity records and their conversions to and from the core's types.
//!
//! Field names follow Rust (`login_name`); uniffi renders them idiomatically
//! (`loginName` in Kotlin and Swift). Unknown server fields travel as
//! `extra_json` (a JSON object) so a read-modify-write never drops data.

mod catalog;
mod groups;
mod users;

pub use catalog::{Lob, Profile, Skill};
pub use groups::{AgentGroup, GroupNode};
pub use users::{GroupLink, User};

use serde_json::{Map, Value};

use crate::error::LpError;

/// `extra` as the JSON text carried by records.
pub(crate) fn extra_to_json(extra: &Map<String, Value>) -> String {
    Value::Object(extra.clone()).to_string()
}

/// Parses a record's `extra_json` (empty means none).
pub(crate) fn extra_from_json(text: &str) -> Result<Map<String, Value>, LpError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(LpError::config("extra_json", "must be a JSON object")),
        Err(e) => Err(LpError::config("extra_json", format!("is not JSON: {e}"))),
    }
}

/// Converts a list of records, stopping at the first bad one.
pub(crate) fn to_core_all<R, C>(
    items: &[R],
    f: impl Fn(&R) -> Result<C, LpError>,
) -> Result<Vec<C>, LpError> {
    items.iter().map(f).collect()
}

/// Checks a hand-mirrored record against the core entity's wire fields (uniffi cannot
/// derive its records from the core's types without a core feature): the record's
/// top-level `Debug` field names, camel-cased, `extra_json` left out and `rename`d
/// where the wire name differs, must be exactly `wire_fields`.
#[cfg(test)]
pub(crate) fn assert_record_fields(debug: &str, rename: &[(&str, &str)], wire_fields: &[&str]) {
    let camel = |s: &str| {
        let mut out = String::new();
        let mut up = false;
        for c in s.chars() {
            if c == '_' {
                up = true;
            } else if up {
                out.push(c.to_ascii_uppercase());
                up = false;
            } else {
                out.push(c);
            }
        }
        out
    };
    let mut got: Vec<String> = debug
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_once(':').map(|(n, _)| n))
        .filter(|n| *n != "extra_json")
        .map(|n| {
            rename.iter().find(|(from, _)| *from == n).map_or_else(|| camel(n), |(_, to)| (*to).to_owned())
        })
        .collect();
    let mut want: Vec<String> = wire_fields.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "the uniffi record and the core entity have different fields");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_json_round_trips_and_rejects_non_objects() {
        let map = extra_from_json(r#"{"customField":[1,2]}"#).unwrap();
        assert_eq!(extra_to_json(&map), r#"{"customField":[1,2]}"#);
        assert!(extra_from_json("").unwrap().is_empty());
        assert_eq!(extra_from_json("[1]").unwrap_err().field(), Some("extra_json"));
        assert_eq!(extra_from_json("{").unwrap_err().field(), Some("extra_json"));
    }
}
