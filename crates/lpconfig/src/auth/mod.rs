//! Authentication: credentials, OAuth 1.0a signing, Login Service sessions,
//! OAuth 2.0 client-credentials tokens, and the [`Authenticator`] that adds them
//! to every request (one re-login or one new token on a 401).

mod credentials;
pub mod login;
pub mod oauth1;
pub mod oauth2;

use std::sync::{Arc, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{Authorize, BodySink, Incoming, Outgoing, Transport};

pub use credentials::Credentials;
pub use login::{CsdsEntry, Session};
pub use oauth2::TokenApi;

/// Where the Login Service lives, and who learns the domains a login reply
/// carries. Implemented by the domain layer, which sits above this one.
pub trait LoginHost: Send + Sync {
    /// Base URL of the `agentVep` service for the account.
    fn login_base(&self) -> BoxFuture<'_, Result<Url>>;
    /// Receives `csdsCollectionResponse.baseURIs` after each login.
    fn seed(&self, entries: &[CsdsEntry]);
    /// Base URL of the `sentinel` service (OAuth 2.0 token server) for the account.
    fn token_base(&self) -> BoxFuture<'_, Result<Url>> {
        Box::pin(async {
            Err(Error::config("credentials", "no Sentinel host is known for client credentials"))
        })
    }
}

/// Adds credentials to requests: signs them (API key), bears a session (login),
/// or bears a given token. Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Authenticator {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    transport: Transport,
    account: String,
    host: Arc<dyn LoginHost>,
    refresh_interval: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    session: Option<Arc<Session>>,
    /// The client-credentials token, when those are the credentials.
    token: Option<oauth2::AppToken>,
    /// Bumped on every login or new token, so concurrent 401s cause one renewal, not many.
    generation: u64,
    base: Option<Url>,
    refresher: Option<JoinHandle<()>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(task) = self.state.get_mut().refresher.take() {
            task.abort();
        }
    }
}

/// The credential one attempt is sent with.
enum Grant<'a> {
    Bearer(HeaderValue),
    Sign(oauth1::Keys<'a>),
}

impl Authorize for Grant<'_> {
    fn authorize(&self, method: &Method, url: &Url, headers: &mut HeaderMap) -> Result<()> {
        let value = match self {
            Self::Bearer(v) => v.clone(),
            Self::Sign(keys) => {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
                let header = oauth1::authorization_header(
                    *keys,
                    method.as_str(),
                    url,
                    None,
                    now,
                    &oauth1::fresh_nonce(),
                );
                let mut v = HeaderValue::from_str(&header)
                    .map_err(|_| Error::config("credentials", "API key values must be printable ASCII"))?;
                v.set_sensitive(true);
                v
            }
        };
        headers.insert(AUTHORIZATION, value);
        Ok(())
    }
}

fn bearer_header(token: &Secret) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::config("bearer", "token must be printable ASCII"))?;
    v.set_sensitive(true);
    Ok(v)
}

impl Authenticator {
    /// Creates an authenticator; nothing is sent until the first request.
    pub fn new(
        credentials: Credentials,
        transport: Transport,
        account: impl Into<String>,
        host: Arc<dyn LoginHost>,
        refresh_interval: Duration,
    ) -> Result<Self> {
        credentials.validate()?;
        Ok(Self {
            inner: Arc::new(Inner {
                credentials,
                transport,
                account: account.into(),
                host,
                refresh_interval,
                state: Mutex::new(State::default()),
            }),
        })
    }

    /// The HTTP layer used for every request.
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The credentials in use.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// Sends `req` with credentials. With a login session, a 401 causes exactly
    /// one re-login and one replay; a second 401 is an `Auth` error.
    pub async fn execute(&self, req: &Outgoing) -> Result<Incoming> {
        self.execute_into(req, None).await
    }

