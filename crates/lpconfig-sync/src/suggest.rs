//! "Did you mean": the closest known name to a misspelt one.

/// Levenshtein distance over characters.
///
/// ```
/// assert_eq!(lpconfig_sync::suggest::distance("Billing", "Biling"), 1);
/// ```
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The known name closest to `name` (case-insensitive), when it is close enough to be a typo:
/// at most 2 edits, and fewer than half the name's length.
///
/// ```
/// let known = ["Agent", "Agent Manager", "Administrator"];
/// assert_eq!(lpconfig_sync::suggest::closest("Agnet", known.iter().copied()), Some("Agent"));
/// assert_eq!(lpconfig_sync::suggest::closest("Pilot", known.iter().copied()), None);
/// ```
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let want = name.to_lowercase();
    let limit = 2.min(want.chars().count().saturating_sub(1) / 2).max(1);
    known
        .into_iter()
        .map(|k| (distance(&k.to_lowercase(), &want), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// ` (did you mean "X"?)` or nothing.
pub fn hint<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, known).map(|k| format!(" (did you mean {k:?}?)")).unwrap_or_default()
}
