//! Building a core `Client` from the keyword arguments of `lpconfig.Client`.

use std::time::Duration;

use lpconfig::{Client, Credentials, Error, RetryPolicy};
use pyo3::prelude::*;

use crate::errors::to_pyerr;

/// `RetryPolicy` fields; `None` keeps the documented value.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct RetryArgs {
    server_delays: Option<Vec<f64>>,
    rate_limit_retries: Option<u32>,
    rate_limit_base: Option<f64>,
    retry_transport: Option<bool>,
}

/// Everything `lpconfig.Client(...)` accepts, as passed by the Python layer.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct ClientArgs {
    account: String,
    credentials: (String, Vec<String>),
    csds_url: Option<String>,
    api_version: Option<String>,
    connect_timeout: Option<f64>,
    request_timeout: Option<f64>,
    refresh_interval: Option<f64>,
    csds_ttl: Option<f64>,
    retry: Option<RetryArgs>,
    batch_size: Option<usize>,
    force_read_write: bool,
    method_override: bool,
    on_retry: Option<Py<PyAny>>,
}

fn seconds(field: &str, secs: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::config(field, format!("{secs} is not a number of seconds >= 0")))
}

fn credentials(kind: &str, mut v: Vec<String>) -> Result<Credentials, Error> {
    let want = match kind {
        "password" => 2,
        "app_key_login" => 5,
        "api_key" => 4,
        "bearer" => 1,
        // client id, secret and an optional scope
        "client_credentials" if v.len() == 3 => 3,
        "client_credentials" => 2,
        _ => return Err(Error::config("credentials", format!("unknown kind {kind:?}"))),
    };
    if v.len() != want {
        return Err(Error::config("credentials", format!("{kind} takes {want} values")));
    }
    let mut next = || v.remove(0);
    Ok(match kind {
        "password" => Credentials::password(next(), next()),
        "app_key_login" => Credentials::app_key_login(next(), next(), next(), next(), next()),
        "api_key" => Credentials::api_key(next(), next(), next(), next()),
        "client_credentials" => {
            let c = Credentials::client_credentials(next(), next());
            if want == 3 {
                c.with_scope(next())
            } else {
                c
            }
        }
        _ => Credentials::bearer(next()),
    })
}

fn retry(args: RetryArgs) -> Result<RetryPolicy, Error> {
    let mut p = RetryPolicy::documented();
    if let Some(d) = args.server_delays {
        p.server_delays =
            d.into_iter().map(|s| seconds("retry.server_delays", s)).collect::<Result<_, _>>()?;
    }
    if let Some(n) = args.rate_limit_retries {
        p.rate_limit_retries = n;
    }
    if let Some(b) = args.rate_limit_base {
        p.rate_limit_base = seconds("retry.rate_limit_base", b)?;
    }
    if let Some(t) = args.retry_transport {
        p.retry_transport = t;
    }
    Ok(p)
}

/// The core's retry hook calling the Python `on_retry(method, url, attempt,
/// status, reason, delay_seconds)` from a runtime thread (skipped once the
/// interpreter exits; an exception is reported as unraisable, never raised
/// into the call).
fn retry_hook(f: Py<PyAny>) -> impl Fn(&lpconfig::RetryEvent) + Send + Sync + 'static {
    move |e| {
        let (status, reason) = match &e.reason {
            lpconfig::RetryReason::Status(s) => (Some(*s), format!("status {s}")),
            lpconfig::RetryReason::Transport(t) => (None, format!("transport: {t}")),
        };
        crate::runtime::with_python(|py| {
            let args = (e.method.as_str(), e.url.as_str(), e.attempt, status, reason, e.delay.as_secs_f64());
            if let Err(err) = f.bind(py).call1(args) {
                err.write_unraisable(py, Some(f.bind(py)));
            }
        });
    }
}

fn build(a: ClientArgs) -> Result<Client, Error> {
    let (kind, values) = a.credentials;
    let mut b = Client::builder()
        .account(a.account)
        .credentials(credentials(&kind, values)?)
        .force_read_write(a.force_read_write)
        .method_override(a.method_override)
        .binding("python");
    if let Some(u) = a.csds_url {
        b = b.csds_url(u);
    }
    if let Some(v) = a.api_version {
        b = b.api_version(v);
    }
    if let Some(s) = a.connect_timeout {
        b = b.connect_timeout(seconds("connect_timeout", s)?);
    }
    if let Some(s) = a.request_timeout {
        b = b.request_timeout(seconds("request_timeout", s)?);
    }
    if let Some(s) = a.refresh_interval {
        b = b.refresh_interval(seconds("refresh_interval", s)?);
    }
    if let Some(s) = a.csds_ttl {
        b = b.csds_ttl(seconds("csds_ttl", s)?);
    }
    let policy = a.retry.map(retry).transpose()?;
    if let Some(f) = a.on_retry {
        b = b.retry(policy.unwrap_or_default().on_retry(retry_hook(f)));
    } else if let Some(p) = policy {
        b = b.retry(p);
    }
    if let Some(n) = a.batch_size {
        b = b.batch_size(n);
    }
    b.build()
}

/// Builds the client (no I/O), raising `ConfigError` for bad settings.
pub fn build_client(py: Python<'_>, args: ClientArgs) -> PyResult<Client> {
    // Building the HTTP client needs the runtime's context.
    let _guard = crate::runtime::runtime().enter();
    build(args).map_err(|e| to_pyerr(py, &e))
}

/// `(account, (credentials kind, values), csds_url)`, as the Python layer unpacks it.
type EnvSettings = (String, (String, Vec<String>), Option<String>);

/// `(account, (kind, values), csds_url)` from the `LP_*` variables of `environ`,
/// by the core's one rule (`lpconfig::env::from_lookup`).
#[pyfunction]
pub fn settings_from_env(
    py: Python<'_>,
    environ: std::collections::HashMap<String, String>,
) -> PyResult<EnvSettings> {
    let s = lpconfig::env::from_lookup(|k| environ.get(k).cloned()).map_err(|e| to_pyerr(py, &e))?;
    let (kind, values) = match s.credentials {
        Credentials::Password { username, password } => {
            ("password", vec![username, password.expose().into()])
        }
        Credentials::AppKeyLogin { username, app_key, secret, access_token, access_token_secret } => (
            "app_key_login",
            vec![
                username,
                app_key,
                secret.expose().into(),
                access_token,
                access_token_secret.expose().into(),
            ],
        ),
        Credentials::ApiKey { app_key, secret, access_token, access_token_secret } => (
            "api_key",
            vec![app_key, secret.expose().into(), access_token, access_token_secret.expose().into()],
        ),
        Credentials::ClientCredentials { client_id, client_secret, .. } => {
            ("client_credentials", vec![client_id, client_secret.expose().into()])
        }
        other => return Err(to_pyerr(py, &Error::config("credentials", format!("unexpected {other:?}")))),
    };
    Ok((s.account, (kind.to_owned(), values), s.csds_url))
}
