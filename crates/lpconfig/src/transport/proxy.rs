//! Which requests go through an HTTP proxy (docs/network.md, "Proxies").
//!
//! The `proxy` setting wins; without it `HTTPS_PROXY` (then `ALL_PROXY`) is
//! used for `https://` URLs and `HTTP_PROXY` (then `ALL_PROXY`) for `http://`
//! ones, lower-case spellings too, minus the hosts of `NO_PROXY`. Loopback hosts
//! are never proxied: the only plain-http traffic the client allows goes to
//! loopback (D20), and a proxy must not see it in clear text.

use std::fmt;

use url::Url;

use crate::error::{Error, Result};

/// The `proxy` setting.
///
/// ```
/// use lpconfig::transport::ProxySetting;
/// assert_eq!(ProxySetting::parse("none").unwrap(), ProxySetting::Direct);
/// let p = ProxySetting::parse("http://user:pw@proxy.corp:3128").unwrap();
/// assert!(!format!("{p:?}").contains("pw"), "credentials are redacted");
/// assert_eq!(p.to_string(), "http://user:***@proxy.corp:3128/");
/// assert_eq!(ProxySetting::parse("proxy.corp:3128").unwrap_err().field(), Some("proxy"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub enum ProxySetting {
    /// No proxy at all, whatever the environment says (`none`).
    Direct,
    /// Every non-loopback request through this `http://` or `https://` proxy
    /// (still minus `NO_PROXY`).
    Via(Url),
}

impl ProxySetting {
    /// `none` (or `direct`), or a proxy URL such as `http://proxy.corp:3128`.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("none") || text.eq_ignore_ascii_case("direct") {
            return Ok(Self::Direct);
        }
        let url = parse_proxy_url(text, "proxy")?;
        Ok(Self::Via(url))
    }
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct => f.write_str("Direct"),
            Self::Via(url) => f.debug_tuple("Via").field(&redacted(url)).finish(),
        }
    }
}

/// `none`, or the URL with any password shown as `***`.
impl fmt::Display for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct => f.write_str("none"),
            Self::Via(url) => f.write_str(&redacted(url)),
        }
    }
}

/// A proxy URL with any password replaced by `***`, for messages and `Debug`.
pub(crate) fn redacted(url: &Url) -> String {
    let mut u = url.clone();
    if u.password().is_some() {
        let _ = u.set_password(Some("***"));
    }
    u.to_string()
}

fn parse_proxy_url(text: &str, field: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|_| {
        Error::config(field, "must be a URL such as http://proxy.example:3128 (or none)".to_owned())
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Error::config(
            field,
            format!("{} must be an http:// or https:// proxy URL with a host", redacted(&url)),
        ));
    }
    Ok(url)
}

/// Hosts never proxied, on top of `NO_PROXY`.
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

/// The proxies in force, resolved from the setting and the environment.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyPlan {
    /// Proxy for `https://` URLs.
    pub https: Option<Url>,
    /// Proxy for `http://` URLs (loopback is excluded anyway).
    pub http: Option<Url>,
    /// Hosts that go direct: `NO_PROXY` plus loopback, curl's syntax.
    pub no_proxy: String,
}

