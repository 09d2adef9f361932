//! `new Client({...})` options (sent as JSON by `client.js`) to a core
//! `ClientBuilder`. Checks only shapes; the core checks values.

use std::sync::Arc;
use std::time::Duration;

use lpconfig::settings::Settings;
use lpconfig::surface::Style;
use lpconfig::{Client, Credentials, RetryPolicy};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{config, IntoNapi};

/// The non-secret options; `credentials` is read by hand so that no error
/// message can quote a secret value (serde's messages quote what they reject).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    account: Option<String>,
    #[serde(default)]
    credentials: Value,
    csds_url: Option<String>,
    api_version: Option<String>,
    retry: Option<Retry>,
    batch_size: Option<usize>,
    request_timeout_ms: Option<u64>,
    connect_timeout_ms: Option<u64>,
    refresh_interval_ms: Option<u64>,
    csds_ttl_ms: Option<u64>,
    retry_delays_ms: Option<Vec<u64>>,
    #[serde(default)]
    force_read_write: bool,
    #[serde(default)]
    method_override: bool,
    ca_bundle: Option<String>,
    proxy: Option<String>,
    #[serde(default)]
    legacy: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Retry {
    Named(String),
    Custom(CustomRetry),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CustomRetry {
    server_delays_ms: Option<Vec<u64>>,
    rate_limit_retries: Option<u32>,
    rate_limit_base_ms: Option<u64>,
    retry_transport: Option<bool>,
}

fn retry_policy(r: Retry) -> napi::Result<RetryPolicy> {
    match r {
        Retry::Named(n) if n == "documented" => Ok(RetryPolicy::documented()),
        Retry::Named(n) if n == "none" => Ok(RetryPolicy::none()),
        Retry::Named(n) => Err(config("retry", format!("{n:?} is not 'documented', 'none' or an object"))),
        Retry::Custom(c) => {
            let mut p = RetryPolicy::documented();
            if let Some(d) = c.server_delays_ms {
                p.server_delays = d.into_iter().map(Duration::from_millis).collect();
            }
            if let Some(n) = c.rate_limit_retries {
                p.rate_limit_retries = n;
            }
            if let Some(ms) = c.rate_limit_base_ms {
                p.rate_limit_base = Duration::from_millis(ms);
            }
            if let Some(t) = c.retry_transport {
                p.retry_transport = t;
            }
            Ok(p)
        }
    }
}

fn text(obj: &Map<String, Value>, key: &str) -> napi::Result<String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(config(&format!("credentials.{key}"), "must be a string")),
        None => Err(config(&format!("credentials.{key}"), "is required")),
    }
}

/// Reads the tagged credentials object (`{ type: 'password', ... }`).
fn credentials(v: &Value) -> napi::Result<Credentials> {
    let Value::Object(obj) = v else {
        return Err(config(
            "credentials",
            "must be an object such as { type: 'password', username, password }",
        ));
    };
    let kind = match obj.get("type") {
        Some(Value::String(s)) => s.as_str(),
        _ => {
            return Err(config(
                "credentials.type",
                "must be 'password', 'apiKey', 'appKeyLogin', 'bearer' or 'clientCredentials'",
            ))
        }
    };
    let allowed: &[&str] = match kind {
        "password" => &["type", "username", "password"],
        "apiKey" => &["type", "appKey", "secret", "accessToken", "accessTokenSecret"],
        "appKeyLogin" => &["type", "username", "appKey", "secret", "accessToken", "accessTokenSecret"],
        "bearer" => &["type", "token"],
        "clientCredentials" => &["type", "clientId", "clientSecret", "scope"],
        other => {
            return Err(config(
                "credentials.type",
                format!(
                    "{other:?} is not 'password', 'apiKey', 'appKeyLogin', 'bearer' or 'clientCredentials'"
                ),
            ))
        }
    };
    if let Some(k) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(config(&format!("credentials.{k}"), format!("is not a field of {kind} credentials")));
    }
    Ok(match kind {
        "password" => Credentials::password(text(obj, "username")?, text(obj, "password")?),
        "apiKey" => Credentials::api_key(
            text(obj, "appKey")?,
            text(obj, "secret")?,
            text(obj, "accessToken")?,
            text(obj, "accessTokenSecret")?,
        ),
        "appKeyLogin" => Credentials::app_key_login(
            text(obj, "username")?,
            text(obj, "appKey")?,
            text(obj, "secret")?,
            text(obj, "accessToken")?,
            text(obj, "accessTokenSecret")?,
        ),
        "clientCredentials" => {
            let c = Credentials::client_credentials(text(obj, "clientId")?, text(obj, "clientSecret")?);
            match obj.get("scope") {
                None | Some(Value::Null) => c,
                Some(_) => c.with_scope(text(obj, "scope")?),
            }
        }
        _ => Credentials::bearer(text(obj, "token")?),
    })
}

