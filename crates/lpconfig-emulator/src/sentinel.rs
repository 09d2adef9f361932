//! Sentinel, the OAuth 2.0 token server (client credentials, docs/auth.md):
//! `POST /sentinel/api/account/{account}/app/token?v=1.0`, its v2 twin
//! `POST /sentinel/api/v2/account/{account}/app/token`, and the signing key at
//! `GET /sentinel/well-known/jwks`.
//!
//! Tokens are compact JWTs signed HS256 with a key made at start. The JWKS
//! publishes that key (`kty: oct`) so tests can verify tokens; a symmetric key
//! is public here only because this is a local test server. Claims follow the
//! documented example (`aud` = account, `azp` = client id, `scope`, `iss`,
//! `exp`, `iat`) plus `jti` and `gen`, the revocation generation:
//! [`Sentinel::revoke_all`] bumps it and every older token stops working.
//!
//! Errors follow RFC 6749 §5.2 (`{"error":"invalid_client",...}`), which is what
//! the docs promise ("Sentinel will answer in accordance with OAuth 2.0").

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::clock;
use crate::state::AppState;
use crate::token::{constant_time_eq, random_hex64};

/// Key id of the emulator's signing key, as it appears in JWT headers and the JWKS.
pub const KEY_ID: &str = "lpconfig-emulator-hs256";

/// The scope a `GET` needs.
pub const SCOPE_READ: &str = "users.read";
/// The scope every other verb needs.
pub const SCOPE_WRITE: &str = "users.write";

/// The token server's key and counters.
#[derive(Debug)]
pub struct Sentinel {
    key: [u8; 32],
    generation: AtomicU64,
    issued: AtomicUsize,
}

/// What a verified token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// `aud`: the account the token was issued for.
    pub account: String,
    /// `azp`: the client id.
    pub client_id: String,
    /// `scope`, split on spaces.
    pub scopes: Vec<String>,
}

/// Why a bearer JWT was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Not a JWT of ours, bad signature, or revoked.
    Invalid,
    /// `exp` has passed.
    Expired,
}

impl Default for Sentinel {
    fn default() -> Self {
        Self::new()
    }
}

impl Sentinel {
    /// A token server with a fresh random key.
    pub fn new() -> Sentinel {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).expect("the OS random number generator is available");
        Sentinel { key, generation: AtomicU64::new(1), issued: AtomicUsize::new(0) }
    }

    /// Tokens issued since start.
    pub fn issued(&self) -> usize {
        self.issued.load(Ordering::SeqCst)
    }

    /// Revokes every token issued so far; later ones work.
    pub fn revoke_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn sign(&self, input: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(input.as_bytes());
        b64(&mac.finalize().into_bytes())
    }

    /// Issues a token for `account` and `client_id` with `scopes`, living `ttl_secs`.
    pub fn issue(&self, account: &str, client_id: &str, scopes: &[String], ttl_secs: u64) -> String {
        let now = clock::now_secs();
        let header = json!({ "alg": "HS256", "typ": "JWT", "kid": KEY_ID });
        let claims = json!({
            "aud": account,
            "azp": client_id,
            "scope": scopes.join(" "),
            "iss": "Sentinel",
            "iat": now,
            "exp": now + ttl_secs as i64,
            "jti": random_hex64(),
            "gen": self.generation.load(Ordering::SeqCst),
        });
        let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
        let signature = self.sign(&input);
        self.issued.fetch_add(1, Ordering::SeqCst);
        format!("{input}.{signature}")
    }

    /// Verifies a JWT from an `Authorization: Bearer` header.
    pub fn verify(&self, jwt: &str) -> Result<TokenClaims, TokenRefusal> {
        let mut parts = jwt.split('.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenRefusal::Invalid);
        };
        if !constant_time_eq(&self.sign(&format!("{h}.{p}")), s) {
            return Err(TokenRefusal::Invalid);
        }
        let claims: Value =
            unb64(p).and_then(|b| serde_json::from_slice(&b).ok()).ok_or(TokenRefusal::Invalid)?;
        if claims["gen"].as_u64() != Some(self.generation.load(Ordering::SeqCst)) {
            return Err(TokenRefusal::Invalid);
        }
        if claims["exp"].as_i64().is_none_or(|exp| exp <= clock::now_secs()) {
            return Err(TokenRefusal::Expired);
        }
        let text = |k: &str| claims[k].as_str().unwrap_or_default().to_owned();
        Ok(TokenClaims {
            account: text("aud"),
            client_id: text("azp"),
            scopes: text("scope").split_ascii_whitespace().map(str::to_owned).collect(),
        })
    }

    /// The JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{ "kty": "oct", "kid": KEY_ID, "alg": "HS256", "use": "sig", "k": b64(&self.key) }] })
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).ok()
}

