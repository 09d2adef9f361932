//! HTTP: one pooled reqwest client (rustls, gzip), timeouts, the retry loop and
//! request logging. Knows nothing of LivePerson beyond the retry policy.

mod loopback;
mod proxy;
mod retry;
mod tls;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use url::Url;

use crate::error::{self, Error, ErrorDetails, ErrorKind, Result};

pub use loopback::{check_url, is_loopback_host};
pub use proxy::{ProxyPlan, ProxySetting};
pub use retry::{RetryEvent, RetryPolicy, RetryReason, TransportFailure};

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Time allowed to open a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for one whole attempt (default 60 s).
    pub request_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// When and how to retry.
    pub retry: RetryPolicy,
    /// A PEM file of extra trusted CAs (docs/network.md, "TLS").
    pub ca_bundle: Option<PathBuf>,
    /// The `proxy` setting; `None` follows the environment (docs/network.md, "Proxies").
    pub proxy: Option<ProxySetting>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: user_agent("rust"),
            retry: RetryPolicy::documented(),
            ca_bundle: None,
            proxy: None,
        }
    }
}

/// `lpconfig/<version> (<binding>)`.
pub fn user_agent(binding: &str) -> String {
    format!("lpconfig/{} ({binding})", env!("CARGO_PKG_VERSION"))
}

/// A request that can be sent (and re-sent) as many times as the policy allows.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The method on the wire.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Extra headers (never `Authorization`: that is added per attempt).
    pub headers: HeaderMap,
    /// A JSON body, already serialized.
    pub body: Option<Bytes>,
    /// Whether a 5xx or a timeout may be retried. False for creates: the request
    /// may have been applied, so only a connect failure (never sent) is retried.
    pub idempotent: bool,
}

impl Outgoing {
    /// A request without body; idempotent unless the method is `POST`.
    pub fn new(method: Method, url: Url) -> Self {
        let idempotent = method != Method::POST;
        Self { method, url, headers: HeaderMap::new(), body: None, idempotent }
    }

    /// Sets a JSON body.
    pub fn json(mut self, body: &impl serde::Serialize) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::config("body", e.to_string()))?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }

    /// Adds a header.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Overrides [`Outgoing::idempotent`].
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }
}

/// A successful (2xx or 304) response, fully read.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    /// How many sends it took.
    pub attempts: u32,
}

impl Incoming {
    /// A header as text, when present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Takes a successful (2xx) body chunk by chunk as it arrives, instead of the
/// transport holding it whole (large lists: docs/performance.md). With a sink,
/// the [`Incoming`] of a 2xx answer has an empty `body`.
pub trait BodySink: Send {
    /// Forgets what an earlier attempt fed (called before each 2xx body).
    fn reset(&mut self);
    /// The body's length when the response announces it (`Content-Length`),
    /// given after [`BodySink::reset`] and before the first chunk: a hint for
    /// sizing what the sink builds, never a promise.
    fn expect_len(&mut self, _len: u64) {}
    /// Takes the next chunk; `false` stops reading (the sink keeps its error).
    fn feed(&mut self, chunk: &[u8]) -> bool;
}

/// Adds credentials to each attempt. Called once per send, so retries get a
/// fresh OAuth nonce and timestamp.
pub trait Authorize: Send + Sync {
    /// Adds headers (usually `Authorization`) for a request about to be sent.
    fn authorize(&self, method: &Method, url: &Url, headers: &mut HeaderMap) -> Result<()>;
}

/// Sends requests without credentials (CSDS, login).
pub struct NoAuth;

impl Authorize for NoAuth {
    fn authorize(&self, _: &Method, _: &Url, _: &mut HeaderMap) -> Result<()> {
        Ok(())
    }
}

/// The HTTP client: one connection pool for every request of a [`crate::Client`].
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    retry: RetryPolicy,
}

enum Outcome {
    Done(Result<Incoming>),
    Retry(RetryReason, Duration),
}

impl Transport {
    /// Builds the pooled client: bundled and platform roots plus `ca_bundle`;
    /// proxies from the setting or the environment, never for loopback.
    pub fn new(config: &TransportConfig) -> Result<Self> {
        let plan = ProxyPlan::resolve(config.proxy.as_ref(), |k| std::env::var(k).ok())?;
        Self::with_proxies(config, &plan)
    }