    /// [`Authenticator::execute`], streaming a 2xx body into `sink` when given.
    pub async fn execute_into(
        &self,
        req: &Outgoing,
        mut sink: Option<&mut (dyn BodySink + 'static)>,
    ) -> Result<Incoming> {
        let (grant, generation) = self.grant().await?;
        match self.inner.transport.send_into(req, &grant, sink.as_deref_mut()).await {
            Err(e) if e.status() == Some(401) && self.inner.credentials.renews_on_401() => {
                tracing::info!(target: "lpconfig::auth", url = %req.url, "401 on a session or token call; renewing once");
                // The replay is one more send of the same request: its attempts count on
                // from the first sends, so that a 409/404 it meets is known to follow an
                // earlier send that may have been applied (docs/retries.md, lost answers).
                let before = e.attempts();
                self.relogin(generation).await?;
                let (grant, _) = self.grant().await?;
                match self.inner.transport.send_into(req, &grant, sink).await {
                    Ok(mut resp) => {
                        resp.attempts += before;
                        Ok(resp)
                    }
                    Err(mut e) => {
                        let what = if self.inner.credentials.uses_login() { "re-login" } else { "new token" };
                        let auth = e.kind() == ErrorKind::Auth;
                        let d = e.details_mut();
                        d.attempts += before;
                        if auth {
                            d.message = format!("{} (after one {what})", d.message);
                        }
                        Err(e)
                    }
                }
            }
            other => other,
        }
    }

    /// Opens the session now instead of on the first call (no-op for API keys).
    pub async fn login(&self) -> Result<()> {
        self.grant().await.map(|_| ())
    }

    /// Ends the session (`logout`) and stops the refresh timer. Harmless when
    /// no session is open.
    pub async fn logout(&self) -> Result<()> {
        let mut state = self.inner.state.lock().await;
        if let Some(task) = state.refresher.take() {
            task.abort();
        }
        let (Some(session), Some(base)) = (state.session.take(), state.base.clone()) else {
            return Ok(());
        };
        drop(state);
        login::keep_alive_call(&self.inner.transport, &base, &self.inner.account, &session, "logout").await
    }

    /// True while a Login Service session is open.
    pub async fn has_session(&self) -> bool {
        self.inner.state.lock().await.session.is_some()
    }

    async fn grant(&self) -> Result<(Grant<'_>, u64)> {
        let c = &self.inner.credentials;
        match c {
            Credentials::Bearer(token) => Ok((Grant::Bearer(bearer_header(token)?), 0)),
            Credentials::ApiKey { app_key, secret, access_token, access_token_secret } => Ok((
                Grant::Sign(oauth1::Keys {
                    consumer_key: app_key,
                    consumer_secret: secret.expose(),
                    token: access_token,
                    token_secret: access_token_secret.expose(),
                }),
                0,
            )),
            Credentials::Password { .. } | Credentials::AppKeyLogin { .. } => {
                // Holding the lock while logging in makes concurrent first calls share one login.
                let mut state = self.inner.state.lock().await;
                if state.session.is_none() {
                    Inner::open_session(&self.inner, &mut state).await?;
                }
                let session = state.session.as_ref().expect("session was just opened");
                Ok((Grant::Bearer(bearer_header(&session.bearer)?), state.generation))
            }
            Credentials::ClientCredentials { .. } => {
                // The lock makes concurrent calls share one token request.
                let mut state = self.inner.state.lock().await;
                if state.token.as_ref().is_none_or(oauth2::AppToken::due) {
                    self.inner.fetch_token(&mut state).await?;
                }
                let token = state.token.as_ref().expect("token was just fetched");
                Ok((Grant::Bearer(bearer_header(&token.access_token)?), state.generation))
            }
        }
    }

    async fn relogin(&self, seen_generation: u64) -> Result<()> {
        let mut state = self.inner.state.lock().await;
        if state.generation == seen_generation {
            if matches!(self.inner.credentials, Credentials::ClientCredentials { .. }) {
                state.token = None;
                self.inner.fetch_token(&mut state).await?;
            } else {
                state.session = None;
                Inner::open_session(&self.inner, &mut state).await?;
            }
        }
        Ok(())
    }
}

impl Inner {
    async fn fetch_token(&self, state: &mut State) -> Result<()> {
        let Credentials::ClientCredentials { client_id, client_secret, scope, token_api } = &self.credentials
        else {
            return Err(Error::config("credentials", "these credentials take no token"));
        };
        let base = self.host.token_base().await?;
        let request =
            oauth2::TokenRequest { client_id, client_secret, scope: scope.as_deref(), api: *token_api };
        let token = oauth2::fetch(&self.transport, &base, &self.account, &request).await?;
        state.token = Some(token);
        state.generation += 1;
        tracing::debug!(target: "lpconfig::auth", account = %self.account, generation = state.generation, "app token fetched");
        Ok(())
    }

    async fn open_session(this: &Arc<Self>, state: &mut State) -> Result<()> {
        let body = match &this.credentials {
            Credentials::Password { username, password } => login::LoginBody::Password { username, password },
            Credentials::AppKeyLogin { username, app_key, secret, access_token, access_token_secret } => {
                login::LoginBody::AppKey { username, app_key, secret, access_token, access_token_secret }
            }
            _ => return Err(Error::config("credentials", "these credentials do not log in")),
        };
        let base = this.host.login_base().await?;
        let reply = login::login(&this.transport, &base, &this.account, &body).await?;
        this.host.seed(&reply.csds);
        let interval = reply.session.ttl.map_or(this.refresh_interval, |ttl| this.refresh_interval.min(ttl));
        state.session = Some(Arc::new(reply.session));
        state.base = Some(base);
        state.generation += 1;
        if let Some(old) = state.refresher.take() {
            old.abort();
        }
        state.refresher = Some(tokio::spawn(refresh_loop(Arc::downgrade(this), state.generation, interval)));
        tracing::debug!(target: "lpconfig::auth", account = %this.account, generation = state.generation, "logged in");
        Ok(())
    }
}

/// Keeps a session alive (D11). Holds only a weak reference so that dropping the
/// client ends the loop; a 401 drops the session so the next call logs in again.
async fn refresh_loop(inner: Weak<Inner>, generation: u64, interval: Duration) {
    loop {
        tokio::time::sleep(interval).await;
        let Some(inner) = inner.upgrade() else { return };
        let (session, base) = {
            let state = inner.state.lock().await;
            if state.generation != generation {
                return;
            }
            match (state.session.clone(), state.base.clone()) {
                (Some(s), Some(b)) => (s, b),
                _ => return,
            }
        };
        match login::keep_alive_call(&inner.transport, &base, &inner.account, &session, "refresh").await {
            Ok(()) => tracing::debug!(target: "lpconfig::auth", "session refreshed"),
            Err(e) if e.status() == Some(401) => {
                tracing::warn!(target: "lpconfig::auth", error = %e, "refresh refused; the next call logs in again");
                let mut state = inner.state.lock().await;
                if state.generation == generation {
                    state.session = None;
                }
                return;
            }
            Err(e) => tracing::warn!(target: "lpconfig::auth", error = %e, "refresh failed; will try again"),
        }
    }
}
