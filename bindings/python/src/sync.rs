//! HR sync (`lpconfig_sync`) for Python: plan from a file or records, apply with a
//! progress callback. Shapes cross as the engine's serde forms (dicts); the
//! pure-Python layer (`lpconfig/sync.py`) turns them into typed objects.

use std::sync::Arc;

use lpconfig_sync::{ApplyOptions, Desired, Options, Plan, Progress, Report, SyncError};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyModule};

use crate::client::NativeClient;
use crate::convert::{to_py, to_value};

static SYNC_MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// A plan, with the rows and options it was made from (so that apply can re-plan
/// to verify, and knows the rows' initial passwords; a plan read from JSON has neither).
#[pyclass(frozen, module = "lpconfig._native")]
pub struct NativePlan {
    plan: Arc<Plan>,
    made_from: Option<Arc<(Desired, Options)>>,
}

#[pymethods]
impl NativePlan {
    /// Reads a plan saved with `to_json` (refuses other formats and versions).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let plan = Plan::from_json(text).map_err(|e| to_pyerr(py, &e))?;
        Ok(Self { plan: Arc::new(plan), made_from: None })
    }

    /// The plan's versioned JSON form (never with passwords).
    fn to_json(&self) -> String {
        self.plan.to_json()
    }

    fn __len__(&self) -> usize {
        self.plan.len()
    }

    /// The summary counts as a dict.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.plan.summary)
    }

    /// The one-line summary text.
    fn summary_text(&self) -> String {
        self.plan.summary.to_string()
    }

    /// Things worth knowing that are not errors.
    fn warnings(&self) -> Vec<String> {
        self.plan.warnings.clone()
    }

    /// Every change, in apply order, as dicts (`kind`, `name`, `at`, `fields`).
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &lpconfig_sync::changes::of(&self.plan))
    }
}

/// The desired rows: a path, or a list of dicts; then the groups section, when given
/// (a path or a list of dicts).
fn desired(
    source: &Bound<'_, PyAny>,
    groups: Option<&Bound<'_, PyAny>>,
) -> PyResult<Result<Desired, SyncError>> {
    let rows = if let Ok(path) = source.extract::<std::path::PathBuf>() {
        Desired::from_path(path)
    } else {
        Desired::from_values(records(source, "source")?)
    };
    let Some(groups) = groups.filter(|g| !g.is_none()) else { return Ok(rows) };
    let Ok(rows) = rows else { return Ok(rows) };
    if let Ok(path) = groups.extract::<std::path::PathBuf>() {
        return Ok(rows.with_groups_path(path));
    }
    Ok(rows.with_groups(records(groups, "groups")?))
}

