//! `LP_*` environment variables → account, credentials and CSDS URL: the one
//! rule that `Client::from_env` in every language follows; plus the timing
//! variables `LP_TIMEOUT`, `LP_CONNECT_TIMEOUT` and `LP_RETRY_DELAYS`
//! (`docs/retries.md`).

use std::time::Duration;

use crate::auth::Credentials;
use crate::client::ClientBuilder;
use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::transport::RetryPolicy;

/// What the environment says about the target account.
#[derive(Debug, Clone)]
pub struct EnvSettings {
    /// `LP_ACCOUNT`.
    pub account: String,
    /// From `LP_USERNAME`/`LP_PASSWORD`, or the four API-key variables.
    pub credentials: Credentials,
    /// `LP_CSDS_URL`, when set.
    pub csds_url: Option<String>,
    /// `LP_CA_BUNDLE`, else `SSL_CERT_FILE`: a PEM file of extra trusted CAs.
    pub ca_bundle: Option<String>,
    /// `LP_PROXY`: a proxy URL or `none` (without it `HTTPS_PROXY` applies).
    pub proxy: Option<String>,
}

/// Reads the settings through `get` (empty counts as unset): `LP_ACCOUNT`; then
/// all four of `LP_APP_KEY`, `LP_SECRET`, `LP_ACCESS_TOKEN`,
/// `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME` too, an app-key
/// login), or `LP_USERNAME` and `LP_PASSWORD`, or `LP_CLIENT_ID` and
/// `LP_CLIENT_SECRET` (OAuth 2.0 client credentials) — never a mix; `LP_CSDS_URL`;
/// `LP_CA_BUNDLE` (else `SSL_CERT_FILE`) and `LP_PROXY` (docs/network.md).
/// Errors name the variables, never their values.
///
/// ```
/// use lpconfig::{env::from_lookup, Credentials};
/// let vars = [("LP_ACCOUNT", "123"), ("LP_USERNAME", "jane"), ("LP_PASSWORD", "pw")];
/// let s = from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())).unwrap();
/// assert_eq!(s.account, "123");
/// assert!(matches!(s.credentials, Credentials::Password { .. }));
/// let err = from_lookup(|k| (k == "LP_ACCOUNT").then(|| "123".to_string())).unwrap_err();
/// assert_eq!(err.field(), Some("credentials"));
/// ```
pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<EnvSettings> {
    let get = |name: &str| get(name).filter(|v| !v.is_empty());
    let account = get("LP_ACCOUNT").ok_or_else(|| Error::config("LP_ACCOUNT", "is not set"))?;
    let (username, password) = (get("LP_USERNAME"), get("LP_PASSWORD"));
    let keys: Vec<Option<String>> = ["LP_APP_KEY", "LP_SECRET", "LP_ACCESS_TOKEN", "LP_ACCESS_TOKEN_SECRET"]
        .iter()
        .map(|n| get(n))
        .collect();
    let all_keys = keys.iter().all(Option::is_some);
    let no_keys = keys.iter().all(Option::is_none);
    let (client_id, client_secret) = (get("LP_CLIENT_ID"), get("LP_CLIENT_SECRET"));
    if client_id.is_some() || client_secret.is_some() {
        return match (client_id, client_secret) {
            (Some(id), Some(secret)) if no_keys && username.is_none() && password.is_none() => {
                Ok(EnvSettings {
                    account,
                    credentials: Credentials::client_credentials(id, secret),
                    csds_url: get("LP_CSDS_URL"),
                    ca_bundle: get("LP_CA_BUNDLE").or_else(|| get("SSL_CERT_FILE")),
                    proxy: get("LP_PROXY"),
                })
            }
            (Some(_), Some(_)) => Err(Error::config(
                "credentials",
                "mixed credentials: LP_CLIENT_ID and LP_CLIENT_SECRET go without LP_USERNAME, \
                 LP_PASSWORD and the API-key variables",
            )),
            (None, _) => Err(Error::config("LP_CLIENT_ID", "is not set (LP_CLIENT_SECRET is)")),
            (_, None) => Err(Error::config("LP_CLIENT_SECRET", "is not set (LP_CLIENT_ID is)")),
        };
    }
    let credentials = match (username, password) {
        (user, None) if all_keys => {
            let [k, s, t, ts]: [String; 4] =
                keys.into_iter().flatten().collect::<Vec<_>>().try_into().expect("four keys are set");
            match user {
                Some(u) => Credentials::app_key_login(u, k, s, t, ts),
                None => Credentials::api_key(k, s, t, ts),
            }
        }
        (Some(u), Some(p)) if no_keys => Credentials::password(u, p),
        (None, None) if no_keys => {
            return Err(Error::config(
                "credentials",
                "no credentials: set LP_USERNAME and LP_PASSWORD, or LP_APP_KEY, LP_SECRET, \
                 LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET, or LP_CLIENT_ID and LP_CLIENT_SECRET",
            ))
        }
        _ => {
            return Err(Error::config(
                "credentials",
                "incomplete or mixed credentials: use LP_USERNAME + LP_PASSWORD, or all four API-key \
                 variables (plus LP_USERNAME for an app-key login)",
            ))
        }
    };
    Ok(EnvSettings {
        account,
        credentials,
        csds_url: get("LP_CSDS_URL"),
        ca_bundle: get("LP_CA_BUNDLE").or_else(|| get("SSL_CERT_FILE")),
        proxy: get("LP_PROXY"),
    })
}

