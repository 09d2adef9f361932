//! Lenient input, native output (users-api.md §4.4, agent-groups-api.md §4.1):
//! ids as numbers or numeric strings, flags as booleans or `"true"`/`"false"`,
//! missing and `null` both `None`; unknown fields kept in `extra`.
//!
//! [`entity!`] generates a struct with a hand-rolled visitor (no `flatten`
//! buffering, which matters when decoding 50,000 users) and a serializer.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;
use std::fmt;

use crate::secret::Secret;

/// A field type that can be read leniently and written natively.
pub trait Field: Sized {
    /// Reads the field from a possibly string-typed value.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    /// Writes the field into a map, or leaves it out.
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error>;
}

/// Wrapper that lets `MapAccess::next_value` use [`Field::read`].
pub struct Read<T>(pub T);

impl<'de, T: Field> serde::Deserialize<'de> for Read<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read(d).map(Read)
    }
}

struct I64V;
impl<'de> Visitor<'de> for I64V {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer or a numeric string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v).map(Some).map_err(|_| E::custom("integer out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.2e18 {
            Ok(Some(v as i64))
        } else {
            Err(E::custom(format!("{v} is not an integer")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| E::custom(format!("{v:?} is not an integer")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

struct BoolV;
impl<'de> Visitor<'de> for BoolV {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean or \"true\"/\"false\"")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(E::custom(format!("{v:?} is not a boolean"))),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::custom(format!("{v} is not a boolean"))),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_i64(v as i64)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Field for Option<i64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(I64V)
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => map.serialize_entry(key, v),
            None => Ok(()),
        }
    }
}

impl Field for Option<bool> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolV)
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => map.serialize_entry(key, v),
            None => Ok(()),
        }
    }
}

impl Field for Option<String> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Numbers are accepted as text: ids such as `pid` appear both ways.
        Ok(match <Value as serde::Deserialize>::deserialize(d)? {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => return Err(de::Error::custom(format!("expected a string, got {other}"))),
        })
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => map.serialize_entry(key, v),
            None => Ok(()),
        }
    }
}

/// A number that `null` clears: written as `null` when `None`, because for
/// `maxAsyncChats` null means "inherit the account default".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nullable(pub Option<i64>);

impl Field for Nullable {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(I64V).map(Nullable)
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, &self.0)
    }
}

impl Field for Vec<i64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let items: Option<Vec<Read<Option<i64>>>> = serde::Deserialize::deserialize(d)?;
        Ok(items.unwrap_or_default().into_iter().filter_map(|r| r.0).collect())
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, self)
    }
}

/// `passwordSh` (D13): write-only. Never read from a response (the server sends
/// a hash); written as `null` ("unchanged") unless the caller set a new one.
impl Field for Option<Secret> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <de::IgnoredAny as serde::Deserialize>::deserialize(d)?;
        Ok(None)
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(key, &self.as_ref().map(Secret::expose))
    }
}

/// Writes the `extra` map back unchanged (round trip of unknown fields).
pub fn write_extra<M: SerializeMap>(
    extra: &serde_json::Map<String, Value>,
    map: &mut M,
) -> Result<(), M::Error> {
    for (k, v) in extra {
        map.serialize_entry(k, v)?;
    }
    Ok(())
}

/// Serializes through a map (used by [`entity!`]).
pub fn begin_map<S: Serializer>(s: S) -> Result<S::SerializeMap, S::Error> {
    s.serialize_map(None)
}

/// Declares an entity struct whose known fields are read leniently and whose
/// unknown fields land in `extra` and are sent back.
#[macro_export]
#[doc(hidden)]
macro_rules! entity {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $json:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Fields this version does not know; kept and sent back unchanged.
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = $crate::api::lenient::begin_map(s)?;
                $( $crate::api::lenient::Field::write(&self.$field, $json, &mut map)?; )*
                $crate::api::lenient::write_extra(&self.extra, &mut map)?;
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                            match key.as_ref() {
                                $( $json => {
                                    out.$field = map
                                        .next_value::<$crate::api::lenient::Read<$ty>>()
                                        .map_err(|e| serde::de::Error::custom(format!("{}: {e}", $json)))?
                                        .0;
                                } )*
                                _ => {
                                    let v: serde_json::Value = map.next_value()?;
                                    out.extra.insert(key.into_owned(), v);
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }

        impl $crate::api::lenient::Field for Vec<$name> {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v: Option<Vec<$name>> = serde::Deserialize::deserialize(d)?;
                Ok(v.unwrap_or_default())
            }
            fn write<M: serde::ser::SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
                map.serialize_entry(key, self)
            }
        }

        impl $crate::api::lenient::Field for Option<$name> {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn write<M: serde::ser::SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
                match self {
                    Some(v) => map.serialize_entry(key, v),
                    None => Ok(()),
                }
            }
        }
    };
}

/// A write-only secret sent only when set (`oldPassword`, `confirmPassword`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendIfSet(pub Option<Secret>);

impl Field for SendIfSet {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <de::IgnoredAny as serde::Deserialize>::deserialize(d)?;
        Ok(Self(None))
    }
    fn write<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match &self.0 {
            Some(s) => map.serialize_entry(key, s.expose()),
            None => Ok(()),
        }
    }
}
