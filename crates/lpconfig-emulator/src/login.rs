//! Login Service (platform.md §2): user and app-key login, refresh, logout.
//!
//! Request bodies here carry passwords and secrets, so nothing in this module logs
//! them; debug lines name the account and the outcome only.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::clock;
use crate::csds;
use crate::error_body;
use crate::sessions::Session;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "Session_id";

fn set_cookie(session: &Session) -> HeaderValue {
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={}; Path=/; HttpOnly", session.session_id))
        .expect("hex session ids are valid header text")
}

/// The `Session_id` value among the request's `Cookie` headers.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_owned())
}

fn unauthorized(message: &str) -> Response {
    error_body::wrapped(StatusCode::UNAUTHORIZED, message, 1)
}

fn bad_request(message: &str) -> Response {
    error_body::wrapped(StatusCode::BAD_REQUEST, message, 400)
}

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

/// `POST /api/account/{accountId}/login?v=1.3` with a user or an app-key body.
/// Users created through the Users API (or the seed data) log in with the
/// password the store hashed; admins are those holding an Administrator profile.
fn store_login(
    state: &AppState,
    account: &str,
    username: &str,
    password: &str,
) -> Option<(String, String, bool, bool)> {
    let stores = state.stores.lock().expect("store lock");
    let store = stores.get(account)?;
    if !store.check_password(username, password) {
        return None;
    }
    let user = store.find_user_by_login(username)?;
    let id = user.get("id")?.as_i64()?;
    let login_name = user.get("loginName")?.as_str()?.to_owned();
    Some((login_name, id.to_string(), false, store.user_roles(id).contains(&1)))
}

/// `POST /api/account/{account}/login?v=1.3`: user or application login (platform.md §2.1-§2.3).
pub async fn login(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let version_ok = query.get("v").and_then(|v| v.parse::<f64>().ok()).is_some_and(|v| v == 1.3);
    if !version_ok {
        return bad_request("Parameter v must be 1.3");
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("Body is not a JSON object");
    };
    let Some(username) = str_field(&body, "username") else {
        return bad_request("username is required");
    };
    let Some(acct) = state.seed.account(&account) else {
        tracing::debug!(%account, "login refused: unknown account");
        return unauthorized("Invalid site or agent");
    };

    let opened = if body.get("appKey").is_some() {
        let field = |n| str_field(&body, n).unwrap_or_default();
        acct.app_logins
            .iter()
            .find(|l| {
                l.username.eq_ignore_ascii_case(username)
                    && l.app_key == field("appKey")
                    && l.secret == field("secret")
                    && l.access_token == field("accessToken")
                    && l.access_token_secret == field("accessTokenSecret")
            })
            .map(|l| (l.username.clone(), acct.app_user_id_of(l), true, false))
    } else {
        let Some(password) = str_field(&body, "password") else {
            return bad_request("password or appKey is required");
        };
        acct.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username) && u.password == password)
            .map(|u| (u.username.clone(), acct.user_id_of(u), false, u.is_admin))
            .or_else(|| store_login(&state, &account, username, password))
    };
    let Some((login_name, user_id, app_login, is_admin)) = opened else {
        tracing::debug!(%account, "login refused: bad credentials");
        return unauthorized("Authentication failed: wrong user name or credentials");
    };

    let session = state.sessions.open(&account, &login_name, &user_id, app_login);
    tracing::debug!(%account, %login_name, app_login, "login");
    let reply = json!({
        "csrf": session.csrf,
        "wsuk": wsuk(&session),
        "config": {
            "loginName": login_name,
            "userId": user_id,
            "userPrivileges": [100, 101, 1730, 1731, 1732, 1733, 1734, 1735],
            "serverCurrentTime": clock::now_millis(),
            "timeDiff": 0,
            "serverTimeZoneName": "UTC",
            "serverTimeGMTDiff": 0,
            "isLPA": false,
            "isAdmin": is_admin,
            "accountTimeZoneId": "UTC"
        },
        "csdsCollectionResponse": { "baseURIs": csds::all_entries(&state, &account) },
        "accountData": {
            "agentGroupsData": {
                "items": [ { "id": -1, "deleted": false, "name": "Main Group" } ],
                "revision": 1
            }
        },
        "sessionTTl": state.sessions.ttl().as_millis().to_string(),
        "bearer": session.bearer,
    });
    (
        StatusCode::OK,
        [
            (header::SET_COOKIE, set_cookie(&session)),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
        ],
        reply.to_string(),
    )
        .into_response()
}

/// A decimal identifier derived from the session, like the documented `wsuk`.
fn wsuk(session: &Session) -> String {
    let n = u64::from_str_radix(&session.session_id[..15], 16).unwrap_or(0);
    n.to_string()
}

fn csrf_of(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body).ok()?.get("csrf")?.as_str().map(str::to_owned)
}

/// `POST /api/account/{accountId}/refresh`: `Session_id` cookie and `{"csrf"}` body.
pub async fn refresh(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let cookie = session_cookie(&headers);
    let csrf = csrf_of(&body);
    match state.sessions.refresh(&account, cookie.as_deref(), csrf.as_deref()) {
        Ok(session) => {
            tracing::debug!(%account, refreshes = session.refresh_count, "refresh");
            (StatusCode::OK, [(header::SET_COOKIE, set_cookie(&session))]).into_response()
        }
        Err(why) => {
            tracing::debug!(%account, ?why, "refresh refused");
            error_body::csrf_invalid()
        }
    }
}

/// `POST /api/account/{accountId}/logout`: like refresh, then the bearer stops working.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let cookie = session_cookie(&headers);
    let csrf = csrf_of(&body);
    match state.sessions.logout(&account, cookie.as_deref(), csrf.as_deref()) {
        Ok(()) => {
            tracing::debug!(%account, "logout");
            StatusCode::OK.into_response()
        }
        Err(why) => {
            tracing::debug!(%account, ?why, "logout refused");
            error_body::csrf_invalid()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; Session_id=abc ; b=2"));
        assert_eq!(session_cookie(&h).as_deref(), Some("abc"));
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("x=1"));
        h.append(header::COOKIE, HeaderValue::from_static("Session_id=z"));
        assert_eq!(session_cookie(&h).as_deref(), Some("z"));
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }
}
