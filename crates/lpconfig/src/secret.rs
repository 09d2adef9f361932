//! A string that must never be shown: passwords, bearers, csrf tokens, API-key secrets.

use std::fmt;
use zeroize::Zeroize;

/// A secret string: `Debug` and `Display` print `***`, and the memory is zeroed on drop.
///
/// The only way to read the value is [`Secret::expose`], so every place that
/// uses a secret is easy to find.
///
/// ```
/// use lpconfig::Secret;
/// let s = Secret::new("hunter2");
/// assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself; keep it out of logs and errors.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the value is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_value() {
        let s = Secret::new("p@ss");
        assert!(!format!("{s:?}").contains("p@ss"));
        assert!(!format!("{s}").contains("p@ss"));
        assert!(!format!("{:#?}", Some(s.clone())).contains("p@ss"));
    }
}
