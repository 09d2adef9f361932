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
}

/// Reads the settings through `get` (empty counts as unset): `LP_ACCOUNT`; then
/// all four of `LP_APP_KEY`, `LP_SECRET`, `LP_ACCESS_TOKEN`,
/// `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME` too, an app-key
/// login), or `LP_USERNAME` and `LP_PASSWORD`, or `LP_CLIENT_ID` and
/// `LP_CLIENT_SECRET` (OAuth 2.0 client credentials) — never a mix. Errors
/// name the variables, never their values.
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
    Ok(EnvSettings { account, credentials, csds_url: get("LP_CSDS_URL") })
}

impl ClientBuilder {
    /// A builder with the account, credentials and CSDS URL of the process
    /// environment (see [`from_lookup`]); other settings can still be chained.
    pub fn from_env() -> Result<Self> {
        let s = from_lookup(|k| std::env::var(k).ok())?;
        let b = ClientBuilder::default().account(s.account).credentials(s.credentials);
        Ok(match s.csds_url {
            Some(url) => b.csds_url(url),
            None => b,
        })
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
