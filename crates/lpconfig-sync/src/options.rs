//! What a sync may do: the engine's settings (bindings pass them as JSON/dicts).

use lpconfig::Secret;
use serde::{Deserialize, Deserializer, Serialize};

/// What happens to users of the account that the desired rows do not name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prune {
    /// Leave them alone.
    #[default]
    Off,
    /// Disable them (`isEnabled: false`).
    Disable,
    /// Delete them (soft delete).
    Delete,
}

/// Settings of a plan.
///
/// ```
/// use lpconfig_sync::{Options, Prune};
/// let o: Options = serde_json::from_str(r#"{"prune": "disable", "protected_logins": ["admin"]}"#).unwrap();
/// assert_eq!(o.prune, Prune::Disable);
/// // The initial password is read from JSON but never written back.
/// let o: Options = serde_json::from_str(r#"{"initial_password": "S3cret-pw"}"#).unwrap();
/// assert!(!serde_json::to_string(&o).unwrap().contains("S3cret"));
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// What to do with users absent from the rows.
    pub prune: Prune,
    /// Login names never pruned (API users and bots are never pruned either). Put the
    /// login running the sync here.
    pub protected_logins: Vec<String>,
    /// May send back a masked (`""`) full name (only for accounts that keep masked values, D14).
    pub allow_masked_blank: bool,
    /// Initial password of new users whose row has no `password`; `None`: a random one each.
    #[serde(skip_serializing, deserialize_with = "secret")]
    pub initial_password: Option<Secret>,
    /// Create skills and lines of business the rows name but the account lacks (by
    /// name, before the users that point at them; the plan lists them in
    /// `catalog_creates`). Off: an unknown name is an input error. Roles are never
    /// created (a profile needs permissions, not just a name).
    pub create_missing_catalog_entries: bool,
}

fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()).map(Secret::new))
}
