//! Random initial passwords for new users.

use lpconfig::Secret;

const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// 20 characters from an unambiguous alphabet (about 115 bits), from the OS CSPRNG.
pub fn generate() -> Secret {
    let mut bytes = [0u8; 20];
    // The OS generator failing is not something a CLI can recover from.
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    // 256 % 57 != 0 leaves a tiny bias; irrelevant for a one-time initial password.
    Secret::new(bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_and_long_enough() {
        let (a, b) = (super::generate(), super::generate());
        assert_eq!(a.expose().len(), 20);
        assert_ne!(a.expose(), b.expose());
    }
}
