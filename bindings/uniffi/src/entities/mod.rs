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
