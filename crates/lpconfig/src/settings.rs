//! The client settings besides account and credentials, as plain values: what
//! every binding fills from its own options and hands to the core, what
//! `from_env` returns in every language, and what a built client reports back
//! ([`Config::effective`]). Names, kinds and `LP_*` variables come from the one
//! table [`crate::surface::SETTINGS`].
//!
//! [`Settings`] has no `Default` on purpose: a binding builds it with a struct
//! literal naming every field, so a new setting fails to compile in each
//! binding until it is exposed there.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::auth::Credentials;
use crate::client::{ClientBuilder, Config};
use crate::error::{Error, Result};
use crate::surface::{setting, Kind, Style, SETTINGS};
use crate::transport::{RetryEvent, RetryPolicy};

/// A retry hook as bindings pass it.
pub type RetryHook = Arc<dyn Fn(&RetryEvent) + Send + Sync>;

/// Every setting of [`crate::surface::SETTINGS`] but `account` and
/// `credentials`; `None` keeps the core's default.
///
/// ```
/// use std::time::Duration;
/// use lpconfig::{settings::Settings, Client, Credentials};
/// let s = Settings { request_timeout: Some(Duration::from_secs(5)), proxy: Some("none".into()), ..Settings::unset() };
/// let b = Client::builder().account("demo").credentials(Credentials::bearer("t"));
/// let config = s.apply(b, None).unwrap().config().unwrap();
/// assert_eq!(config.request_timeout, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone)]
pub struct Settings {
    /// CSDS base URL.
    pub csds_url: Option<String>,
    /// Account-config API version.
    pub api_version: Option<String>,
    /// Connect timeout (`LP_CONNECT_TIMEOUT`).
    pub connect_timeout: Option<Duration>,
    /// Per-attempt timeout (`LP_TIMEOUT`).
    pub request_timeout: Option<Duration>,
    /// A whole retry policy (not together with `retry_delays`).
    pub retry: Option<RetryPolicy>,
    /// Just the 5xx/transport waits, as [`crate::env::retry_policy`] reads
    /// them (`LP_RETRY_DELAYS`); not together with `retry`.
    pub retry_delays: Option<Vec<Duration>>,
    /// Session refresh interval.
    pub refresh_interval: Option<Duration>,
    /// Domain cache lifetime.
    pub csds_ttl: Option<Duration>,
    /// GETs to the read/write host too.
    pub force_read_write: Option<bool>,
    /// PUT/DELETE as POST with `X-HTTP-Method-Override`.
    pub method_override: Option<bool>,
    /// Items per batch request.
    pub batch_size: Option<usize>,
    /// A PEM file of extra trusted CAs (`LP_CA_BUNDLE`, `SSL_CERT_FILE`; docs/network.md).
    pub ca_bundle: Option<String>,
    /// A proxy URL or `none` (`LP_PROXY`; docs/network.md).
    pub proxy: Option<String>,
    /// Allow the legacy query delta (docs/query-delta.md).
    pub legacy: Option<bool>,
}

impl Settings {
    /// Nothing set: every value at the core's default.
    pub fn unset() -> Self {
        Self {
            csds_url: None,
            api_version: None,
            connect_timeout: None,
            request_timeout: None,
            retry: None,
            retry_delays: None,
            refresh_interval: None,
            csds_ttl: None,
            force_read_write: None,
            method_override: None,
            batch_size: None,
            ca_bundle: None,
            proxy: None,
            legacy: None,
        }
    }

