//! What a [`crate::Client`] is built from: a config record with defaults, the
//! credentials enum, and `IfMatch` for writes.

use std::sync::Arc;
use std::time::Duration;

use lpconfig::settings::{RetryHook, Settings};
use lpconfig::{RetryPolicy, Revision};

use crate::error::LpError;
use crate::secret::Secret;

/// How to authenticate. Secret parts are [`Secret`] objects so that printing
/// the config never shows them.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum Credentials {
    /// Login Service with a user name and password.
    Password {
        /// The login name.
        username: String,
        /// The password.
        password: Arc<Secret>,
    },
    /// Login Service with a user name and an API key (application login).
    AppKeyLogin {
        /// The login name.
        username: String,
        /// The API key's app key.
        app_key: String,
        /// The API key's secret.
        secret: Arc<Secret>,
        /// The API key's access token.
        access_token: String,
        /// The API key's access token secret.
        access_token_secret: Arc<Secret>,
    },
    /// OAuth 1.0a signing of every request with an API key.
    ApiKey {
        /// The app key.
        app_key: String,
        /// The secret.
        secret: Arc<Secret>,
        /// The access token.
        access_token: String,
        /// The access token secret.
        access_token_secret: Arc<Secret>,
    },
    /// A bearer token obtained elsewhere.
    Bearer {
        /// The token.
        token: Arc<Secret>,
    },
    /// OAuth 2.0 client credentials: a token from Sentinel, renewed before it
    /// expires; on a 401 one new token and one replay.
    ClientCredentials {
        /// The installed application's client id.
        client_id: String,
        /// Its client secret.
        client_secret: Arc<Secret>,
        /// The scope to ask for (space-separated), or `None` for all granted ones.
        #[uniffi(default)]
        scope: Option<String>,
    },
}

impl Credentials {
    fn core(&self) -> lpconfig::Credentials {
        match self {
            Self::Password { username, password } => {
                lpconfig::Credentials::password(username, password.core())
            }
            Self::AppKeyLogin { username, app_key, secret, access_token, access_token_secret } => {
                lpconfig::Credentials::app_key_login(
                    username,
                    app_key,
                    secret.core(),
                    access_token,
                    access_token_secret.core(),
                )
            }
            Self::ApiKey { app_key, secret, access_token, access_token_secret } => {
                lpconfig::Credentials::api_key(
                    app_key,
                    secret.core(),
                    access_token,
                    access_token_secret.core(),
                )
            }
            Self::Bearer { token } => lpconfig::Credentials::bearer(token.core()),
            Self::ClientCredentials { client_id, client_secret, scope } => {
                let c = lpconfig::Credentials::client_credentials(client_id, client_secret.core());
                match scope {
                    Some(s) => c.with_scope(s),
                    None => c,
                }
            }
        }
    }
}

/// Settings of a [`crate::Client`]; everything but `account` and
/// `credentials` has the core's default when left `None`.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ClientConfig {
    /// The LivePerson account (site) id.
    pub account: String,
    /// How to authenticate.
    pub credentials: Credentials,
    /// CSDS base URL (default `https://api.liveperson.net`; `http://` only on loopback).
    #[uniffi(default)]
    pub csds_url: Option<String>,
    /// The account-config API version (default `4.0`).
    #[uniffi(default)]
    pub api_version: Option<String>,
    /// Waits before each retry of a 5xx or transport failure, in ms
    /// (default 5000, 10000, 15000; empty = no retries).
    #[uniffi(default)]
    pub retry_delays_ms: Option<Vec<u64>>,
    /// Base wait before retrying a 429, in ms (default 1000).
    #[uniffi(default)]
    pub rate_limit_base_ms: Option<u64>,
    /// Per-attempt timeout in ms (default 60000).
    #[uniffi(default)]
    pub request_timeout_ms: Option<u64>,
    /// Items per batch request (default 1000).
    #[uniffi(default)]
    pub batch_size: Option<u32>,
    /// Connect timeout in ms (default 10000).
    #[uniffi(default)]
    pub connect_timeout_ms: Option<u64>,
    /// Session refresh interval in ms (default 240000).
    #[uniffi(default)]
    pub refresh_interval_ms: Option<u64>,
    /// Domain (CSDS) cache lifetime in ms (default 600000).
    #[uniffi(default)]
    pub csds_ttl_ms: Option<u64>,
    /// How many times a 429 is retried (default 3).
    #[uniffi(default)]
    pub rate_limit_retries: Option<u32>,
    /// Whether connect/timeout/reset failures are retried like 5xx (default true).
    #[uniffi(default)]
    pub retry_transport: Option<bool>,
    /// Send GETs to the read/write host too (default false).
    #[uniffi(default)]
    pub force_read_write: Option<bool>,
    /// Send PUT/DELETE as POST with `X-HTTP-Method-Override` (default false).
    #[uniffi(default)]
    pub method_override: Option<bool>,
    /// A PEM file of CAs trusted besides the bundled and system roots, e.g. a
    /// TLS-inspecting company proxy's (docs/network.md); read when the client is built.
    #[uniffi(default)]
    pub ca_bundle: Option<String>,
    /// `http://proxy.example:3128`, or `none` to ignore `HTTPS_PROXY` (default:
    /// `HTTPS_PROXY`/`NO_PROXY`; loopback is never proxied).
    #[uniffi(default)]
    pub proxy: Option<String>,
    /// Allow the legacy query delta (docs/query-delta.md; default false).
    #[uniffi(default)]
    pub legacy: Option<bool>,
}

