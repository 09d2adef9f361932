//! The ways to authenticate (platform.md §2-§3).

use super::oauth2::TokenApi;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How a [`crate::Client`] proves who it is.
///
/// `Debug` never shows a password or secret:
/// ```
/// use lpconfig::Credentials;
/// let c = Credentials::password("jane", "s3cret-pw");
/// assert!(!format!("{c:?}").contains("s3cret-pw"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// Login Service user login (bearer session, refreshed, re-login on 401).
    Password {
        /// Login name.
        username: String,
        /// Password.
        password: Secret,
    },
    /// Login Service application login with an API key (bearer session).
    AppKeyLogin {
        /// Login name of the bot user whose login method is "App Key".
        username: String,
        /// App key.
        app_key: String,
        /// Secret.
        secret: Secret,
        /// Access token.
        access_token: String,
        /// Access token secret.
        access_token_secret: Secret,
    },
    /// API key: every request signed with OAuth 1.0a HMAC-SHA1, no login.
    ApiKey {
        /// App key (consumer key).
        app_key: String,
        /// Secret (consumer secret).
        secret: Secret,
        /// Access token.
        access_token: String,
        /// Access token secret.
        access_token_secret: Secret,
    },
    /// A bearer obtained elsewhere; no login, so a 401 is final.
    Bearer(Secret),
    /// OAuth 2.0 client credentials: a JWT from Sentinel (docs/auth.md), renewed
    /// before its `exp`, one new token and one replay on a 401.
    ClientCredentials {
        /// `client_id` of the installed application.
        client_id: String,
        /// `client_secret`.
        client_secret: Secret,
        /// `scope` sent with the token request, when set (space-separated).
        scope: Option<String>,
        /// Which token path to call (default v1).
        token_api: TokenApi,
    },
}

impl Credentials {
    /// User login with a password.
    pub fn password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::Password { username: username.into(), password: password.into() }
    }

    /// Application login with an API key.
    pub fn app_key_login(
        username: impl Into<String>,
        app_key: impl Into<String>,
        secret: impl Into<Secret>,
        access_token: impl Into<String>,
        access_token_secret: impl Into<Secret>,
    ) -> Self {
        Self::AppKeyLogin {
            username: username.into(),
            app_key: app_key.into(),
            secret: secret.into(),
            access_token: access_token.into(),
            access_token_secret: access_token_secret.into(),
        }
    }

    /// An API key signing every request.
    pub fn api_key(
        app_key: impl Into<String>,
        secret: impl Into<Secret>,
        access_token: impl Into<String>,
        access_token_secret: impl Into<Secret>,
    ) -> Self {
        Self::ApiKey {
            app_key: app_key.into(),
            secret: secret.into(),
            access_token: access_token.into(),
            access_token_secret: access_token_secret.into(),
        }
    }

    /// A ready bearer.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::Bearer(token.into())
    }

    /// OAuth 2.0 client credentials (token from Sentinel's v1 path, no scope).
    ///
    /// ```
    /// use lpconfig::{auth::TokenApi, Credentials};
    /// let c = Credentials::client_credentials("my-app", "s3cret").with_scope("users.read").with_token_api(TokenApi::V2);
    /// assert!(!format!("{c:?}").contains("s3cret"));
    /// ```
    pub fn client_credentials(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        Self::ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
            token_api: TokenApi::default(),
        }
    }

    /// Sets the `scope` of a client-credentials token request (ignored by other credentials).
    pub fn with_scope(mut self, value: impl Into<String>) -> Self {
        if let Self::ClientCredentials { scope, .. } = &mut self {
            *scope = Some(value.into()).filter(|s: &String| !s.trim().is_empty());
        }
        self
    }

    /// Chooses Sentinel's v1 or v2 token path (ignored by other credentials).
    pub fn with_token_api(mut self, api: TokenApi) -> Self {
        if let Self::ClientCredentials { token_api, .. } = &mut self {
            *token_api = api;
        }
        self
    }

    /// True when these credentials open a Login Service session.
    pub fn uses_login(&self) -> bool {
        matches!(self, Self::Password { .. } | Self::AppKeyLogin { .. })
    }

    /// True when a 401 from a business call is answered by one renewal (a new
    /// login or a new token) and one replay.
    pub fn renews_on_401(&self) -> bool {
        self.uses_login() || matches!(self, Self::ClientCredentials { .. })
    }

    /// Checks that no required field is empty (a `Config` error naming it).
    pub fn validate(&self) -> Result<()> {
        let empty = |field: &str, v: &str| {
            if v.trim().is_empty() {
                Err(Error::config(format!("credentials.{field}"), "must not be empty"))
            } else {
                Ok(())
            }
        };
        match self {
            Self::Password { username, password } => {
                empty("username", username)?;
                empty("password", password.expose())
            }
            Self::AppKeyLogin { username, app_key, secret, access_token, access_token_secret } => {
                empty("username", username)?;
                empty("app_key", app_key)?;
                empty("secret", secret.expose())?;
                empty("access_token", access_token)?;
                empty("access_token_secret", access_token_secret.expose())
            }
            Self::ApiKey { app_key, secret, access_token, access_token_secret } => {
                empty("app_key", app_key)?;
                empty("secret", secret.expose())?;
                empty("access_token", access_token)?;
                empty("access_token_secret", access_token_secret.expose())
            }
            Self::Bearer(token) => empty("bearer", token.expose()),
            Self::ClientCredentials { client_id, client_secret, .. } => {
                empty("client_id", client_id)?;
                empty("client_secret", client_secret.expose())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_named() {
        let e = Credentials::password("jane", "").validate().unwrap_err();
        assert_eq!(e.field(), Some("credentials.password"));
        let e = Credentials::api_key("k", "s", " ", "ts").validate().unwrap_err();
        assert_eq!(e.field(), Some("credentials.access_token"));
        assert!(Credentials::bearer("b").validate().is_ok());
        let e = Credentials::client_credentials("id", "").validate().unwrap_err();
        assert_eq!(e.field(), Some("credentials.client_secret"));
    }

    #[test]
    fn debug_hides_every_secret() {
        let all = [
            Credentials::password("u", "PW-1"),
            Credentials::app_key_login("u", "k", "SEC-2", "t", "TS-3"),
            Credentials::api_key("k", "SEC-4", "t", "TS-5"),
            Credentials::bearer("BEAR-6"),
            Credentials::client_credentials("id", "CS-7"),
        ];
        let text = format!("{all:?}");
        for s in ["PW-1", "SEC-2", "TS-3", "SEC-4", "TS-5", "BEAR-6", "CS-7"] {
            assert!(!text.contains(s), "{s} leaked in {text}");
        }
    }
}
