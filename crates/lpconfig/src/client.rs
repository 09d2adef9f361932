//! `Client`, its builder and its `Config`: the entry point of the library.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::api::agent_groups::AgentGroups;
use crate::api::catalog::{Catalog, Lob, Profile, Skill};
use crate::api::delta::Legacy;
use crate::api::users::Users;
use crate::api::Gateway;
use crate::auth::{Authenticator, Credentials};
use crate::domain::{AccountLoginHost, DomainResolver, DEFAULT_CSDS_URL};
use crate::error::{Error, Result};
use crate::transport::{check_url, user_agent, ProxySetting, RetryPolicy, Transport, TransportConfig};

/// Everything a [`Client`] is built from. Checked by [`ClientBuilder::build`]
/// before any I/O.
#[derive(Debug, Clone)]
pub struct Config {
    /// LivePerson account (site) id, `^[a-zA-Z0-9_]{1,20}$`.
    pub account: String,
    /// How to authenticate.
    pub credentials: Credentials,
    /// CSDS base URL (default `https://api.liveperson.net`).
    pub csds_url: Url,
    /// `v` sent on account-config calls (default `4.0`, D1).
    pub api_version: String,
    /// Connect timeout (default 10 s).
    pub connect_timeout: Duration,
    /// Per-attempt timeout (default 60 s).
    pub request_timeout: Duration,
    /// Retry policy (default [`RetryPolicy::documented`]).
    pub retry: RetryPolicy,
    /// Session refresh interval (default 4 min, D11).
    pub refresh_interval: Duration,
    /// Domain cache lifetime (default 10 min, D10).
    pub csds_ttl: Duration,
    /// Send GETs to `accountConfigReadWrite` too (D9).
    pub force_read_write: bool,
    /// Send PUT/DELETE as POST with `X-HTTP-Method-Override`.
    pub method_override: bool,
    /// Items per batch request (default 1,000, D8).
    pub batch_size: usize,
    /// Which front end is calling, for the `User-Agent` (default `rust`).
    pub binding: String,
    /// A PEM file of CAs trusted besides the bundled and platform roots
    /// (docs/network.md, "TLS").
    pub ca_bundle: Option<PathBuf>,
    /// The proxy; `None` follows `HTTPS_PROXY`/`NO_PROXY` (docs/network.md, "Proxies").
    pub proxy: Option<ProxySetting>,
    /// Test hook (see [`ClientBuilder::reconcile_creates`]); always `true` outside tests.
    #[doc(hidden)]
    pub reconcile_creates: bool,
    /// Allow the legacy query delta ([`Client::legacy`], D18; default off).
    pub legacy: bool,
}

/// Builds a [`Client`].
///
/// ```
/// use lpconfig::{Client, Credentials};
/// let client = Client::builder()
///     .account("12345678")
///     .credentials(Credentials::api_key("app-key", "secret", "token", "token-secret"))
///     .build()
///     .unwrap();
/// assert_eq!(client.account(), "12345678");
///
/// let err = Client::builder().account("bad id!").credentials(Credentials::bearer("b")).build().unwrap_err();
/// assert_eq!(err.field(), Some("account"));
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    account: Option<String>,
    credentials: Option<Credentials>,
    csds_url: Option<String>,
    api_version: Option<String>,
    connect_timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    refresh_interval: Option<Duration>,
    csds_ttl: Option<Duration>,
    force_read_write: bool,
    method_override: bool,
    batch_size: Option<usize>,
    binding: Option<String>,
    ca_bundle: Option<PathBuf>,
    // Parsed at once so that `Debug` never shows a proxy password.
    proxy: Option<Result<ProxySetting>>,
    skip_create_reconciliation: bool,
    legacy: bool,
}

macro_rules! setter {
    ($(#[$doc:meta] $name:ident: $ty:ty),* $(,)?) => {$(
        #[$doc]
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = Some(value.into());
            self
        }
    )*};
}