/// A [`ClientConfig`] from the `LP_*` environment variables of this process,
/// by the core's one rule (`lpconfig::env::settings_from_lookup`, the same in
/// every language): `LP_ACCOUNT`; then `LP_USERNAME`/`LP_PASSWORD`, all four of
/// `LP_APP_KEY`, `LP_SECRET`, `LP_ACCESS_TOKEN`, `LP_ACCESS_TOKEN_SECRET` (with
/// `LP_USERNAME` too: an app-key login), or `LP_CLIENT_ID`/`LP_CLIENT_SECRET`;
/// optionally `LP_CSDS_URL`, `LP_TIMEOUT`, `LP_CONNECT_TIMEOUT`,
/// `LP_RETRY_DELAYS`, `LP_CA_BUNDLE` (else `SSL_CERT_FILE`) and `LP_PROXY`.
#[uniffi::export]
pub fn client_config_from_env() -> Result<ClientConfig, LpError> {
    config_from_lookup(|k| std::env::var(k).ok())
}

fn config_from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<ClientConfig, LpError> {
    let e = lpconfig::env::settings_from_lookup(get)?;
    let secret = |s: &lpconfig::Secret| Arc::new(Secret::new(s.expose().to_owned()));
    let credentials = match &e.credentials {
        lpconfig::Credentials::Password { username, password } => {
            Credentials::Password { username: username.clone(), password: secret(password) }
        }
        lpconfig::Credentials::AppKeyLogin {
            username,
            app_key,
            secret: sec,
            access_token,
            access_token_secret,
        } => Credentials::AppKeyLogin {
            username: username.clone(),
            app_key: app_key.clone(),
            secret: secret(sec),
            access_token: access_token.clone(),
            access_token_secret: secret(access_token_secret),
        },
        lpconfig::Credentials::ApiKey { app_key, secret: sec, access_token, access_token_secret } => {
            Credentials::ApiKey {
                app_key: app_key.clone(),
                secret: secret(sec),
                access_token: access_token.clone(),
                access_token_secret: secret(access_token_secret),
            }
        }
        lpconfig::Credentials::ClientCredentials { client_id, client_secret, scope, .. } => {
            Credentials::ClientCredentials {
                client_id: client_id.clone(),
                client_secret: secret(client_secret),
                scope: scope.clone(),
            }
        }
        _ => {
            return Err(
                lpconfig::Error::config("credentials", "unexpected credentials from the environment").into()
            )
        }
    };
    let s = e.settings;
    let ms = |d: Option<Duration>| d.map(|d| d.as_millis() as u64);
    Ok(ClientConfig {
        csds_url: s.csds_url,
        request_timeout_ms: ms(s.request_timeout),
        connect_timeout_ms: ms(s.connect_timeout),
        retry_delays_ms: s.retry_delays.map(|ds| ds.iter().map(|d| d.as_millis() as u64).collect()),
        ca_bundle: s.ca_bundle,
        proxy: s.proxy,
        ..ClientConfig::new(e.account, credentials, None)
    })
}

impl ClientConfig {
    /// `account` and `credentials` with every other setting at its default.
    pub fn new(account: String, credentials: Credentials, csds_url: Option<String>) -> Self {
        Self {
            account,
            credentials,
            csds_url,
            api_version: None,
            retry_delays_ms: None,
            rate_limit_base_ms: None,
            request_timeout_ms: None,
            batch_size: None,
            connect_timeout_ms: None,
            refresh_interval_ms: None,
            csds_ttl_ms: None,
            rate_limit_retries: None,
            retry_transport: None,
            force_read_write: None,
            method_override: None,
            ca_bundle: None,
            proxy: None,
            legacy: None,
        }
    }
}

