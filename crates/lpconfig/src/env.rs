//! `LP_*` environment variables → account, credentials and CSDS URL: the one
//! rule that `Client::from_env` in every language follows.

use crate::auth::Credentials;
use crate::client::ClientBuilder;
use crate::error::{Error, Result};

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
/// login) or `LP_USERNAME` and `LP_PASSWORD` — never a mix; `LP_CSDS_URL`;
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
                 LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET",
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

impl ClientBuilder {
    /// A builder with the account, credentials, CSDS URL, CA bundle and proxy
    /// of the process environment (see [`from_lookup`]); other settings can
    /// still be chained.
    pub fn from_env() -> Result<Self> {
        Ok(from_lookup(|k| std::env::var(k).ok())?.apply(ClientBuilder::default()))
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
}