impl ClientBuilder {
    setter! {
        /// The account id (required).
        account: impl Into<String>,
        /// The credentials (required).
        credentials: Credentials,
        /// The CSDS base URL.
        csds_url: impl Into<String>,
        /// The account-config API version (`v`).
        api_version: impl Into<String>,
        /// The connect timeout.
        connect_timeout: Duration,
        /// The per-attempt timeout.
        request_timeout: Duration,
        /// The retry policy.
        retry: RetryPolicy,
        /// The session refresh interval.
        refresh_interval: Duration,
        /// The domain cache lifetime.
        csds_ttl: Duration,
        /// Items per batch request.
        batch_size: usize,
        /// The calling front end, shown in the `User-Agent`.
        binding: impl Into<String>,
        /// A PEM file of extra trusted CAs, e.g. a company proxy's (read by `build`; docs/network.md).
        ca_bundle: impl Into<PathBuf>,
    }

    /// `http://proxy.example:3128`, or `none` to ignore `HTTPS_PROXY`
    /// (loopback is never proxied; docs/network.md). A bad value fails `build`.
    pub fn proxy(mut self, value: impl AsRef<str>) -> Self {
        self.proxy = Some(ProxySetting::parse(value.as_ref()));
        self
    }

    /// Sends GETs to the read/write host too.
    pub fn force_read_write(mut self, yes: bool) -> Self {
        self.force_read_write = yes;
        self
    }

    /// Sends PUT/DELETE as POST with `X-HTTP-Method-Override`.
    pub fn method_override(mut self, yes: bool) -> Self {
        self.method_override = yes;
        self
    }

    /// Test hook: `false` makes a create whose outcome is unknown be re-sent
    /// blindly instead of reconciled by natural key (D22). Only for tests that
    /// show their duplicate-create checks can fail.
    #[doc(hidden)]
    pub fn reconcile_creates(mut self, yes: bool) -> Self {
        self.skip_create_reconciliation = !yes;
        self
    }

    /// Opts in to the legacy query delta ([`Client::legacy`]).
    pub fn legacy(mut self, yes: bool) -> Self {
        self.legacy = yes;
        self
    }

    /// Checks the settings; no I/O.
    pub fn config(self) -> Result<Config> {
        let account = self.account.ok_or_else(|| Error::config("account", "is required"))?;
        validate_account(&account)?;
        let credentials = self.credentials.ok_or_else(|| Error::config("credentials", "are required"))?;
        credentials.validate()?;
        let csds_text = self.csds_url.unwrap_or_else(|| DEFAULT_CSDS_URL.to_owned());
        let csds_url = Url::parse(&csds_text)
            .map_err(|e| Error::config("csds_url", format!("{csds_text:?} is not a URL: {e}")))?;
        check_url(&csds_url, "csds_url")?;
        let api_version = self.api_version.unwrap_or_else(|| "4.0".to_owned());
        if api_version.is_empty() || !api_version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(Error::config("api_version", format!("{api_version:?} is not a version like 4.0")));
        }
        let positive = |field: &str, d: Option<Duration>, default: Duration| match d {
            Some(d) if d.is_zero() => Err(Error::config(field, "must be greater than zero")),
            Some(d) => Ok(d),
            None => Ok(default),
        };
        let proxy = self.proxy.transpose()?;
        let batch_size = self.batch_size.unwrap_or(1000);
        if batch_size == 0 {
            return Err(Error::config("batch_size", "must be at least 1"));
        }
        Ok(Config {
            account,
            credentials,
            csds_url,
            api_version,
            connect_timeout: positive("connect_timeout", self.connect_timeout, Duration::from_secs(10))?,
            request_timeout: positive("request_timeout", self.request_timeout, Duration::from_secs(60))?,
            retry: self.retry.unwrap_or_default(),
            refresh_interval: positive("refresh_interval", self.refresh_interval, Duration::from_secs(240))?,
            csds_ttl: self.csds_ttl.unwrap_or(Duration::from_secs(600)),
            force_read_write: self.force_read_write,
            method_override: self.method_override,
            batch_size,
            binding: self.binding.unwrap_or_else(|| "rust".to_owned()),
            ca_bundle: self.ca_bundle,
            proxy,
            reconcile_creates: !self.skip_create_reconciliation,
            legacy: self.legacy,
        })
    }

    /// Builds the client; no I/O (domains resolve and sessions open lazily).
    pub fn build(self) -> Result<Client> {
        Client::new(self.config()?)
    }
}

