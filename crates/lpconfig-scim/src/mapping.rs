//! The mapping file (TOML): which SCIM attribute feeds which LivePerson user field,
//! what DELETE does, and the defaults new agents get. docs/scim.md lists the defaults.

use std::collections::BTreeMap;
use std::path::Path as FsPath;

use serde::Deserialize;

use crate::error::{ScimError, ScimResult};
use crate::path::Path;

/// What `DELETE /Users/{id}` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnDelete {
    /// Set `isEnabled: false` (the default; the user and its history stay).
    #[default]
    Disable,
    /// Delete the LivePerson user.
    Delete,
}

/// The mapping.
///
/// ```
/// let m = lpconfig_scim::Mapping::from_toml(r#"
/// [users]
/// on_delete = "delete"
/// default_group = "Support"
/// [attributes]
/// nickname = ["name.givenName", "userName"]
/// "#).unwrap();
/// assert_eq!(m.users.on_delete, lpconfig_scim::mapping::OnDelete::Delete);
/// assert_eq!(m.users.default_role, "Agent");
/// assert_eq!(m.sources("nickname")[0].attr, "name");
/// assert_eq!(m.sources("email")[0].attr, "emails"); // defaults stay for fields not named
///
/// let g = lpconfig_scim::Mapping::from_toml(r#"
/// [groups."LP Managers"]
/// roles = ["Agent", "Agent Manager"]
/// [groups."Billing team"]
/// skills = ["Billing"]
/// agent_group = "Support/Billing"
/// "#).unwrap();
/// assert!(g.roles_from_groups() && g.skills_from_groups());
/// assert_eq!(g.assignment("billing TEAM").unwrap().1.agent_group.as_deref(), Some("Support/Billing"));
/// assert!(g.assignment("Support").is_none()); // any other SCIM group is an agent group
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mapping {
    /// User rules.
    pub users: UserRules,
    /// LivePerson field → SCIM paths, first present one wins.
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Assignment groups: SCIM group display name → what its members get
    /// (`[groups."LP Managers"]`). See [`Assignment`].
    pub groups: BTreeMap<String, Assignment>,
    #[serde(skip)]
    parsed: BTreeMap<String, Vec<Path>>,
}

/// `[groups."NAME"]`: a SCIM group that assigns roles, skills or an agent group to its
/// members instead of being an agent group itself. The bridge keeps such a group and
/// its members in the local store; each member's LivePerson user is rewritten whenever
/// its memberships change (docs/scim.md, "Assignment groups").
///
/// Once any entry names `roles`, every user's roles come from its assignment groups
/// (`default_role` when it is in none) and the extension attribute's `roles` is
/// ignored; likewise `skills`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Assignment {
    /// Roles (role types or profile names) the members get; the union over a user's groups.
    pub roles: Vec<String>,
    /// Skills (names) the members get; the union over a user's groups.
    pub skills: Vec<String>,
    /// Agent group (name or path) the members are in.
    pub agent_group: Option<String>,
}

impl Assignment {
    fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.skills.is_empty() && self.agent_group.is_none()
    }
}

/// `[users]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UserRules {
    /// `disable` (default) or `delete`.
    pub on_delete: OnDelete,
    /// Role of new users without roles in the request (a role or profile name).
    pub default_role: String,
    /// Agent group of new agents (a group name or path; `Main Group` is the root).
    pub default_group: String,
    /// `maxChats` of new agents.
    pub default_max_chats: i64,
    /// Group new SCIM groups are created under (name or path; empty: the root).
    pub group_parent: String,
    /// Advertise and return the LivePerson extension (roles, skills, maxChats).
    pub liveperson_extension: bool,
}

impl Default for UserRules {
    fn default() -> Self {
        Self {
            on_delete: OnDelete::Disable,
            default_role: "Agent".into(),
            default_group: "Main Group".into(),
            default_max_chats: 0,
            group_parent: String::new(),
            liveperson_extension: true,
        }
    }
}

