//! The Login Service (service `agentVep`, platform.md §2): user and application
//! login, refresh keep-alive and logout, with the `Session_id` cookie and csrf.

use std::time::Duration;

use reqwest::header::{HeaderValue, COOKIE, SET_COOKIE};
use reqwest::Method;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, ErrorDetails, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{Incoming, NoAuth, Outgoing, Transport};

/// One entry of a CSDS answer (`{"service","account","baseURI"}`); also found in
/// the login reply's `csdsCollectionResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CsdsEntry {
    /// Service name, e.g. `accountConfigReadOnly`.
    pub service: String,
    /// Account id.
    #[serde(default)]
    pub account: String,
    /// Bare host (`host` or `host:port`).
    #[serde(rename = "baseURI")]
    pub base_uri: String,
}

/// An open Login Service session. Every token is a [`Secret`].
#[derive(Debug)]
pub struct Session {
    /// `Authorization: Bearer` value for business calls.
    pub bearer: Secret,
    /// Body of refresh and logout.
    pub csrf: Secret,
    /// The `Session_id` cookie, when the server set one.
    pub session_id: Option<Secret>,
    /// `sessionTTl`, when readable.
    pub ttl: Option<Duration>,
}

/// What a successful login returns.
#[derive(Debug)]
pub struct LoginReply {
    /// The session.
    pub session: Session,
    /// `csdsCollectionResponse.baseURIs`, for seeding the domain cache.
    pub csds: Vec<CsdsEntry>,
    /// `config.userId`, when present.
    pub user_id: Option<String>,
}

/// The body of a login request: user/password or application (app key) login.
pub(crate) enum LoginBody<'a> {
    Password {
        username: &'a str,
        password: &'a Secret,
    },
    AppKey {
        username: &'a str,
        app_key: &'a str,
        secret: &'a Secret,
        access_token: &'a str,
        access_token_secret: &'a Secret,
    },
}

impl LoginBody<'_> {
    fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Password { username, password } => serde_json::json!({
                "username": username,
                "password": password.expose(),
            }),
            Self::AppKey { username, app_key, secret, access_token, access_token_secret } => {
                serde_json::json!({
                    "username": username,
                    "appKey": app_key,
                    "secret": secret.expose(),
                    "accessToken": access_token,
                    "accessTokenSecret": access_token_secret.expose(),
                })
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawReply {
    bearer: Option<String>,
    csrf: Option<String>,
    #[serde(rename = "sessionTTl")]
    session_ttl: Option<serde_json::Value>,
    csds_collection_response: Option<RawCsds>,
    config: Option<RawConfig>,
}

#[derive(Deserialize)]
struct RawCsds {
    #[serde(rename = "baseURIs", default)]
    base_uris: Vec<CsdsEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    user_id: Option<serde_json::Value>,
}

fn endpoint(base: &Url, account: &str, action: &str) -> Result<Url> {
    let mut url = base
        .join(&format!("/api/account/{account}/{action}"))
        .map_err(|e| Error::config("login_url", e.to_string()))?;
    if action == "login" {
        url.set_query(Some("v=1.3"));
    }
    Ok(url)
}

/// `POST {agentVep}/api/account/{account}/login?v=1.3`.
pub(crate) async fn login(
    transport: &Transport,
    base: &Url,
    account: &str,
    body: &LoginBody<'_>,
) -> Result<LoginReply> {
    let url = endpoint(base, account, "login")?;
    // Retrying a login is harmless (at worst an unused session), so it counts as idempotent.
    let req = Outgoing::new(Method::POST, url.clone()).json(&body.to_json())?.idempotent(true);
    let resp = transport.send(&req, &NoAuth).await.map_err(|e| match e.kind() {
        ErrorKind::Invalid | ErrorKind::Forbidden | ErrorKind::NotFound => relabel_auth(e, "login refused"),
        _ => e,
    })?;
    parse_reply(&resp, &url)
}

fn relabel_auth(e: Error, prefix: &str) -> Error {
    let mut d = e.details().clone();
    d.message = format!("{prefix}: {}", d.message);
    Error::new(ErrorKind::Auth, d)
}

fn decode_error(url: &Url, status: u16, field: Option<&str>, message: String) -> Error {
    Error::new(
        ErrorKind::Decode,
        ErrorDetails {
            message,
            field: field.map(str::to_owned),
            status: Some(status),
            method: Some("POST".into()),
            url: Some(url.to_string()),
            attempts: 1,
            ..Default::default()
        },
    )
}

fn parse_reply(resp: &Incoming, url: &Url) -> Result<LoginReply> {
    let raw: RawReply = serde_json::from_slice(&resp.body).map_err(|e| {
        decode_error(url, resp.status, None, format!("login reply is not the documented JSON: {e}"))
    })?;
    let bearer = raw
        .bearer
        .filter(|b| !b.is_empty())
        .ok_or_else(|| decode_error(url, resp.status, Some("bearer"), "login reply has no bearer".into()))?;
    let csrf = raw.csrf.unwrap_or_default();
    let ttl = raw.session_ttl.and_then(|v| match v {
        serde_json::Value::String(s) => s.trim().parse::<u64>().ok(),
        serde_json::Value::Number(n) => n.as_u64(),
        _ => None,
    });
    let user_id = raw.config.and_then(|c| c.user_id).map(|v| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    });
    Ok(LoginReply {
        session: Session {
            bearer: Secret::new(bearer),
            csrf: Secret::new(csrf),
            session_id: session_cookie(resp),
            ttl: ttl.map(Duration::from_millis),
        },
        csds: raw.csds_collection_response.map(|c| c.base_uris).unwrap_or_default(),
        user_id,
    })
}

