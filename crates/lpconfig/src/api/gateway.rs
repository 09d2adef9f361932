//! Sends account-config (`le-users`) requests: picks the read-only or read/write
//! host (D9), adds `v` (D1), authenticates, and forgets a host that stopped answering.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use url::Url;

use crate::auth::Authenticator;
use crate::domain::{DomainResolver, Service};
use crate::error::{Error, ErrorKind, Result};
use crate::transport::{BodySink, Incoming, Outgoing};

/// Header that carries the real verb when `method_override` is on.
pub const METHOD_OVERRIDE: &str = "x-http-method-override";

/// One request to the account-config API, relative to
/// `/api/account/{account}/configuration/le-users/`.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// The verb (before any method override).
    pub method: Method,
    /// Path below `le-users/`, e.g. `users` or `users/123`.
    pub path: String,
    /// Query pairs besides `v`.
    pub query: Vec<(String, String)>,
    /// Extra headers (`If-Match`, ...).
    pub headers: HeaderMap,
    /// JSON body.
    pub body: Option<Bytes>,
    /// False for creates, which must not be re-sent blindly.
    pub idempotent: bool,
}

impl ApiRequest {
    /// A request without body; idempotent unless `POST`.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = method != Method::POST;
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent,
        }
    }

    /// Adds a query pair.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &impl serde::Serialize) -> Result<Self> {
        let bytes =
            crate::api::lenient::to_wire_vec(body).map_err(|e| Error::config("body", e.to_string()))?;
        self.body = Some(bytes.into());
        Ok(self)
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }
}

/// The account-config endpoint of one account: what every typed client sends through.
pub struct Gateway {
    account: String,
    auth: Authenticator,
    domains: Arc<DomainResolver>,
    api_version: String,
    force_read_write: bool,
    method_override: bool,
    reconcile_creates: bool,
    /// Set by [`Gateway::close`]: later calls fail instead of logging in again.
    closed: AtomicBool,
}

/// The message of the error every call on a closed client returns.
pub const CLOSED_MESSAGE: &str = "client is closed; create a new client";

impl Gateway {
    /// Wires the layers below together.
    pub fn new(
        account: String,
        auth: Authenticator,
        domains: Arc<DomainResolver>,
        api_version: String,
        force_read_write: bool,
        method_override: bool,
    ) -> Self {
        Self {
            account,
            auth,
            domains,
            api_version,
            force_read_write,
            method_override,
            reconcile_creates: true,
            closed: AtomicBool::new(false),
        }
    }

    /// Test hook: with `false`, a create whose outcome is unknown is re-sent
    /// blindly instead of reconciled by natural key, so tests can show that
    /// their duplicate-create checks fail without reconciliation.
    #[doc(hidden)]
    pub fn set_reconcile_creates(&mut self, yes: bool) {
        self.reconcile_creates = yes;
    }

    /// Whether creates with an unknown outcome are reconciled (always, outside tests).
    pub(crate) fn reconcile_creates(&self) -> bool {
        self.reconcile_creates
    }

    /// The account id.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The authenticator (shared session).
    pub fn authenticator(&self) -> &Authenticator {
        &self.auth
    }

    /// The domain resolver (shared cache).
    pub fn domains(&self) -> &Arc<DomainResolver> {
        &self.domains
    }

    /// The waits of the retry policy for 5xx, reused when reconciling creates.
    pub fn retry_delays(&self) -> Vec<std::time::Duration> {
        self.auth.transport().retry_policy().server_delays.clone()
    }

    /// Marks the endpoint closed; every later [`Gateway::send`] or
    /// [`Gateway::check_open`] fails with a `Config` error on field `client`.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    /// Whether [`Gateway::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// `Err(Config, field "client")` once closed, so a forgotten client never
    /// silently opens a new session.
    pub fn check_open(&self) -> Result<()> {
        if self.is_closed() {
            Err(Error::config("client", CLOSED_MESSAGE))
        } else {
            Ok(())
        }
    }

    /// The service a request goes to: GET on read-only unless forced (D9).
    pub fn service_for(&self, method: &Method) -> Service {
        if *method == Method::GET && !self.force_read_write {
            Service::AccountConfigReadOnly
        } else {
            Service::AccountConfigReadWrite
        }
    }

    /// Sends `req` and returns the 2xx/304 response.
    pub async fn send(&self, req: ApiRequest) -> Result<Incoming> {
        self.send_to(req, true, None).await
    }

    /// [`Gateway::send`], streaming a 2xx body into `sink` (the returned body is then empty).
    pub async fn send_into(&self, req: ApiRequest, sink: &mut (dyn BodySink + 'static)) -> Result<Incoming> {
        self.send_to(req, true, Some(sink)).await
    }

    /// Sends `req` below `/api/account/configuration/le-users/`, without the
    /// account in the path: the legacy query delta puts the site in its body
    /// (docs/query-delta.md).
    pub async fn send_unscoped(&self, req: ApiRequest) -> Result<Incoming> {
        self.send_to(req, false, None).await
    }

    async fn send_to(
        &self,
        req: ApiRequest,
        scoped: bool,
        sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> Result<Incoming> {
        self.check_open()?;
        let service = self.service_for(&req.method).name();
        if self.auth.credentials().uses_login() {
            // Log in first: the reply seeds the domain cache, saving a CSDS lookup.
            self.auth.login().await?;
        }
        let base = self.domains.resolve(&self.account, service).await?;
        let url = self.url(&base, &req, scoped)?;
        let mut out = Outgoing::new(req.method.clone(), url);
        out.headers = req.headers;
        out.body = req.body;
        out.idempotent = req.idempotent;
        if self.method_override && (req.method == Method::PUT || req.method == Method::DELETE) {
            out.headers.insert(
                HeaderName::from_static(METHOD_OVERRIDE),
                HeaderValue::from_str(req.method.as_str()).expect("method names are valid headers"),
            );
            out.method = Method::POST;
        }
        let result = self.auth.execute_into(&out, sink).await;
        if let Err(e) = &result {
            if e.kind() == ErrorKind::Transport && e.details().status.is_none() {
                self.domains.evict(&self.account, service);
            }
        }
        result
    }

    fn url(&self, base: &Url, req: &ApiRequest, scoped: bool) -> Result<Url> {
        let below = req.path.trim_start_matches('/');
        let path = if scoped {
            format!("/api/account/{}/configuration/le-users/{below}", self.account)
        } else {
            format!("/api/account/configuration/le-users/{below}")
        };
        let mut url = base.join(&path).map_err(|e| Error::config("path", e.to_string()))?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("v", &self.api_version);
            for (k, v) in &req.query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }
}