/// `^[a-zA-Z0-9_]{1,20}$` (Users API appendix).
pub fn validate_account(account: &str) -> Result<()> {
    let ok =
        (1..=20).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::config("account", format!("{account:?} must match ^[a-zA-Z0-9_]{{1,20}}$")))
    }
}

/// A LivePerson account-config client. Cheap to clone; clones share the
/// connection pool, the domain cache and the session.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    gateway: Gateway,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Builds a client from a checked [`Config`].
    pub fn new(config: Config) -> Result<Self> {
        let transport = Transport::new(&TransportConfig {
            connect_timeout: config.connect_timeout,
            request_timeout: config.request_timeout,
            user_agent: user_agent(&config.binding),
            retry: config.retry.clone(),
            ca_bundle: config.ca_bundle.clone(),
            proxy: config.proxy.clone(),
        })?;
        let domains =
            Arc::new(DomainResolver::new(transport.clone(), config.csds_url.clone(), config.csds_ttl));
        let host = Arc::new(AccountLoginHost { resolver: domains.clone(), account: config.account.clone() });
        let auth = Authenticator::new(
            config.credentials.clone(),
            transport,
            config.account.clone(),
            host,
            config.refresh_interval,
        )?;
        let mut gateway = Gateway::new(
            config.account.clone(),
            auth,
            domains,
            config.api_version.clone(),
            config.force_read_write,
            config.method_override,
        );
        gateway.set_reconcile_creates(config.reconcile_creates);
        Ok(Self { inner: Arc::new(Inner { config, gateway }) })
    }

    /// The account id.
    pub fn account(&self) -> &str {
        &self.inner.config.account
    }

    /// The settings in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Low-level access to any `le-users` route, for what the typed clients do not cover.
    pub fn raw(&self) -> &Gateway {
        &self.inner.gateway
    }

    /// The Users API.
    pub fn users(&self) -> Users<'_> {
        Users::new(&self.inner.gateway, self.inner.config.batch_size)
    }

    /// The Agent Groups API.
    pub fn agent_groups(&self) -> AgentGroups<'_> {
        AgentGroups::new(&self.inner.gateway, self.inner.config.batch_size)
    }

    /// Skills.
    pub fn skills(&self) -> Catalog<'_, Skill> {
        Catalog::with_batch_size(&self.inner.gateway, self.inner.config.batch_size)
    }

    /// Profiles.
    pub fn profiles(&self) -> Catalog<'_, Profile> {
        Catalog::with_batch_size(&self.inner.gateway, self.inner.config.batch_size)
    }

    /// Lines of business.
    pub fn lobs(&self) -> Catalog<'_, Lob> {
        Catalog::with_batch_size(&self.inner.gateway, self.inner.config.batch_size)
    }

    /// The legacy query delta (types 0, 1, 2; docs/query-delta.md). A `Config`
    /// error unless the client was built with [`ClientBuilder::legacy`]`(true)`.
    pub fn legacy(&self) -> Result<Legacy<'_>> {
        if self.inner.config.legacy {
            Ok(Legacy::new(&self.inner.gateway))
        } else {
            Err(Error::config(
                "legacy",
                "query delta is a legacy API missing from the current docs; opt in with ClientBuilder::legacy(true)",
            ))
        }
    }

    /// Opens the Login Service session now (otherwise the first call does).
    pub async fn login(&self) -> Result<()> {
        self.inner.gateway.check_open()?;
        self.inner.gateway.authenticator().login().await
    }

    /// Logs out (when a session is open) and stops the refresh timer. Every
    /// later call on this client (and its clones) fails with a `Config` error
    /// on field `client` ("client is closed") instead of logging in again;
    /// closing twice is a no-op.
    pub async fn close(&self) -> Result<()> {
        if self.inner.gateway.is_closed() {
            return Ok(());
        }
        self.inner.gateway.close();
        self.inner.gateway.authenticator().logout().await
    }

    /// Whether [`Client::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.gateway.is_closed()
    }
}
