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
}

impl ClientConfig {
    /// The core client; the core checks every value (no I/O).
    pub(crate) fn build(&self) -> Result<lpconfig::Client, LpError> {
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
        if self.retry_delays_ms.is_some() || self.rate_limit_base_ms.is_some() {
            let mut retry = RetryPolicy::documented();
            if let Some(delays) = &self.retry_delays_ms {
                retry = retry.with_server_delays(
                    delays.iter().map(|ms| Duration::from_millis(*ms)).collect::<Vec<_>>(),
                );
            }
            if let Some(ms) = self.rate_limit_base_ms {
                retry = retry.with_rate_limit_base(Duration::from_millis(ms));
            }
            b = b.retry(retry);
        }
        if let Some(ms) = self.request_timeout_ms {
            b = b.request_timeout(Duration::from_millis(ms));
        }
        if let Some(n) = self.batch_size {
            b = b.batch_size(n as usize);
        }
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
        ClientConfig {
            account: account.into(),
            credentials: Credentials::Password {
                username: "admin".into(),
                password: Arc::new(Secret::new("PW-SECRET-1".into())),
            },
            csds_url: Some("http://127.0.0.1:9".into()),
            api_version: None,
            retry_delays_ms: Some(vec![]),
            rate_limit_base_ms: Some(1),
            request_timeout_ms: None,
            batch_size: Some(2),
        }
    }

    #[test]
    fn builds_and_checks_through_the_core() {
        let client = config("demo").build().unwrap();
        assert_eq!(client.config().batch_size, 2);
        assert!(client.config().retry.server_delays.is_empty());
        let err = config("bad id!").build().unwrap_err();
        assert_eq!(err.field(), Some("account"));
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", config("demo"));
        assert!(!text.contains("PW-SECRET-1"), "{text}");
    }
}