fn records(list: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<serde_json::Value>> {
    let list = list
        .cast::<PyList>()
        .map_err(|_| PyTypeError::new_err(format!("{what} must be a path or a list of mappings")))?;
    list.iter().map(|item| to_value(&item)).collect()
}

fn options(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Options> {
    serde_json::from_value(to_value(options)?).map_err(|e| {
        let msg = format!("sync options: {e}");
        sync_error(py, "SyncOptionsError", &msg, None).unwrap_or_else(|e| e)
    })
}

/// Plans (blocking, GIL released). `source`: a path or a list of dicts; `opts`: the
/// engine's `Options` as a dict; `groups`: the groups section (a path or a list of dicts).
#[pyfunction]
#[pyo3(signature = (client, source, opts, groups=None))]
fn sync_plan(
    py: Python<'_>,
    client: &NativeClient,
    source: &Bound<'_, PyAny>,
    opts: &Bound<'_, PyAny>,
    groups: Option<&Bound<'_, PyAny>>,
) -> PyResult<NativePlan> {
    crate::logging::sync_level(py);
    let options = options(py, opts)?;
    let desired = desired(source, groups)?.map_err(|e| to_pyerr(py, &e))?;
    let core = client.core().clone();
    let planned = crate::runtime::wait(py, async move {
        let plan = lpconfig_sync::plan(&core, &desired, &options).await;
        plan.map(|p| (p, desired, options))
    })?;
    made(py, planned)
}

/// [`sync_plan`] for asyncio.
#[pyfunction]
#[pyo3(signature = (client, source, opts, groups=None))]
fn sync_plan_async<'py>(
    py: Python<'py>,
    client: &NativeClient,
    source: &Bound<'py, PyAny>,
    opts: &Bound<'py, PyAny>,
    groups: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::logging::sync_level(py);
    let options = options(py, opts)?;
    let desired = desired(source, groups)?.map_err(|e| to_pyerr(py, &e))?;
    let core = client.core().clone();
    crate::aio::into_awaitable(
        py,
        async move {
            let plan = lpconfig_sync::plan(&core, &desired, &options).await;
            plan.map(|p| (p, desired, options))
        },
        made_py,
    )
}

fn made_py(py: Python<'_>, planned: Result<(Plan, Desired, Options), SyncError>) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, made(py, planned)?)?.into_any())
}

fn made(py: Python<'_>, planned: Result<(Plan, Desired, Options), SyncError>) -> PyResult<NativePlan> {
    let (plan, desired, options) = planned.map_err(|e| to_pyerr(py, &e))?;
    Ok(NativePlan { plan: Arc::new(plan), made_from: Some(Arc::new((desired, options))) })
}

/// What Python gets back from an apply: the report's serde form, the leftover plan
/// (when the re-plan was not empty) and the created users' initial passwords.
type Applied = (Py<PyAny>, Option<NativePlan>, Vec<(String, String)>);

/// Stops a running apply after its current batch (`lpconfig.sync.CancelToken` wraps it).
#[pyclass(frozen, module = "lpconfig._native")]
#[derive(Default)]
pub struct NativeCancelToken(lpconfig_sync::CancelToken);

#[pymethods]
impl NativeCancelToken {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Requests the stop (idempotent, from any thread).
    fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether a stop was requested.
    fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

fn apply_options(
    on_progress: Option<Py<PyAny>>,
    batch_size: Option<usize>,
    cancel: Option<&NativeCancelToken>,
) -> ApplyOptions {
    let progress = on_progress.map(|cb| {
        let f: lpconfig_sync::ProgressFn = Arc::new(move |p: &Progress| {
            Python::attach(|py| {
                let phase = serde_json::to_value(p.phase).ok();
                let phase = phase.as_ref().and_then(|v| v.as_str()).unwrap_or("?");
                // A failing callback must not break the apply: report it like
                // an exception in a `__del__`, and carry on.
                if let Err(e) = cb.bind(py).call1((phase, p.done, p.total, p.elapsed_ms)) {
                    e.write_unraisable(py, Some(cb.bind(py)));
                }
            });
        });
        f
    });
    ApplyOptions { progress, batch_size, cancel: cancel.map(|c| c.0.clone()).unwrap_or_default() }
}

async fn run_apply(
    core: lpconfig::Client,
    plan: Arc<Plan>,
    made_from: Option<Arc<(Desired, Options)>>,
    opts: ApplyOptions,
) -> Result<Report, SyncError> {
    match &made_from {
        Some(m) => lpconfig_sync::apply_and_verify(&core, &plan, &m.0, &m.1, &opts).await,
        None => lpconfig_sync::apply(&core, &plan, &opts).await,
    }
}

fn applied(py: Python<'_>, report: Result<Report, SyncError>) -> PyResult<Applied> {
    let mut report = report.map_err(|e| to_pyerr(py, &e))?;
    let leftover = report.leftover.take().map(|p| NativePlan { plan: Arc::new(p), made_from: None });
    let passwords =
        report.applied.passwords.iter().map(|(login, pw)| (login.clone(), pw.expose().to_owned())).collect();
    Ok((to_py(py, &report)?.unbind(), leftover, passwords))
}

/// Applies a plan (blocking, GIL released); with the rows it was made from, a re-plan verifies it.
#[pyfunction]
#[pyo3(signature = (client, plan, on_progress=None, batch_size=None, cancel=None))]
fn sync_apply(
    py: Python<'_>,
    client: &NativeClient,
    plan: &NativePlan,
    on_progress: Option<Py<PyAny>>,
    batch_size: Option<usize>,
    cancel: Option<PyRef<'_, NativeCancelToken>>,
) -> PyResult<Applied> {
    crate::logging::sync_level(py);
    let (core, p, m) = (client.core().clone(), plan.plan.clone(), plan.made_from.clone());
    let opts = apply_options(on_progress, batch_size, cancel.as_deref());
    let report = crate::runtime::wait(py, run_apply(core, p, m, opts))?;
    applied(py, report)
}

/// [`sync_apply`] for asyncio (the callback runs on a worker thread).
#[pyfunction]
#[pyo3(signature = (client, plan, on_progress=None, batch_size=None, cancel=None))]
fn sync_apply_async<'py>(
    py: Python<'py>,
    client: &NativeClient,
    plan: &NativePlan,
    on_progress: Option<Py<PyAny>>,
    batch_size: Option<usize>,
    cancel: Option<PyRef<'py, NativeCancelToken>>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::logging::sync_level(py);
    let (core, p, m) = (client.core().clone(), plan.plan.clone(), plan.made_from.clone());
    let opts = apply_options(on_progress, batch_size, cancel.as_deref());
    crate::aio::into_awaitable(py, run_apply(core, p, m, opts), applied_py)
}

fn applied_py(py: Python<'_>, report: Result<Report, SyncError>) -> PyResult<Py<PyAny>> {
    Ok(applied(py, report)?.into_pyobject(py)?.into_any().unbind())
}

/// An exception of `lpconfig.sync`, made with `message` and keyword `errors`.
fn sync_error(
    py: Python<'_>,
    class: &str,
    message: &str,
    errors: Option<Bound<'_, PyAny>>,
) -> PyResult<PyErr> {
    let module = SYNC_MODULE.get_or_try_init(py, || py.import("lpconfig.sync").map(Bound::unbind));
    let Ok(module) = module else {
        return Ok(PyRuntimeError::new_err(message.to_owned()));
    };
    let cls = module.bind(py).getattr(class)?;
    let exc = match errors {
        Some(errors) => cls.call1((message, errors))?,
        None => cls.call1((message,))?,
    };
    Ok(PyErr::from_value(exc))
}

/// A sync error as the matching exception of `lpconfig.sync` (API errors as `lpconfig.errors`).
fn to_pyerr(py: Python<'_>, err: &SyncError) -> PyErr {
    let msg = err.to_string();
    let made = match err {
        SyncError::Api(e) => return crate::errors::to_pyerr(py, e),
        SyncError::Input(errors) => {
            to_py(py, errors).and_then(|e| sync_error(py, "SyncInputError", &msg, Some(e)))
        }
        SyncError::Stale { .. } => sync_error(py, "SyncStaleError", &msg, None),
        SyncError::Unsupported(_) => sync_error(py, "SyncUnsupportedError", &msg, None),
        SyncError::PlanFormat(_) => sync_error(py, "SyncPlanFormatError", &msg, None),
    };
    made.unwrap_or_else(|e| e)
}

/// Adds the sync functions and `NativePlan` to `lpconfig._native`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePlan>()?;
    m.add_class::<NativeCancelToken>()?;
    m.add_function(wrap_pyfunction!(sync_plan, m)?)?;
    m.add_function(wrap_pyfunction!(sync_plan_async, m)?)?;
    m.add_function(wrap_pyfunction!(sync_apply, m)?)?;
    m.add_function(wrap_pyfunction!(sync_apply_async, m)?)?;
    Ok(())
}
