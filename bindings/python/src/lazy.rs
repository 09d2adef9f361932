//! Users handed to Python unconverted. A list of 50,000 users becomes 50,000
//! small objects that each own the core `User`; a user's wire dict is built
//! only when Python first reads one of its fields (docs/performance.md,
//! "Python list: lazy users"), so listing costs no dict, string or int per field.

use lpconfig::api::users::User;
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::convert::{to_py_with, KeyCache};
use crate::reply::ToPy;

/// One core user not yet converted (`lpconfig._native.LazyUser`); the
/// pure-Python entity asks for its wire dict on first use.
#[pyclass(frozen, module = "lpconfig._native")]
pub struct LazyUser {
    user: User,
}

#[pymethods]
impl LazyUser {
    /// The user's camelCase wire dict (a new dict on every call).
    fn wire<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_with(py, &self.user, &mut KeyCache::default())
    }
}

/// Users that cross as a list of [`LazyUser`]s.
pub struct LazyUsers(pub Vec<User>);

impl ToPy for LazyUsers {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self(self.0.clone()).into_py(py, keys)
    }

    fn into_py<'py>(self, py: Python<'py>, _keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items =
            self.0.into_iter().map(|user| Bound::new(py, LazyUser { user })).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}