impl ClientConfig {
    /// The core client; the core checks every value (no I/O).
    pub(crate) fn build(
        &self,
        listener: Option<Arc<dyn crate::hooks::RetryListener>>,
    ) -> Result<lpconfig::Client, LpError> {
        let b = lpconfig::Client::builder()
            .account(self.account.clone())
            .credentials(self.credentials.core())
            .binding("uniffi");
        let ms = |v: Option<u64>| v.map(Duration::from_millis);
        // The retry policy is flat here: `retry_delays_ms` are the waits (as
        // LP_RETRY_DELAYS); the other three fields refine the policy.
        let refined = self.rate_limit_base_ms.is_some()
            || self.rate_limit_retries.is_some()
            || self.retry_transport.is_some();
        let retry = refined.then(|| {
            let mut p = match &self.retry_delays_ms {
                Some(d) => lpconfig::env::retry_policy(
                    &d.iter().map(|v| Duration::from_millis(*v)).collect::<Vec<_>>(),
                ),
                None => RetryPolicy::documented(),
            };
            if let Some(n) = self.rate_limit_retries {
                p.rate_limit_retries = n;
            }
            if let Some(t) = self.retry_transport {
                p.retry_transport = t;
            }
            if let Some(v) = self.rate_limit_base_ms {
                p.rate_limit_base = Duration::from_millis(v);
            }
            p
        });
        // Every field named (no `..Settings::unset()`): a new core setting fails to
        // compile here until uniffi exposes it (lpconfig::settings).
        let settings = Settings {
            csds_url: self.csds_url.clone(),
            api_version: self.api_version.clone(),
            connect_timeout: ms(self.connect_timeout_ms),
            request_timeout: ms(self.request_timeout_ms),
            retry_delays: if refined {
                None
            } else {
                self.retry_delays_ms.as_ref().map(|d| d.iter().map(|v| Duration::from_millis(*v)).collect())
            },
            retry,
            refresh_interval: ms(self.refresh_interval_ms),
            csds_ttl: ms(self.csds_ttl_ms),
            force_read_write: self.force_read_write,
            method_override: self.method_override,
            batch_size: self.batch_size.map(|n| n as usize),
            ca_bundle: self.ca_bundle.clone(),
            proxy: self.proxy.clone(),
            legacy: self.legacy,
        };
        let hook =
            listener.map(|l| Arc::new(move |e: &lpconfig::RetryEvent| l.on_retry(e.into())) as RetryHook);
        Ok(settings.apply(b, hook)?.build()?)
    }
}

/// The `If-Match` of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum IfMatch {
    /// Apply whatever the current revision is (`If-Match: -1`).
    Any,
    /// Apply only if the collection is still at this revision, else `Conflict`.
    Revision {
        /// The revision the caller read.
        revision: u64,
    },
}

