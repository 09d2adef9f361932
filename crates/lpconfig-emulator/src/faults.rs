//! Fault rules: make chosen requests fail, stall, break or lie, to exercise client
//! retry and error paths.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// When a request matches, `action` happens instead of (or before) normal handling.
///
/// As JSON (seed files, `--fault`):
/// `{"method":"GET","path":"*/users","count":2,"action":{"type":"status","status":503,"retry_after":"1"}}`;
/// other actions are `{"type":"latency","ms":250}`, `{"type":"reset"}`,
/// `{"type":"malformed_body"}`, the lost-answer actions that let the request
/// through (so a write is applied) and then break its answer:
/// `{"type":"apply_then_status","status":503,"retry_after":"1"}`,
/// `{"type":"apply_then_reset"}`, `{"type":"apply_then_malformed"}`, and
/// `{"type":"random","probability":0.1,"seed":7,"action":{..}}`, which hits a
/// seeded pseudo-random share of the matching requests (a miss falls through to
/// the next rule and does not use up `count`).
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
    /// Handle the request normally (a write is applied), then answer with this
    /// status instead of the real answer: the client loses the outcome.
    ApplyThenStatus {
        /// Status code.
        status: u16,
        /// Body text; `None` sends a small JSON error body.
        body: Option<String>,
        /// `Retry-After` header value, when given.
        retry_after: Option<String>,
    },
    /// Handle the request normally, then drop the connection instead of answering.
    ApplyThenReset,
    /// Handle the request normally, then answer `200` with the body `<html>oops`.
    ApplyThenMalformed,
    /// Apply `action` to a seeded pseudo-random share of the matching requests.
    Random {
        /// Share of matching requests hit, in parts per million (JSON: `probability` 0.0-1.0).
        ppm: u32,
        /// Seed of the draw sequence: the same seed and request order hit the same requests.
        seed: u64,
        /// What a hit does (any action but `random`).
        action: Box<FaultAction>,
    },
}

impl FaultAction {
    /// Whether the request is handled (a write applied) before the answer breaks.
    pub fn applies_first(&self) -> bool {
        matches!(self, Self::ApplyThenStatus { .. } | Self::ApplyThenReset | Self::ApplyThenMalformed)
    }
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
    ApplyThenStatus {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    ApplyThenReset,
    ApplyThenMalformed,
    Random {
        probability: f64,
        #[serde(default)]
        seed: u64,
        action: Box<FaultAction>,
    },
}

/// Parts per million of a probability, clamped to 0..=1 (NaN counts as 0).
fn ppm_of(probability: f64) -> u32 {
    if probability.is_nan() {
        return 0;
    }
    (probability.clamp(0.0, 1.0) * 1_000_000.0).round() as u32
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
            ActionRepr::ApplyThenStatus { status, body, retry_after } => {
                FaultAction::ApplyThenStatus { status, body, retry_after }
            }
            ActionRepr::ApplyThenReset => FaultAction::ApplyThenReset,
            ActionRepr::ApplyThenMalformed => FaultAction::ApplyThenMalformed,
            ActionRepr::Random { probability, seed, action } => {
                FaultAction::Random { ppm: ppm_of(probability), seed, action }
            }
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
            FaultAction::ApplyThenStatus { status, body, retry_after } => {
                ActionRepr::ApplyThenStatus { status, body, retry_after }
            }
            FaultAction::ApplyThenReset => ActionRepr::ApplyThenReset,
            FaultAction::ApplyThenMalformed => ActionRepr::ApplyThenMalformed,
            FaultAction::Random { ppm, seed, action } => {
                ActionRepr::Random { probability: f64::from(ppm) / 1_000_000.0, seed, action }
            }
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

/// One active rule and how many times a `random` rule has drawn.
#[derive(Debug)]
struct Slot {
    rule: FaultRule,
    draws: u64,
}

/// SplitMix64: a tiny, well-mixed generator; the n-th draw of a seed is fixed.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The live rule list, shared by the middleware and the test handle.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: Mutex<Vec<Slot>>,
    injected: AtomicU64,
}

impl FaultSet {
    /// A set holding `rules`, first match wins.
    pub fn new(rules: Vec<FaultRule>) -> FaultSet {
        FaultSet {
            rules: Mutex::new(rules.into_iter().map(|rule| Slot { rule, draws: 0 }).collect()),
            injected: AtomicU64::new(0),
        }
    }

