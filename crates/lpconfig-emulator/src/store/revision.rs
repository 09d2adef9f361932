//! `If-Match` as the store understands it (agent-groups-api.md §2.2, D4, D5).

use super::error::{StoreError, StoreResult};

/// The revision a writer believes is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    /// `-1` or `*`: no check ("always the full response", "just keep -1").
    Any,
    /// A concrete collection revision.
    Revision(u64),
}

impl IfMatch {
    /// Parses a header value. Quotes and a `W/` prefix are tolerated because generic
    /// HTTP clients add them to ETags they echo back.
    pub fn parse(raw: &str) -> StoreResult<IfMatch> {
        let mut s = raw.trim();
        if let Some(rest) = s.strip_prefix("W/") {
            s = rest.trim();
        }
        let s = s.trim_matches('"').trim();
        if s == "-1" || s == "*" {
            return Ok(IfMatch::Any);
        }
        s.parse::<u64>().map(IfMatch::Revision).map_err(|_| {
            StoreError::invalid(
                "If-Match",
                "ifMatch.invalid",
                format!("If-Match must be a revision number, -1 or *; got {raw:?}"),
            )
        })
    }

    /// Whether a read carrying this header may be answered `304` at `current`.
    pub fn not_modified(self, current: u64) -> bool {
        matches!(self, IfMatch::Revision(r) if r == current)
    }
}

/// The write-side check: a stale revision is `409`; a missing header is accepted
/// unless `strict` (then `400`).
pub fn check_write(if_match: Option<IfMatch>, current: u64, strict: bool) -> StoreResult<()> {
    match if_match {
        None if strict => Err(StoreError::invalid(
            "If-Match",
            "ifMatch.required",
            "If-Match is required on writes (strict mode); send the revision or -1",
        )),
        None | Some(IfMatch::Any) => Ok(()),
        Some(IfMatch::Revision(r)) if r == current => Ok(()),
        Some(IfMatch::Revision(r)) => Err(StoreError::conflict(
            "If-Match",
            "ifMatch.stale",
            format!("revision {r} is stale; the collection is at revision {current}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_forms() {
        assert_eq!(IfMatch::parse("-1").unwrap(), IfMatch::Any);
        assert_eq!(IfMatch::parse("*").unwrap(), IfMatch::Any);
        assert_eq!(IfMatch::parse("42").unwrap(), IfMatch::Revision(42));
        assert_eq!(IfMatch::parse("\"42\"").unwrap(), IfMatch::Revision(42));
        assert_eq!(IfMatch::parse("W/\"42\"").unwrap(), IfMatch::Revision(42));
        assert_eq!(IfMatch::parse("abc").unwrap_err().rule, "ifMatch.invalid");
    }

    #[test]
    fn write_check() {
        assert!(check_write(None, 5, false).is_ok());
        assert_eq!(check_write(None, 5, true).unwrap_err().status, 400);
        assert!(check_write(Some(IfMatch::Any), 5, true).is_ok());
        assert!(check_write(Some(IfMatch::Revision(5)), 5, false).is_ok());
        let e = check_write(Some(IfMatch::Revision(4)), 5, false).unwrap_err();
        assert_eq!((e.status, e.rule), (409, "ifMatch.stale"));
    }
}
