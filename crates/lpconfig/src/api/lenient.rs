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

/// Text read straight from the input (no intermediate `Value`: a list of 100,000
/// users holds several strings each). Numbers and flags are accepted as text, as
/// their JSON spelling.
struct StrV;
impl<'de> Visitor<'de> for StrV {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // As serde_json writes it (`1e20`, not Rust's `100000000000000000000`).
        Ok(Some(serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
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
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let other = <Value as serde::Deserialize>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Err(de::Error::custom(format!("expected a string, got {other}")))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let other = <Value as serde::Deserialize>::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Err(de::Error::custom(format!("expected a string, got {other}")))
    }
}

impl Field for Option<String> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Numbers are accepted as text: ids such as `pid` appear both ways.
        d.deserialize_any(StrV)
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

/// An id list: `null` is empty, items read as [`Option<i64>`] with blanks left out.
/// Pushed straight into the result, which is then cut to its length: going through
/// a `Vec` of `Option`s would keep its doubled, twice-as-wide allocation in every
/// user of a large list.
struct IdsV;
impl<'de> Visitor<'de> for IdsV {
    type Value = Vec<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Read(id)) = seq.next_element::<Read<Option<i64>>>()? {
            out.extend(id);
        }
        out.shrink_to_fit();
        Ok(out)
    }
}

/// `null` or an id list (the shape `Option<Vec<_>>` reads, with its messages).
struct OptIdsV;
impl<'de> Visitor<'de> for OptIdsV {
    type Value = Vec<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("option")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(IdsV)
    }
}

impl Field for Vec<i64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptIdsV)
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

/// The exact text of unknown fields whose `Value` would not write them back
/// byte for byte (integers beyond 64 bits, decimals with more digits than an
/// `f64` keeps). Kept beside `extra` so a read-modify-write sends them back
/// exactly as read, as long as the caller left that `extra` value unchanged.
///
/// Compares equal to every other `RawExtra`: it is a transport detail, not data.
#[derive(Clone, Default)]
pub struct RawExtra(Vec<ExactField>);

/// One unknown field: its name, its value as read, and its exact text.
type ExactField = (String, Value, Box<serde_json::value::RawValue>);

impl RawExtra {
    /// Remembers `raw` for `key` when `value` would not reproduce it.
    pub fn keep(&mut self, key: &str, value: &Value, raw: Box<serde_json::value::RawValue>) {
        let text = raw.get();
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        if serde_json::to_string(value).is_ok_and(|t| t == text) {
            return;
        }
        self.0.push((key.to_owned(), value.clone(), raw));
    }

    /// The text read for `key`, if `value` is still what was read.
    fn exact(&self, key: &str, value: &Value) -> Option<&serde_json::value::RawValue> {
        self.0.iter().find(|(k, v, _)| k == key && v == value).map(|(_, _, r)| &**r)
    }
}

impl PartialEq for RawExtra {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for RawExtra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawExtra({})", self.0.len())
    }
}

thread_local! {
    /// Set while serializing a request body with [`to_wire_vec`]: only serde_json's
    /// own serializer understands raw values; other serializers (the bindings'
    /// converters) get the plain `Value`.
    static WIRE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Serializes a request body, writing unknown fields back byte for byte.
pub fn to_wire_vec<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            WIRE.with(|w| w.set(self.0));
        }
    }
    let _reset = Reset(WIRE.with(|w| w.replace(true)));
    serde_json::to_vec(value)
}

/// An entity's unknown fields: a JSON object map (it derefs to
/// `serde_json::Map`), plus the exact text of the numbers a `Value` cannot
/// reproduce ([`RawExtra`]).
///
/// Nearly every entity has none, and a large list holds 50,000 of them, so both
/// live behind one pointer that stays null until a field is added: an entity
/// pays 8 bytes for them instead of 48.
#[derive(Clone, Default)]
pub struct Extra(Option<Box<ExtraFields>>);

#[derive(Clone, Default)]
struct ExtraFields {
    map: serde_json::Map<String, Value>,
    raw: RawExtra,
}

/// What an absent `Extra` reads as.
static NO_EXTRA: std::sync::LazyLock<serde_json::Map<String, Value>> =
    std::sync::LazyLock::new(serde_json::Map::new);

impl Extra {
    fn fields(&mut self) -> &mut ExtraFields {
        self.0.get_or_insert_with(Default::default)
    }

    /// The exact text kept for `key`, if its value is still `value`.
    fn exact(&self, key: &str, value: &Value) -> Option<&serde_json::value::RawValue> {
        self.0.as_deref()?.raw.exact(key, value)
    }
}