impl fmt::Debug for ProxyPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyPlan")
            .field("https", &self.https.as_ref().map(redacted))
            .field("http", &self.http.as_ref().map(redacted))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ProxyPlan {
    /// Resolves the plan from the setting and variables read through `get`.
    ///
    /// ```
    /// use lpconfig::transport::{ProxyPlan, ProxySetting};
    /// let env = |k: &str| match k {
    ///     "HTTPS_PROXY" => Some("http://proxy.corp:3128".to_owned()),
    ///     "NO_PROXY" => Some(".internal".to_owned()),
    ///     _ => None,
    /// };
    /// let plan = ProxyPlan::resolve(None, env).unwrap();
    /// assert_eq!(plan.https.unwrap().as_str(), "http://proxy.corp:3128/");
    /// assert_eq!(plan.no_proxy, ".internal,localhost,127.0.0.0/8,::1");
    /// let plan = ProxyPlan::resolve(Some(&ProxySetting::Direct), env).unwrap();
    /// assert!(plan.https.is_none());
    /// ```
    pub fn resolve(setting: Option<&ProxySetting>, get: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let first = |names: &[&str]| names.iter().find_map(|n| get(n).filter(|v| !v.trim().is_empty()));
        let no = first(&["NO_PROXY", "no_proxy"]).unwrap_or_default();
        let no_proxy = if no.trim().is_empty() { LOOPBACK.to_owned() } else { format!("{no},{LOOPBACK}") };
        let (https, http) = match setting {
            Some(ProxySetting::Direct) => (None, None),
            Some(ProxySetting::Via(url)) => (Some(url.clone()), Some(url.clone())),
            None => {
                let all = first(&["ALL_PROXY", "all_proxy"]);
                let https = first(&["HTTPS_PROXY", "https_proxy"]).or_else(|| all.clone());
                let http = first(&["HTTP_PROXY", "http_proxy"]).or(all);
                let parse = |v: Option<String>, name: &str| v.map(|v| parse_env_url(&v, name)).transpose();
                (parse(https, "HTTPS_PROXY")?, parse(http, "HTTP_PROXY")?)
            }
        };
        Ok(Self { https, http, no_proxy })
    }

    /// The reqwest proxies for this plan (empty: all direct).
    pub(crate) fn proxies(&self) -> Result<Vec<reqwest::Proxy>> {
        let no = || reqwest::NoProxy::from_string(&self.no_proxy);
        let fail = |url: &Url, e: reqwest::Error| {
            Error::config("proxy", format!("cannot use proxy {}: {e}", redacted(url)))
        };
        let mut out = Vec::new();
        if let Some(url) = &self.https {
            out.push(reqwest::Proxy::https(url.as_str()).map_err(|e| fail(url, e))?.no_proxy(no()));
        }
        if let Some(url) = &self.http {
            out.push(reqwest::Proxy::http(url.as_str()).map_err(|e| fail(url, e))?.no_proxy(no()));
        }
        Ok(out)
    }
}

/// Proxy variables often hold `host:port` without a scheme; curl reads that as http.
fn parse_env_url(value: &str, name: &str) -> Result<Url> {
    let value = value.trim();
    let with_scheme = if value.contains("://") { value.to_owned() } else { format!("http://{value}") };
    parse_proxy_url(&with_scheme, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn environment_rules() {
        let p = ProxyPlan::resolve(None, env(&[("https_proxy", "proxy:3128")])).unwrap();
        assert_eq!(p.https.as_ref().map(Url::as_str), Some("http://proxy:3128/"));
        assert_eq!(p.http, None);
        assert_eq!(p.no_proxy, LOOPBACK);
        let p = ProxyPlan::resolve(None, env(&[("ALL_PROXY", "http://a:1"), ("HTTP_PROXY", "http://b:2")]))
            .unwrap();
        assert_eq!(p.https.as_ref().map(Url::as_str), Some("http://a:1/"));
        assert_eq!(p.http.as_ref().map(Url::as_str), Some("http://b:2/"));
        let explicit = ProxySetting::parse("http://c:3").unwrap();
        let p = ProxyPlan::resolve(Some(&explicit), env(&[("HTTPS_PROXY", "http://a:1")])).unwrap();
        assert_eq!(p.https.as_ref().map(Url::as_str), Some("http://c:3/"));
        let err = ProxyPlan::resolve(None, env(&[("HTTPS_PROXY", "socks5://x:1")])).unwrap_err();
        assert_eq!(err.field(), Some("HTTPS_PROXY"));
    }

    #[test]
    fn credentials_stay_out_of_messages() {
        let err = ProxySetting::parse("ftp://u:hunter2@x:1").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let p = ProxyPlan::resolve(None, env(&[("HTTPS_PROXY", "http://u:hunter2@x:1")])).unwrap();
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