    /// Appends a rule (checked after the existing ones).
    pub fn add(&self, rule: FaultRule) {
        self.lock().push(Slot { rule, draws: 0 });
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The rules still active.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().iter().map(|s| s.rule.clone()).collect()
    }

    /// How many requests a fault hit so far (every action counts, latency too).
    pub fn injected(&self) -> u64 {
        self.injected.load(Ordering::Relaxed)
    }

    /// The action of the first rule that matches the request and hits (a
    /// `random` rule may miss), using up one of its hits.
    pub fn take(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut rules = self.lock();
        let mut found = None;
        for (i, slot) in rules.iter_mut().enumerate() {
            if !slot.rule.matches(method, path) {
                continue;
            }
            let action = match &slot.rule.action {
                FaultAction::Random { ppm, seed, action } => {
                    let draw = splitmix64(seed.wrapping_add(slot.draws.wrapping_mul(0x9E37_79B9)));
                    slot.draws += 1;
                    if draw % 1_000_000 >= u64::from(*ppm) {
                        continue;
                    }
                    (**action).clone()
                }
                other => other.clone(),
            };
            found = Some((i, action));
            break;
        }
        let (i, action) = found?;
        if let Some(n) = rules[i].rule.count.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                rules.remove(i);
            }
        }
        self.injected.fetch_add(1, Ordering::Relaxed);
        Some(action)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
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
        for t in ["reset", "malformed_body", "apply_then_reset", "apply_then_malformed"] {
            let j = format!(r#"{{"path":"*","action":{{"type":"{t}"}}}}"#);
            assert!(FaultRule::from_json(&j).is_ok(), "{t}");
        }
        assert!(FaultRule::from_json(r#"{"path":"*","action":{"type":"explode"}}"#).is_err());
        let a = FaultRule::from_json(
            r#"{"path":"*","action":{"type":"apply_then_status","status":503,"retry_after":"2"}}"#,
        )
        .unwrap();
        assert_eq!(
            a.action,
            FaultAction::ApplyThenStatus { status: 503, body: None, retry_after: Some("2".into()) }
        );
        assert!(a.action.applies_first());
        let r = FaultRule::from_json(
            r#"{"path":"*","action":{"type":"random","probability":0.25,"seed":9,"action":{"type":"reset"}}}"#,
        )
        .unwrap();
        assert_eq!(
            r.action,
            FaultAction::Random { ppm: 250_000, seed: 9, action: Box::new(FaultAction::Reset) }
        );
        assert_eq!(FaultRule::from_json(&serde_json::to_string(&r).unwrap()).unwrap(), r);
    }

    #[test]
    fn random_rules_hit_a_seeded_share_and_fall_through() {
        let random = |seed| FaultAction::Random { ppm: 300_000, seed, action: Box::new(FaultAction::Reset) };
        let draws = |seed| {
            let set = FaultSet::new(vec![
                FaultRule::new("*", random(seed)),
                FaultRule::new("*", FaultAction::MalformedBody),
            ]);
            (0..1000).map(|_| set.take("GET", "/x")).collect::<Vec<_>>()
        };
        let a = draws(1);
        assert_eq!(a, draws(1), "same seed, same hits");
        assert_ne!(a, draws(2));
        let resets = a.iter().filter(|x| **x == Some(FaultAction::Reset)).count();
        assert!((220..380).contains(&resets), "{resets} of 1000 at p=0.3");
        // A miss falls through to the next rule.
        assert!(a.iter().all(|x| x.is_some()));
        let set = FaultSet::new(vec![FaultRule::new("*", random(3)).times(5)]);
        let hits = (0..200).filter(|_| set.take("GET", "/x").is_some()).count();
        assert_eq!(hits, 5);
        assert_eq!(set.injected(), 5);
    }
}
