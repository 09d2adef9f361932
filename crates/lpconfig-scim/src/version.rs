//! Resource versions (RFC 7644 §3.14): each SCIM resource has its own `ETag`, a
//! digest of its representation, so it moves when that user or group changes and
//! only then. LivePerson's own revision is per collection (docs/scim.md, "ETags"):
//! the bridge uses it as the write guard, not as the resource's version.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A resource version: the opaque tag of `ETag: W/"tag"` and `meta.version`.
///
/// ```
/// use lpconfig_scim::version::Version;
/// use serde_json::json;
/// let a = Version::of(&json!({"id": "1", "userName": "kim"}));
/// assert_eq!(a, Version::of(&json!({"id": "1", "userName": "kim", "meta": {"version": "x"}})));
/// assert_ne!(a, Version::of(&json!({"id": "1", "userName": "kim2"})));
/// assert_eq!(Version::parse(&a.etag()), Some(a.clone()));
/// assert_eq!(Version::parse("*"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version(String);

impl Version {
    /// The version of a resource: its JSON without `meta.version`, hashed (SHA-256, 16 hex digits).
    pub fn of(resource: &Value) -> Self {
        let mut r = resource.clone();
        if let Some(m) = r.as_object_mut() {
            if let Some(meta) = m.get_mut("meta").and_then(Value::as_object_mut) {
                meta.remove("version");
                if meta.is_empty() {
                    m.remove("meta");
                }
            }
        }
        let digest = Sha256::digest(r.to_string().as_bytes());
        Self(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
    }

    /// `W/"tag"`.
    pub fn etag(&self) -> String {
        format!("W/\"{}\"", self.0)
    }

    /// An `If-Match` value (`W/"tag"`, `"tag"` or `tag`); `None` for `*` or empty.
    pub fn parse(header: &str) -> Option<Self> {
        let t = header.trim();
        let t = t.strip_prefix("W/").unwrap_or(t).trim_matches('"');
        (!t.is_empty() && t != "*").then(|| Self(t.to_owned()))
    }
}