impl EnvSettings {
    /// Sets everything these settings hold on `builder`.
    pub fn apply(self, builder: ClientBuilder) -> ClientBuilder {
        let mut b = builder.account(self.account).credentials(self.credentials);
        if let Some(url) = self.csds_url {
            b = b.csds_url(url);
        }
        if let Some(path) = self.ca_bundle {
            b = b.ca_bundle(path);
        }
        if let Some(proxy) = self.proxy {
            b = b.proxy(proxy);
        }
        b
    }
}

/// Timeouts and retry waits, from `LP_*` variables, CLI flags or a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timing {
    /// Per-attempt timeout (`LP_TIMEOUT`, `--timeout`).
    pub request_timeout: Option<Duration>,
    /// Connect timeout (`LP_CONNECT_TIMEOUT`).
    pub connect_timeout: Option<Duration>,
    /// Waits before the retries of a 5xx or transport failure; their number is
    /// the number of retries, and the first is also the first wait after a 429
    /// (`LP_RETRY_DELAYS`, `--retry-delays`).
    pub retry_delays: Option<Vec<Duration>>,
}

impl Timing {
    /// Reads `LP_TIMEOUT`, `LP_CONNECT_TIMEOUT` and `LP_RETRY_DELAYS` through `get`
    /// (empty counts as unset); errors name the variable.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lpconfig::env::Timing;
    /// let vars = [("LP_TIMEOUT", "2.5"), ("LP_RETRY_DELAYS", "10ms,20ms,1s")];
    /// let t = Timing::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())).unwrap();
    /// assert_eq!(t.request_timeout, Some(Duration::from_millis(2500)));
    /// assert_eq!(t.retry_delays.unwrap(), [10, 20, 1000].map(Duration::from_millis));
    /// ```
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Timing> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let one = |name: &str| {
            get(name).map(|v| parse_duration(&v).map_err(|m| Error::config(name, m))).transpose()
        };
        Ok(Timing {
            request_timeout: one("LP_TIMEOUT")?,
            connect_timeout: one("LP_CONNECT_TIMEOUT")?,
            retry_delays: get("LP_RETRY_DELAYS")
                .map(|v| parse_delays(&v).map_err(|m| Error::config("LP_RETRY_DELAYS", m)))
                .transpose()?,
        })
    }

    /// Values of `self`, falling back to `other` field by field.
    pub fn or(self, other: Timing) -> Timing {
        Timing {
            request_timeout: self.request_timeout.or(other.request_timeout),
            connect_timeout: self.connect_timeout.or(other.connect_timeout),
            retry_delays: self.retry_delays.or(other.retry_delays),
        }
    }

    /// Sets what is given on `builder`; with `retry_delays`, the retry policy is
    /// [`RetryPolicy::documented`] with those waits (and the first as the 429 base).
    pub fn apply(&self, mut builder: ClientBuilder) -> ClientBuilder {
        if let Some(t) = self.request_timeout {
            builder = builder.request_timeout(t);
        }
        if let Some(t) = self.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(d) = &self.retry_delays {
            builder = builder.retry(retry_policy(d));
        }
        builder
    }
}

/// [`RetryPolicy::documented`] with these 5xx/transport waits; the first wait
/// (or 1 s when there is none) is also the first wait after a 429.
pub fn retry_policy(delays: &[Duration]) -> RetryPolicy {
    let base = delays.first().copied().filter(|d| !d.is_zero()).unwrap_or(Duration::from_secs(1));
    RetryPolicy::documented().with_server_delays(delays.to_vec()).with_rate_limit_base(base)
}