    /// [`Transport::new`] with the proxies given instead of read from the environment.
    pub fn with_proxies(config: &TransportConfig, proxies: &ProxyPlan) -> Result<Self> {
        // Our own proxy rules replace reqwest's (which would proxy loopback too).
        let mut builder = reqwest::Client::builder().use_rustls_tls().no_proxy();
        for p in proxies.proxies()? {
            builder = builder.proxy(p);
        }
        if let Some(path) = &config.ca_bundle {
            for cert in tls::load_bundle(path)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder
            .https_only(false) // plain http is policed per URL by `check_url` instead
            .gzip(true)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .user_agent(&config.user_agent)
            .build()
            .map_err(|e| Error::config("transport", format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, retry: config.retry.clone() })
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sends `req`, retrying per the policy; returns the 2xx/304 response or the
    /// typed error of the last attempt (with `attempts` set).
    pub async fn send(&self, req: &Outgoing, auth: &dyn Authorize) -> Result<Incoming> {
        self.send_into(req, auth, None).await
    }

    /// [`Transport::send`], handing a 2xx body to `sink` as it streams in (when given).
    pub async fn send_into(
        &self,
        req: &Outgoing,
        auth: &dyn Authorize,
        mut sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> Result<Incoming> {
        let (mut server_retries, mut rate_retries) = (0u32, 0u32);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let retries = (&mut server_retries, &mut rate_retries);
            match self.attempt(req, auth, attempt, retries, sink.as_deref_mut()).await {
                Outcome::Done(result) => return result,
                Outcome::Retry(reason, delay) => {
                    self.retry.report(&RetryEvent {
                        method: req.method.to_string(),
                        url: req.url.to_string(),
                        attempt,
                        reason,
                        delay,
                    });
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    async fn attempt(
        &self,
        req: &Outgoing,
        auth: &dyn Authorize,
        attempt: u32,
        (server_retries, rate_retries): (&mut u32, &mut u32),
        sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> Outcome {
        let mut headers = req.headers.clone();
        headers.entry(ACCEPT).or_insert(HeaderValue::from_static("application/json"));
        if req.body.is_some() {
            headers.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
        }
        if let Err(e) = auth.authorize(&req.method, &req.url, &mut headers) {
            return Outcome::Done(Err(e));
        }
        let mut builder = self.http.request(req.method.clone(), req.url.clone()).headers(headers);
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let started = Instant::now();
        let sent = builder.send().await;
        let (method, url) = (req.method.as_str(), req.url.as_str());
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                let host = req.url.host_str().unwrap_or_default();
                let (err, failure) = match tls::certificate_problem(&e, host) {
                    Some(message) => (
                        transport_error_message(message, method, url, attempt),
                        TransportFailure::Certificate,
                    ),
                    None if e.is_connect() => {
                        (transport_error(&e, method, url, attempt), TransportFailure::Connect)
                    }
                    None => (transport_error(&e, method, url, attempt), TransportFailure::Other),
                };
                tracing::debug!(target: "lpconfig::http", %method, %url, attempt, error = %err, "request failed");
                // A connect failure never reached the server, so even a create may go again.
                let may_retry = self.retry.retries_transport(failure)
                    && (req.idempotent || failure == TransportFailure::Connect);
                return match self.retry.server_delay(*server_retries).filter(|_| may_retry) {
                    Some(delay) => {
                        *server_retries += 1;
                        Outcome::Retry(RetryReason::Transport(short_reason(&e)), delay)
                    }
                    None => Outcome::Done(Err(err)),
                };
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let streamed = match sink {
            Some(sink) if (200..300).contains(&status) => Some(sink),
            _ => None,
        };
        let read = match streamed {
            Some(sink) => stream_into(response, sink).await,
            None => response.bytes().await.map(|b| (b.len(), b)),
        };
        let (bytes, body) = match read {
            Ok(b) => b,
            Err(e) => {
                let err = transport_error(&e, method, url, attempt);
                return match self.retry.server_delay(*server_retries).filter(|_| req.idempotent) {
                    Some(delay) => {
                        *server_retries += 1;
                        Outcome::Retry(RetryReason::Transport(short_reason(&e)), delay)
                    }
                    None => Outcome::Done(Err(err)),
                };
            }
        };
        tracing::debug!(
            target: "lpconfig::http",
            %method, %url, status, attempt,
            elapsed_ms = started.elapsed().as_millis() as u64,
            bytes,
            "response"
        );
        if (200..300).contains(&status) || status == 304 {
            return Outcome::Done(Ok(Incoming { status, headers, body, attempts: attempt }));
        }
        let err = error::from_response(status, method, url, attempt, &body);
        let delay = match status {
            429 => {
                let after =
                    headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(retry::parse_retry_after);
                let d = self.retry.rate_limit_delay(*rate_retries, after);
                *rate_retries += u32::from(d.is_some());
                d
            }
            500..=599 if req.idempotent => {
                let d = self.retry.server_delay(*server_retries);
                *server_retries += u32::from(d.is_some());
                d
            }
            _ => None,
        };
        match delay {
            Some(d) => Outcome::Retry(RetryReason::Status(status), d),
            None => Outcome::Done(Err(err)),
        }
    }
}

/// Feeds the body to `sink` chunk by chunk; the byte count, and an empty body.
async fn stream_into(
    mut response: reqwest::Response,
    sink: &mut dyn BodySink,
) -> std::result::Result<(usize, Bytes), reqwest::Error> {
    sink.reset();
    if let Some(len) = response.content_length() {
        sink.expect_len(len);
    }
    let mut total = 0;
    while let Some(chunk) = response.chunk().await? {
        total += chunk.len();
        if !sink.feed(&chunk) {
            break; // the sink failed and keeps its error; the rest is not needed
        }
    }
    Ok((total, Bytes::new()))
}

fn short_reason(e: &reqwest::Error) -> String {
    if e.is_connect() {
        "connect".into()
    } else if e.is_timeout() {
        "timeout".into()
    } else if e.is_body() || e.is_decode() {
        "body".into()
    } else {
        "request".into()
    }
}

fn transport_error(e: &reqwest::Error, method: &str, url: &str, attempts: u32) -> Error {
    // reqwest's Display repeats the URL; the source chain says what really failed.
    let mut message = short_reason(e);
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    transport_error_message(message, method, url, attempts)
}

fn transport_error_message(message: String, method: &str, url: &str, attempts: u32) -> Error {
    Error::new(
        ErrorKind::Transport,
        ErrorDetails {
            message,
            method: Some(method.to_owned()),
            url: Some(url.to_owned()),
            attempts,
            ..Default::default()
        },
    )
}
