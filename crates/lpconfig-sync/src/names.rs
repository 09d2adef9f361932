//! Name lookups over an account's groups, profiles and skills: group paths
//! (`Support/Billing`), role names and skill names, both ways.

use std::collections::HashMap;

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::catalog::{Lob, Profile, Skill};
use lpconfig::api::users::User;
use lpconfig::{Client, ListOptions, Result};

/// Role types (profiles' `roleTypeId`) and the names users write for them.
pub const ROLE_TYPES: [(i64, &str); 5] =
    [(1, "Admin"), (2, "Agent"), (3, "Agent Manager"), (4, "Campaign Manager"), (5, "LPA")];

/// The Agent role type.
pub const AGENT: i64 = 2;

/// The Agent Manager role type.
pub const AGENT_MANAGER: i64 = 3;

/// `Agent Manager`, `agent_manager`, `agentmanager` → `agentmanager`.
pub fn fold(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The role type a name stands for (`admin`, `Administrator`, `agent manager`, ...).
pub fn role_type(name: &str) -> Option<i64> {
    match fold(name).as_str() {
        "admin" | "administrator" => Some(1),
        "agent" => Some(2),
        "agentmanager" | "manager" => Some(3),
        "campaignmanager" => Some(4),
        "lpa" => Some(5),
        _ => None,
    }
}

/// What a role cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleRef {
    /// A specific profile.
    Profile(i64),
    /// A role type: the user's current profile of that type, else the type's default profile.
    Type(i64),
}

/// An account's non-deleted groups, profiles and skills, indexed.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Non-deleted groups.
    pub groups: Vec<AgentGroup>,
    /// Non-deleted profiles.
    pub profiles: Vec<Profile>,
    /// Non-deleted skills.
    pub skills: Vec<Skill>,
    /// Non-deleted lines of business.
    pub lobs: Vec<Lob>,
    /// Unknown skill and line-of-business names are not input errors: the plan creates
    /// them (`Options::create_missing_catalog_entries`).
    pub creates_missing: bool,
    group_ix: HashMap<i64, usize>,
    group_by_name: HashMap<String, usize>,
    skill_by_name: HashMap<String, i64>,
    skill_by_fold: HashMap<String, Vec<i64>>,
}

impl Names {
    /// Reads groups, profiles, skills and lines of business concurrently.
    pub async fn load(client: &Client) -> Result<Self> {
        let opts = ListOptions::default();
        let (g, p, s, l) = (client.agent_groups(), client.profiles(), client.skills(), client.lobs());
        let (groups, profiles, skills, lobs) =
            tokio::try_join!(g.list(&opts), p.list(&opts), s.list(&opts), l.list(&opts))?;
        Ok(Self::new(groups.value, profiles.value, skills.value).with_lobs(lobs.value))
    }

    /// Adds the lines of business (deleted ones are dropped).
    pub fn with_lobs(mut self, lobs: Vec<Lob>) -> Self {
        self.lobs = lobs.into_iter().filter(|l| l.deleted != Some(true)).collect();
        self
    }

    /// The same names, with unknown skill and line-of-business names accepted (the plan
    /// creates them).
    pub fn creating_missing(mut self) -> Self {
        self.creates_missing = true;
        self
    }

    /// The line of business with this name (exact, else case-insensitive, else an id).
    pub fn lob_id(&self, name: &str) -> Option<i64> {
        let by = |f: &dyn Fn(&str) -> bool| {
            self.lobs.iter().find(|l| l.name.as_deref().is_some_and(f)).and_then(|l| l.id)
        };
        by(&|n| n == name)
            .or_else(|| by(&|n| n.to_lowercase() == name.to_lowercase()))
            .or_else(|| name.parse().ok().filter(|id| self.lobs.iter().any(|l| l.id == Some(*id))))
    }