/// A duration: seconds (`2`, `0.5`, `2s`) or milliseconds (`250ms`). Must be > 0.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let d = parse_wait(text)?;
    if d.is_zero() {
        return Err(format!("{text:?} must be greater than zero"));
    }
    Ok(d)
}

/// A list of waits, comma-separated (`5,10,15`, `10ms,20ms`); `none` or `0`
/// alone means no retries.
pub fn parse_delays(text: &str) -> std::result::Result<Vec<Duration>, String> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("none") || t == "0" {
        return Ok(Vec::new());
    }
    t.split(',').map(parse_wait).collect()
}

fn parse_wait(text: &str) -> std::result::Result<Duration, String> {
    let t = text.trim();
    let (num, scale) = match t.strip_suffix("ms") {
        Some(n) => (n, 0.001),
        None => (t.strip_suffix('s').unwrap_or(t), 1.0),
    };
    let v: f64 =
        num.trim().parse().map_err(|_| format!("{text:?} is not a duration (seconds like 2.5, or 250ms)"))?;
    if !v.is_finite() || v < 0.0 || v * scale > 86_400.0 {
        return Err(format!("{text:?} is not a duration between 0 and 1 day"));
    }
    Ok(Duration::from_secs_f64(v * scale))
}

/// Everything `from_env` reads, in every language: account and credentials,
/// and the other settings as [`Settings`] (CSDS URL, CA bundle, proxy, timeouts,
/// retry waits; the variables of [`crate::surface::SETTINGS`]).
#[derive(Debug, Clone)]
pub struct FromEnv {
    /// `LP_ACCOUNT`.
    pub account: String,
    /// See [`from_lookup`].
    pub credentials: Credentials,
    /// The other settings the environment gives.
    pub settings: Settings,
}

/// [`from_lookup`] and [`Timing::from_lookup`] together: the one rule each
/// binding's `from_env` calls (errors name the variable, never a value).
///
/// ```
/// use std::time::Duration;
/// use lpconfig::env::settings_from_lookup;
/// let vars = [("LP_ACCOUNT", "1"), ("LP_USERNAME", "u"), ("LP_PASSWORD", "p"), ("LP_TIMEOUT", "3"), ("LP_PROXY", "none")];
/// let e = settings_from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())).unwrap();
/// assert_eq!(e.settings.request_timeout, Some(Duration::from_secs(3)));
/// assert_eq!(e.settings.proxy.as_deref(), Some("none"));
/// ```
pub fn settings_from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<FromEnv> {
    let s = from_lookup(&get)?;
    let t = Timing::from_lookup(&get)?;
    Ok(FromEnv {
        account: s.account,
        credentials: s.credentials,
        settings: Settings {
            csds_url: s.csds_url,
            connect_timeout: t.connect_timeout,
            request_timeout: t.request_timeout,
            retry_delays: t.retry_delays,
            ca_bundle: s.ca_bundle,
            proxy: s.proxy,
            ..Settings::unset()
        },
    })
}

impl ClientBuilder {
    /// A builder with the account, credentials, CSDS URL, CA bundle, proxy,
    /// timeouts and retry waits of the process environment (see
    /// [`settings_from_lookup`]); other settings can still be chained.
    pub fn from_env() -> Result<Self> {
        let e = settings_from_lookup(|k| std::env::var(k).ok())?;
        e.settings.apply(ClientBuilder::default().account(e.account).credentials(e.credentials), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(vars: &[(&str, &str)]) -> Result<EnvSettings> {
        from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned()))
    }

    const KEYS: [(&str, &str); 4] =
        [("LP_APP_KEY", "k"), ("LP_SECRET", "s"), ("LP_ACCESS_TOKEN", "t"), ("LP_ACCESS_TOKEN_SECRET", "ts")];

