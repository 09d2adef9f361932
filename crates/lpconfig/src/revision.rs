//! Revisions (D5): `ac-revision`/`ETag` on responses, `If-Match` on requests,
//! and the results that carry them.

use std::fmt;

use crate::transport::Incoming;

/// An account-config revision number (account-wide counter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Revision(pub u64);

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Revision {
    /// Reads `ac-revision`, then `ETag`, stripping quotes and `W/` (D5).
    ///
    /// ```
    /// use lpconfig::Revision;
    /// assert_eq!(Revision::parse("W/\"42\""), Some(Revision(42)));
    /// assert_eq!(Revision::parse("-1"), None);
    /// ```
    pub fn parse(header: &str) -> Option<Self> {
        let t = header.trim();
        let t = t.strip_prefix("W/").unwrap_or(t).trim_matches('"');
        t.parse().ok().map(Self)
    }

    /// The revision a response carries, if any.
    pub fn from_response(resp: &Incoming) -> Option<Self> {
        resp.header("ac-revision").and_then(Self::parse).or_else(|| resp.header("etag").and_then(Self::parse))
    }
}

/// The `If-Match` of a write: `Any` (`-1`, no check) or the revision the caller read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    /// `If-Match: -1`: apply whatever the current revision is.
    Any,
    /// Apply only if the collection is still at this revision, else `Conflict`.
    Revision(Revision),
}

impl IfMatch {
    /// The header value.
    pub fn header_value(self) -> String {
        match self {
            Self::Any => "-1".into(),
            Self::Revision(r) => r.to_string(),
        }
    }
}

impl From<Revision> for IfMatch {
    fn from(r: Revision) -> Self {
        Self::Revision(r)
    }
}

/// A value with the collection revision it was read or written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    /// The value.
    pub value: T,
    /// The revision the server reported (absent only if it sent none).
    pub revision: Option<Revision>,
}

impl<T> Versioned<T> {
    /// `If-Match` for a write based on this read (`Any` when no revision was sent).
    pub fn if_match(&self) -> IfMatch {
        self.revision.map_or(IfMatch::Any, IfMatch::Revision)
    }

    /// Transforms the value, keeping the revision.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Versioned<U> {
        Versioned { value: f(self.value), revision: self.revision }
    }
}

/// The result of a conditional read: `304` is "not modified", never an empty list.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched<T> {
    /// The data changed since the given revision (or none was given).
    Modified(Versioned<T>),
    /// Nothing changed; the revision is the one the server confirmed.
    NotModified(Option<Revision>),
}

impl<T> Fetched<T> {
    /// The new data, or `None` when not modified.
    pub fn modified(self) -> Option<Versioned<T>> {
        match self {
            Self::Modified(v) => Some(v),
            Self::NotModified(_) => None,
        }
    }
}
