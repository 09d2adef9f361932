//! OAuth 1.0a replay protection: a nonce is accepted once per (consumer key, token).
//!
//! Entries only need to outlive the timestamp window: a replay older than that is
//! already refused for its stale timestamp.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Nonces seen within the timestamp window.
#[derive(Debug)]
pub struct NonceCache {
    keep: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    seen: HashSet<(String, String, String)>,
    order: Vec<(Instant, (String, String, String))>,
}

impl NonceCache {
    /// A cache for a timestamp window of `window` (either side of now).
    pub fn new(window: Duration) -> NonceCache {
        NonceCache { keep: window * 2 + Duration::from_secs(1), inner: Mutex::new(Inner::default()) }
    }

    /// Records the nonce; `false` when it was already used with this key and token.
    pub fn first_use(&self, consumer_key: &str, token: &str, nonce: &str) -> bool {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let cut = inner
            .order
            .iter()
            .position(|(t, _)| now.duration_since(*t) < self.keep)
            .unwrap_or(inner.order.len());
        for (_, key) in inner.order.drain(..cut).collect::<Vec<_>>() {
            inner.seen.remove(&key);
        }
        let key = (consumer_key.to_owned(), token.to_owned(), nonce.to_owned());
        if !inner.seen.insert(key.clone()) {
            return false;
        }
        inner.order.push((now, key));
        true
    }
}

impl Default for NonceCache {
    fn default() -> Self {
        NonceCache::new(Duration::from_secs(300))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_is_refused_per_key_and_token() {
        let c = NonceCache::default();
        assert!(c.first_use("k", "t", "n1"));
        assert!(!c.first_use("k", "t", "n1"));
        assert!(c.first_use("k", "t2", "n1"));
        assert!(c.first_use("k2", "t", "n1"));
    }
}
