//! Assignment groups (the mapping's `[groups]`): SCIM groups whose membership gives
//! users roles, skills or an agent group, instead of being agent groups themselves
//! (docs/scim.md, "Assignment groups"). This module turns a user's memberships into
//! the LivePerson fields they decide; the bridge stores the groups and rewrites users.

use std::collections::{BTreeSet, HashMap};

use lpconfig::api::users::{GroupLink, User};
use lpconfig_sync::names::{Names, RoleRef};
use serde_json::Value;

use crate::error::{ScimError, ScimResult};
use crate::mapping::Mapping;

/// What a user's assignment groups decide. `None`: the mapping leaves that field to
/// the user's own attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived {
    /// Roles (the mapping's `default_role` when the user is in no role group).
    pub roles: Option<Vec<RoleRef>>,
    /// Skill ids (none when the user is in no skill group).
    pub skills: Option<BTreeSet<i64>>,
    /// The agent group one of its groups names (the first by group name).
    pub agent_group: Option<i64>,
    /// Every agent group some assignment group names: an agent that is in one of
    /// them without the membership that put it there goes back to `default_group`.
    pub managed_agent_groups: BTreeSet<i64>,
    /// The mapping's `default_group`.
    pub default_group: Option<i64>,
}

fn mapping_err(group: &str, what: &str, name: &str) -> ScimError {
    ScimError::status(
        500,
        format!("mapping: [groups.{group:?}] {what}: no {what} named {name:?} in the account"),
    )
}

fn role(names: &Names, group: &str, n: &str) -> ScimResult<RoleRef> {
    names.role(n).ok_or_else(|| mapping_err(group, "roles", n))
}

/// What membership of the assignment groups named `groups` gives a user.
///
/// ```
/// use lpconfig::api::agent_groups::AgentGroup;
/// use lpconfig_sync::names::Names;
/// let m = lpconfig_scim::Mapping::from_toml("[groups.Managers]\nroles = [\"Agent Manager\"]").unwrap();
/// let names = Names::new(vec![AgentGroup::new("Main Group", -1)], vec![], vec![]);
/// // No profile of that role type in this account: a clear error naming the mapping entry.
/// let e = lpconfig_scim::assign::derive(&m, &names, &["Managers"]).unwrap_err();
/// assert!(e.detail.contains("[groups.\"Managers\"] roles"), "{}", e.detail);
/// ```
pub fn derive(mapping: &Mapping, names: &Names, groups: &[&str]) -> ScimResult<Derived> {
    let mut d = Derived::default();
    if mapping.groups.is_empty() {
        return Ok(d);
    }
    let mut mine: Vec<(&str, &crate::mapping::Assignment)> =
        groups.iter().filter_map(|g| mapping.assignment(g)).collect();
    mine.sort_by_key(|(n, _)| n.to_lowercase());
    mine.dedup_by_key(|(n, _)| n.to_lowercase());
    if mapping.roles_from_groups() {
        let mut roles = Vec::new();
        for (g, a) in &mine {
            for r in &a.roles {
                let r = role(names, g, r)?;
                if !roles.contains(&r) {
                    roles.push(r);
                }
            }
        }
        if roles.is_empty() {
            let dr = &mapping.users.default_role;
            roles.push(names.role(dr).ok_or_else(|| {
                ScimError::status(500, format!("mapping: default_role {dr:?} names no role or profile"))
            })?);
        }
        d.roles = Some(roles);
    }
    if mapping.skills_from_groups() {
        let mut skills = BTreeSet::new();
        for (g, a) in &mine {
            for s in &a.skills {
                skills.insert(names.skill_id(s).ok_or_else(|| mapping_err(g, "skills", s))?);
            }
        }
        d.skills = Some(skills);
    }
    let group_id = |g: &str, spec: &str| {
        names.find_group(spec).and_then(|x| x.id).ok_or_else(|| mapping_err(g, "agent_group", spec))
    };
    for (g, a) in &mapping.groups {
        if let Some(spec) = &a.agent_group {
            d.managed_agent_groups.insert(group_id(g, spec)?);
        }
    }
    for (g, a) in &mine {
        if let Some(spec) = &a.agent_group {
            d.agent_group = Some(group_id(g, spec)?);
            break;
        }
    }
    d.default_group = names.find_group(&mapping.users.default_group).and_then(|g| g.id);
    Ok(d)
}