fn session_cookie(resp: &Incoming) -> Option<Secret> {
    resp.headers.get_all(SET_COOKIE).iter().find_map(|v| {
        let text = v.to_str().ok()?;
        let first = text.split(';').next()?.trim();
        let (name, value) = first.split_once('=')?;
        (name.trim() == "Session_id").then(|| Secret::new(value.trim()))
    })
}

/// `POST .../refresh` or `POST .../logout`: `Session_id` cookie and `{"csrf"}` body.
pub(crate) async fn keep_alive_call(
    transport: &Transport,
    base: &Url,
    account: &str,
    session: &Session,
    action: &str,
) -> Result<()> {
    let url = endpoint(base, account, action)?;
    let mut req = Outgoing::new(Method::POST, url)
        .json(&serde_json::json!({ "csrf": session.csrf.expose() }))?
        .idempotent(action == "refresh");
    if let Some(id) = &session.session_id {
        let cookie = HeaderValue::from_str(&format!("Session_id={}", id.expose()))
            .map_err(|_| Error::config("Session_id", "cookie value is not a valid header"))?;
        req.headers.insert(COOKIE, cookie);
    }
    transport.send(&req, &NoAuth).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    fn incoming(body: &str, cookie: Option<&str>) -> Incoming {
        let mut headers = HeaderMap::new();
        if let Some(c) = cookie {
            headers.append(SET_COOKIE, HeaderValue::from_str(c).unwrap());
        }
        Incoming { status: 200, headers, body: body.to_owned().into(), attempts: 1 }
    }

    #[test]
    fn parses_documented_reply() {
        let body = r#"{"csrf":"c1","wsuk":"1","config":{"userId":"3705342610"},"csdsCollectionResponse":{"baseURIs":[{"account":"123456","baseURI":"domain.domain.net","service":"agentVep"}]},"sessionTTl":"28800000","bearer":"b1"}"#;
        let url = Url::parse("https://h.example/api/account/1/login?v=1.3").unwrap();
        let r = parse_reply(&incoming(body, Some("Session_id=abc; Path=/; HttpOnly")), &url).unwrap();
        assert_eq!(r.session.bearer.expose(), "b1");
        assert_eq!(r.session.csrf.expose(), "c1");
        assert_eq!(r.session.session_id.as_ref().unwrap().expose(), "abc");
        assert_eq!(r.session.ttl, Some(Duration::from_secs(8 * 3600)));
        assert_eq!(r.csds[0].service, "agentVep");
        assert_eq!(r.user_id.as_deref(), Some("3705342610"));
        assert!(!format!("{r:?}").contains("b1\""));
    }

    #[test]
    fn missing_bearer_and_non_json_are_decode_errors() {
        let url = Url::parse("https://h.example/api/account/1/login?v=1.3").unwrap();
        let e = parse_reply(&incoming(r#"{"csrf":"c"}"#, None), &url).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert_eq!(e.field(), Some("bearer"));
        assert_eq!(e.status(), Some(200));
        let e = parse_reply(&incoming("<html>", None), &url).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode);
        assert!(e.to_string().contains("login?v=1.3"));
    }
}