/// The LivePerson user fields a mapping may name, with their default SCIM sources.
pub const DEFAULT_SOURCES: &[(&str, &[&str])] = &[
    ("loginName", &["userName"]),
    ("fullName", &["name.formatted", "displayName"]),
    ("nickname", &["displayName", "name.givenName", "userName"]),
    ("email", &["emails[primary eq true].value", "emails[type eq \"work\"].value", "emails.value"]),
    ("isEnabled", &["active"]),
    (
        "employeeId",
        &["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "externalId"],
    ),
    ("mobileNumber", &["phoneNumbers[type eq \"mobile\"].value", "phoneNumbers.value"]),
    ("pictureUrl", &["photos[type eq \"photo\"].value", "photos.value"]),
    ("description", &["title"]),
];

impl Default for Mapping {
    fn default() -> Self {
        let mut m = Self {
            users: UserRules::default(),
            attributes: BTreeMap::new(),
            groups: BTreeMap::new(),
            parsed: BTreeMap::new(),
        };
        m.finish().expect("the default mapping is valid");
        m
    }
}

impl Mapping {
    /// Parses a mapping file's text; fields not named keep their default sources.
    pub fn from_toml(text: &str) -> ScimResult<Self> {
        let mut m: Mapping = toml::from_str(text)
            .map_err(|e| ScimError::status(500, format!("mapping file: {}", e.message())))?;
        m.finish()?;
        Ok(m)
    }

    /// Reads a mapping file.
    pub fn from_file(path: &FsPath) -> ScimResult<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ScimError::status(500, format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml(&text)
            .map_err(|e| ScimError::status(500, format!("{}: {}", path.display(), e.detail)))
    }

    fn finish(&mut self) -> ScimResult<()> {
        for field in self.attributes.keys() {
            if !DEFAULT_SOURCES.iter().any(|(f, _)| f == field) {
                let known: Vec<&str> = DEFAULT_SOURCES.iter().map(|(f, _)| *f).collect();
                return Err(ScimError::status(
                    500,
                    format!(
                        "mapping file: [attributes] {field:?} is not a mapped field (one of {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        for (name, a) in &self.groups {
            if name.trim().is_empty() || a.is_empty() {
                return Err(ScimError::status(
                    500,
                    format!("mapping file: [groups.{name:?}] must name roles, skills or agent_group"),
                ));
            }
        }
        let mut parsed = BTreeMap::new();
        for (field, defaults) in DEFAULT_SOURCES {
            let texts: Vec<String> = match self.attributes.get(*field) {
                Some(list) => list.clone(),
                None => defaults.iter().map(|s| (*s).to_owned()).collect(),
            };
            let paths = texts
                .iter()
                .map(|t| {
                    Path::parse(t).map_err(|e| {
                        ScimError::status(500, format!("mapping file: [attributes] {field}: {}", e.detail))
                    })
                })
                .collect::<ScimResult<Vec<_>>>()?;
            parsed.insert((*field).to_owned(), paths);
        }
        self.parsed = parsed;
        Ok(())
    }

    /// The assignment a SCIM group name stands for (names compare ignoring case).
    pub fn assignment(&self, display_name: &str) -> Option<(&str, &Assignment)> {
        self.groups
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(display_name.trim()))
            .map(|(n, a)| (n.as_str(), a))
    }

    /// Whether users' roles come from assignment groups (some entry names roles).
    pub fn roles_from_groups(&self) -> bool {
        self.groups.values().any(|a| !a.roles.is_empty())
    }

    /// Whether users' skills come from assignment groups (some entry names skills).
    pub fn skills_from_groups(&self) -> bool {
        self.groups.values().any(|a| !a.skills.is_empty())
    }

    /// The SCIM paths feeding a LivePerson field, in priority order.
    pub fn sources(&self, field: &str) -> &[Path] {
        self.parsed.get(field).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every TOML block of docs/scim.md is a valid mapping file.
    #[test]
    fn the_documented_mappings_parse() {
        let doc = include_str!("../../../docs/scim.md");
        let blocks: Vec<&str> =
            doc.split("```toml\n").skip(1).map(|b| b.split("```").next().unwrap()).collect();
        assert!(blocks.len() >= 2, "docs/scim.md shows the defaults and the assignment groups");
        for b in blocks {
            Mapping::from_toml(b).unwrap_or_else(|e| panic!("{}\n{b}", e.detail));
        }
    }
}
