//! What a call hands back to Python: the core's results turned into plain
//! Python values (wire dicts, lists, `(value, revision)` tuples).

use lpconfig::api::agent_groups::{AgentGroup, GroupNode};
use lpconfig::api::catalog::{Lob, Profile, Skill};
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Error, Fetched, Versioned};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::convert::{to_py_with, KeyCache};
use crate::errors::to_pyerr;

/// A core result that knows how to become a Python object.
pub trait ToPy: Send + 'static {
    /// Converts, sharing `keys` between the dicts it makes.
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>>;

    /// Converts, consuming the value (which lets a result move into Python objects).
    fn into_py<'py>(self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>>
    where
        Self: Sized,
    {
        self.to_py(py, keys)
    }

    /// Whether converting makes enough objects to pause Python's cyclic GC
    /// (which would otherwise rescan the growing result many times).
    fn is_large(&self) -> bool {
        false
    }
}

/// Results with at least this many items are converted with the GC paused.
const LARGE: usize = 1024;

macro_rules! wire {
    ($($t:ty),*) => {$(
        impl ToPy for $t {
            fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
                to_py_with(py, self, keys)
            }
        }
    )*};
}
wire!(User, GroupLink, AgentGroup, Skill, Profile, Lob, serde_json::Value);

impl ToPy for () {
    fn to_py<'py>(&self, py: Python<'py>, _keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self.iter().map(|v| v.to_py(py, keys)).collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }

    fn is_large(&self) -> bool {
        self.len() >= LARGE
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.to_py(py, keys),
            None => Ok(py.None().into_bound(py)),
        }
    }

    fn is_large(&self) -> bool {
        self.as_ref().is_some_and(T::is_large)
    }
}

/// `(value, revision | None)`.
impl<T: ToPy> ToPy for Versioned<T> {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.value.to_py(py, keys)?;
        let revision = self.revision.map(|r| r.0);
        Ok(PyTuple::new(py, [value, revision.into_pyobject(py)?.into_any()])?.into_any())
    }

    fn into_py<'py>(self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.value.into_py(py, keys)?;
        let revision = self.revision.map(|r| r.0);
        Ok(PyTuple::new(py, [value, revision.into_pyobject(py)?.into_any()])?.into_any())
    }

    fn is_large(&self) -> bool {
        self.value.is_large()
    }
}

/// `(value, revision | None, True)` when modified, `(None, revision | None, False)` when not.
impl<T: ToPy> ToPy for Fetched<T> {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (value, revision, modified) = match self {
            Fetched::Modified(v) => (v.value.to_py(py, keys)?, v.revision, true),
            Fetched::NotModified(r) => (py.None().into_bound(py), *r, false),
        };
        fetched_tuple(py, value, revision, modified)
    }

    fn into_py<'py>(self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let (value, revision, modified) = match self {
            Fetched::Modified(v) => (v.value.into_py(py, keys)?, v.revision, true),
            Fetched::NotModified(r) => (py.None().into_bound(py), r, false),
        };
        fetched_tuple(py, value, revision, modified)
    }

    fn is_large(&self) -> bool {
        matches!(self, Fetched::Modified(v) if v.value.is_large())
    }
}

fn fetched_tuple<'py>(
    py: Python<'py>,
    value: Bound<'py, PyAny>,
    revision: Option<lpconfig::Revision>,
    modified: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let revision = revision.map(|r| r.0).into_pyobject(py)?.into_any();
    let modified = pyo3::types::PyBool::new(py, modified).to_owned().into_any();
    Ok(PyTuple::new(py, [value, revision, modified])?.into_any())
}

/// `(group, [children...])`.
impl ToPy for GroupNode {
    fn to_py<'py>(&self, py: Python<'py>, keys: &mut KeyCache<'py>) -> PyResult<Bound<'py, PyAny>> {
        let group = self.group.to_py(py, keys)?;
        let children = self.children.to_py(py, keys)?;
        Ok(PyTuple::new(py, [group, children])?.into_any())
    }
}

/// Why a call failed: the core said so, or Python code it called back raised.
pub enum Failure {
    /// A core error, raised as the matching `lpconfig.errors` class.
    Core(Error),
    /// An exception from a Python callback, raised as is.
    Py(PyErr),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Core(e)
    }
}

/// The outcome of a call, converted (or raised) once attached to Python.
pub struct Reply<T>(pub Result<T, Failure>);

impl<'py, T: ToPy> IntoPyObject<'py> for Reply<T> {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.0 {
            Ok(v) if v.is_large() => {
                let _paused = GcPause::new(py);
                v.into_py(py, &mut KeyCache::default())
            }
            Ok(v) => v.into_py(py, &mut KeyCache::default()),
            Err(Failure::Core(e)) => Err(to_pyerr(py, &e)),
            Err(Failure::Py(e)) => Err(e),
        }
    }
}

/// Converts a finished call for the asyncio bridge.
pub fn reply<T: ToPy>(py: Python<'_>, result: Result<T, Failure>) -> PyResult<Py<PyAny>> {
    Ok(Reply(result).into_pyobject(py)?.unbind())
}

/// Disables Python's cyclic GC until dropped, if it was enabled. The objects
/// made meanwhile (dicts, lists, strings) cannot form cycles.
struct GcPause<'py> {
    gc: Option<Bound<'py, PyAny>>,
}

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> Self {
        let gc = py.import("gc").ok().map(Bound::into_any);
        let enabled =
            gc.as_ref().and_then(|g| g.call_method0("isenabled").ok()).and_then(|v| v.is_truthy().ok());
        match (gc, enabled) {
            (Some(gc), Some(true)) if gc.call_method0("disable").is_ok() => Self { gc: Some(gc) },
            _ => Self { gc: None },
        }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            let _ = gc.call_method0("enable");
        }
    }
}
