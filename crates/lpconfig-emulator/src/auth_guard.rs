//! Authentication of business (account-config) calls: a Login Service bearer, an
//! OAuth 1.0a signature by a seeded API key, or a Sentinel JWT (OAuth 2.0 client
//! credentials) whose scopes cover the verb: `users.read` for reads (`GET`),
//! `users.write` for everything else.
//!
//! A collection handler takes `State<Arc<AppState>>`, its `Path`, `http::request::Parts`
//! and the body `Bytes`, and calls [`authorize`] first:
//!
//! ```ignore
//! async fn list(State(st): State<Arc<AppState>>, Path(acct): Path<String>, parts: Parts, body: Bytes) -> Response {
//!     let principal = match authorize(&st, &acct, &parts, &body) { Ok(p) => p, Err(r) => return r };
//!     ...
//! }
//! ```
//!
//! Failures answer with the flat error entity; the `internalCode`s are ours (the
//! platform publishes none for account config) and listed on [`Denial`].

use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;

use crate::clock;
use crate::error_body;
use crate::oauth1;
use crate::sessions::BearerRefusal;
use crate::state::AppState;

/// Who made an authorized call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A Login Service session.
    Session {
        /// Account of the session (equals the path's account).
        account: String,
        /// Login name of the user or bot.
        login_name: String,
        /// `config.userId` of the login.
        user_id: String,
    },
    /// An API key that signed the request.
    ApiKey {
        /// Account owning the key (equals the path's account).
        account: String,
        /// The key's app key (`oauth_consumer_key`).
        app_key: String,
    },
    /// An installed application bearing a Sentinel token.
    App {
        /// The token's `aud` (equals the path's account).
        account: String,
        /// The token's `azp`.
        client_id: String,
        /// The token's scopes.
        scopes: Vec<String>,
    },
}

impl Principal {
    /// The account the caller acts on.
    pub fn account(&self) -> &str {
        match self {
            Principal::Session { account, .. }
            | Principal::ApiKey { account, .. }
            | Principal::App { account, .. } => account,
        }
    }
}

/// Why a call was refused, with its status and `internalCode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// No `Authorization` header, or a scheme other than Bearer/OAuth (401, code 20).
    Missing,
    /// Bearer unknown, logged out or expired (401, code 21).
    InvalidBearer,
    /// OAuth header unreadable or lacking a required parameter (401, code 22).
    MalformedOAuth,
    /// Consumer key or token not known, or signature method not HMAC-SHA1 (401, code 23).
    UnknownKey,
    /// `oauth_timestamp` outside the window (401, code 24).
    StaleTimestamp,
    /// Signature does not verify (401, code 25).
    BadSignature,
    /// Nonce already used with this key and token (401, code 26).
    ReplayedNonce,
    /// Valid credentials of another account (403, code 30).
    OtherAccount,
    /// A Sentinel token without the scope the verb needs (403, code 31).
    MissingScope,
    /// A Sentinel token that is expired, revoked or not ours (401, code 27).
    InvalidToken,
}

