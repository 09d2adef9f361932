//! Domain resolution through CSDS (platform.md §1, decisions D9, D10, D20):
//! per-service lookup, both reply shapes, a TTL cache shared by every request,
//! eviction on connect failure, and seeding from the login reply.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use reqwest::Method;
use serde::Deserialize;
use url::Url;

use crate::auth::{CsdsEntry, LoginHost};
use crate::error::{Error, ErrorDetails, ErrorKind, Result};
use crate::transport::{is_loopback_host, NoAuth, Outgoing, Transport};

/// The production CSDS base (D10).
pub const DEFAULT_CSDS_URL: &str = "https://api.liveperson.net";

/// The CSDS service names this library uses (case-sensitive on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// `accountConfigReadOnly`: GET calls (D9).
    AccountConfigReadOnly,
    /// `accountConfigReadWrite`: every write.
    AccountConfigReadWrite,
    /// `agentVep`: the Login Service.
    AgentVep,
    /// `sentinel`: the OAuth 2.0 token server (client credentials).
    Sentinel,
}

impl Service {
    /// The name CSDS knows the service by.
    pub fn name(self) -> &'static str {
        match self {
            Self::AccountConfigReadOnly => "accountConfigReadOnly",
            Self::AccountConfigReadWrite => "accountConfigReadWrite",
            Self::AgentVep => "agentVep",
            Self::Sentinel => "sentinel",
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CsdsReply {
    List {
        #[serde(rename = "baseURIs")]
        base_uris: Vec<CsdsEntry>,
    },
    Single(CsdsEntry),
}

/// Looks up and caches `https://{baseURI}` per (account, service).
pub struct DomainResolver {
    transport: Transport,
    csds_base: Url,
    ttl: Duration,
    cache: Mutex<HashMap<(String, String), (Url, Instant)>>,
    /// Serialises misses so a burst of first calls makes one CSDS request.
    fetch: tokio::sync::Mutex<()>,
}

impl DomainResolver {
    /// A resolver against `csds_base` (see [`DEFAULT_CSDS_URL`]) whose entries live `ttl`.
    pub fn new(transport: Transport, csds_base: Url, ttl: Duration) -> Self {
        Self {
            transport,
            csds_base,
            ttl,
            cache: Mutex::new(HashMap::new()),
            fetch: tokio::sync::Mutex::new(()),
        }
    }

    /// The base URL (`https://host` or, for loopback, `http://host:port`) of
    /// `service` for `account`, from the cache or from CSDS.
    pub async fn resolve(&self, account: &str, service: &str) -> Result<Url> {
        if let Some(url) = self.cached(account, service) {
            return Ok(url);
        }
        let _one_at_a_time = self.fetch.lock().await;
        if let Some(url) = self.cached(account, service) {
            return Ok(url);
        }
        let url = self.lookup(account, service).await?;
        self.insert(account, service, url.clone());
        Ok(url)
    }

    /// The cached, unexpired base URL, if any.
    pub fn cached(&self, account: &str, service: &str) -> Option<Url> {
        let cache = self.cache.lock().expect("cache lock");
        cache
            .get(&(account.to_owned(), service.to_owned()))
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(u, _)| u.clone())
    }

    /// Forgets an entry (after a connect failure: the host may have moved).
    pub fn evict(&self, account: &str, service: &str) {
        let removed =
            self.cache.lock().expect("cache lock").remove(&(account.to_owned(), service.to_owned()));
        if removed.is_some() {
            tracing::debug!(target: "lpconfig::domain", account, service, "evicted domain");
        }
    }

    /// Fills the cache from entries such as the login reply's
    /// `csdsCollectionResponse`; unusable entries are skipped.
    pub fn seed(&self, entries: &[CsdsEntry]) {
        for e in entries {
            if let Ok(url) = base_uri_to_url(&e.base_uri) {
                self.insert(&e.account, &e.service, url);
            }
        }
    }

    fn insert(&self, account: &str, service: &str, url: Url) {
        self.cache
            .lock()
            .expect("cache lock")
            .insert((account.to_owned(), service.to_owned()), (url, Instant::now()));
    }

    async fn lookup(&self, account: &str, service: &str) -> Result<Url> {
        let mut url = self
            .csds_base
            .join(&format!("/api/account/{account}/service/{service}/baseURI.json"))
            .map_err(|e| Error::config("csds_url", e.to_string()))?;
        url.set_query(Some("version=1.0"));
        let resp = self.transport.send(&Outgoing::new(Method::GET, url.clone()), &NoAuth).await?;
        let decode = |message: String| {
            Error::new(
                ErrorKind::Decode,
                ErrorDetails {
                    message,
                    field: Some("baseURI".into()),
                    status: Some(resp.status),
                    method: Some("GET".into()),
                    url: Some(url.to_string()),
                    attempts: resp.attempts,
                    ..Default::default()
                },
            )
        };
        let reply: CsdsReply = serde_json::from_slice(&resp.body)
            .map_err(|e| decode(format!("CSDS reply is not the documented JSON: {e}")))?;
        let entry = match reply {
            CsdsReply::Single(e) => Some(e).filter(|e| e.service == service),
            CsdsReply::List { base_uris } => base_uris.into_iter().find(|e| e.service == service),
        }
        .ok_or_else(|| decode(format!("CSDS has no entry for service {service}")))?;
        base_uri_to_url(&entry.base_uri).map_err(|e| decode(e.details().message.clone()))
    }
}

/// `host` or `host:port` → `https://host[:port]`, or `http://` for loopback (D20).
pub fn base_uri_to_url(base_uri: &str) -> Result<Url> {
    let bad = || Error::config("baseURI", format!("{base_uri:?} is not a bare host[:port]"));
    let trimmed = base_uri.trim();
    if trimmed.is_empty() || trimmed.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad());
    }
    let host = match trimmed.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && p.chars().all(|c| c.is_ascii_digit()) => h,
        _ => trimmed,
    };
    let scheme = if is_loopback_host(host) { "http" } else { "https" };
    Url::parse(&format!("{scheme}://{trimmed}")).map_err(|_| bad())
}

/// Resolves the Login Service host for one account through a [`DomainResolver`]
/// and seeds it from login replies.
pub struct AccountLoginHost {
    /// The shared resolver.
    pub resolver: Arc<DomainResolver>,
    /// The account.
    pub account: String,
}

impl LoginHost for AccountLoginHost {
    fn login_base(&self) -> BoxFuture<'_, Result<Url>> {
        Box::pin(self.resolver.resolve(&self.account, Service::AgentVep.name()))
    }

    fn seed(&self, entries: &[CsdsEntry]) {
        self.resolver.seed(entries);
    }

    fn token_base(&self) -> BoxFuture<'_, Result<Url>> {
        Box::pin(self.resolver.resolve(&self.account, Service::Sentinel.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_uris_become_urls() {
        assert_eq!(
            base_uri_to_url("lo.ac.liveperson.net").unwrap().as_str(),
            "https://lo.ac.liveperson.net/"
        );
        assert_eq!(base_uri_to_url("127.0.0.1:8080").unwrap().as_str(), "http://127.0.0.1:8080/");
        assert_eq!(base_uri_to_url("localhost:1").unwrap().as_str(), "http://localhost:1/");
        assert_eq!(base_uri_to_url("h.example:8443").unwrap().as_str(), "https://h.example:8443/");
        for bad in ["", "https://h.example", "h.example/path", "a b"] {
            assert_eq!(base_uri_to_url(bad).unwrap_err().kind(), ErrorKind::Config, "{bad}");
        }
    }
}
