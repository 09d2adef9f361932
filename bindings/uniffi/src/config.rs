//! What a [`crate::Client`] is built from: a config record with defaults, the
//! credentials enum, and `IfMatch` for writes.

use std::sync::Arc;
use std::time::Duration;

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
}

/// A [`ClientConfig`] from the `LP_*` environment variables of this process,
/// by the core's one rule (`lpconfig::env`, the same in every language):
/// `LP_ACCOUNT`; then `LP_USERNAME`/`LP_PASSWORD`, or all four of `LP_APP_KEY`,
/// `LP_SECRET`, `LP_ACCESS_TOKEN`, `LP_ACCESS_TOKEN_SECRET` (with
/// `LP_USERNAME` too: an app-key login); `LP_CSDS_URL` optionally.
#[uniffi::export]
pub fn client_config_from_env() -> Result<ClientConfig, LpError> {
    let s = lpconfig::env::from_lookup(|k| std::env::var(k).ok())?;
    let secret = |s: &lpconfig::Secret| Arc::new(Secret::new(s.expose().to_owned()));
    let credentials = match &s.credentials {
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
        _ => {
            return Err(
                lpconfig::Error::config("credentials", "unexpected credentials from the environment").into()
            )
        }
    };
    Ok(ClientConfig::new(s.account, credentials, s.csds_url))
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
        }
    }
}

impl ClientConfig {
    /// The core client; the core checks every value (no I/O).
    pub(crate) fn build(
        &self,
        listener: Option<Arc<dyn crate::hooks::RetryListener>>,
    ) -> Result<lpconfig::Client, LpError> {
        let mut b = lpconfig::Client::builder()
            .account(self.account.clone())
            .credentials(self.credentials.core())
            .binding("uniffi");
        if let Some(url) = &self.csds_url {
            b = b.csds_url(url.clone());
        }
        if let Some(v) = &self.api_version {
            b = b.api_version(v.clone());
        }
        if self.retry_delays_ms.is_some()
            || self.rate_limit_base_ms.is_some()
            || self.rate_limit_retries.is_some()
            || self.retry_transport.is_some()
            || listener.is_some()
        {
            let mut retry = RetryPolicy::documented();
            if let Some(n) = self.rate_limit_retries {
                retry.rate_limit_retries = n;
            }
            if let Some(t) = self.retry_transport {
                retry.retry_transport = t;
            }
            if let Some(delays) = &self.retry_delays_ms {
                retry = retry.with_server_delays(
                    delays.iter().map(|ms| Duration::from_millis(*ms)).collect::<Vec<_>>(),
                );
            }
            if let Some(ms) = self.rate_limit_base_ms {
                retry = retry.with_rate_limit_base(Duration::from_millis(ms));
            }
            if let Some(l) = listener {
                retry = retry.on_retry(move |e| l.on_retry(e.into()));
            }
            b = b.retry(retry);
        }
        if let Some(ms) = self.request_timeout_ms {
            b = b.request_timeout(Duration::from_millis(ms));
        }
        if let Some(n) = self.batch_size {
            b = b.batch_size(n as usize);
        }
        let ms = Duration::from_millis;
        if let Some(t) = self.connect_timeout_ms {
            b = b.connect_timeout(ms(t));
        }
        if let Some(t) = self.refresh_interval_ms {
            b = b.refresh_interval(ms(t));
        }
        if let Some(t) = self.csds_ttl_ms {
            b = b.csds_ttl(ms(t));
        }
        b = b.force_read_write(self.force_read_write.unwrap_or(false));
        b = b.method_override(self.method_override.unwrap_or(false));
        Ok(b.build()?)
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

    #[test]
    fn every_core_setting_is_a_field_of_client_config() {
        let c = ClientConfig::new(
            "demo".into(),
            Credentials::Bearer { token: Arc::new(Secret::new("t".into())) },
            None,
        );
        let text = format!("{c:#?}");
        let fields: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("    "))
            .filter(|l| !l.starts_with(' '))
            .filter_map(|l| l.split_once(':').map(|(n, _)| n))
            .collect();
        for s in lpconfig::surface::SETTINGS {
            let ms = format!("{s}_ms");
            let ok = fields.contains(s)
                || fields.contains(&ms.as_str())
                || (*s == "retry" && fields.contains(&"retry_delays_ms"));
            assert!(ok, "ClientConfig has no field for the core setting {s} (fields: {fields:?})");
        }
    }

    #[test]
    fn every_core_error_kind_has_its_variant() {
        for kind in lpconfig::surface::ERROR_KINDS {
            let e: LpError = lpconfig::Error::new(kind, lpconfig::ErrorDetails::default()).into();
            assert_eq!(e.code(), kind.code());
        }
    }
}