impl std::ops::Deref for Extra {
    type Target = serde_json::Map<String, Value>;
    fn deref(&self) -> &Self::Target {
        self.0.as_deref().map_or(&*NO_EXTRA, |f| &f.map)
    }
}

impl std::ops::DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.fields().map
    }
}

impl From<serde_json::Map<String, Value>> for Extra {
    fn from(map: serde_json::Map<String, Value>) -> Self {
        if map.is_empty() {
            return Self::default();
        }
        Self(Some(Box::new(ExtraFields { map, raw: RawExtra::default() })))
    }
}

impl From<Extra> for serde_json::Map<String, Value> {
    fn from(extra: Extra) -> Self {
        extra.0.map(|f| f.map).unwrap_or_default()
    }
}

/// Equal when the maps are (kept texts are a transport detail, not data).
impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// Prints as the map it holds.
impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl serde::Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Writes the `extra` map back unchanged (round trip of unknown fields).
pub fn write_extra<M: SerializeMap>(extra: &Extra, map: &mut M) -> Result<(), M::Error> {
    let wire = WIRE.with(std::cell::Cell::get);
    for (k, v) in extra {
        match extra.exact(k, v).filter(|_| wire) {
            Some(r) => map.serialize_entry(k, r)?,
            None => map.serialize_entry(k, v)?,
        }
    }
    Ok(())
}

/// Reads one unknown field into `extra`, keeping its exact text when needed.
pub fn read_extra<'de, A: de::MapAccess<'de>>(
    map: &mut A,
    key: String,
    extra: &mut Extra,
) -> Result<(), A::Error> {
    let text: Box<serde_json::value::RawValue> = map.next_value()?;
    let value: Value = serde_json::from_str(text.get()).map_err(de::Error::custom)?;
    let fields = extra.fields();
    fields.raw.keep(&key, &value, text);
    fields.map.insert(key, value);
    Ok(())
}

/// An object key, borrowed from the input when it can be (serde's `Cow<str>`
/// always allocates): a list of 50,000 users has over a million keys, and only
/// unknown ones need to be owned (as `extra` keys).
pub struct Key<'de>(pub std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyV;
        impl<'de> Visitor<'de> for KeyV {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyV)
    }
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
            /// Fields this version does not know; kept and sent back unchanged
            /// (a `serde_json::Map` behind a pointer: see [`Extra`](crate::api::lenient::Extra)).
            pub extra: $crate::api::lenient::Extra,
        }

        impl $name {
            /// The JSON names of the known fields, in declaration order: what
            /// hand-written binding records are checked against.
            pub const WIRE_FIELDS: &'static [&'static str] = &[$($json),*];
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
                        while let Some($crate::api::lenient::Key(key)) =
                            map.next_key::<$crate::api::lenient::Key<'de>>()?
                        {
                            match key.as_ref() {
                                $( $json => {
                                    out.$field = map
                                        .next_value::<$crate::api::lenient::Read<$ty>>()
                                        .map_err(|e| serde::de::Error::custom(format!("{}: {e}", $json)))?
                                        .0;
                                } )*
                                _ => $crate::api::lenient::read_extra(&mut map, key.into_owned(), &mut out.extra)?,
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
                let mut v: Vec<$name> = Option::unwrap_or_default(serde::Deserialize::deserialize(d)?);
                // Cut to its length: the list grew by doubling, and every user keeps one.
                v.shrink_to_fit();
                Ok(v)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Option<String>` was read as before it had its own visitor: through a `Value`.
    fn via_value(text: &str) -> Result<Option<String>, String> {
        Ok(match serde_json::from_str::<Value>(text).map_err(|e| e.to_string())? {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => return Err(format!("expected a string, got {other}")),
        })
    }

    #[test]
    fn text_fields_read_as_through_a_value() {
        for text in [
            r#""ann""#,
            r#""a\"b\u00e9""#,
            r#""""#,
            "0",
            "-42",
            "18446744073709551615",
            "1.5",
            "1e20",
            "-0.0",
            "true",
            "false",
            "null",
            "[1,\"x\"]",
            r#"{"a":1}"#,
        ] {
            let direct =
                serde_json::from_str::<Read<Option<String>>>(text).map(|r| r.0).map_err(|e| e.to_string());
            let want = via_value(text);
            match (&direct, &want) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => assert!(a.starts_with(b.as_str()), "{text}: {a} vs {b}"),
                _ => panic!("{text}: {direct:?} vs {want:?}"),
            }
        }
    }
}