impl From<IfMatch> for lpconfig::IfMatch {
    fn from(m: IfMatch) -> Self {
        match m {
            IfMatch::Any => Self::Any,
            IfMatch::Revision { revision } => Self::Revision(Revision(revision)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(account: &str) -> ClientConfig {
        let credentials = Credentials::Password {
            username: "admin".into(),
            password: Arc::new(Secret::new("PW-SECRET-1".into())),
        };
        ClientConfig {
            retry_delays_ms: Some(vec![]),
            rate_limit_base_ms: Some(1),
            batch_size: Some(2),
            ..ClientConfig::new(account.into(), credentials, Some("http://127.0.0.1:9".into()))
        }
    }

    #[test]
    fn every_setting_reaches_the_core() {
        let c = ClientConfig {
            api_version: Some("3.0".into()),
            request_timeout_ms: Some(7),
            connect_timeout_ms: Some(8),
            refresh_interval_ms: Some(9),
            csds_ttl_ms: Some(10),
            rate_limit_retries: Some(1),
            retry_transport: Some(false),
            force_read_write: Some(true),
            method_override: Some(true),
            ..config("demo")
        };
        let core = c.build(None).unwrap();
        let k = core.config();
        assert_eq!(k.api_version, "3.0");
        assert_eq!(k.request_timeout, Duration::from_millis(7));
        assert_eq!(k.connect_timeout, Duration::from_millis(8));
        assert_eq!(k.refresh_interval, Duration::from_millis(9));
        assert_eq!(k.csds_ttl, Duration::from_millis(10));
        assert_eq!(k.retry.rate_limit_retries, 1);
        assert!(!k.retry.retry_transport && k.force_read_write && k.method_override);
        assert_eq!(k.retry.rate_limit_base, Duration::from_millis(1));
    }

    #[test]
    fn builds_and_checks_through_the_core() {
        let client = config("demo").build(None).unwrap();
        assert_eq!(client.config().batch_size, 2);
        assert!(client.config().retry.server_delays.is_empty());
        let err = config("bad id!").build(None).unwrap_err();
        assert_eq!(err.field(), Some("account"));
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", config("demo"));
        assert!(!text.contains("PW-SECRET-1"), "{text}");
    }
}

/// The uniffi surface matches the core's (`lpconfig::surface`).
#[cfg(test)]
mod parity {
    use super::*;

    fn fields(c: &ClientConfig) -> Vec<String> {
        let text = format!("{c:#?}");
        text.lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split_once(':').map(|(n, _)| n.to_owned()))
            .collect()
    }

    fn bearer() -> ClientConfig {
        ClientConfig::new(
            "demo".into(),
            Credentials::Bearer { token: Arc::new(Secret::new("t".into())) },
            None,
        )
    }

    #[test]
    fn every_core_setting_is_a_field_of_client_config() {
        let fields = fields(&bearer());
        for s in lpconfig::surface::SETTINGS {
            let name = s.spelled(lpconfig::surface::Style::Uniffi);
            assert!(
                fields.contains(&name),
                "ClientConfig has no field {name} for the core setting {}",
                s.name
            );
        }
    }

    /// A sample per setting; each must change what the built core client holds
    /// (so a field the build drops fails here). A setting without a sample fails too.
    #[test]
    fn every_setting_reaches_the_core_config() {
        use lpconfig::surface::Style;
        let ca = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/tls/ca.pem").to_owned();
        let base = bearer().build(None).unwrap().config().effective(Style::Uniffi);
        for s in lpconfig::surface::SETTINGS {
            let mut c = bearer();
            match s.name {
                "account" => c.account = "other".into(),
                "credentials" => {
                    c.credentials = Credentials::Password {
                        username: "u".into(),
                        password: Arc::new(Secret::new("p".into())),
                    }
                }
                "csds_url" => c.csds_url = Some("http://127.0.0.1:9".into()),
                "api_version" => c.api_version = Some("3.0".into()),
                "connect_timeout" => c.connect_timeout_ms = Some(7),
                "request_timeout" => c.request_timeout_ms = Some(8),
                "retry" => c.rate_limit_retries = Some(0),
                "retry_delays" => c.retry_delays_ms = Some(vec![1]),
                "refresh_interval" => c.refresh_interval_ms = Some(9),
                "csds_ttl" => c.csds_ttl_ms = Some(10),
                "force_read_write" => c.force_read_write = Some(true),
                "method_override" => c.method_override = Some(true),
                "batch_size" => c.batch_size = Some(3),
                "ca_bundle" => c.ca_bundle = Some(ca.clone()),
                "proxy" => c.proxy = Some("http://127.0.0.1:3128".into()),
                "legacy" => c.legacy = Some(true),
                other => panic!("no uniffi sample for the core setting {other}"),
            }
            let key = s.spelled(Style::Uniffi);
            let got = c.build(None).unwrap().config().effective(Style::Uniffi);
            assert_ne!(got[&key], base[&key], "{key} did not reach the core");
        }
    }

    #[test]
    fn from_env_reads_every_variable_of_the_core_rule() {
        let vars = [
            ("LP_ACCOUNT", "demo"),
            ("LP_CLIENT_ID", "app"),
            ("LP_CLIENT_SECRET", "Client-Secret-1"),
            ("LP_CSDS_URL", "http://127.0.0.1:9"),
            ("LP_TIMEOUT", "2.5"),
            ("LP_CONNECT_TIMEOUT", "250ms"),
            ("LP_RETRY_DELAYS", "10ms,20ms"),
            ("SSL_CERT_FILE", "/etc/corp.pem"),
            ("LP_PROXY", "none"),
        ];
        let c =
            config_from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())).unwrap();
        assert!(
            matches!(&c.credentials, Credentials::ClientCredentials { client_id, .. } if client_id == "app")
        );
        assert_eq!(c.csds_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!((c.request_timeout_ms, c.connect_timeout_ms), (Some(2500), Some(250)));
        assert_eq!(c.retry_delays_ms, Some(vec![10, 20]));
        assert_eq!((c.ca_bundle.as_deref(), c.proxy.as_deref()), (Some("/etc/corp.pem"), Some("none")));
        let bad = config_from_lookup(|k| match k {
            "LP_ACCOUNT" => Some("demo".into()),
            "LP_USERNAME" => Some("u".into()),
            "LP_PASSWORD" => Some("p".into()),
            "LP_TIMEOUT" => Some("soon".into()),
            _ => None,
        })
        .unwrap_err();
        assert_eq!(bad.field(), Some("LP_TIMEOUT"));
    }

    #[test]
    fn every_core_error_kind_has_its_variant() {
        for kind in lpconfig::surface::ERROR_KINDS {
            let e: LpError = lpconfig::Error::new(kind, lpconfig::ErrorDetails::default()).into();
            assert_eq!(e.code(), kind.code());
        }
    }
}