    /// A line of business's name (or its id when unknown).
    pub fn lob_name(&self, id: i64) -> String {
        self.lobs
            .iter()
            .find(|l| l.id == Some(id))
            .and_then(|l| l.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// Indexes the given entities (deleted ones are dropped).
    pub fn new(groups: Vec<AgentGroup>, profiles: Vec<Profile>, skills: Vec<Skill>) -> Self {
        let groups: Vec<AgentGroup> = groups.into_iter().filter(|g| g.deleted != Some(true)).collect();
        let mut profiles: Vec<Profile> = profiles.into_iter().filter(|p| p.deleted != Some(true)).collect();
        profiles.sort_by_key(|p| p.id);
        let skills: Vec<Skill> = skills.into_iter().filter(|s| s.deleted != Some(true)).collect();
        let group_ix = groups.iter().enumerate().filter_map(|(i, g)| g.id.map(|id| (id, i))).collect();
        let group_by_name =
            groups.iter().enumerate().filter_map(|(i, g)| g.name.clone().map(|n| (n, i))).collect();
        let mut skill_by_name = HashMap::new();
        let mut skill_by_fold: HashMap<String, Vec<i64>> = HashMap::new();
        for s in &skills {
            if let (Some(id), Some(name)) = (s.id, &s.name) {
                skill_by_name.insert(name.clone(), id);
                skill_by_fold.entry(name.to_lowercase()).or_default().push(id);
            }
        }
        Self {
            groups,
            profiles,
            skills,
            lobs: Vec::new(),
            creates_missing: false,
            group_ix,
            group_by_name,
            skill_by_name,
            skill_by_fold,
        }
    }

    /// The group with this id.
    pub fn group(&self, id: i64) -> Option<&AgentGroup> {
        self.group_ix.get(&id).map(|&i| &self.groups[i])
    }

    /// The group with this exact (case-sensitive) name.
    pub fn group_named(&self, name: &str) -> Option<&AgentGroup> {
        self.group_by_name.get(name).map(|&i| &self.groups[i])
    }

    /// The root group (no parent; normally the Main Group, id -1).
    pub fn root(&self) -> Option<&AgentGroup> {
        self.groups
            .iter()
            .find(|g| g.parent_group_id.0.is_none())
            .or_else(|| self.groups.iter().find(|g| g.id == Some(-1)))
    }

    /// `Support/Billing` for a group below the root; the root's own name for the root.
    pub fn group_path(&self, id: i64) -> String {
        let root = self.root().and_then(|r| r.id);
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(gid) = cur {
            let Some(g) = self.group(gid) else {
                if parts.is_empty() {
                    return gid.to_string();
                }
                break;
            };
            if Some(gid) == root && !parts.is_empty() {
                break;
            }
            parts.push(g.name.clone().unwrap_or_else(|| gid.to_string()));
            if parts.len() > 64 {
                break; // a cycle in server data
            }
            cur = g.parent_group_id.0.filter(|p| Some(*p) != g.id);
        }
        parts.reverse();
        parts.join("/")
    }

    /// A group by id, exact name or path (`Support/Billing`, optionally starting with the root's name).
    pub fn find_group(&self, spec: &str) -> Option<&AgentGroup> {
        if let Ok(id) = spec.trim().parse::<i64>() {
            if let Some(g) = self.group(id) {
                return Some(g);
            }
        }
        if let Some(g) = self.group_named(spec) {
            return Some(g);
        }
        let mut parts = split_path(spec);
        if parts.len() > 1 && self.root().and_then(|r| r.name.as_deref()) == Some(parts[0].as_str()) {
            parts.remove(0);
        }
        let last = self.group_named(parts.last()?)?;
        (self.group_path(last.id?) == parts.join("/")).then_some(last)
    }

    /// The skill with this name (exact, else the only case-insensitive match).
    pub fn skill_id(&self, name: &str) -> Option<i64> {
        if let Some(id) = self.skill_by_name.get(name) {
            return Some(*id);
        }
        match self.skill_by_fold.get(&name.to_lowercase()).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => name.parse().ok().filter(|id| self.skills.iter().any(|s| s.id == Some(*id))),
        }
    }

    /// A skill's name (or its id when unknown).
    pub fn skill_name(&self, id: i64) -> String {
        self.skills
            .iter()
            .find(|s| s.id == Some(id))
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// A profile's name (or its id when unknown).
    pub fn profile_name(&self, id: i64) -> String {
        self.profile(id).and_then(|p| p.name.clone()).unwrap_or_else(|| id.to_string())
    }

    /// The profile with this id.
    pub fn profile(&self, id: i64) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == Some(id))
    }

    /// A role cell: a role type name (when the account has a profile of that type),
    /// else a profile name (case-insensitive). Role names win so that `Agent` keeps
    /// whichever agent profile a user already has.
    pub fn role(&self, name: &str) -> Option<RoleRef> {
        if let Some(t) = role_type(name).filter(|t| self.default_profile(*t).is_some()) {
            return Some(RoleRef::Type(t));
        }
        let f = fold(name);
        let p = self.profiles.iter().find(|p| p.name.as_deref().is_some_and(|n| fold(n) == f))?;
        p.id.map(RoleRef::Profile)
    }

    /// The lowest-id profile of a role type.
    pub fn default_profile(&self, role_type: i64) -> Option<i64> {
        self.profiles.iter().find(|p| p.role_type_id == Some(role_type)).and_then(|p| p.id)
    }

    /// The role type of a profile.
    pub fn role_type_of(&self, profile_id: i64) -> Option<i64> {
        self.profile(profile_id).and_then(|p| p.role_type_id)
    }

