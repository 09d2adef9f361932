//! Core errors become instances of the exception classes of `lpconfig.errors`
//! (defined in Python so that `NotFoundError` can also be a `LookupError`, ...).

use lpconfig::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

static ERRORS_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Config => "ConfigError",
        ErrorKind::Auth => "AuthError",
        ErrorKind::Forbidden => "ForbiddenError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Invalid => "InvalidError",
        ErrorKind::RateLimited => "RateLimitedError",
        ErrorKind::Server => "ServerError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Decode => "DecodeError",
    }
}

/// The Python exception for a core error, with `status`, `method`, `url`,
/// `attempts`, `field`, `code`, `internal_code`, `body` and `batch` set.
pub fn to_pyerr(py: Python<'_>, err: &Error) -> PyErr {
    build(py, err).unwrap_or_else(|e| e)
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let module = ERRORS_MODULE.get_or_try_init(py, || py.import("lpconfig.errors").map(Bound::unbind));
    let Ok(module) = module else {
        // Only when the native module is used without its package.
        return Ok(PyRuntimeError::new_err(err.to_string()));
    };
    let cls = module.bind(py).getattr(class_name(err.kind()))?;
    let d = err.details();
    let kw = PyDict::new(py);
    kw.set_item("status", d.status)?;
    kw.set_item("method", d.method.as_deref())?;
    kw.set_item("url", d.url.as_deref())?;
    kw.set_item("attempts", d.attempts)?;
    kw.set_item("field", d.field.as_deref())?;
    kw.set_item("code", err.kind().code())?;
    kw.set_item("internal_code", d.internal_code)?;
    kw.set_item("body", d.body.as_deref())?;
    kw.set_item(
        "server_message",
        d.message.replace(lpconfig::api::users::MASKED_BLANK_HINT, "client.users.allow_masked_blank()"),
    )?;
    if let Some(b) = &d.batch {
        kw.set_item("batch", (b.applied_chunks, b.total_chunks, b.applied_items, b.applied_ids.clone()))?;
    }
    // The core's hint names its Rust method; say it the Python way.
    let text =
        err.to_string().replace(lpconfig::api::users::MASKED_BLANK_HINT, "client.users.allow_masked_blank()");
    let exc = cls.call((text,), Some(&kw))?;
    Ok(PyErr::from_value(exc))
}