/// An RFC 6749 §5.2 error reply.
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let body = json!({ "error": error, "error_description": description });
    let mut resp = (status, body.to_string()).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `POST /sentinel/api/account/{account}/app/token?v=1.0`
pub async fn token_v1(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Response {
    let v = parts.uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "v").map(|(_, v)| v.into_owned())
    });
    if v.as_deref() != Some("1.0") {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "v must be 1.0");
    }
    token(&state, &account, &parts, &body)
}

/// `POST /sentinel/api/v2/account/{account}/app/token`
pub async fn token_v2(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Response {
    token(&state, &account, &parts, &body)
}

/// `GET /sentinel/well-known/jwks`
pub async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    axum::Json(state.sentinel.jwks()).into_response()
}

fn token(state: &AppState, account: &str, parts: &Parts, body: &[u8]) -> Response {
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !is_form {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        );
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    match field("grant_type") {
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only client_credentials")
        }
        None => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required"),
    }
    let (Some(id), Some(secret)) = (field("client_id"), field("client_secret")) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "client_id and client_secret are required",
        );
    };
    let client = state
        .seed
        .account(account)
        .and_then(|a| a.app_clients.iter().find(|c| c.client_id == id))
        .filter(|c| constant_time_eq(&c.client_secret, secret));
    let Some(client) = client else {
        tracing::debug!(%account, client_id = %id, "token refused");
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed");
    };
    let scopes = match field("scope") {
        None => client.scopes.clone(),
        Some(asked) => {
            let asked: Vec<String> = asked.split_ascii_whitespace().map(str::to_owned).collect();
            if let Some(bad) = asked.iter().find(|s| !client.scopes.contains(s)) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    &format!("scope {bad:?} is not granted to this client"),
                );
            }
            asked
        }
    };
    let jwt = state.sentinel.issue(account, id, &scopes, state.settings.token_ttl.as_secs().max(1));
    let mut resp = axum::Json(json!({ "access_token": jwt, "token_type": "Bearer" })).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_verify_revoke() {
        let s = Sentinel::new();
        let scopes = vec![SCOPE_READ.to_owned()];
        let jwt = s.issue("demo", "app", &scopes, 60);
        let c = s.verify(&jwt).unwrap();
        assert_eq!((c.account.as_str(), c.client_id.as_str()), ("demo", "app"));
        assert_eq!(c.scopes, scopes);
        let mut forged = jwt.clone();
        forged.push('A');
        assert_eq!(s.verify(&forged), Err(TokenRefusal::Invalid));
        assert_eq!(Sentinel::new().verify(&jwt), Err(TokenRefusal::Invalid), "other key");
        s.revoke_all();
        assert_eq!(s.verify(&jwt), Err(TokenRefusal::Invalid));
        assert!(s.verify(&s.issue("demo", "app", &scopes, 60)).is_ok());
        assert_eq!(s.issued(), 2);
        let expired = s.issue("demo", "app", &scopes, 0);
        assert_eq!(s.verify(&expired), Err(TokenRefusal::Expired));
    }
}