    /// Sets everything given on `builder`, with `on_retry` called before every
    /// retry. `retry` and `retry_delays` together are a `Config` error naming
    /// `retry_delays`; the core checks every value when the builder builds.
    pub fn apply(self, builder: ClientBuilder, on_retry: Option<RetryHook>) -> Result<ClientBuilder> {
        let mut b = builder;
        if let Some(v) = self.csds_url {
            b = b.csds_url(v);
        }
        if let Some(v) = self.api_version {
            b = b.api_version(v);
        }
        if let Some(v) = self.connect_timeout {
            b = b.connect_timeout(v);
        }
        if let Some(v) = self.request_timeout {
            b = b.request_timeout(v);
        }
        let policy = match (self.retry, self.retry_delays) {
            (Some(_), Some(_)) => {
                return Err(Error::config("retry_delays", "give retry or retry_delays, not both"));
            }
            (Some(p), None) => Some(p),
            (None, Some(d)) => Some(crate::env::retry_policy(&d)),
            (None, None) => None,
        };
        match (policy, on_retry) {
            (p, Some(hook)) => b = b.retry(p.unwrap_or_default().on_retry(move |e| hook(e))),
            (Some(p), None) => b = b.retry(p),
            (None, None) => {}
        }
        if let Some(v) = self.refresh_interval {
            b = b.refresh_interval(v);
        }
        if let Some(v) = self.csds_ttl {
            b = b.csds_ttl(v);
        }
        if let Some(v) = self.force_read_write {
            b = b.force_read_write(v);
        }
        if let Some(v) = self.method_override {
            b = b.method_override(v);
        }
        if let Some(v) = self.batch_size {
            b = b.batch_size(v);
        }
        if let Some(v) = self.ca_bundle {
            b = b.ca_bundle(v);
        }
        if let Some(v) = self.proxy {
            b = b.proxy(v);
        }
        if let Some(v) = self.legacy {
            b = b.legacy(v);
        }
        Ok(b)
    }

    /// The values that are set, as a binding's options: keys spelled in
    /// `style`, durations in its units (seconds for Python, ms elsewhere).
    /// `retry` (a policy object) is left out; `from_env` never sets it.
    pub fn to_options(&self, style: Style) -> Map<String, Value> {
        let mut out = Map::new();
        let mut put = |name: &str, v: Value| {
            let s = setting(name).expect("a listed setting");
            out.insert(s.spelled(style), v);
        };
        let d = |v: &Duration| duration(*v, style);
        let text = |v: &Option<String>| v.as_ref().map(|t| Value::String(t.clone()));
        let fields: [(&str, Option<Value>); 13] = [
            ("csds_url", text(&self.csds_url)),
            ("api_version", text(&self.api_version)),
            ("connect_timeout", self.connect_timeout.as_ref().map(d)),
            ("request_timeout", self.request_timeout.as_ref().map(d)),
            ("retry_delays", self.retry_delays.as_ref().map(|ds| Value::Array(ds.iter().map(d).collect()))),
            ("refresh_interval", self.refresh_interval.as_ref().map(d)),
            ("csds_ttl", self.csds_ttl.as_ref().map(d)),
            ("force_read_write", self.force_read_write.map(Value::Bool)),
            ("method_override", self.method_override.map(Value::Bool)),
            ("batch_size", self.batch_size.map(|n| json!(n))),
            ("ca_bundle", text(&self.ca_bundle)),
            ("proxy", text(&self.proxy)),
            ("legacy", self.legacy.map(Value::Bool)),
        ];
        for (name, v) in fields {
            if let Some(v) = v {
                put(name, v);
            }
        }
        out
    }
}

/// A duration in a binding's units: seconds (float) for Python, ms for the others.
fn duration(d: Duration, style: Style) -> Value {
    match style {
        Style::Python => json!(d.as_secs_f64()),
        Style::Node | Style::Uniffi => json!(d.as_millis() as u64),
    }
}

impl Config {
    /// Every setting in force, keyed by its name in `style` (see
    /// [`crate::surface::Setting::spelled`]) with durations in that style's
    /// units: what a binding reports to show that each option reached the core.
    /// Never a secret: credentials appear as their kind, a proxy password as `***`.
    ///
    /// ```
    /// use lpconfig::{surface::Style, Client, Credentials};
    /// let c = Client::builder().account("demo").credentials(Credentials::bearer("t")).config().unwrap();
    /// let v = c.effective(Style::Node);
    /// assert_eq!(v["requestTimeoutMs"], 60000);
    /// assert_eq!(v["credentials"], "bearer");
    /// ```
    pub fn effective(&self, style: Style) -> Value {
        let d = |v: Duration| duration(v, style);
        let mut out = Map::new();
        for s in SETTINGS {
            let v = match s.name {
                "account" => json!(self.account),
                "credentials" => json!(credentials_kind(&self.credentials)),
                "csds_url" => json!(self.csds_url.as_str()),
                "api_version" => json!(self.api_version),
                "connect_timeout" => d(self.connect_timeout),
                "request_timeout" => d(self.request_timeout),
                "retry" => json!({
                    "rate_limit_retries": self.retry.rate_limit_retries,
                    "rate_limit_base": d(self.retry.rate_limit_base),
                    "retry_transport": self.retry.retry_transport,
                }),
                "retry_delays" => Value::Array(self.retry.server_delays.iter().map(|v| d(*v)).collect()),
                "refresh_interval" => d(self.refresh_interval),
                "csds_ttl" => d(self.csds_ttl),
                "force_read_write" => json!(self.force_read_write),
                "method_override" => json!(self.method_override),
                "batch_size" => json!(self.batch_size),
                "ca_bundle" => json!(self.ca_bundle.as_ref().map(|p| p.display().to_string())),
                "proxy" => json!(self.proxy.as_ref().map(|p| p.to_string())),
                "legacy" => json!(self.legacy),
                other => unreachable!("setting {other} has no effective value; add it here"),
            };
            debug_assert!(s.kind != Kind::Credentials || v.is_string());
            out.insert(s.spelled(style), v);
        }
        Value::Object(out)
    }
}

