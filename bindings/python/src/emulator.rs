//! `lpconfig._native.Emulator`: the Rust emulator running in this process on
//! the shared runtime, for `lpconfig.testing.Emulator`.

use std::sync::Mutex;

use lpconfig_emulator::{Emulator, FaultRule, RunningEmulator};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::runtime::{runtime, wait};

/// A started emulator; `stop()` shuts it down (dropping it does too).
#[pyclass(frozen, module = "lpconfig._native")]
pub struct NativeEmulator {
    running: Mutex<Option<RunningEmulator>>,
    url: String,
    account: String,
    /// The process serving it; a forked child only forgets its copy.
    pid: u32,
}

fn stopped() -> PyErr {
    PyRuntimeError::new_err("the emulator is stopped")
}

fn fault(json: &str) -> PyResult<FaultRule> {
    FaultRule::from_json(json).map_err(|e| PyValueError::new_err(format!("bad fault rule: {e}")))
}

impl NativeEmulator {
    fn with<R>(&self, f: impl FnOnce(&RunningEmulator) -> R) -> PyResult<R> {
        let guard = self.running.lock().unwrap_or_else(|e| e.into_inner());
        guard.as_ref().map(f).ok_or_else(stopped)
    }
}

#[pymethods]
impl NativeEmulator {
    /// Starts an emulator: `seed` is `"demo"` or the path of a TOML/JSON seed file,
    /// `faults` are fault rules as JSON, `port` 0 picks a free port.
    #[new]
    fn new(py: Python<'_>, seed: &str, faults: Vec<String>, port: u16) -> PyResult<Self> {
        let rules = faults.iter().map(|f| fault(f)).collect::<PyResult<Vec<_>>>()?;
        let builder = Emulator::builder().port(port).faults(rules);
        let builder = if seed == "demo" { builder.demo() } else { builder.seed_file(seed) };
        let running = wait(py, builder.start())?.map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(Self {
            url: running.base_url(),
            account: running.account(),
            running: Mutex::new(Some(running)),
            pid: std::process::id(),
        })
    }

    /// `http://127.0.0.1:PORT`: the CSDS base URL for a client.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The seed's first account id.
    #[getter]
    fn account(&self) -> &str {
        &self.account
    }

    /// `(username, password)` of the seed's first password user.
    fn demo_user(&self) -> PyResult<(String, String)> {
        self.with(|e| {
            let u = e.demo_user();
            (u.username, u.password)
        })
    }

    /// `(username, app_key, secret, access_token, access_token_secret)` of the first app-key login.
    fn demo_app_login(&self) -> PyResult<(String, String, String, String, String)> {
        self.with(|e| {
            let l = e.demo_app_login();
            (l.username, l.app_key, l.secret, l.access_token, l.access_token_secret)
        })
    }

    /// `(app_key, secret, access_token, access_token_secret)` of the first API key.
    fn demo_api_key(&self) -> PyResult<(String, String, String, String)> {
        self.with(|e| {
            let k = e.demo_api_key();
            (k.app_key, k.secret, k.access_token, k.access_token_secret)
        })
    }

    /// Adds a fault rule given as JSON (the `--fault` format).
    fn add_fault(&self, rule: &str) -> PyResult<()> {
        let rule = fault(rule)?;
        self.with(|e| e.add_fault(rule))
    }

    /// Removes every fault rule.
    fn clear_faults(&self) -> PyResult<()> {
        self.with(RunningEmulator::clear_faults)
    }

    /// Every request so far as dicts (`method`, `path`, `query`, `headers`, `body`, `status`).
    fn request_log<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let log = self.with(RunningEmulator::request_log)?;
        let out = PyList::empty(py);
        for r in log {
            let d = PyDict::new(py);
            d.set_item("method", r.method)?;
            d.set_item("path", r.path)?;
            d.set_item("query", r.query)?;
            d.set_item("headers", r.headers)?;
            d.set_item("body", r.body)?;
            d.set_item("status", r.status)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Forgets the request log.
    fn clear_request_log(&self) -> PyResult<()> {
        self.with(RunningEmulator::clear_request_log)
    }

    /// Ends every login session (their bearers get 401 from then on).
    fn expire_sessions(&self) -> PyResult<()> {
        self.with(RunningEmulator::expire_sessions)
    }

    /// Number of live login sessions.
    fn session_count(&self) -> PyResult<usize> {
        self.with(|e| e.sessions().len())
    }

    /// Successful session refreshes since start.
    fn refresh_count(&self) -> PyResult<usize> {
        self.with(RunningEmulator::refresh_count)
    }

    /// Adds `n` valid agents to the first account in one revision.
    fn insert_bulk_users(&self, py: Python<'_>, n: usize) -> PyResult<()> {
        py.detach(|| self.with(|e| e.insert_bulk_users(n)))
    }

    /// Whether `stop()` has not been called yet.
    #[getter]
    fn running(&self) -> bool {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Stops serving and waits for open connections to finish (idempotent).
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let taken = self.running.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(running) = taken {
            if self.pid != std::process::id() {
                // A forked child: the server runs in the parent, not here.
                std::mem::forget(running);
                return Ok(());
            }
            wait(py, running.shutdown())?;
        }
        Ok(())
    }
}

impl Drop for NativeEmulator {
    fn drop(&mut self) {
        let taken = self.running.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(running) = taken {
            if self.pid != std::process::id() || crate::runtime::exiting() {
                // Not ours to stop (forked child), or the interpreter is going away.
                std::mem::forget(running);
                return;
            }
            // Shutting down needs the runtime's context; do not wait for it.
            let _guard = runtime().enter();
            drop(running);
        }
    }
}
