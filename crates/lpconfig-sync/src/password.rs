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

/// `n` passwords as [`generate`] makes them, from one request to the OS generator
/// (an apply of 50,000 new users made 50,000 system calls).
pub fn generate_many(n: usize) -> Vec<Secret> {
    let mut bytes = vec![0u8; 20 * n];
    getrandom::fill(&mut bytes).expect("the operating system's random generator is available");
    let out = bytes
        .chunks_exact(20)
        .map(|c| {
            Secret::new(c.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect::<String>())
        })
        .collect();
    // The bytes are the passwords' source: not left behind in freed memory.
    bytes.fill(0);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_and_long_enough() {
        let (a, b) = (super::generate(), super::generate());
        assert_eq!(a.expose().len(), 20);
        assert_ne!(a.expose(), b.expose());
    }

    #[test]
    fn many_are_random_and_from_the_alphabet() {
        let many = super::generate_many(3);
        assert_eq!(many.len(), 3);
        assert!(many
            .iter()
            .all(|p| p.expose().len() == 20 && p.expose().bytes().all(|b| super::ALPHABET.contains(&b))));
        assert!(many[0].expose() != many[1].expose() && many[1].expose() != many[2].expose());
        assert!(super::generate_many(0).is_empty());
    }
}
