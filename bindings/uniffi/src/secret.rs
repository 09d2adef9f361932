//! `Secret`: a password, API-key secret or bearer token handed across the FFI
//! as an opaque object, so that generated records (Kotlin data classes,
//! Python and Swift structs) print `***` instead of the value.

/// A secret value. Prints as `***` in every language; the value is only read
/// by the core when it signs or logs in.
#[derive(uniffi::Object)]
#[uniffi::export(Display, Debug)]
pub struct Secret(pub(crate) lpconfig::Secret);

#[uniffi::export]
impl Secret {
    /// Wraps `value`.
    #[uniffi::constructor]
    pub fn new(value: String) -> Self {
        Self(lpconfig::Secret::new(value))
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    /// The core secret (cloned: the core owns and zeroizes its copies).
    pub(crate) fn core(&self) -> lpconfig::Secret {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("hunter2".into());
        assert_eq!(s.to_string(), "***");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert_eq!(s.core().expose(), "hunter2");
    }
}
