//! `lpconfig._native`: the Python extension of lpconfig. Thin by design —
//! argument conversion, error mapping, GIL release and asyncio bridging around
//! the Rust core; the user-facing API is the pure-Python package `lpconfig`.

mod aio;
mod args;
mod client;
mod convert;
mod errors;
mod lazy;
mod logging;
mod options;
mod reply;
mod runtime;
mod sync;

use pyo3::prelude::*;

/// Every Rust allocation of the extension (not Python's own objects) goes to
/// mimalloc: a list allocates a few strings per user, and with glibc's malloc a
/// fifth of a 50,000-user list went to malloc and free; with mimalloc the list
/// is about 10% faster for about 10% more peak memory (docs/performance.md,
/// "Python list: mimalloc").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds a new user's wire dict with the fields a create requires
/// (the core's `User::new`).
#[pyfunction]
fn new_user<'py>(
    py: Python<'py>,
    login_name: &str,
    nickname: &str,
    email: &str,
) -> PyResult<Bound<'py, PyAny>> {
    convert::to_py(py, &lpconfig::api::users::User::new(login_name, nickname, email))
}

/// Builds a new agent group's wire dict (the core's `AgentGroup::new`).
#[pyfunction]
fn new_agent_group<'py>(py: Python<'py>, name: &str, parent_group_id: i64) -> PyResult<Bound<'py, PyAny>> {
    convert::to_py(py, &lpconfig::api::agent_groups::AgentGroup::new(name, parent_group_id))
}

/// The core's public surface as JSON (`lpconfig::surface`), for the parity tests.
#[pyfunction]
fn surface() -> String {
    lpconfig::surface::to_json()
}

/// Re-reads the `lpconfig` logger's level (also done at the start of every call).
#[pyfunction]
fn sync_log_level(py: Python<'_>) {
    logging::sync_level(py);
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add_class::<client::NativeClient>()?;
    m.add_class::<lazy::LazyUser>()?;
    m.add_function(wrap_pyfunction!(new_user, m)?)?;
    m.add_function(wrap_pyfunction!(new_agent_group, m)?)?;
    m.add_function(wrap_pyfunction!(sync_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(surface, m)?)?;
    m.add_function(wrap_pyfunction!(options::settings_from_env, m)?)?;
    m.add_function(wrap_pyfunction!(options::effective_settings, m)?)?;
    // Registered when the module loads, so it runs after every atexit hook
    // the program adds later (those may still use a client).
    let hook = wrap_pyfunction!(runtime::at_exit, m)?;
    m.py().import("atexit")?.call_method1("register", (hook,))?;
    sync::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
