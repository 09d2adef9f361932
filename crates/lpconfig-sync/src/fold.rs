//! Case-insensitive keys (login names) without an allocation for the common case.

use std::borrow::Cow;

/// `s.to_lowercase()`, borrowed when `s` is ASCII without capitals (most login names),
/// so that keying 100,000 users does not allocate 100,000 strings.
///
/// ```
/// use lpconfig_sync::fold::lower;
/// assert!(matches!(lower("ann.lee"), std::borrow::Cow::Borrowed("ann.lee")));
/// assert_eq!(lower("Ann.LEE"), "ann.lee");
/// assert_eq!(lower("ÉVA"), "éva");
/// ```
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::lower;

    #[test]
    fn equals_to_lowercase() {
        for s in ["", "a.b", "A.B", "ǅemal", "İstanbul", "straße", "ΣΑΣ", "x\u{0301}Y", "123_-@x.org"] {
            assert_eq!(lower(s), s.to_lowercase(), "{s}");
        }
    }
}
