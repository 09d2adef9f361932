//! Data crossing the boundary: Rust values (anything `Serialize`) become Python
//! objects directly, without an intermediate `serde_json::Value`, and Python
//! objects become `serde_json::Value` on the way in.
//!
//! Entities cross as their camelCase wire dicts; the pure-Python layer wraps them.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::ser::{self, Impossible, Serialize};
use serde_json::{Map, Number, Value};

/// Converts any `Serialize` value into Python objects (dicts, lists, str, int,
/// float, bool, None), reusing one Python string per distinct dict key so that
/// 50,000 users share their 33 key objects (and their cached hashes).
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let mut keys = KeyCache::default();
    to_py_with(py, value, &mut keys)
}

/// [`to_py`] with a caller-held key cache, for converting many values in a row.
pub fn to_py_with<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
    keys: &mut KeyCache<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { py, keys }).map_err(ConvError::into_pyerr)
}

/// Python strings already made for dict keys.
///
/// Looked up first by the address of the Rust key: entity field names are
/// `&'static str` and unknown fields' names live in the value being converted,
/// which stays borrowed for the whole conversion, so an address names one
/// content. Keys made up on the fly (numbers as text) go through the content map.
#[derive(Default)]
pub struct KeyCache<'py> {
    by_addr: HashMap<(usize, usize), Bound<'py, PyString>, BuildHasherDefault<AddrHasher>>,
    by_text: HashMap<String, Bound<'py, PyString>>,
}

impl<'py> KeyCache<'py> {
    fn get(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        let addr = (key.as_ptr() as usize, key.len());
        if let Some(k) = self.by_addr.get(&addr) {
            return k.clone();
        }
        let k = self.get_text(py, key);
        self.by_addr.insert(addr, k.clone());
        k
    }

    fn get_text(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        if let Some(k) = self.by_text.get(key) {
            return k.clone();
        }
        let k = PyString::new(py, key);
        self.by_text.insert(key.to_owned(), k.clone());
        k
    }
}

/// Hashes an address cheaply (addresses are already well spread).
#[derive(Default)]
pub struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
}

/// A conversion failure: a Python error, or a message from serde.
#[derive(Debug)]
pub enum ConvError {
    /// Raised by a Python call.
    Py(PyErr),
    /// Reported by a `Serialize` implementation.
    Msg(String),
}

impl ConvError {
    fn into_pyerr(self) -> PyErr {
        match self {
            Self::Py(e) => e,
            Self::Msg(m) => PyValueError::new_err(m),
        }
    }
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Py(e) => e.fmt(f),
            Self::Msg(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ConvError {}

impl ser::Error for ConvError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::Msg(msg.to_string())
    }
}

impl From<PyErr> for ConvError {
    fn from(e: PyErr) -> Self {
        Self::Py(e)
    }
}

type R<'py> = Result<Bound<'py, PyAny>, ConvError>;

struct PySer<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache<'py>,
}