/// The credentials' kind in snake_case (`password`, `api_key`, ...).
pub fn credentials_kind(c: &Credentials) -> &'static str {
    match c {
        Credentials::Password { .. } => "password",
        Credentials::AppKeyLogin { .. } => "app_key_login",
        Credentials::ApiKey { .. } => "api_key",
        Credentials::ClientCredentials { .. } => "client_credentials",
        _ => "bearer",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    fn builder() -> ClientBuilder {
        Client::builder().account("demo").credentials(Credentials::bearer("t"))
    }

    /// The Debug field names of `Settings`, plus account and credentials, are
    /// exactly the settings of the surface table.
    #[test]
    fn settings_fields_are_the_surface_table() {
        let text = format!("{:#?}", Settings::unset());
        let mut fields: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        fields.extend(["account", "credentials"]);
        fields.sort_unstable();
        let mut want: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
        want.sort_unstable();
        assert_eq!(fields, want);
    }

    #[test]
    fn every_setting_changes_the_effective_config() {
        let base = builder().config().unwrap().effective(Style::Python);
        let dir = std::env::temp_dir().join(format!("lp-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, include_str!("../../../tests/tls/ca.pem")).unwrap();
        let ms = Duration::from_millis;
        for s in SETTINGS.iter().filter(|s| !matches!(s.name, "account" | "credentials")) {
            let mut v = Settings::unset();
            match s.name {
                "csds_url" => v.csds_url = Some("http://127.0.0.1:9".into()),
                "api_version" => v.api_version = Some("3.0".into()),
                "connect_timeout" => v.connect_timeout = Some(ms(7)),
                "request_timeout" => v.request_timeout = Some(ms(8)),
                "retry" => v.retry = Some(RetryPolicy::none()),
                "retry_delays" => v.retry_delays = Some(vec![ms(1)]),
                "refresh_interval" => v.refresh_interval = Some(ms(9)),
                "csds_ttl" => v.csds_ttl = Some(ms(10)),
                "force_read_write" => v.force_read_write = Some(true),
                "method_override" => v.method_override = Some(true),
                "batch_size" => v.batch_size = Some(3),
                "ca_bundle" => v.ca_bundle = Some(ca.display().to_string()),
                "proxy" => v.proxy = Some("http://u:Proxy-Secret-1@127.0.0.1:3128".into()),
                "legacy" => v.legacy = Some(true),
                other => panic!("no sample for the setting {other}"),
            }
            let got = v.apply(builder(), None).unwrap().config().unwrap().effective(Style::Python);
            assert_ne!(got[s.name], base[s.name], "{} did not reach the config", s.name);
            assert!(!got.to_string().contains("Proxy-Secret-1"));
        }
        let both =
            Settings { retry: Some(RetryPolicy::none()), retry_delays: Some(vec![]), ..Settings::unset() };
        assert_eq!(both.apply(builder(), None).unwrap_err().field(), Some("retry_delays"));
    }

    #[test]
    fn options_are_spelled_and_converted_per_binding() {
        let s = Settings {
            request_timeout: Some(Duration::from_millis(2500)),
            retry_delays: Some(vec![Duration::from_millis(10)]),
            ca_bundle: Some("/x.pem".into()),
            ..Settings::unset()
        };
        let node = Value::Object(s.to_options(Style::Node));
        assert_eq!(node, json!({ "requestTimeoutMs": 2500, "retryDelaysMs": [10], "caBundle": "/x.pem" }));
        let py = Value::Object(s.to_options(Style::Python));
        assert_eq!(py, json!({ "request_timeout": 2.5, "retry_delays": [0.01], "ca_bundle": "/x.pem" }));
    }
}
