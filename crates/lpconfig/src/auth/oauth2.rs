//! OAuth 2.0 client credentials against Sentinel (docs/auth.md, decision D19):
//! the token request, reading the JWT's `exp`, and when to renew.
//!
//! Sentinel's reply is `{access_token, token_type}` with no `expires_in`, so the
//! lifetime comes from the token itself. The client never checks the signature:
//! the token is opaque proof for the API, which checks it.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, ErrorDetails, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{NoAuth, Outgoing, Transport};

/// Which of Sentinel's two token paths to call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenApi {
    /// `POST /sentinel/api/account/{account}/app/token?v=1.0` (static signing key).
    #[default]
    V1,
    /// `POST /sentinel/api/v2/account/{account}/app/token` (keys published as JWKS).
    V2,
}

/// Renew this long before `exp` ...
const RENEW_MARGIN: Duration = Duration::from_secs(300);

/// An access token and when to fetch the next one.
#[derive(Debug)]
pub struct AppToken {
    /// The JWT, sent as `Authorization: Bearer`.
    pub access_token: Secret,
    /// After this instant the client fetches a new token before the next call.
    pub renew_at: Instant,
}

impl AppToken {
    /// True once the token is due for renewal.
    pub fn due(&self) -> bool {
        Instant::now() >= self.renew_at
    }
}

/// The token URL on the Sentinel host `base`.
pub fn token_url(base: &Url, account: &str, api: TokenApi) -> Result<Url> {
    let path = match api {
        TokenApi::V1 => format!("/sentinel/api/account/{account}/app/token?v=1.0"),
        TokenApi::V2 => format!("/sentinel/api/v2/account/{account}/app/token"),
    };
    base.join(&path).map_err(|e| Error::config("sentinel_url", e.to_string()))
}

/// What to send for one token request.
pub(crate) struct TokenRequest<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a Secret,
    pub scope: Option<&'a str>,
    pub api: TokenApi,
}

/// `POST` the form to Sentinel and read the reply. A refusal (`400`/`401`/`403`,
/// e.g. `invalid_client`) is an `Auth` error that names the client id, never the secret.
pub(crate) async fn fetch(
    transport: &Transport,
    base: &Url,
    account: &str,
    req: &TokenRequest<'_>,
) -> Result<AppToken> {
    let url = token_url(base, account, req.api)?;
    // The form holds the secret: keep the text in a `Secret` so it is zeroed.
    let body = Secret::new(form_body(req));
    let mut out = Outgoing::new(Method::POST, url.clone())
        .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"))
        // Asking again for a token is harmless, so 5xx and timeouts may be retried.
        .idempotent(true);
    out.body = Some(bytes::Bytes::copy_from_slice(body.expose().as_bytes()));
    let resp = transport.send(&out, &NoAuth).await.map_err(|e| refused(e, req.client_id))?;
    parse_reply(&resp.body, resp.status, &url, SystemTime::now())
}

fn form_body(req: &TokenRequest<'_>) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("client_id", req.client_id)
        .append_pair("client_secret", req.client_secret.expose())
        .append_pair("grant_type", "client_credentials");
    if let Some(scope) = req.scope {
        form.append_pair("scope", scope);
    }
    form.finish()
}

fn refused(e: Error, client_id: &str) -> Error {
    let status = e.status();
    if !matches!(status, Some(400 | 401 | 403)) {
        return e;
    }
    let mut d = e.details().clone();
    // OAuth 2.0 error replies (RFC 6749 §5.2): {"error":"invalid_client","error_description":".."}.
    let parsed: Option<serde_json::Value> = d.body.as_deref().and_then(|b| serde_json::from_str(b).ok());
    let text = |k: &str| parsed.as_ref().and_then(|v| v.get(k)).and_then(|v| v.as_str()).map(str::to_owned);
    let reason = match (text("error"), text("error_description")) {
        (Some(code), Some(desc)) => format!("{code}: {desc}"),
        (Some(code), None) => code,
        (None, _) => d.message.clone(),
    };
    d.message = format!("Sentinel refused client {client_id:?}: {reason}");
    d.field.get_or_insert_with(|| "client_id".to_owned());
    Error::new(ErrorKind::Auth, d)
}

#[derive(Deserialize)]
struct RawReply {
    access_token: Option<String>,
    token_type: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    exp: Option<f64>,
    iat: Option<f64>,
}

fn decode_error(url: &Url, status: u16, field: &str, message: String) -> Error {
    Error::new(
        ErrorKind::Decode,
        ErrorDetails {
            message,
            field: Some(field.to_owned()),
            status: Some(status),
            method: Some("POST".into()),
            url: Some(url.to_string()),
            attempts: 1,
            ..Default::default()
        },
    )
}