    #[test]
    fn each_kind_and_each_refusal() {
        let mut v = vec![("LP_ACCOUNT", "a"), ("LP_CSDS_URL", "http://127.0.0.1:1")];
        v.extend(KEYS);
        let s = run(&v).unwrap();
        assert!(matches!(s.credentials, Credentials::ApiKey { .. }));
        assert_eq!(s.csds_url.as_deref(), Some("http://127.0.0.1:1"));
        v.push(("LP_USERNAME", "bot"));
        assert!(matches!(run(&v).unwrap().credentials, Credentials::AppKeyLogin { .. }));
        v.push(("LP_PASSWORD", "Secret-PW"));
        let mixed = run(&v).unwrap_err();
        assert_eq!(mixed.field(), Some("credentials"));
        assert!(!mixed.to_string().contains("Secret-PW"));
        assert_eq!(
            run(&[("LP_ACCOUNT", "a"), ("LP_USERNAME", "u")]).unwrap_err().field(),
            Some("credentials")
        );
        assert_eq!(
            run(&[("LP_USERNAME", "u"), ("LP_PASSWORD", "p")]).unwrap_err().field(),
            Some("LP_ACCOUNT")
        );
        assert_eq!(run(&[("LP_ACCOUNT", ""), ("LP_USERNAME", "u")]).unwrap_err().field(), Some("LP_ACCOUNT"));
        let s = run(&[("LP_ACCOUNT", "a"), ("LP_USERNAME", "u"), ("LP_PASSWORD", "p"), ("LP_APP_KEY", "")])
            .unwrap();
        assert!(matches!(s.credentials, Credentials::Password { .. }), "empty counts as unset");
    }

    #[test]
    fn network_settings() {
        let base = [("LP_ACCOUNT", "a"), ("LP_USERNAME", "u"), ("LP_PASSWORD", "p")];
        let s = run(&base).unwrap();
        assert_eq!((s.ca_bundle, s.proxy), (None, None));
        let mut v = base.to_vec();
        v.extend([("SSL_CERT_FILE", "/etc/ssl/corp.pem"), ("LP_PROXY", "none")]);
        let s = run(&v).unwrap();
        assert_eq!(s.ca_bundle.as_deref(), Some("/etc/ssl/corp.pem"));
        assert_eq!(s.proxy.as_deref(), Some("none"));
        v.push(("LP_CA_BUNDLE", "/opt/lp-ca.pem"));
        assert_eq!(run(&v).unwrap().ca_bundle.as_deref(), Some("/opt/lp-ca.pem"), "LP_CA_BUNDLE wins");
    }

    #[test]
    fn timing_variables() {
        let t = |vars: &[(&str, &str)]| {
            Timing::from_lookup(|k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned()))
        };
        let got =
            t(&[("LP_TIMEOUT", "30"), ("LP_CONNECT_TIMEOUT", "500ms"), ("LP_RETRY_DELAYS", "1, 2s,0.5")])
                .unwrap();
        assert_eq!(got.request_timeout, Some(Duration::from_secs(30)));
        assert_eq!(got.connect_timeout, Some(Duration::from_millis(500)));
        assert_eq!(got.retry_delays, Some([1000, 2000, 500].map(Duration::from_millis).to_vec()));
        assert_eq!(t(&[("LP_RETRY_DELAYS", "none")]).unwrap().retry_delays, Some(Vec::new()));
        assert_eq!(t(&[]).unwrap(), Timing::default());
        assert_eq!(t(&[("LP_TIMEOUT", "0")]).unwrap_err().field(), Some("LP_TIMEOUT"));
        assert_eq!(t(&[("LP_TIMEOUT", "soon")]).unwrap_err().field(), Some("LP_TIMEOUT"));
        assert_eq!(t(&[("LP_RETRY_DELAYS", "1,-2")]).unwrap_err().field(), Some("LP_RETRY_DELAYS"));
        let p = retry_policy(&[Duration::from_millis(10)]);
        assert_eq!(p.rate_limit_base, Duration::from_millis(10));
        assert_eq!(p.server_delays.len(), 1);
    }

    #[test]
    fn client_credentials() {
        let s = run(&[("LP_ACCOUNT", "a"), ("LP_CLIENT_ID", "app"), ("LP_CLIENT_SECRET", "Client-Secret-1")])
            .unwrap();
        assert!(
            matches!(&s.credentials, Credentials::ClientCredentials { client_id, .. } if client_id == "app")
        );
        let half = run(&[("LP_ACCOUNT", "a"), ("LP_CLIENT_SECRET", "Client-Secret-1")]).unwrap_err();
        assert_eq!(half.field(), Some("LP_CLIENT_ID"));
        assert!(!half.to_string().contains("Client-Secret-1"));
        let mixed = run(&[
            ("LP_ACCOUNT", "a"),
            ("LP_CLIENT_ID", "app"),
            ("LP_CLIENT_SECRET", "Client-Secret-1"),
            ("LP_USERNAME", "u"),
            ("LP_PASSWORD", "p"),
        ])
        .unwrap_err();
        assert_eq!(mixed.field(), Some("credentials"));
        assert!(!mixed.to_string().contains("Client-Secret-1"));
    }
}