    /// Profile ids for `roles`, keeping the profiles `current` already has for a role type.
    pub fn profile_ids(&self, roles: &[RoleRef], current: &[i64]) -> Vec<i64> {
        let mut out: Vec<i64> = Vec::new();
        for r in roles {
            let id = match *r {
                RoleRef::Profile(id) => Some(id),
                RoleRef::Type(t) => current
                    .iter()
                    .copied()
                    .find(|p| self.role_type_of(*p) == Some(t))
                    .or_else(|| self.default_profile(t)),
            };
            if let Some(id) = id.filter(|id| !out.contains(id)) {
                out.push(id);
            }
        }
        out.sort_unstable();
        out
    }

    /// Whether these profiles include the Agent role.
    pub fn has_agent(&self, profile_ids: &[i64]) -> bool {
        self.has_role(profile_ids, AGENT)
    }

    /// Whether these profiles include a role type.
    pub fn has_role(&self, profile_ids: &[i64], role_type: i64) -> bool {
        profile_ids.iter().any(|p| self.role_type_of(*p) == Some(role_type))
    }

    /// The users table/CSV row; the columns are `sync`'s, so the CSV feeds back into it.
    pub fn user_row(&self, u: &User, masked_note: bool) -> Vec<String> {
        let full = u.full_name.clone().unwrap_or_default();
        vec![
            u.id.map(|i| i.to_string()).unwrap_or_default(),
            u.login_name.clone().unwrap_or_default(),
            if full.is_empty() && masked_note { "(masked)".into() } else { full },
            u.nickname.clone().unwrap_or_default(),
            u.email.clone().unwrap_or_default(),
            u.profile_ids.iter().map(|p| self.profile_name(*p)).collect::<Vec<_>>().join(";"),
            u.member_of
                .as_ref()
                .and_then(|m| m.agent_group_id)
                .map(|g| self.group_path(g))
                .unwrap_or_default(),
            u.skill_ids.iter().map(|s| self.skill_name(*s)).collect::<Vec<_>>().join(";"),
            u.max_chats.map(|m| m.to_string()).unwrap_or_default(),
            u.is_enabled.map(|e| e.to_string()).unwrap_or_default(),
        ]
    }
}

/// Headers of [`Names::user_row`].
pub const USER_COLUMNS: [&str; 10] = [
    "id",
    "login_name",
    "full_name",
    "nickname",
    "email",
    "roles",
    "group",
    "skills",
    "max_chats",
    "enabled",
];

/// `Support / Billing/` → `["Support", "Billing"]`.
pub fn split_path(path: &str) -> Vec<String> {
    path.split('/').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use lpconfig::api::lenient::Nullable;

    pub(crate) fn g(id: i64, name: &str, parent: Option<i64>) -> AgentGroup {
        let mut g = AgentGroup::new(name, parent.unwrap_or_default());
        g.id = Some(id);
        g.parent_group_id = Nullable(parent);
        g
    }

    pub(crate) fn p(id: i64, name: &str, t: i64) -> Profile {
        let mut p = Profile::default();
        p.id = Some(id);
        p.name = Some(name.into());
        p.role_type_id = Some(t);
        p
    }

    pub(crate) fn s(id: i64, name: &str) -> Skill {
        let mut s = Skill::default();
        s.id = Some(id);
        s.name = Some(name.into());
        s
    }

    fn names() -> Names {
        Names::new(
            vec![g(-1, "Main Group", None), g(2, "Support", Some(-1)), g(3, "Billing", Some(2))],
            vec![p(10, "Agent", 2), p(11, "Administrator", 1), p(12, "Senior agent", 2)],
            vec![s(7, "Refunds")],
        )
    }

    #[test]
    fn paths_both_ways() {
        let n = names();
        assert_eq!(n.group_path(3), "Support/Billing");
        assert_eq!(n.group_path(-1), "Main Group");
        assert_eq!(n.find_group("Support/Billing").and_then(|g| g.id), Some(3));
        assert_eq!(n.find_group("Main Group/Support/Billing").and_then(|g| g.id), Some(3));
        assert_eq!(n.find_group("Billing").and_then(|g| g.id), Some(3));
        assert_eq!(n.find_group("2").and_then(|g| g.id), Some(2));
        assert!(n.find_group("Sales/Billing").is_none());
    }

    #[test]
    fn roles_and_skills() {
        let n = names();
        assert_eq!(n.role("agent"), Some(RoleRef::Type(2)));
        assert_eq!(n.role("admin"), Some(RoleRef::Type(1)));
        assert_eq!(n.role("senior_agent"), Some(RoleRef::Profile(12)));
        assert_eq!(n.role("Campaign Manager"), None);
        assert_eq!(n.profile_ids(&[RoleRef::Type(2)], &[12]), [12]);
        assert_eq!(n.profile_ids(&[RoleRef::Type(2), RoleRef::Type(1)], &[]), [10, 11]);
        assert_eq!(n.skill_id("refunds"), Some(7));
        assert_eq!(n.skill_id("Nope"), None);
    }
}
