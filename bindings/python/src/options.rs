//! Building a core `Client` from the keyword arguments of `lpconfig.Client`.

use std::sync::Arc;
use std::time::Duration;

use lpconfig::settings::Settings;
use lpconfig::surface::Style;
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
    retry_delays: Option<Vec<f64>>,
    batch_size: Option<usize>,
    force_read_write: bool,
    method_override: bool,
    ca_bundle: Option<String>,
    proxy: Option<String>,
    legacy: bool,
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
        crate::runtime::with_python(|py| {
            let (status, reason) = (e.reason.status(), e.reason.to_string());
            let args = (e.method.as_str(), e.url.as_str(), e.attempt, status, reason, e.delay.as_secs_f64());
            if let Err(err) = f.bind(py).call1(args) {
                err.write_unraisable(py, Some(f.bind(py)));
            }
        });
    }
}

fn build(a: ClientArgs) -> Result<Client, Error> {
    let (kind, values) = a.credentials;
    let secs = |field: &str, v: Option<f64>| v.map(|s| seconds(field, s)).transpose();
    // Every field named (no `..Settings::unset()`): a new core setting fails to
    // compile here until Python exposes it (lpconfig::settings).
    let settings = Settings {
        csds_url: a.csds_url,
        api_version: a.api_version,
        connect_timeout: secs("connect_timeout", a.connect_timeout)?,
        request_timeout: secs("request_timeout", a.request_timeout)?,
        retry: a.retry.map(retry).transpose()?,
        retry_delays: a
            .retry_delays
            .map(|d| d.into_iter().map(|s| seconds("retry_delays", s)).collect::<Result<Vec<_>, _>>())
            .transpose()?,
        refresh_interval: secs("refresh_interval", a.refresh_interval)?,
        csds_ttl: secs("csds_ttl", a.csds_ttl)?,
        force_read_write: Some(a.force_read_write),
        method_override: Some(a.method_override),
        batch_size: a.batch_size,
        ca_bundle: a.ca_bundle,
        proxy: a.proxy,
        legacy: Some(a.legacy),
    };
    let hook = a.on_retry.map(|f| Arc::new(retry_hook(f)) as lpconfig::settings::RetryHook);
    let builder =
        Client::builder().account(a.account).credentials(credentials(&kind, values)?).binding("python");
    settings.apply(builder, hook)?.build()
}

/// Builds the client (no I/O), raising `ConfigError` for bad settings.
pub fn build_client(py: Python<'_>, args: ClientArgs) -> PyResult<Client> {
    // Building the HTTP client needs the runtime's context.
    let _guard = crate::runtime::runtime().enter();
    build(args).map_err(|e| to_pyerr(py, &e))
}

/// `(account, (credentials kind, values), options)`, as the Python layer unpacks it;
/// `options` are the other settings the environment gives, as JSON keyword arguments.
type EnvSettings = (String, (String, Vec<String>), String);

/// Account, credentials and the other settings (`LP_CSDS_URL`, `LP_TIMEOUT`,
/// `LP_CONNECT_TIMEOUT`, `LP_RETRY_DELAYS`, `LP_CA_BUNDLE`/`SSL_CERT_FILE`,
/// `LP_PROXY`) from the `LP_*` variables of `environ`, by the core's one rule
/// (`lpconfig::env::settings_from_lookup`).
#[pyfunction]
pub fn settings_from_env(
    py: Python<'_>,
    environ: std::collections::HashMap<String, String>,
) -> PyResult<EnvSettings> {
    let e = lpconfig::env::settings_from_lookup(|k| environ.get(k).cloned()).map_err(|e| to_pyerr(py, &e))?;
    let options = serde_json::Value::Object(e.settings.to_options(Style::Python)).to_string();
    let (kind, values) = match e.credentials {
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
    Ok((e.account, (kind.to_owned(), values), options))
}

/// Every setting in force for `client` (`lpconfig::Config::effective`), as JSON
/// with Python's names and seconds; never a secret.
#[pyfunction]
pub fn effective_settings(client: &crate::client::NativeClient) -> String {
    client.core().config().effective(Style::Python).to_string()
}
