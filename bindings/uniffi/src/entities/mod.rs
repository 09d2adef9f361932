//! Entity records and their conversions to and from the core's types.
//!
//! The records are not written here: each core entity's definition is replayed
//! into [`record!`] by the core's own macro (`lpconfig::user_entity!`, ...), so
//! a record has exactly the core's fields, with the core's doc comments, and a
//! new core field is a new record field at the next build. Only how each core
//! field *type* crosses the FFI is written here ([`FfiField`]); a core type
//! without an impl does not compile.
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

use std::sync::Arc;

use lpconfig::api::lenient::{Nullable, SendIfSet};
use serde_json::{Map, Value};

use crate::error::LpError;
use crate::secret::Secret;

/// How a core field type crosses the FFI: the record's field type and the
/// conversions both ways.
pub trait FfiField {
    /// The type of the record's field.
    type Record;
    /// The record's value.
    fn to_record(&self) -> Self::Record;
    /// Back to the core's value (fails only on a nested record's bad `extra_json`).
    fn from_record(record: &Self::Record) -> Result<Self, LpError>
    where
        Self: Sized;
}

/// Types that cross unchanged.
macro_rules! same_type {
    ($($ty:ty),*) => {$(
        impl FfiField for $ty {
            type Record = $ty;
            fn to_record(&self) -> Self::Record {
                self.clone()
            }
            fn from_record(record: &Self::Record) -> Result<Self, LpError> {
                Ok(record.clone())
            }
        }
    )*};
}

same_type!(Option<i64>, Option<bool>, Option<String>, Vec<i64>);

/// `null` clears (`maxAsyncChats`, `parentGroupId`): an optional number.
impl FfiField for Nullable {
    type Record = Option<i64>;
    fn to_record(&self) -> Self::Record {
        self.0
    }
    fn from_record(record: &Self::Record) -> Result<Self, LpError> {
        Ok(Nullable(*record))
    }
}

/// Secrets cross as the opaque [`Secret`] object, so records never print them.
impl FfiField for Option<lpconfig::Secret> {
    type Record = Option<Arc<Secret>>;
    fn to_record(&self) -> Self::Record {
        self.as_ref().map(|s| Arc::new(Secret(s.clone())))
    }
    fn from_record(record: &Self::Record) -> Result<Self, LpError> {
        Ok(record.as_ref().map(|s| s.core()))
    }
}

impl FfiField for SendIfSet {
    type Record = Option<Arc<Secret>>;
    fn to_record(&self) -> Self::Record {
        self.0.to_record()
    }
    fn from_record(record: &Self::Record) -> Result<Self, LpError> {
        FfiField::from_record(record).map(SendIfSet)
    }
}

impl FfiField for Option<lpconfig::api::users::GroupLink> {
    type Record = Option<GroupLink>;
    fn to_record(&self) -> Self::Record {
        self.as_ref().map(GroupLink::from)
    }
    fn from_record(record: &Self::Record) -> Result<Self, LpError> {
        record.as_ref().map(GroupLink::to_core).transpose()
    }
}

impl FfiField for Vec<lpconfig::api::users::GroupLink> {
    type Record = Vec<GroupLink>;
    fn to_record(&self) -> Self::Record {
        self.iter().map(GroupLink::from).collect()
    }
    fn from_record(record: &Self::Record) -> Result<Self, LpError> {
        record.iter().map(GroupLink::to_core).collect()
    }
}

/// Declares the record of a core entity from the entity's definition, which the
/// core's replay macro passes in after `[core type] [derives] [record docs]`;
/// the core's own struct docs (with Rust examples) are left out.
macro_rules! record {
    (
        [$core:path] [$($derive:path),*] [$(#[$doc:meta])*]
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$doc])*
        #[derive($($derive,)* uniffi::Record)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[uniffi(default)]
                pub $field: <$ty as $crate::entities::FfiField>::Record,
            )*
            /// Fields this version does not know, as a JSON object; sent back unchanged.
            #[uniffi(default = "{}")]
            pub extra_json: String,
        }

        impl From<&$core> for $name {
            fn from(c: &$core) -> Self {
                Self {
                    $( $field: $crate::entities::FfiField::to_record(&c.$field), )*
                    extra_json: $crate::entities::extra_to_json(&c.extra),
                }
            }
        }

        impl $name {
            /// The core entity; fails only on a bad `extra_json`.
            pub(crate) fn to_core(&self) -> Result<$core, $crate::error::LpError> {
                let mut c = <$core>::default();
                $( c.$field = $crate::entities::FfiField::from_record(&self.$field)?; )*
                c.extra = $crate::entities::extra_from_json(&self.extra_json)?.into();
                Ok(c)
            }
        }
    };
}
pub(crate) use record;

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

/// Checks a record against the core entity's wire fields: the record's top-level
/// `Debug` field names, camel-cased, `extra_json` left out and `rename`d where the
/// wire name differs, must be exactly `wire_fields`. Records are generated from
/// the core's definitions, so this guards the replay (a field the macro dropped).
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