impl Denial {
    /// HTTP status of the refusal.
    pub fn status(self) -> StatusCode {
        match self {
            Denial::OtherAccount | Denial::MissingScope => StatusCode::FORBIDDEN,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    fn code_and_message(self) -> (i64, &'static str) {
        match self {
            Denial::Missing => (20, "Not Authenticated: missing Authorization header"),
            Denial::InvalidBearer => (21, "Not Authenticated: invalid or expired bearer"),
            Denial::MalformedOAuth => (22, "Not Authenticated: malformed OAuth header"),
            Denial::UnknownKey => (23, "Not Authenticated: unknown API key"),
            Denial::StaleTimestamp => (24, "Not Authenticated: oauth_timestamp out of range"),
            Denial::BadSignature => (25, "Not Authenticated: invalid signature"),
            Denial::ReplayedNonce => (26, "Not Authenticated: nonce already used"),
            Denial::OtherAccount => (30, "Not Authorized for this account"),
            Denial::MissingScope => (31, "Not Authorized: the token lacks the scope this method needs"),
            Denial::InvalidToken => (27, "Not Authenticated: invalid, revoked or expired access token"),
        }
    }

    /// The error response (flat entity).
    pub fn response(self) -> Response {
        let (code, message) = self.code_and_message();
        error_body::flat(self.status(), message, code)
    }
}

/// Authorizes a business call on `account`; `Err` is the response to send as is.
// `Result<_, Response>` is axum's early-return idiom; one per request, size is moot.
#[allow(clippy::result_large_err)]
pub fn authorize(state: &AppState, account: &str, parts: &Parts, body: &[u8]) -> Result<Principal, Response> {
    check(state, account, parts, body).map_err(|d| {
        tracing::debug!(%account, denial = ?d, "call refused");
        d.response()
    })
}

/// [`authorize`] with the reason instead of a response.
pub fn check(state: &AppState, account: &str, parts: &Parts, body: &[u8]) -> Result<Principal, Denial> {
    let value =
        parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(Denial::Missing)?.trim();
    let scheme = value.split_ascii_whitespace().next().unwrap_or("");
    if scheme.eq_ignore_ascii_case("bearer") {
        let token = value[scheme.len()..].trim();
        if token.contains('.') {
            return check_app_token(state, account, parts, token);
        }
        return match state.sessions.check_bearer(account, token) {
            Ok(s) => {
                Ok(Principal::Session { account: s.account, login_name: s.login_name, user_id: s.user_id })
            }
            Err(BearerRefusal::Invalid) => Err(Denial::InvalidBearer),
            Err(BearerRefusal::OtherAccount) => Err(Denial::OtherAccount),
        };
    }
    if scheme.eq_ignore_ascii_case("oauth") {
        return check_oauth(state, account, parts, body, value);
    }
    Err(Denial::Missing)
}

/// The scope a call needs: reads (`GET`, and the query-delta `POST .../query`)
/// need `users.read`, every other verb `users.write`.
pub fn scope_needed(parts: &Parts) -> &'static str {
    use crate::sentinel::{SCOPE_READ, SCOPE_WRITE};
    let overridden = parts.headers.contains_key("x-http-method-override");
    if (parts.method == axum::http::Method::GET && !overridden) || parts.uri.path().ends_with("/query") {
        SCOPE_READ
    } else {
        SCOPE_WRITE
    }
}

fn check_app_token(state: &AppState, account: &str, parts: &Parts, token: &str) -> Result<Principal, Denial> {
    let claims = state.sentinel.verify(token).map_err(|_| Denial::InvalidToken)?;
    if claims.account != account {
        return Err(Denial::OtherAccount);
    }
    if !claims.scopes.iter().any(|s| s == scope_needed(parts)) {
        return Err(Denial::MissingScope);
    }
    Ok(Principal::App { account: claims.account, client_id: claims.client_id, scopes: claims.scopes })
}

fn check_oauth(
    state: &AppState,
    account: &str,
    parts: &Parts,
    body: &[u8],
    header_value: &str,
) -> Result<Principal, Denial> {
    let protocol = oauth1::parse_authorization(header_value).map_err(|_| Denial::MalformedOAuth)?;
    let get = |name: &str| protocol.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let consumer_key = get("oauth_consumer_key").ok_or(Denial::MalformedOAuth)?;
    let token = get("oauth_token").ok_or(Denial::MalformedOAuth)?;
    let signature = get("oauth_signature").ok_or(Denial::MalformedOAuth)?;
    let nonce = get("oauth_nonce").ok_or(Denial::MalformedOAuth)?;
    let timestamp: i64 =
        get("oauth_timestamp").ok_or(Denial::MalformedOAuth)?.parse().map_err(|_| Denial::MalformedOAuth)?;
    if get("oauth_signature_method") != Some("HMAC-SHA1") {
        return Err(Denial::UnknownKey);
    }
    if get("oauth_version").is_some_and(|v| v != "1.0") {
        return Err(Denial::MalformedOAuth);
    }

    let (key_account, key) = state.seed.api_key(consumer_key).ok_or(Denial::UnknownKey)?;
    if key.access_token != token {
        return Err(Denial::UnknownKey);
    }
    let window = state.settings.oauth_window.as_secs() as i64;
    if (clock::now_secs() - timestamp).abs() > window {
        return Err(Denial::StaleTimestamp);
    }

    let base = request_base_string(parts, body, &protocol).ok_or(Denial::MalformedOAuth)?;
    let signing_key = oauth1::signing_key(&key.secret, &key.access_token_secret);
    if !oauth1::verify(&signing_key, &base, signature) {
        return Err(Denial::BadSignature);
    }
    // Only a verified request may spend a nonce, or forgeries could block real ones.
    if !state.nonces.first_use(consumer_key, token, nonce) {
        return Err(Denial::ReplayedNonce);
    }
    if key_account.id != account {
        return Err(Denial::OtherAccount);
    }
    Ok(Principal::ApiKey { account: key_account.id.clone(), app_key: key.app_key.clone() })
}

/// The signature base string of the request as received: the method actually sent,
/// `http://` + `Host` + path, query pairs, protocol parameters (without
/// `oauth_signature` and `realm`) and form-body pairs only for
/// `application/x-www-form-urlencoded`. `None` without a host.
pub fn request_base_string(parts: &Parts, body: &[u8], protocol: &[(String, String)]) -> Option<String> {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))?;
    // The emulator only ever serves plain HTTP on loopback.
    let uri = oauth1::base_string_uri("http", &host, parts.uri.path());
    let mut params = oauth1::parse_form(parts.uri.query().unwrap_or(""));
    params.extend(protocol.iter().filter(|(n, _)| n != "oauth_signature" && n != "realm").cloned());
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if is_form {
        params.extend(oauth1::parse_form(&String::from_utf8_lossy(body)));
    }
    Some(oauth1::signature_base_string(parts.method.as_str(), &uri, &oauth1::normalize_parameters(&params)))
}