/// Lays what the memberships decide over a user about to be written.
pub fn apply(u: &mut User, d: &Derived, names: &Names) {
    if let Some(roles) = &d.roles {
        u.profile_ids = names.profile_ids(roles, &u.profile_ids);
    }
    if let Some(skills) = &d.skills {
        u.skill_ids = skills.iter().copied().collect();
    }
    // Only agents are in an agent group (LivePerson refuses memberOf without the role).
    if names.has_agent(&u.profile_ids) {
        let now = u.member_of.as_ref().and_then(|g| g.agent_group_id);
        let next = match (d.agent_group, now) {
            (Some(g), _) => Some(g),
            (None, Some(g)) if d.managed_agent_groups.contains(&g) => d.default_group,
            (None, None) => d.default_group,
            (None, Some(_)) => None,
        };
        if let Some(g) = next {
            u.member_of = Some(GroupLink::to(g));
        }
    }
}

/// The user ids of an assignment group's stored body.
pub fn members(body: &Value) -> BTreeSet<i64> {
    body.get("members")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// The display names of the assignment groups each user is in, from every stored group.
pub fn memberships(all: &HashMap<i64, Value>) -> HashMap<i64, Vec<(i64, String)>> {
    let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (n, body) in all {
        let name = body.get("displayName").and_then(Value::as_str).unwrap_or_default().to_owned();
        for uid in members(body) {
            out.entry(uid).or_default().push((*n, name.clone()));
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// The SCIM id of an assignment group (`a<n>`, never a LivePerson id, which are numbers).
pub fn scim_id(n: i64) -> String {
    format!("a{n}")
}

/// The store key of an assignment group's SCIM id.
pub fn key(sid: &str) -> Option<i64> {
    sid.strip_prefix('a').and_then(|n| n.parse().ok()).filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lpconfig::api::agent_groups::AgentGroup;
    use lpconfig::api::catalog::{Profile, Skill};

    fn names() -> Names {
        let p = |id, name: &str, t| {
            let mut p = Profile::default();
            p.id = Some(id);
            p.name = Some(name.into());
            p.role_type_id = Some(t);
            p
        };
        let s = |id, name: &str| {
            let mut s = Skill::default();
            s.id = Some(id);
            s.name = Some(name.into());
            s
        };
        let mut main = AgentGroup::new("Main Group", -1);
        main.id = Some(-1);
        let mut support = AgentGroup::new("Support", -1);
        support.id = Some(7);
        Names::new(
            vec![main, support],
            vec![p(1, "Administrator", 1), p(2, "Agent", 2), p(3, "Agent Manager", 3)],
            vec![s(10, "Billing"), s(11, "VIP")],
        )
    }

    fn mapping() -> Mapping {
        Mapping::from_toml(
            r#"
            [groups.Managers]
            roles = ["Agent", "Agent Manager"]
            [groups.Billing]
            skills = ["Billing"]
            agent_group = "Support"
            [groups.Vip]
            skills = ["VIP", "Billing"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn unions_over_groups_and_falls_back_to_the_defaults() {
        let (m, n) = (mapping(), names());
        let d = derive(&m, &n, &["managers", "Billing", "VIP"]).unwrap();
        assert_eq!(d.roles, Some(vec![RoleRef::Type(2), RoleRef::Type(3)]));
        assert_eq!(d.skills, Some([10, 11].into()));
        assert_eq!(d.agent_group, Some(7));
        let none = derive(&m, &n, &["not mapped"]).unwrap();
        assert_eq!(none.roles, Some(vec![RoleRef::Type(2)]), "default_role");
        assert_eq!(none.skills, Some(BTreeSet::new()));
        assert_eq!(none.agent_group, None);
    }

    #[test]
    fn an_agent_leaving_the_group_that_placed_it_goes_to_the_default_group() {
        let (m, n) = (mapping(), names());
        let mut u = User::default();
        apply(&mut u, &derive(&m, &n, &["Billing"]).unwrap(), &n);
        assert_eq!((u.profile_ids.clone(), u.skill_ids.clone()), (vec![2], vec![10]));
        assert_eq!(u.member_of.as_ref().and_then(|g| g.agent_group_id), Some(7));
        apply(&mut u, &derive(&m, &n, &[]).unwrap(), &n);
        assert_eq!(u.skill_ids, Vec::<i64>::new());
        assert_eq!(u.member_of.as_ref().and_then(|g| g.agent_group_id), Some(-1));
    }

    #[test]
    fn unknown_names_in_the_mapping_are_errors() {
        let m = Mapping::from_toml("[groups.X]\nskills = [\"Nope\"]").unwrap();
        let e = derive(&m, &names(), &["X"]).unwrap_err();
        assert!(e.detail.contains("Nope"), "{}", e.detail);
    }
}