impl<'a, 'py> ser::Serializer for PySer<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    type SerializeSeq = SeqSer<'a, 'py>;
    type SerializeTuple = SeqSer<'a, 'py>;
    type SerializeTupleStruct = SeqSer<'a, 'py>;
    type SerializeTupleVariant = Impossible<Self::Ok, ConvError>;
    type SerializeMap = MapSer<'a, 'py>;
    type SerializeStruct = MapSer<'a, 'py>;
    type SerializeStructVariant = Impossible<Self::Ok, ConvError>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        let Ok(i) = v.into_pyobject(self.py);
        Ok(i.into_any())
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        let Ok(i) = v.into_pyobject(self.py);
        Ok(i.into_any())
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        Ok(PyFloat::new(self.py, v).into_any())
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> R<'py> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let py = self.py;
        let key = self.keys.get(py, variant);
        let inner = value.serialize(PySer { py, keys: self.keys })?;
        let d = PyDict::new(py);
        d.set_item(key, inner)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<'a, 'py>, ConvError> {
        Ok(SeqSer { py: self.py, keys: self.keys, items: Vec::with_capacity(len.unwrap_or(0)), tuple: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'a, 'py>, ConvError> {
        Ok(SeqSer { py: self.py, keys: self.keys, items: Vec::with_capacity(len), tuple: true })
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqSer<'a, 'py>, ConvError> {
        self.serialize_tuple(len)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvError> {
        Err(ConvError::Msg(format!("{name}: tuple variants do not cross into Python")))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer<'a, 'py>, ConvError> {
        Ok(MapSer { py: self.py, dict: PyDict::new(self.py), keys: self.keys, key: None })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapSer<'a, 'py>, ConvError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ConvError> {
        Err(ConvError::Msg(format!("{name}: struct variants do not cross into Python")))
    }
}

struct SeqSer<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache<'py>,
    items: Vec<Bound<'py, PyAny>>,
    tuple: bool,
}

impl<'py> SeqSer<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.items.push(value.serialize(PySer { py: self.py, keys: self.keys })?);
        Ok(())
    }
    fn finish(self) -> R<'py> {
        Ok(if self.tuple {
            PyTuple::new(self.py, self.items)?.into_any()
        } else {
            PyList::new(self.py, self.items)?.into_any()
        })
    }
}

impl<'py> ser::SerializeSeq for SeqSer<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for SeqSer<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for SeqSer<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

struct MapSer<'a, 'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    keys: &'a mut KeyCache<'py>,
    key: Option<Bound<'py, PyString>>,
}

impl<'py> ser::SerializeMap for MapSer<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ConvError> {
        self.key = Some(key.serialize(KeySer { py: self.py, keys: self.keys })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        let key = self.key.take().ok_or_else(|| ConvError::Msg("map value without a key".into()))?;
        let v = value.serialize(PySer { py: self.py, keys: self.keys })?;
        self.dict.set_item(key, v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'py> ser::SerializeStruct for MapSer<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvError> {
        let k = self.keys.get(self.py, key);
        let v = value.serialize(PySer { py: self.py, keys: self.keys })?;
        self.dict.set_item(k, v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

/// Serializes dict keys: strings through the cache, numbers as their text (as JSON does).
struct KeySer<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache<'py>,
}

type K<'py> = Result<Bound<'py, PyString>, ConvError>;

macro_rules! key_via_text {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name(self, v: $ty) -> K<'py> {
            Ok(self.keys.get_text(self.py, &v.to_string()))
        }
    )*};
}

macro_rules! key_refused {
    ($($name:ident($($arg:ty),*) -> $ret:ty),*) => {$(
        fn $name(self, $(_: $arg),*) -> Result<$ret, ConvError> {
            Err(ConvError::Msg("dict keys must be strings".into()))
        }
    )*};
}

impl<'py> ser::Serializer for KeySer<'_, 'py> {
    type Ok = Bound<'py, PyString>;
    type Error = ConvError;
    type SerializeSeq = Impossible<Self::Ok, ConvError>;
    type SerializeTuple = Impossible<Self::Ok, ConvError>;
    type SerializeTupleStruct = Impossible<Self::Ok, ConvError>;
    type SerializeTupleVariant = Impossible<Self::Ok, ConvError>;
    type SerializeMap = Impossible<Self::Ok, ConvError>;
    type SerializeStruct = Impossible<Self::Ok, ConvError>;
    type SerializeStructVariant = Impossible<Self::Ok, ConvError>;

    fn serialize_str(self, v: &str) -> K<'py> {
        Ok(self.keys.get(self.py, v))
    }
    key_via_text!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char);
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> K<'py> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> K<'py> {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> K<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> K<'py> {
        Err(ConvError::Msg("dict keys must be strings".into()))
    }
    key_refused!(
        serialize_bytes(&[u8]) -> Self::Ok,
        serialize_none() -> Self::Ok,
        serialize_unit() -> Self::Ok,
        serialize_unit_struct(&'static str) -> Self::Ok,
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant
    );
}

/// Converts a Python object (dict, list, tuple, str, int, float, bool, None)
/// into JSON, naming the offending type when it cannot.
pub fn to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast_exact::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    // bool before int: True is an int in Python.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        return obj
            .extract::<u64>()
            .map(|u| Value::Number(u.into()))
            .map_err(|_| PyValueError::new_err(format!("integer {obj} does not fit in 64 bits")));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| PyValueError::new_err(format!("{v} cannot be sent as JSON")));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err(format!("dict keys must be str, not {}", type_name(&k))))?
                .to_cow()?
                .into_owned();
            map.insert(key, to_value(&v)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items: PyResult<Vec<Value>> = obj.try_iter()?.map(|item| to_value(&item?)).collect();
        return Ok(Value::Array(items?));
    }
    Err(PyTypeError::new_err(format!("cannot send a {} to the server", type_name(obj))))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}
