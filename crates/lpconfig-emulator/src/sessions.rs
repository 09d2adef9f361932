//! Login Service sessions: bearer, csrf and `Session_id` cookie, with a lifetime that
//! `refresh` extends.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::token::{constant_time_eq, random_hex64};

/// A live session as the emulator keeps it.
#[derive(Debug, Clone)]
pub struct Session {
    /// Account the session belongs to.
    pub account: String,
    /// Login name of the user or bot.
    pub login_name: String,
    /// `config.userId` reported at login.
    pub user_id: String,
    /// `true` for an app-key (bot) login.
    pub app_login: bool,
    /// `Authorization: Bearer` token.
    pub bearer: String,
    /// Body value that `refresh` and `logout` must echo.
    pub csrf: String,
    /// `Session_id` cookie value.
    pub session_id: String,
    /// Successful refreshes of this session.
    pub refresh_count: usize,
    /// When the session stops working unless refreshed.
    pub expires_at: Instant,
}

/// Introspection view of a session, without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Account the session belongs to.
    pub account: String,
    /// Login name.
    pub login_name: String,
    /// `true` for an app-key (bot) login.
    pub app_login: bool,
    /// Successful refreshes so far.
    pub refresh_count: usize,
    /// Time left before expiry.
    pub expires_in: Duration,
}

/// Why `refresh`/`logout` refused; the platform answers all of them with the same
/// CSRF body, the reason only feeds debug logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `Session_id` cookie or an unknown one.
    NoSession,
    /// The session belongs to another account.
    WrongAccount,
    /// The session expired.
    Expired,
    /// The csrf in the body differs from the session's.
    BadCsrf,
}

/// Why a bearer was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerRefusal {
    /// Unknown, logged out or expired.
    Invalid,
    /// Valid, but for another account.
    OtherAccount,
}

/// All sessions, keyed by bearer.
#[derive(Debug)]
pub struct SessionTable {
    ttl: Duration,
    by_bearer: Mutex<HashMap<String, Session>>,
    refreshes: AtomicUsize,
}

impl SessionTable {
    /// A table whose sessions live `ttl` after login or their last refresh.
    pub fn new(ttl: Duration) -> SessionTable {
        SessionTable { ttl, by_bearer: Mutex::new(HashMap::new()), refreshes: AtomicUsize::new(0) }
    }

    /// The lifetime given to new and refreshed sessions.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Opens a session with fresh random bearer, csrf and `Session_id`.
    pub fn open(&self, account: &str, login_name: &str, user_id: &str, app_login: bool) -> Session {
        let session = Session {
            account: account.to_owned(),
            login_name: login_name.to_owned(),
            user_id: user_id.to_owned(),
            app_login,
            bearer: random_hex64(),
            csrf: random_hex64(),
            session_id: random_hex64(),
            refresh_count: 0,
            expires_at: Instant::now() + self.ttl,
        };
        let mut map = self.lock();
        map.retain(|_, s| s.expires_at > Instant::now());
        map.insert(session.bearer.clone(), session.clone());
        session
    }

    /// The session a bearer opens on `account`.
    pub fn check_bearer(&self, account: &str, bearer: &str) -> Result<Session, BearerRefusal> {
        let map = self.lock();
        let session =
            map.get(bearer).filter(|s| s.expires_at > Instant::now()).ok_or(BearerRefusal::Invalid)?;
        if session.account != account {
            return Err(BearerRefusal::OtherAccount);
        }
        Ok(session.clone())
    }

    /// `refresh`: checks cookie, account and csrf, then extends the session.
    pub fn refresh(
        &self,
        account: &str,
        session_id: Option<&str>,
        csrf: Option<&str>,
    ) -> Result<Session, Refusal> {
        let mut map = self.lock();
        let session = find(&mut map, account, session_id, csrf)?;
        session.expires_at = Instant::now() + self.ttl;
        session.refresh_count += 1;
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        Ok(session.clone())
    }

    /// `logout`: checks like `refresh`, then ends the session.
    pub fn logout(&self, account: &str, session_id: Option<&str>, csrf: Option<&str>) -> Result<(), Refusal> {
        let mut map = self.lock();
        let bearer = find(&mut map, account, session_id, csrf)?.bearer.clone();
        map.remove(&bearer);
        Ok(())
    }

    /// Ends every session, as if they all timed out.
    pub fn expire_all(&self) {
        self.lock().clear();
    }

    /// Live sessions, without secrets.
    pub fn list(&self) -> Vec<SessionInfo> {
        let now = Instant::now();
        self.lock()
            .values()
            .filter(|s| s.expires_at > now)
            .map(|s| SessionInfo {
                account: s.account.clone(),
                login_name: s.login_name.clone(),
                app_login: s.app_login,
                refresh_count: s.refresh_count,
                expires_in: s.expires_at - now,
            })
            .collect()
    }

    /// Successful refreshes across all sessions, ended ones included.
    pub fn total_refreshes(&self) -> usize {
        self.refreshes.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.by_bearer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn find<'a>(
    map: &'a mut HashMap<String, Session>,
    account: &str,
    session_id: Option<&str>,
    csrf: Option<&str>,
) -> Result<&'a mut Session, Refusal> {
    let session_id = session_id.ok_or(Refusal::NoSession)?;
    let session =
        map.values_mut().find(|s| constant_time_eq(&s.session_id, session_id)).ok_or(Refusal::NoSession)?;
    if session.account != account {
        return Err(Refusal::WrongAccount);
    }
    if session.expires_at <= Instant::now() {
        return Err(Refusal::Expired);
    }
    match csrf {
        Some(c) if constant_time_eq(&session.csrf, c) => Ok(session),
        _ => Err(Refusal::BadCsrf),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        let t = SessionTable::new(Duration::from_secs(60));
        let s = t.open("demo", "admin", "1", false);
        assert!(t.check_bearer("demo", &s.bearer).is_ok());
        assert_eq!(t.check_bearer("other", &s.bearer).unwrap_err(), BearerRefusal::OtherAccount);
        assert_eq!(t.check_bearer("demo", "nope").unwrap_err(), BearerRefusal::Invalid);
        let sid = Some(s.session_id.as_str());
        assert_eq!(t.refresh("demo", sid, Some("bad")).unwrap_err(), Refusal::BadCsrf);
        assert_eq!(t.refresh("demo", None, Some(&s.csrf)).unwrap_err(), Refusal::NoSession);
        assert_eq!(t.refresh("x", sid, Some(&s.csrf)).unwrap_err(), Refusal::WrongAccount);
        assert_eq!(t.refresh("demo", sid, Some(&s.csrf)).unwrap().refresh_count, 1);
        assert_eq!(t.list()[0].refresh_count, 1);
        t.logout("demo", sid, Some(&s.csrf)).unwrap();
        assert!(t.check_bearer("demo", &s.bearer).is_err());
        assert_eq!(t.total_refreshes(), 1);
    }

    #[test]
    fn expiry() {
        let t = SessionTable::new(Duration::ZERO);
        let s = t.open("demo", "admin", "1", false);
        assert!(t.check_bearer("demo", &s.bearer).is_err());
        let t = SessionTable::new(Duration::from_secs(60));
        let s = t.open("demo", "admin", "1", false);
        t.expire_all();
        assert!(t.check_bearer("demo", &s.bearer).is_err());
        assert!(t.list().is_empty());
    }
}
