//! One output record written straight from its entity, no `serde_json::Value`
//! in between: the entity's map entries are captured as JSON text, then written
//! in the order a `Value` map has (keys sorted, the last of equal keys kept),
//! without the write-only fields and projected on `--select`. The bytes equal
//! those of [`super::to_record`]'s `Value` (docs/performance.md, "CLI").

use std::io::Write;
use std::ops::Range;

use serde::ser::{Impossible, SerializeMap, Serializer};
use serde::Serialize;
use serde_json::ser::PrettyFormatter;

use super::WRITE_ONLY;

type Error = serde_json::Error;

/// The entries of the last captured record; buffers are reused record to record.
#[derive(Default)]
pub(super) struct Entries {
    /// Keys as JSON strings, quotes included.
    keys: Vec<u8>,
    /// Values as JSON text (pretty-printed at top level when `pretty`).
    values: Vec<u8>,
    /// (key, value) ranges in `keys` and `values`, in the entity's order.
    list: Vec<(Range<usize>, Range<usize>)>,
    /// Indices into `list` in output order.
    order: Vec<usize>,
    /// The `keys` that `order` was computed for: records of one list mostly
    /// share their keys, so the order is reused (the key list is the same when
    /// the bytes are: keys hold no escaped quotes).
    ordered_keys: Vec<u8>,
    pretty: bool,
}

impl Entries {
    /// Captures `entity`'s entries. An error means "not a plain map with plain
    /// string keys": the caller then goes through `Value` instead.
    pub(super) fn capture<T: Serialize + ?Sized>(&mut self, entity: &T, pretty: bool) -> Result<(), Error> {
        self.keys.clear();
        self.values.clear();
        self.list.clear();
        self.pretty = pretty;
        entity.serialize(Capture(self))
    }

    fn key(&self, i: usize) -> &[u8] {
        let r = &self.list[i].0;
        // Without the quotes: captured keys hold no escapes, so these are the
        // string's own bytes, which is the order of a `Value` map's `String` keys.
        &self.keys[r.start + 1..r.end - 1]
    }

    /// Writes the captured record: compact, or (`pretty`) as an element of a
    /// pretty-printed array.
    /// `select` must be the same for every record written with these entries.
    pub(super) fn write(
        &mut self,
        out: &mut impl Write,
        select: Option<&[String]>,
        pretty: bool,
    ) -> std::io::Result<()> {
        if self.keys != self.ordered_keys || self.order.is_empty() {
            self.sort(select);
        }
        if pretty {
            self.write_pretty(out, &self.order)
        } else {
            self.write_compact(out, &self.order)
        }
    }

    fn sort(&mut self, select: Option<&[String]>) {
        let mut order = std::mem::take(&mut self.order);
        order.clear();
        order.extend((0..self.list.len()).filter(|&i| {
            let k = self.key(i);
            !WRITE_ONLY.iter().any(|w| w.as_bytes() == k)
                && select.is_none_or(|keys| keys.iter().any(|s| s.as_bytes() == k))
        }));
        // Stable: among equal keys the entity's last one is kept, as a map insert does.
        order.sort_by(|&a, &b| self.key(a).cmp(self.key(b)));
        order.dedup_by(|later, earlier| {
            let same = self.key(*later) == self.key(*earlier);
            if same {
                *earlier = *later;
            }
            same
        });
        self.order = order;
        self.ordered_keys.clone_from(&self.keys);
    }

    fn write_compact(&self, out: &mut impl Write, order: &[usize]) -> std::io::Result<()> {
        out.write_all(b"{")?;
        for (n, &i) in order.iter().enumerate() {
            let (k, v) = &self.list[i];
            if n > 0 {
                out.write_all(b",")?;
            }
            out.write_all(&self.keys[k.clone()])?;
            out.write_all(b":")?;
            out.write_all(&self.values[v.clone()])?;
        }
        out.write_all(b"}")
    }

    /// As serde_json's pretty printer writes an object inside an array.
    fn write_pretty(&self, out: &mut impl Write, order: &[usize]) -> std::io::Result<()> {
        if order.is_empty() {
            return out.write_all(b"  {}");
        }
        out.write_all(b"  {\n")?;
        for (n, &i) in order.iter().enumerate() {
            let (k, v) = &self.list[i];
            if n > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(b"    ")?;
            out.write_all(&self.keys[k.clone()])?;
            out.write_all(b": ")?;
            // The value was printed at top level; it sits two levels deeper.
            for (j, line) in self.values[v.clone()].split(|&b| b == b'\n').enumerate() {
                if j > 0 {
                    out.write_all(b"\n    ")?;
                }
                out.write_all(line)?;
            }
        }
        out.write_all(b"\n  }")
    }
}

/// JSON text of `value`, appended to `buf`.
fn write_json<V: Serialize + ?Sized>(buf: &mut Vec<u8>, value: &V, pretty: bool) -> Result<(), Error> {
    if pretty {
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut *buf, PrettyFormatter::new()))
    } else {
        value.serialize(&mut serde_json::Serializer::new(&mut *buf))
    }
}

fn unsupported() -> Error {
    serde::ser::Error::custom("not a plain map")
}

/// A serializer that accepts only a map and captures its entries.
struct Capture<'a>(&'a mut Entries);

/// The map of [`Capture`].
struct CaptureMap<'a> {
    entries: &'a mut Entries,
    key: Option<Range<usize>>,
}

impl SerializeMap for CaptureMap<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Error> {
        let keys = &mut self.entries.keys;
        let start = keys.len();
        serde_json::to_writer(&mut *keys, key)?;
        let text = &keys[start..];
        // Only a string written without escapes: its bytes then sort as the string does.
        if text.len() < 2 || text[0] != b'"' || text.contains(&b'\\') {
            return Err(unsupported());
        }
        self.key = Some(start..keys.len());
        Ok(())
    }

    fn serialize_value<V: Serialize + ?Sized>(&mut self, value: &V) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(unsupported)?;
        let pretty = self.entries.pretty;
        let values = &mut self.entries.values;
        let start = values.len();
        write_json(values, value, pretty)?;
        if values[start..].contains(&b'{') {
            // May hold a nested object, whose keys a `Value` map sorts too:
            // written from its `Value` (rare and small: `memberOf`, `managerOf`).
            values.truncate(start);
            write_json(values, &serde_json::to_value(value)?, pretty)?;
        }
        let end = values.len();
        self.entries.list.push((key, start..end));
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*);)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), Error> {
            Err(unsupported())
        })*
    };
}

impl<'a> Serializer for Capture<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = CaptureMap<'a>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_map(self, _len: Option<usize>) -> Result<CaptureMap<'a>, Error> {
        Ok(CaptureMap { entries: self.0, key: None })
    }

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(unsupported())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<(), Error> {
        Err(unsupported())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(unsupported())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(unsupported())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(unsupported())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(unsupported())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported())
    }
}
