//! Fault rules: make chosen requests fail, stall, break or lie, to exercise client
//! retry and error paths.

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// When a request matches, `action` happens instead of (or before) normal handling.
///
/// As JSON (seed files, `--fault`):
/// `{"method":"GET","path":"*/users","count":2,"action":{"type":"status","status":503,"retry_after":"1"}}`;
/// other actions are `{"type":"latency","ms":250}`, `{"type":"reset"}` and
/// `{"type":"malformed_body"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// HTTP method (case-insensitive); `None` matches every method.
    #[serde(default)]
    pub method: Option<String>,
    /// Glob over the request path (no query): `*` matches any run of characters,
    /// everything else is literal. `*/users` matches `/api/account/demo/configuration/le-users/users`.
    pub path: String,
    /// How many more requests this rule hits; `None` means forever.
    #[serde(default)]
    pub count: Option<u32>,
    /// What happens to a matching request.
    pub action: FaultAction,
}

/// What a matching [`FaultRule`] does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ActionRepr", into = "ActionRepr")]
pub enum FaultAction {
    /// Answer with this status (and body, and `Retry-After`) without routing.
    Status {
        /// Status code.
        status: u16,
        /// Body text; `None` sends a small JSON error body.
        body: Option<String>,
        /// `Retry-After` header value, when given.
        retry_after: Option<String>,
    },
    /// Wait, then handle the request normally.
    Latency(Duration),
    /// Drop the TCP connection (RST) without any response.
    Reset,
    /// `200` with `Content-Type: application/json` and the body `<html>oops`.
    MalformedBody,
}

/// The serde shape of [`FaultAction`]: internally tagged, latency in milliseconds.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ActionRepr {
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    Latency {
        ms: u64,
    },
    Reset,
    MalformedBody,
}

impl From<ActionRepr> for FaultAction {
    fn from(r: ActionRepr) -> Self {
        match r {
            ActionRepr::Status { status, body, retry_after } => {
                FaultAction::Status { status, body, retry_after }
            }
            ActionRepr::Latency { ms } => FaultAction::Latency(Duration::from_millis(ms)),
            ActionRepr::Reset => FaultAction::Reset,
            ActionRepr::MalformedBody => FaultAction::MalformedBody,
        }
    }
}

impl From<FaultAction> for ActionRepr {
    fn from(a: FaultAction) -> Self {
        match a {
            FaultAction::Status { status, body, retry_after } => {
                ActionRepr::Status { status, body, retry_after }
            }
            FaultAction::Latency(d) => {
                ActionRepr::Latency { ms: d.as_millis().try_into().unwrap_or(u64::MAX) }
            }
            FaultAction::Reset => ActionRepr::Reset,
            FaultAction::MalformedBody => ActionRepr::MalformedBody,
        }
    }
}

impl FaultRule {
    /// A rule for every method on `path`, forever.
    pub fn new(path: impl Into<String>, action: FaultAction) -> FaultRule {
        FaultRule { method: None, path: path.into(), count: None, action }
    }

    /// Restricts the rule to one method.
    pub fn method(mut self, method: impl Into<String>) -> FaultRule {
        self.method = Some(method.into());
        self
    }

    /// Limits the rule to the next `n` matching requests.
    pub fn times(mut self, n: u32) -> FaultRule {
        self.count = Some(n);
        self
    }

    /// Parses one rule from JSON (the `--fault` format).
    pub fn from_json(text: &str) -> Result<FaultRule, serde_json::Error> {
        serde_json::from_str(text)
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method)) && glob_match(&self.path, path)
    }
}

/// `*` matches any run of characters (including `/`); everything else is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    // The last piece anchors at the end; it must not overlap what the middle consumed.
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The live rule list, shared by the middleware and the test handle.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: Mutex<Vec<FaultRule>>,
}

impl FaultSet {
    /// A set holding `rules`, first match wins.
    pub fn new(rules: Vec<FaultRule>) -> FaultSet {
        FaultSet { rules: Mutex::new(rules) }
    }

    /// Appends a rule (checked after the existing ones).
    pub fn add(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The rules still active.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    /// The action of the first rule matching the request, using up one of its hits.
    pub fn take(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut rules = self.lock();
        let i = rules.iter().position(|r| r.matches(method, path))?;
        let action = rules[i].action.clone();
        if let Some(n) = rules[i].count.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                rules.remove(i);
            }
        }
        Some(action)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        // A panic elsewhere must not disable fault injection for the remaining tests.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        let p = "/api/account/demo/configuration/le-users/users";
        assert!(glob_match("*/users", p));
        assert!(glob_match("*", p));
        assert!(glob_match(p, p));
        assert!(glob_match("*/le-users/*", p));
        assert!(glob_match("/api/*/demo/*users", p));
        assert!(!glob_match("*/users/*", p));
        assert!(!glob_match("/users", p));
        assert!(!glob_match("*/skills", p));
        assert!(!glob_match("a*a", "a"));
        assert!(glob_match("a*a", "aa"));
        assert!(glob_match("", ""));
    }

    #[test]
    fn counts_run_out_and_first_match_wins() {
        let set = FaultSet::new(vec![
            FaultRule::new("*/users", FaultAction::Reset).method("get").times(2),
            FaultRule::new("*", FaultAction::MalformedBody).method("GET"),
        ]);
        assert_eq!(set.take("GET", "/x/users"), Some(FaultAction::Reset));
        assert_eq!(set.take("POST", "/x/users"), None);
        assert_eq!(set.take("GET", "/x/users"), Some(FaultAction::Reset));
        assert_eq!(set.take("GET", "/x/users"), Some(FaultAction::MalformedBody));
        assert_eq!(set.rules().len(), 1);
        set.clear();
        assert_eq!(set.take("GET", "/x/users"), None);
    }

    #[test]
    fn json_shape() {
        let r = FaultRule::from_json(
            r#"{"method":"GET","path":"*/users","count":1,"action":{"type":"status","status":429,"retry_after":"1"}}"#,
        )
        .unwrap();
        assert_eq!(r.action, FaultAction::Status { status: 429, body: None, retry_after: Some("1".into()) });
        let l = FaultRule::from_json(r#"{"path":"*","action":{"type":"latency","ms":25}}"#).unwrap();
        assert_eq!(l.action, FaultAction::Latency(Duration::from_millis(25)));
        let back = serde_json::to_string(&l).unwrap();
        assert_eq!(FaultRule::from_json(&back).unwrap(), l);
        for t in ["reset", "malformed_body"] {
            let j = format!(r#"{{"path":"*","action":{{"type":"{t}"}}}}"#);
            assert!(FaultRule::from_json(&j).is_ok(), "{t}");
        }
        assert!(FaultRule::from_json(r#"{"path":"*","action":{"type":"explode"}}"#).is_err());
    }
}