fn parse_reply(body: &[u8], status: u16, url: &Url, now: SystemTime) -> Result<AppToken> {
    let raw: RawReply = serde_json::from_slice(body).map_err(|e| {
        decode_error(url, status, "access_token", format!("token reply is not the documented JSON: {e}"))
    })?;
    let token =
        raw.access_token.filter(|t| !t.is_empty()).map(Secret::new).ok_or_else(|| {
            decode_error(url, status, "access_token", "token reply has no access_token".into())
        })?;
    if let Some(kind) = raw.token_type.filter(|t| !t.eq_ignore_ascii_case("bearer")) {
        return Err(decode_error(url, status, "token_type", format!("token_type {kind:?} is not Bearer")));
    }
    let claims = claims(token.expose())
        .ok_or_else(|| decode_error(url, status, "access_token", "access_token is not a JWT".into()))?;
    let exp = claims.exp.ok_or_else(|| {
        decode_error(url, status, "exp", "access_token has no exp claim, so its lifetime is unknown".into())
    })?;
    Ok(AppToken { access_token: token, renew_at: Instant::now() + renew_after(exp, claims.iat, now) })
}

/// The payload of a compact JWT (`header.payload.signature`), unverified.
fn claims(jwt: &str) -> Option<Claims> {
    let payload = jwt.split('.').nth(1)?;
    let bytes =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// How long from `now` until renewal: 5 minutes before `exp`, or at half the
/// lifetime when the token lives 10 minutes or less (D19). Lifetime is `exp - iat`
/// when `iat` is present, else `exp - now`.
fn renew_after(exp: f64, iat: Option<f64>, now: SystemTime) -> Duration {
    let now_s = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs_f64();
    let remaining = (exp - now_s).max(0.0);
    let lifetime = iat.map_or(remaining, |iat| (exp - iat).max(0.0));
    let margin = (lifetime / 2.0).min(RENEW_MARGIN.as_secs_f64());
    Duration::from_secs_f64((remaining - margin).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let e = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", e(r#"{"alg":"HS256","typ":"JWT"}"#), e(payload))
    }

    #[test]
    fn renewal_is_five_minutes_early_or_at_half_life() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        // One hour token issued now: renew after 55 minutes.
        assert_eq!(renew_after(1_003_600.0, Some(1_000_000.0), now), Duration::from_secs(3300));
        // Two-minute token: renew after one minute.
        assert_eq!(renew_after(1_000_120.0, Some(1_000_000.0), now), Duration::from_secs(60));
        // No iat: lifetime measured from now.
        assert_eq!(renew_after(1_000_010.0, None, now), Duration::from_secs(5));
        // Already expired: renew at once.
        assert_eq!(renew_after(999_000.0, Some(998_000.0), now), Duration::ZERO);
    }

    #[test]
    fn reads_exp_from_the_documented_reply() {
        let url = Url::parse("https://s.example/sentinel/api/account/1/app/token?v=1.0").unwrap();
        let token = jwt(r#"{"aud":"le1","iss":"Sentinel","exp":4102444800,"iat":4102441200}"#);
        let body = format!(r#"{{"access_token":"{token}","token_type":"Bearer"}}"#);
        let t =
            parse_reply(body.as_bytes(), 200, &url, UNIX_EPOCH + Duration::from_secs(4102441200)).unwrap();
        assert_eq!(t.access_token.expose(), token);
        assert!(!t.due());
        assert!(!format!("{t:?}").contains(&token));

        let no_exp = format!(r#"{{"access_token":"{}","token_type":"Bearer"}}"#, jwt(r#"{"iat":1}"#));
        assert_eq!(
            parse_reply(no_exp.as_bytes(), 200, &url, SystemTime::now()).unwrap_err().field(),
            Some("exp")
        );
        let opaque = br#"{"access_token":"not-a-jwt","token_type":"Bearer"}"#;
        assert_eq!(parse_reply(opaque, 200, &url, SystemTime::now()).unwrap_err().kind(), ErrorKind::Decode);
        let mac = format!(r#"{{"access_token":"{token}","token_type":"mac"}}"#);
        assert_eq!(
            parse_reply(mac.as_bytes(), 200, &url, SystemTime::now()).unwrap_err().field(),
            Some("token_type")
        );
    }

    #[test]
    fn token_paths() {
        let base = Url::parse("http://127.0.0.1:9/").unwrap();
        assert_eq!(
            token_url(&base, "123", TokenApi::V1).unwrap().as_str(),
            "http://127.0.0.1:9/sentinel/api/account/123/app/token?v=1.0"
        );
        assert_eq!(
            token_url(&base, "123", TokenApi::V2).unwrap().as_str(),
            "http://127.0.0.1:9/sentinel/api/v2/account/123/app/token"
        );
    }
}
