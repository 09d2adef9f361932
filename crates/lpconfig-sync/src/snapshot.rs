//! What a sync reads from the account before planning.

use lpconfig::api::users::User;
use lpconfig::{Client, ListOptions, Result, Revision};

use crate::names::Names;

/// The account's users, groups, profiles, skills and lines of business at one moment.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Non-deleted users, every field (`select=$all`).
    pub users: Vec<User>,
    /// Revision of the users collection (the `If-Match` of user writes).
    pub users_revision: Option<Revision>,
    /// Revision of the agent groups collection.
    pub groups_revision: Option<Revision>,
    /// Groups, profiles, skills and lines of business by name.
    pub names: Names,
}

impl Snapshot {
    /// Reads the five collections concurrently.
    pub async fn read(client: &Client) -> Result<Self> {
        let opts = ListOptions::default();
        let (u, g, p, s, l) =
            (client.users(), client.agent_groups(), client.profiles(), client.skills(), client.lobs());
        let (users, groups, profiles, skills, lobs) =
            tokio::try_join!(u.list(&opts), g.list(&opts), p.list(&opts), s.list(&opts), l.list(&opts))?;
        Ok(Self {
            users: users.value.into_iter().filter(|u| u.deleted != Some(true)).collect(),
            users_revision: users.revision,
            groups_revision: groups.revision,
            names: Names::new(groups.value, profiles.value, skills.value).with_lobs(lobs.value),
        })
    }
}