/// Builds a core client from the options JSON; no I/O.
pub fn build_client(options_json: &str, on_retry: Option<crate::hooks::JsCallback>) -> napi::Result<Client> {
    let o: Options = serde_json::from_str(options_json).map_err(|e| config("options", e.to_string()))?;
    let mut b = Client::builder().binding("node");
    if let Some(a) = o.account {
        b = b.account(a);
    }
    if !o.credentials.is_null() {
        b = b.credentials(credentials(&o.credentials)?);
    }
    let ms = |v: Option<u64>| v.map(Duration::from_millis);
    // Every field named (no `..Settings::unset()`): a new core setting fails to
    // compile here until Node exposes it (lpconfig::settings).
    let settings = Settings {
        csds_url: o.csds_url,
        api_version: o.api_version,
        connect_timeout: ms(o.connect_timeout_ms),
        request_timeout: ms(o.request_timeout_ms),
        retry: o.retry.map(retry_policy).transpose()?,
        retry_delays: o.retry_delays_ms.map(|d| d.into_iter().map(Duration::from_millis).collect()),
        refresh_interval: ms(o.refresh_interval_ms),
        csds_ttl: ms(o.csds_ttl_ms),
        force_read_write: Some(o.force_read_write),
        method_override: Some(o.method_override),
        batch_size: o.batch_size,
        ca_bundle: o.ca_bundle,
        proxy: o.proxy,
        legacy: Some(o.legacy),
    };
    let hook = on_retry.map(|f| Arc::new(crate::hooks::retry_hook(f)) as lpconfig::settings::RetryHook);
    settings.apply(b, hook).napi()?.build().napi()
}

/// Client options (`{ account, credentials, csdsUrl?, requestTimeoutMs?,
/// connectTimeoutMs?, retryDelaysMs?, caBundle?, proxy? }` as JSON) from the
/// variables of `env_json` (a JSON object of strings), by the core's one rule
/// (`lpconfig::env::settings_from_lookup`), so `Client.fromEnv` agrees with every language.
#[napi_derive::napi]
pub fn settings_from_env(env_json: String) -> napi::Result<String> {
    let env: std::collections::HashMap<String, String> =
        serde_json::from_str(&env_json).map_err(|_| config("env", "must be an object of strings"))?;
    let e = lpconfig::env::settings_from_lookup(|k| env.get(k).cloned()).napi()?;
    let credentials = match e.credentials {
        Credentials::Password { username, password } => {
            serde_json::json!({ "type": "password", "username": username, "password": password.expose() })
        }
        Credentials::AppKeyLogin { username, app_key, secret, access_token, access_token_secret } => {
            serde_json::json!({
                "type": "appKeyLogin", "username": username, "appKey": app_key, "secret": secret.expose(),
                "accessToken": access_token, "accessTokenSecret": access_token_secret.expose(),
            })
        }
        Credentials::ApiKey { app_key, secret, access_token, access_token_secret } => serde_json::json!({
            "type": "apiKey", "appKey": app_key, "secret": secret.expose(),
            "accessToken": access_token, "accessTokenSecret": access_token_secret.expose(),
        }),
        Credentials::ClientCredentials { client_id, client_secret, .. } => serde_json::json!({
            "type": "clientCredentials", "clientId": client_id, "clientSecret": client_secret.expose(),
        }),
        _ => return Err(config("credentials", "unexpected credentials from the environment")),
    };
    let mut options = e.settings.to_options(Style::Node);
    options.insert("account".into(), Value::String(e.account));
    options.insert("credentials".into(), credentials);
    Ok(Value::Object(options).to_string())
}
