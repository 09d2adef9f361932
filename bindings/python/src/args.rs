//! Arguments coming from Python, checked and converted before the call starts
//! (so the GIL is no longer needed once it runs).

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::lenient::SendIfSet;
use lpconfig::api::users::User;
use lpconfig::{Error, IfMatch, ListOptions, Revision, Secret};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::convert::to_value;
use crate::errors::to_pyerr;

/// An entity given as its wire dict.
pub struct Entity<T>(pub T);

/// A user given as its wire dict; the write-only password fields are taken
/// out first (the core never reads them from JSON) and set as secrets.
pub type UserArg = Entity<User>;
/// An agent group given as its wire dict.
pub type GroupArg = Entity<AgentGroup>;

fn config_error(py: Python<'_>, what: &str, message: String) -> PyErr {
    // The entity decoder prefixes its messages with the JSON field name.
    let field = message.split_once(':').map(|(f, _)| f.trim()).filter(|f| !f.contains(' '));
    to_pyerr(py, &Error::config(field.unwrap_or(what), message.clone()))
}

fn decode<T: DeserializeOwned>(py: Python<'_>, what: &str, value: Value) -> PyResult<T> {
    if !value.is_object() {
        return Err(config_error(py, what, format!("a {what} must be a dict")));
    }
    serde_json::from_value(value).map_err(|e| config_error(py, what, e.to_string()))
}

fn take_secret(py: Python<'_>, map: &mut Map<String, Value>, key: &str) -> PyResult<Option<Secret>> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(Secret::new(s))),
        Some(_) => Err(config_error(py, key, format!("{key}: must be a string"))),
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Entity<User> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let mut value = to_value(&obj)?;
        let (password, old, confirm) = match value.as_object_mut() {
            Some(map) => (
                take_secret(py, map, "passwordSh")?,
                take_secret(py, map, "oldPassword")?,
                take_secret(py, map, "confirmPassword")?,
            ),
            None => (None, None, None),
        };
        let mut user: User = decode(py, "user", value)?;
        user.password = password;
        user.old_password = SendIfSet(old);
        user.confirm_password = SendIfSet(confirm);
        Ok(Entity(user))
    }
}

impl<'a, 'py> FromPyObject<'a, 'py> for Entity<AgentGroup> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        Ok(Entity(decode(py, "agent group", to_value(&obj)?)?))
    }
}

/// A skill, profile or LOB given as its wire dict; decoded by kind inside the call.
pub struct Wire(pub Value);

impl<'a, 'py> FromPyObject<'a, 'py> for Wire {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(Wire(to_value(&obj)?))
    }
}

/// Unwraps a list of entities.
pub fn inner<T>(items: Vec<Entity<T>>) -> Vec<T> {
    items.into_iter().map(|e| e.0).collect()
}

/// `None` is `IfMatch::Any`, an int is the revision the caller read.
pub fn if_match(revision: Option<u64>) -> IfMatch {
    revision.map_or(IfMatch::Any, |r| IfMatch::Revision(Revision(r)))
}

/// `select` and `include_deleted` as the core's options.
pub fn list_options(select: Option<String>, include_deleted: bool) -> ListOptions {
    ListOptions { select, include_deleted }
}

/// Which read-only collection a catalog call is about.
#[derive(Clone, Copy)]
pub enum CatalogKind {
    /// `skills`
    Skills,
    /// `profiles`
    Profiles,
    /// `lobs`
    Lobs,
}

impl<'a, 'py> FromPyObject<'a, 'py> for CatalogKind {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match obj.extract::<String>()?.as_str() {
            "skills" => Ok(Self::Skills),
            "profiles" => Ok(Self::Profiles),
            "lobs" => Ok(Self::Lobs),
            other => Err(PyValueError::new_err(format!("unknown catalog {other:?}"))),
        }
    }
}
