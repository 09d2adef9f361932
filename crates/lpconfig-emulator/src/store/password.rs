//! Password storage (D13): PBKDF2-HMAC-SHA256, 1000 rounds, 24-byte salt and key,
//! rendered as `<<slt>>1000:<48 hex>:<48 hex>` — the shape the docs' delta examples
//! show — so the stored hash doubles as the opaque value returned to clients.
//! Benchmark mode stores with fewer rounds (the count is part of the stored form,
//! so `verify` needs no setting): a sync of 10,000 new users should time the
//! client, not PBKDF2 in the emulator.

use sha2::Sha256;

const PREFIX: &str = "<<slt>>";
/// Rounds of the documented shape (D13).
pub const ROUNDS: u32 = 1000;
const LEN: usize = 24;

/// A fresh random salt (falls back to a time-derived one if the OS refuses).
pub fn new_salt() -> [u8; LEN] {
    let mut salt = [0u8; LEN];
    if getrandom::fill(&mut salt).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        for (i, b) in salt.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8 ^ i as u8;
        }
    }
    salt
}

/// The opaque stored form of `password` with `salt`.
pub fn hash_with_salt(password: &str, salt: &[u8; LEN], rounds: u32) -> String {
    let rounds = rounds.max(1);
    let mut key = [0u8; LEN];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, rounds, &mut key);
    format!("{PREFIX}{rounds}:{}:{}", hex::encode(salt), hex::encode(key))
}

/// The opaque stored form of `password` with a random salt and `rounds` rounds
/// ([`ROUNDS`] unless the emulator runs in benchmark mode).
pub fn hash(password: &str, rounds: u32) -> String {
    hash_with_salt(password, &new_salt(), rounds)
}

/// Whether `password` matches the opaque stored form.
pub fn verify(stored: &str, password: &str) -> bool {
    let Some(rest) = stored.strip_prefix(PREFIX) else {
        return false;
    };
    let mut parts = rest.split(':');
    let (Some(rounds), Some(salt), Some(key), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(key)) = (rounds.parse::<u32>(), hex::decode(salt), hex::decode(key)) else {
        return false;
    };
    let mut out = vec![0u8; key.len()];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, rounds, &mut out);
    // Constant-time comparison: the emulator is a test tool, but there is no reason
    // to teach a timing oracle.
    out.len() == key.len() && out.iter().zip(&key).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_has_documented_shape_and_verifies() {
        let h = hash("Str0ng-Passw0rd", ROUNDS);
        let parts: Vec<&str> = h.trim_start_matches(PREFIX).split(':').collect();
        assert!(h.starts_with("<<slt>>1000:"));
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].len(), 48);
        assert_eq!(parts[2].len(), 48);
        assert!(verify(&h, "Str0ng-Passw0rd"));
        assert!(!verify(&h, "Str0ng-Passw0rd!"));
        assert!(!verify("pppppp", "pppppp"));
    }

    #[test]
    fn salts_differ() {
        assert_ne!(hash("same-password", ROUNDS), hash("same-password", ROUNDS));
    }

    #[test]
    fn cheap_hash_records_its_rounds_and_verifies() {
        let h = hash("Str0ng-Passw0rd", 1);
        assert!(h.starts_with("<<slt>>1:"), "{h}");
        assert!(verify(&h, "Str0ng-Passw0rd"));
        assert!(!verify(&h, "Str0ng-Passw0rd!"));
    }
}
