//! The plan: what must change for the account to match the file. Pure: no I/O.
//!
//! Rules (also in `--help` and the README):
//! - A column left out of the file is not managed; an empty cell leaves that field as it is.
//! - Only agents belong to a group and have skills and max chats (the server drops or
//!   resets them for other roles), so those cells are ignored for non-agents.
//! - Servers that mask `fullName` (return `""`) hide it: a full name is then only sent,
//!   never compared.
//! - Passwords are write-only: the `password` column only sets new users' initial password.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::Secret;
use serde::{Deserialize, Serialize};

use crate::columns::Column;
use crate::fold::lower;
use crate::input::{InputError, Row, StaffFile};
use crate::names::{split_path, Names, RoleRef, AGENT, AGENT_MANAGER};
use crate::options::{Options, Prune};
use crate::snapshot::Snapshot;
use crate::summary::Summary;
use lpconfig::api::lenient::Nullable;

/// The version of the plan's JSON form ([`Plan::to_json`]); see docs/sync.md.
pub const PLAN_VERSION: u32 = 1;

/// The `format` marker of the plan's JSON form.
pub const PLAN_FORMAT: &str = "lpconfig-sync-plan";

/// A group that exists or that the plan creates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRef {
    /// An existing group id.
    Existing(i64),
    /// A group the plan creates, by name.
    New(String),
}

/// Which catalog a [`CatalogCreate`] adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogKind {
    /// A line of business (`lobIds`); created before skills.
    Lob,
    /// A skill (`skillIds`).
    Skill,
}

/// A skill or line of business the rows name and the account lacks, created by name
/// before the users that point at it (only with `Options::create_missing_catalog_entries`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogCreate {
    /// Skill or line of business.
    pub kind: CatalogKind,
    /// The name, as the first row spelled it (names differing only in case are one entry).
    pub name: String,
    /// The first row that names it.
    pub row: usize,
    /// Where that row is (`staff.csv:12`).
    pub at: String,
}

/// A group to create.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCreate {
    /// Name.
    pub name: String,
    /// Parent.
    pub parent: GroupRef,
    /// Full path, for display.
    pub path: String,
    /// Depth below the root (1 = child of the root); creates run shallow first.
    pub depth: usize,
    /// The first user row that names it (`None`: the groups section).
    pub row: Option<usize>,
    /// Where that row is (`staff.csv:12`).
    pub at: String,
    /// Description (groups section only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enabled flag (groups section only; default enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// An existing group the groups section renames, re-parents, describes or enables/disables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupUpdate {
    /// Its id.
    pub id: i64,
    /// The whole group to send (a full replacement of what was read).
    pub group: AgentGroup,
    /// The new parent when it changes (a new group's id is filled in at apply time).
    pub parent: Option<GroupRef>,
    /// Current path.
    pub from_path: String,
    /// Path afterwards.
    pub to_path: String,
    /// What changes.
    pub changes: Vec<FieldChange>,
    /// Where the row is (`groups.csv:3`).
    pub at: String,
}

/// An existing group to put under another parent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupMove {
    /// The group as read.
    pub group: AgentGroup,
    /// New parent.
    pub to: GroupRef,
    /// Current path.
    pub from_path: String,
    /// Path after the move.
    pub to_path: String,
    /// Depth after the move (moves run shallow first).
    pub depth: usize,
    /// The first row that asks for it.
    pub row: usize,
    /// Where that row is (`staff.csv:12`).
    pub at: String,
}

/// One field's change: the staff-file column and its value before and after, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// Field name (the file's column name).
    pub field: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// A user to create.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// The row.
    pub row: usize,
    /// Where the row is (`staff.csv:12`).
    pub at: String,
    /// Login name.
    pub login: String,
    /// The user to send (memberOf filled in at apply time when `group` is new).
    /// Its password is never part of the plan (see [`UserCreate::password`]).
    pub user: User,
    /// The agent group.
    pub group: Option<GroupRef>,
    /// The agent group's path, for display.
    pub group_path: Option<String>,
    /// Groups the user manages, when some are created by the plan (filled in at apply time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_of: Option<Vec<GroupRef>>,
    /// Skills this plan creates that the user gets (ids filled in at apply time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_skills: Vec<String>,
    /// Lines of business this plan creates that the user gets (ids filled in at apply time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_lobs: Vec<String>,
    /// Where the initial password came from.
    pub password_from: PasswordSource,
    /// The initial password from the row or the options. Never serialized: a plan read back
    /// with [`Plan::from_json`] has none, and apply then generates a random one (see the report).
    #[serde(skip)]
    pub password: Option<Secret>,
}

/// Where a new user's password comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordSource {
    /// The row's `password` cell.
    Row,
    /// `--initial-password`.
    Option,
    /// Random.
    Generated,
}

/// A user to update (including prune's disables).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// The row, or `None` for a user pruned because it is absent from the file.
    pub row: Option<usize>,
    /// Where the row is (`staff.csv:12`), or `(not in the file)`.
    pub at: String,
    /// Login name.
    pub login: String,
    /// The full user to send (a full replacement of what was read).
    pub user: User,
    /// The agent group, when it changes.
    pub group: Option<GroupRef>,
    /// The managed groups, when they change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_of: Option<Vec<GroupRef>>,
    /// Skills this plan creates that the user gets (ids filled in at apply time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_skills: Vec<String>,
    /// Lines of business this plan creates that the user gets (ids filled in at apply time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_lobs: Vec<String>,
    /// What changes.
    pub changes: Vec<FieldChange>,
}

/// A user to delete (`--prune=delete`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDelete {
    /// Id.
    pub id: i64,
    /// Login name.
    pub login: String,
}

/// Everything to do, in dependency order. Pure data: made by [`crate::plan`] (or
/// [`build`] from a snapshot), saved with [`Plan::to_json`], executed by [`crate::apply`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Always [`PLAN_FORMAT`].
    #[serde(default)]
    pub format: String,
    /// The JSON form's version ([`PLAN_VERSION`]).
    pub version: u32,
    /// Counts, for display.
    pub summary: Summary,
    /// Skills and lines of business to create (lines of business first), before any
    /// user that points at them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalog_creates: Vec<CatalogCreate>,
    /// Groups to create, parents first.
    pub group_creates: Vec<GroupCreate>,
    /// Groups the groups section changes (renames, re-parents, descriptions, flags).
    #[serde(default)]
    pub group_updates: Vec<GroupUpdate>,
    /// Groups to move, shallow first.
    pub group_moves: Vec<GroupMove>,
    /// Users to create.
    pub user_creates: Vec<UserCreate>,
    /// Users to update or disable.
    pub user_updates: Vec<UserUpdate>,
    /// Users to delete.
    pub user_deletes: Vec<UserDelete>,
    /// Rows that need nothing.
    pub unchanged: usize,
    /// Things worth knowing that are not errors.
    pub warnings: Vec<String>,
    /// Revision of the users collection the plan was made against (`If-Match` of user writes).
    pub users_revision: Option<u64>,
    /// Revision of the agent groups collection the plan was made against.
    pub groups_revision: Option<u64>,
}

impl Plan {
    /// True when nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.catalog_creates.is_empty()
            && self.group_creates.is_empty()
            && self.group_updates.is_empty()
            && self.group_moves.is_empty()
            && self.user_creates.is_empty()
            && self.user_updates.is_empty()
            && self.user_deletes.is_empty()
    }

    /// Users disabled by `--prune`.
    pub fn disables(&self) -> usize {
        self.user_updates.iter().filter(|u| u.row.is_none()).count()
    }

    /// The number of changes (catalog entries, groups and users).
    pub fn len(&self) -> usize {
        self.catalog_creates.len()
            + self.group_creates.len()
            + self.group_updates.len()
            + self.group_moves.len()
            + self.user_creates.len()
            + self.user_updates.len()
            + self.user_deletes.len()
    }

    /// The plan's versioned JSON form (docs/sync.md). Passwords are never included.
    pub fn to_json(&self) -> String {
        // Plain data of known types: serialization cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a plan written by [`Plan::to_json`]; refuses other formats and versions.
    pub fn from_json(text: &str) -> Result<Self, crate::SyncError> {
        let head: serde_json::Value =
            serde_json::from_str(text).map_err(|e| crate::SyncError::PlanFormat(e.to_string()))?;
        if head.get("format").and_then(|f| f.as_str()) != Some(PLAN_FORMAT) {
            return Err(crate::SyncError::PlanFormat(format!(
                "not a sync plan (no \"format\": \"{PLAN_FORMAT}\")"
            )));
        }
        match head.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(PLAN_VERSION) => {}
            v => {
                return Err(crate::SyncError::PlanFormat(format!(
                    "plan version {} is not supported (this build reads version {PLAN_VERSION})",
                    v.map_or_else(|| "(none)".to_owned(), |v| v.to_string())
                )))
            }
        }
        // Every type of the plan refuses fields it does not know: a plan written by a
        // newer build that does more must be refused, never applied with a part of it
        // silently dropped (docs/sync.md, "Plan JSON"). The summary is not read: it is
        // recounted below.
        let mut plan: Plan = serde_json::from_value(head).map_err(|e| {
            let e = e.to_string();
            // Only an unknown field hints at a newer build; a wrong type is a damaged plan.
            crate::SyncError::PlanFormat(if e.starts_with("unknown field") {
                format!("{e} (a plan from a newer build? this one cannot apply all of it)")
            } else {
                e
            })
        })?;
        plan.summary = Summary::of(&plan);
        Ok(plan)
    }
}

/// Builds the plan from checked rows and a snapshot of the account: pure and
/// deterministic. Returns every bad-input error found (file, line, column).
pub fn build(file: &StaffFile, snap: &Snapshot, opts: &Options) -> Result<Plan, Vec<InputError>> {
    let mut errors = Vec::new();
    // The groups section first: user rows name groups as they will be after it.
    let section = file.groups.as_ref().map(|g| crate::group_plan::plan(g, &snap.names, &mut errors));
    let after;
    let names = match &section {
        Some(s) if !s.updates.is_empty() => {
            after = Names::new(s.after.clone(), snap.names.profiles.clone(), snap.names.skills.clone())
                .with_lobs(snap.names.lobs.clone());
            &after
        }
        _ => &snap.names,
    };
    let mut p = Planner { file, names, errors, plan: Plan::default(), matched: FxHashSet::default() };
    p.plan.format = PLAN_FORMAT.to_owned();
    p.plan.version = PLAN_VERSION;
    p.plan.users_revision = snap.users_revision.map(|r| r.0);
    p.plan.groups_revision = snap.groups_revision.map(|r| r.0);
    if opts.create_missing_catalog_entries {
        p.catalog();
    }
    let groups = p.groups();
    if let Some(section) = section {
        p.merge_section(section);
    }
    p.users(&snap.users, &groups, opts);
    p.near_names();
    p.plan.summary = Summary::of(&p.plan);
    if p.errors.is_empty() {
        Ok(p.plan)
    } else {
        Err(p.errors)
    }
}

struct Planner<'a> {
    file: &'a StaffFile,
    names: &'a Names,
    errors: Vec<InputError>,
    plan: Plan,
    /// Ids of the existing users some row names.
    matched: FxHashSet<i64>,
}

/// What a row asks for, resolved against the account.
struct Wanted {
    profiles: Vec<i64>,
    agent: bool,
    manager: bool,
    group: Option<GroupRef>,
    skills: Option<Vec<i64>>,
    lobs: Option<Vec<i64>>,
    /// Names of skills / lines of business this plan creates that the row names.
    new_skills: Vec<String>,
    new_lobs: Vec<String>,
    managed: Option<Vec<GroupRef>>,
    max_chats: Option<i64>,
    max_async_chats: Option<i64>,
}

fn sorted(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn quoted(v: &Option<String>) -> String {
    format!("{:?}", v.clone().unwrap_or_default())
}

fn opt_num(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Each row's group, resolved.
type RowGroups = FxHashMap<usize, GroupRef>;

impl Planner<'_> {
    fn err(&mut self, row: &Row, col: Column, msg: impl Into<String>) {
        self.errors.push(self.file.error(row, col, msg));
    }

    /// Skills and lines of business the rows name and the account lacks, in row order
    /// (lines of business first); names that differ only in case are one entry.
    fn catalog(&mut self) {
        let mut seen = HashSet::new();
        for kind in [CatalogKind::Lob, CatalogKind::Skill] {
            for row in &self.file.rows {
                let names = match kind {
                    CatalogKind::Lob => &row.lobs,
                    CatalogKind::Skill => &row.skills,
                };
                for name in names.iter().flatten() {
                    let known = match kind {
                        CatalogKind::Lob => self.names.lob_id(name).is_some(),
                        CatalogKind::Skill => self.names.skill_id(name).is_some(),
                    };
                    if known || !seen.insert((kind, name.to_lowercase())) {
                        continue;
                    }
                    self.plan.catalog_creates.push(CatalogCreate {
                        kind,
                        name: name.clone(),
                        row: row.index,
                        at: self.file.where_is(row),
                    });
                }
            }
        }
    }

    /// The names of `kind` among `names` that this plan creates, as the plan spells them, sorted.
    fn new_names(&self, kind: CatalogKind, names: &Option<Vec<String>>) -> Vec<String> {
        let mut out: Vec<String> = names
            .iter()
            .flatten()
            .filter_map(|n| {
                self.plan
                    .catalog_creates
                    .iter()
                    .find(|c| c.kind == kind && c.name.to_lowercase() == n.to_lowercase())
                    .map(|c| c.name.clone())
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// `[a, b, new (new)]`: existing names and those this plan creates.
    fn with_new(&self, ids: &[i64], name: impl Fn(&Names, i64) -> String, new: &[String]) -> String {
        let mut v: Vec<String> = ids.iter().map(|i| name(self.names, *i)).collect();
        v.extend(new.iter().map(|n| format!("{n} (new)")));
        v.sort();
        format!("[{}]", v.join(", "))
    }

    /// Group creates and moves; returns each row's group.
    fn groups(&mut self) -> RowGroups {
        let mut out = RowGroups::default();
        let Some(root) = self.names.root().cloned() else {
            if self.file.rows.iter().any(|r| r.group.is_some()) {
                self.errors.push(InputError {
                    path: self.file.path.clone(),
                    line: 0,
                    column: 0,
                    message: "the account has no root agent group".into(),
                });
            }
            return out;
        };
        let root_id = root.id.unwrap_or(-1);
        let root_name = root.name.clone().unwrap_or_default();
        // name -> (parent name, or None for the root; first row asking)
        let mut parent_of: BTreeMap<String, (Option<String>, usize)> = BTreeMap::new();
        let mut loose: Vec<(String, usize)> = Vec::new();
        for row in &self.file.rows {
            let Some(spec) = &row.group else { continue };
            if let Ok(id) = spec.trim().parse::<i64>() {
                if self.names.group(id).is_some() {
                    out.insert(row.index, GroupRef::Existing(id));
                    continue;
                }
            }
            let mut parts = split_path(spec);
            if parts.len() > 1 && parts[0] == root_name {
                parts.remove(0);
            }
            if parts.len() == 1 {
                let name = parts.remove(0);
                if name == root_name {
                    out.insert(row.index, GroupRef::Existing(root_id));
                } else if let Some(g) = self.names.group_named(&name) {
                    out.insert(row.index, GroupRef::Existing(g.id.unwrap_or_default()));
                } else {
                    loose.push((name.clone(), row.index));
                    out.insert(row.index, GroupRef::New(name));
                }
                continue;
            }
            let mut parent: Option<String> = None;
            let mut bad = false;
            for part in &parts {
                if *part == root_name {
                    self.err(
                        row,
                        Column::Group,
                        format!("{root_name:?} is the root group; it cannot be below {spec:?}"),
                    );
                    bad = true;
                    break;
                }
                match parent_of.get(part) {
                    Some((p, first)) if *p != parent => {
                        let first_row = &self.file.rows[*first];
                        let msg = format!(
                            "group {part:?} is under {} here but under {} at {}",
                            parent.as_deref().unwrap_or(&root_name),
                            p.as_deref().unwrap_or(&root_name),
                            self.file.where_is(first_row)
                        );
                        self.err(row, Column::Group, msg);
                        bad = true;
                        break;
                    }
                    Some(_) => {}
                    None => {
                        parent_of.insert(part.clone(), (parent.clone(), row.index));
                    }
                }
                parent = Some(part.clone());
            }
            if bad {
                continue;
            }
            let leaf = parts.pop().unwrap_or_default();
            let r = match self.names.group_named(&leaf).and_then(|g| g.id) {
                Some(id) => GroupRef::Existing(id),
                None => GroupRef::New(leaf),
            };
            out.insert(row.index, r);
        }
        for (name, row) in loose {
            parent_of.entry(name).or_insert((None, row));
        }

        let depth_of = |name: &str| {
            let mut d = 1;
            let mut cur = parent_of.get(name).and_then(|(p, _)| p.clone());
            while let Some(p) = cur {
                d += 1;
                cur = parent_of.get(&p).and_then(|(pp, _)| pp.clone());
            }
            d
        };
        let path_of = |name: &str| {
            let mut parts = vec![name.to_owned()];
            let mut cur = parent_of.get(name).and_then(|(p, _)| p.clone());
            while let Some(p) = cur {
                cur = parent_of.get(&p).and_then(|(pp, _)| pp.clone());
                parts.push(p);
            }
            parts.reverse();
            parts.join("/")
        };
        let as_ref = |parent: &Option<String>| match parent {
            None => GroupRef::Existing(root_id),
            Some(p) => match self.names.group_named(p).and_then(|g| g.id) {
                Some(id) => GroupRef::Existing(id),
                None => GroupRef::New(p.clone()),
            },
        };
        for (name, (parent, row)) in &parent_of {
            let to = as_ref(parent);
            match self.names.group_named(name) {
                None => self.plan.group_creates.push(GroupCreate {
                    name: name.clone(),
                    parent: to,
                    path: path_of(name),
                    depth: depth_of(name),
                    row: Some(*row),
                    at: self.file.where_is(&self.file.rows[*row]),
                    description: None,
                    enabled: None,
                }),
                Some(g) => {
                    let current = g.parent_group_id.0.unwrap_or(root_id);
                    if g.id == Some(root_id) || to == GroupRef::Existing(current) {
                        continue;
                    }
                    self.plan.group_moves.push(GroupMove {
                        group: g.clone(),
                        to,
                        from_path: self.names.group_path(g.id.unwrap_or_default()),
                        to_path: path_of(name),
                        depth: depth_of(name),
                        row: *row,
                        at: self.file.where_is(&self.file.rows[*row]),
                    });
                }
            }
        }
        self.plan.group_creates.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
        self.plan.group_moves.sort_by(|a, b| (a.depth, &a.to_path).cmp(&(b.depth, &b.to_path)));
        out
    }

    fn group_display(&self, r: &GroupRef) -> String {
        match r {
            GroupRef::Existing(id) => self.names.group_path(*id),
            GroupRef::New(name) => self
                .plan
                .group_creates
                .iter()
                .find(|c| &c.name == name)
                .map_or_else(|| name.clone(), |c| c.path.clone()),
        }
    }

    fn role_refs(&self, row: &Row) -> Option<Vec<RoleRef>> {
        row.roles.as_ref().map(|names| names.iter().filter_map(|n| self.names.role(n)).collect())
    }

    fn ids(names: &Option<Vec<String>>, lookup: impl Fn(&str) -> Option<i64>) -> Option<Vec<i64>> {
        names.as_ref().map(|names| {
            let mut ids: Vec<i64> = names.iter().filter_map(|n| lookup(n)).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
    }

    fn list_names(&self, ids: &[i64], name: impl Fn(&Names, i64) -> String) -> String {
        let mut v: Vec<String> = ids.iter().map(|i| name(self.names, *i)).collect();
        v.sort();
        format!("[{}]", v.join(", "))
    }

    /// `manager_of` paths: existing groups, or groups this plan creates.
    fn managed_groups(&mut self, row: &Row) -> Option<Vec<GroupRef>> {
        let paths = row.manager_of.as_ref()?;
        let mut out = Vec::new();
        for path in paths {
            let r = match self.names.find_group(path).and_then(|g| g.id) {
                Some(id) => GroupRef::Existing(id),
                None => {
                    let leaf = split_path(path).pop().unwrap_or_default();
                    if self.plan.group_creates.iter().any(|c| c.name == leaf) {
                        GroupRef::New(leaf)
                    } else {
                        let hint = crate::suggest::hint(
                            &leaf,
                            self.names.groups.iter().filter_map(|g| g.name.as_deref()),
                        );
                        self.err(row, Column::ManagerOf, format!("manager_of: no group {path:?}{hint}"));
                        continue;
                    }
                }
            };
            if !out.contains(&r) {
                out.push(r);
            }
        }
        Some(out)
    }

    fn users(&mut self, current: &[User], groups: &RowGroups, opts: &Options) {
        let by_login: FxHashMap<Cow<'_, str>, &User> =
            current.iter().filter_map(|u| u.login_name.as_deref().map(|l| (lower(l), u))).collect();
        let by_id: FxHashMap<i64, &User> = current.iter().filter_map(|u| u.id.map(|id| (id, u))).collect();
        // Logins that rows take away from their current owner (renames), so another row may reuse them.
        let renamed_away: FxHashSet<Cow<'_, str>> = self
            .file
            .rows
            .iter()
            .filter_map(|r| {
                let u = by_id.get(&r.id?)?;
                let old = lower(u.login_name.as_deref()?);
                (old != lower(&r.login_name)).then_some(old)
            })
            .collect();
        let mut ignored_for_non_agents = 0usize;
        let mut ignored_for_non_managers = 0usize;
        let mut masked_hidden = false;
        for row in &self.file.rows {
            let key = lower(&row.login_name);
            // One lookup serves both the match by login and the ownership check.
            let owner = by_login.get(&key).copied();
            let existing = match row.id {
                Some(id) => match by_id.get(&id) {
                    Some(u) => Some(*u),
                    None => {
                        self.err(
                            row,
                            Column::Id,
                            format!("no user with id {id} (leave the id empty for a new user)"),
                        );
                        continue;
                    }
                },
                None => owner,
            };
            if let Some(owner) = owner {
                let taken_by_other = existing.is_none_or(|u| u.id != owner.id);
                if row.id.is_some() && taken_by_other && !renamed_away.contains(&key) {
                    self.err(
                        row,
                        Column::LoginName,
                        format!(
                            "login name {:?} belongs to another user (id {})",
                            row.login_name,
                            owner.id.unwrap_or_default()
                        ),
                    );
                    continue;
                }
            }
            if let Some(u) = existing.and_then(|u| u.id) {
                self.matched.insert(u);
            }
            let current_profiles = existing.map_or(&[][..], |u| &u.profile_ids[..]);
            let profiles = match self.role_refs(row) {
                Some(refs) => self.names.profile_ids(&refs, current_profiles),
                None if existing.is_some() => {
                    let mut p = current_profiles.to_vec();
                    p.sort_unstable();
                    p
                }
                None => match self.names.default_profile(AGENT) {
                    Some(p) => vec![p],
                    None => {
                        self.err(row, Column::Roles, "no roles given and the account has no Agent profile");
                        continue;
                    }
                },
            };
            let agent = self.names.has_agent(&profiles);
            let manager = self.names.has_role(&profiles, AGENT_MANAGER);
            let agent_only = row.group.is_some()
                || row.skills.as_ref().is_some_and(|s| !s.is_empty())
                || row.max_chats.is_some_and(|m| m > 0)
                || row.max_async_chats.is_some();
            if !agent && agent_only {
                ignored_for_non_agents += 1;
            }
            if !manager && row.manager_of.as_ref().is_some_and(|m| !m.is_empty()) {
                ignored_for_non_managers += 1;
            }
            let desired = Wanted {
                group: if agent { groups.get(&row.index).cloned() } else { None },
                skills: if agent { Self::ids(&row.skills, |n| self.names.skill_id(n)) } else { None },
                max_chats: if agent { row.max_chats } else { None },
                max_async_chats: if agent { row.max_async_chats } else { None },
                lobs: Self::ids(&row.lobs, |n| self.names.lob_id(n)),
                new_skills: if agent { self.new_names(CatalogKind::Skill, &row.skills) } else { Vec::new() },
                new_lobs: self.new_names(CatalogKind::Lob, &row.lobs),
                managed: if manager { self.managed_groups(row) } else { None },
                profiles,
                agent,
                manager,
            };
            match existing {
                None => self.create(row, desired, opts),
                Some(u) => {
                    if self.update(row, u, desired, opts, &mut masked_hidden) {
                        self.plan.unchanged += 1;
                    }
                }
            }
        }
        if ignored_for_non_agents > 0 {
            self.plan.warnings.push(format!(
                "{ignored_for_non_agents} row(s) without the Agent role give a group, skills or max chats; \
                 ignored (only agents have them)"
            ));
        }
        if ignored_for_non_managers > 0 {
            self.plan.warnings.push(format!(
                "{ignored_for_non_managers} row(s) without the Agent Manager role give manager_of; \
                 ignored (only agent managers manage groups)"
            ));
        }
        if masked_hidden {
            self.plan.warnings.push(
                "the account masks full names or employee ids: they are sent with other changes but cannot be \
                 compared"
                    .into(),
            );
        }
        self.prune(current, opts);
    }

    /// Plans the update of one existing user; returns true when nothing changes.
    fn update(&mut self, row: &Row, u: &User, d: Wanted, opts: &Options, masked_hidden: &mut bool) -> bool {
        // Copied only once something changes: most rows of a large sync change nothing.
        let mut user = Cow::Borrowed(u);
        let mut changes = Vec::new();
        let mut change = |field: &str, before: String, after: String| {
            changes.push(FieldChange { field: String::from(field), before, after });
        };
        // Keyed by login name (case-insensitive), a login is never renamed; keyed by id it may be.
        if row.id.is_some() && u.login_name.as_deref() != Some(row.login_name.as_str()) {
            change("login_name", quoted(&u.login_name), format!("{:?}", row.login_name));
            user.to_mut().login_name = Some(row.login_name.clone());
        }
        // Masked fields (D14): "" from the server hides the value; send, never compare.
        // The row's masked values are sent with any other change (set below, once there is one).
        for (field, want, have) in
            [("full_name", &row.full_name, &u.full_name), ("employee_id", &row.employee_id, &u.employee_id)]
        {
            if let Some(w) = want {
                let cur = have.as_deref().unwrap_or_default();
                if cur.is_empty() {
                    *masked_hidden = true;
                } else if w != cur {
                    change(field, format!("{cur:?}"), format!("{w:?}"));
                }
            }
        }
        for (field, want, have, set) in [
            (
                "nickname",
                &row.nickname,
                &u.nickname,
                (|u, v| u.nickname = v) as fn(&mut User, Option<String>),
            ),
            ("email", &row.email, &u.email, |u, v| u.email = v),
            ("picture_url", &row.picture_url, &u.picture_url, |u, v| u.picture_url = v),
            ("description", &row.description, &u.description, |u, v| u.description = v),
            ("mobile_number", &row.mobile_number, &u.mobile_number, |u, v| u.mobile_number = v),
        ] {
            if let Some(w) = want {
                if have.as_deref() != Some(w.as_str()) {
                    change(field, quoted(have), format!("{w:?}"));
                    set(user.to_mut(), Some(w.clone()));
                }
            }
        }
        let mut have_profiles = u.profile_ids.clone();
        have_profiles.sort_unstable();
        if d.profiles != have_profiles {
            change(
                "roles",
                self.list_names(&have_profiles, Names::profile_name),
                self.list_names(&d.profiles, Names::profile_name),
            );
            user.to_mut().profile_ids = d.profiles.clone();
        }
        // Losing a role resets its fields on the server (D16); send the reset values so
        // that what is sent is what will be stored.
        if !d.agent && self.names.has_agent(&have_profiles) {
            if let Some(g) = u.member_of.as_ref().and_then(|m| m.agent_group_id) {
                change("group", self.names.group_path(g), String::new());
            }
            if !u.skill_ids.is_empty() {
                change("skills", self.list_names(&u.skill_ids, Names::skill_name), "[]".into());
            }
            if u.max_chats.unwrap_or(0) != 0 {
                change("max_chats", opt_num(u.max_chats), "0".into());
            }
            if u.max_async_chats.0.is_some() {
                change("max_async_chats", opt_num(u.max_async_chats.0), String::new());
            }
        }
        let agent_fields_set = u.member_of.is_some()
            || !u.skill_ids.is_empty()
            || u.max_chats != Some(0)
            || u.max_async_chats.0.is_some();
        if !d.agent && agent_fields_set {
            let user = user.to_mut();
            user.member_of = None;
            user.skill_ids = Vec::new();
            user.max_chats = Some(0);
            user.max_async_chats = Nullable(None);
        }
        if !d.manager && !u.manager_of.is_empty() {
            if self.names.has_role(&have_profiles, AGENT_MANAGER) {
                let ids: Vec<i64> = u.manager_of.iter().filter_map(|m| m.agent_group_id).collect();
                change("manager_of", self.list_names(&ids, Names::group_path), "[]".into());
            }
            user.to_mut().manager_of = Vec::new();
        }
        let mut group_change = None;
        let have_group = u.member_of.as_ref().and_then(|m| m.agent_group_id);
        if let Some(g) = &d.group {
            if *g != GroupRef::Existing(have_group.unwrap_or(i64::MIN)) {
                change(
                    "group",
                    have_group.map(|id| self.names.group_path(id)).unwrap_or_default(),
                    self.group_display(g),
                );
                if let GroupRef::Existing(id) = g {
                    user.to_mut().member_of = Some(GroupLink::to(*id));
                }
                group_change = Some(g.clone());
            }
        } else if d.agent && have_group.is_none() {
            // An agent needs a group; one that has none goes to the root.
            if let Some(root) = self.names.root().and_then(|r| r.id) {
                change("group", String::new(), self.names.group_path(root));
                user.to_mut().member_of = Some(GroupLink::to(root));
            }
        }
        if let Some(want) = &d.skills {
            let have = sorted(&u.skill_ids);
            if *want != have || !d.new_skills.is_empty() {
                change(
                    "skills",
                    self.list_names(&have, Names::skill_name),
                    self.with_new(want, Names::skill_name, &d.new_skills),
                );
                user.to_mut().skill_ids = want.clone();
            }
        }
        if let Some(want) = &d.lobs {
            let have = sorted(&u.lob_ids);
            if *want != have || !d.new_lobs.is_empty() {
                change(
                    "lobs",
                    self.list_names(&have, Names::lob_name),
                    self.with_new(want, Names::lob_name, &d.new_lobs),
                );
                user.to_mut().lob_ids = want.clone();
            }
        }
        let mut managed_change = None;
        if let Some(want) = &d.managed {
            let have: Vec<i64> =
                sorted(&u.manager_of.iter().filter_map(|m| m.agent_group_id).collect::<Vec<_>>());
            let mut want_ids: Vec<i64> = want
                .iter()
                .filter_map(|g| match g {
                    GroupRef::Existing(id) => Some(*id),
                    GroupRef::New(_) => None,
                })
                .collect();
            want_ids.sort_unstable();
            let has_new = want.iter().any(|g| matches!(g, GroupRef::New(_)));
            if has_new || want_ids != have {
                let shown: Vec<String> = want.iter().map(|g| self.group_display(g)).collect();
                change(
                    "manager_of",
                    self.list_names(&have, Names::group_path),
                    format!("[{}]", shown.join(", ")),
                );
                user.to_mut().manager_of = want_ids.iter().map(|id| GroupLink::to(*id)).collect();
                managed_change = Some(want.clone());
            }
        }
        if let Some(m) = d.max_chats {
            if u.max_chats != Some(m) {
                change("max_chats", opt_num(u.max_chats), m.to_string());
                user.to_mut().max_chats = Some(m);
            }
        }
        if let Some(m) = d.max_async_chats {
            if u.max_async_chats.0 != Some(m) {
                change("max_async_chats", opt_num(u.max_async_chats.0), m.to_string());
                user.to_mut().max_async_chats = Nullable(Some(m));
            }
        }
        if let Some(e) = row.enabled {
            if u.is_enabled != Some(e) {
                change("enabled", u.is_enabled.map(|v| v.to_string()).unwrap_or_default(), e.to_string());
                user.to_mut().is_enabled = Some(e);
                user.to_mut().disabled_manually = Some(!e);
            }
        }
        if changes.is_empty() {
            return true;
        }
        if let Some(w) = &row.full_name {
            user.to_mut().full_name = Some(w.clone());
        }
        if let Some(w) = &row.employee_id {
            user.to_mut().employee_id = Some(w.clone());
        }
        if user.full_name.as_deref().is_none_or(str::is_empty) && !opts.allow_masked_blank {
            self.err(
                row,
                Column::FullName,
                format!(
                    "{}: the account masks full names and this row has none; an update would send \
                     an empty full name. Add a full_name, or pass --allow-masked-blank if the \
                     account keeps masked values",
                    row.login_name
                ),
            );
            return false;
        }
        self.plan.user_updates.push(UserUpdate {
            row: Some(row.index),
            at: self.file.where_is(row),
            login: u.login_name.clone().unwrap_or_default(),
            user: user.into_owned(),
            group: group_change,
            manager_of: managed_change,
            new_skills: if d.skills.is_some() { d.new_skills } else { Vec::new() },
            new_lobs: if d.lobs.is_some() { d.new_lobs } else { Vec::new() },
            changes,
        });
        false
    }

    fn create(&mut self, row: &Row, d: Wanted, opts: &Options) {
        let Some(full) = row.full_name.clone() else {
            self.err(
                row,
                Column::FullName,
                format!("{} is a new user: a full name is required", row.login_name),
            );
            return;
        };
        let Some(email) = row.email.clone() else {
            self.err(
                row,
                Column::Email,
                format!("{} is a new user: an e-mail address is required", row.login_name),
            );
            return;
        };
        let nickname = row
            .nickname
            .clone()
            .unwrap_or_else(|| full.split_whitespace().next().unwrap_or(&full).to_owned());
        // A generated password is made at apply time, so the plan stays deterministic.
        let (password, password_from) = match (&row.password, &opts.initial_password) {
            (Some(p), _) => (Some(p.clone()), PasswordSource::Row),
            (None, Some(p)) => (Some(p.clone()), PasswordSource::Option),
            (None, None) => (None, PasswordSource::Generated),
        };
        let root = self.names.root().and_then(|r| r.id);
        let group = if d.agent { d.group.or(root.map(GroupRef::Existing)) } else { None };
        let mut user = User::default();
        user.login_name = Some(row.login_name.clone());
        user.full_name = Some(full);
        user.nickname = Some(nickname);
        user.email = Some(email);
        user.picture_url = row.picture_url.clone();
        user.description = row.description.clone();
        user.mobile_number = row.mobile_number.clone();
        user.employee_id = row.employee_id.clone();
        user.is_enabled = Some(row.enabled.unwrap_or(true));
        user.max_chats = Some(d.max_chats.unwrap_or(0));
        user.max_async_chats = Nullable(d.max_async_chats);
        user.skill_ids = d.skills.unwrap_or_default();
        user.lob_ids = d.lobs.unwrap_or_default();
        user.profile_ids = d.profiles;
        if let Some(GroupRef::Existing(id)) = &group {
            user.member_of = Some(GroupLink::to(*id));
        }
        let managed = d.managed.filter(|m| !m.is_empty());
        if let Some(m) = &managed {
            user.manager_of = m
                .iter()
                .filter_map(|g| match g {
                    GroupRef::Existing(id) => Some(GroupLink::to(*id)),
                    GroupRef::New(_) => None,
                })
                .collect();
        }
        user.change_pwd_next_login = Some(true);
        user.user_type_id = Some(1);
        let group_path = group.as_ref().map(|g| self.group_display(g));
        self.plan.user_creates.push(UserCreate {
            row: row.index,
            at: self.file.where_is(row),
            login: row.login_name.clone(),
            user,
            group,
            group_path,
            manager_of: managed,
            new_skills: d.new_skills,
            new_lobs: d.new_lobs,
            password_from,
            password,
        });
    }

    /// Adds the groups section's changes; a group both the section and a user row's
    /// path create must have the same parent in both.
    fn merge_section(&mut self, section: crate::group_plan::SectionPlan) {
        for c in section.creates {
            if let Some(i) = self.plan.group_creates.iter().position(|x| x.name == c.name) {
                let dup = self.plan.group_creates.remove(i);
                if dup.parent != c.parent {
                    self.errors.push(InputError {
                        path: self.file.path.clone(),
                        line: dup.row.map_or(0, |r| self.file.rows[r].line),
                        column: self.file.positions.get(&Column::Group).copied().unwrap_or(0),
                        message: format!(
                            "group {:?} is at {} here but at {} in the groups section ({})",
                            c.name, dup.path, c.path, c.at
                        ),
                    });
                }
            }
            self.plan.group_creates.push(c);
        }
        self.plan.group_creates.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
        self.plan.group_updates = section.updates;
    }

    /// A new group whose name is one edit away from an existing one is probably a typo.
    fn near_names(&mut self) {
        for c in &self.plan.group_creates {
            let near = self
                .names
                .groups
                .iter()
                .filter_map(|g| g.name.as_deref())
                .find(|n| crate::suggest::distance(&n.to_lowercase(), &c.name.to_lowercase()) <= 1);
            if let Some(near) = near {
                self.plan.warnings.push(format!(
                    "new group {:?} ({}) is one edit away from the existing group {near:?}: a typo?",
                    c.path, c.at
                ));
            }
        }
    }

    fn prune(&mut self, current: &[User], opts: &Options) {
        if opts.prune == Prune::Off {
            return;
        }
        let mode = opts.prune;
        let in_file: FxHashSet<Cow<'_, str>> = self.file.rows.iter().map(|r| lower(&r.login_name)).collect();
        let matched = std::mem::take(&mut self.matched);
        let protected: HashSet<String> = opts.protected_logins.iter().map(|l| l.to_lowercase()).collect();
        let mut skipped = 0;
        for u in current {
            let Some(login) = u.login_name.as_deref() else { continue };
            let key = lower(login);
            if in_file.contains(&key) || u.id.is_some_and(|id| matched.contains(&id)) {
                continue;
            }
            let login = login.to_owned();
            let human = u.is_api_user != Some(true) && u.user_type_id.unwrap_or(1) == 1;
            if protected.contains(key.as_ref()) || !human {
                skipped += 1;
                continue;
            }
            let Some(id) = u.id else { continue };
            match mode {
                Prune::Off => {}
                Prune::Delete => self.plan.user_deletes.push(UserDelete { id, login }),
                Prune::Disable if u.is_enabled != Some(false) => {
                    let mut user = u.clone();
                    user.is_enabled = Some(false);
                    user.disabled_manually = Some(true);
                    if user.full_name.as_deref().is_none_or(str::is_empty) && !opts.allow_masked_blank {
                        self.errors.push(InputError {
                            path: self.file.path.clone(),
                            line: 0,
                            column: 0,
                            message: format!(
                                "cannot disable {login}: the account masks full names, and a full-replacement \
                                 update would send an empty one (pass --allow-masked-blank if the account keeps \
                                 masked values)"
                            ),
                        });
                        continue;
                    }
                    self.plan.user_updates.push(UserUpdate {
                        row: None,
                        at: "(not in the file)".into(),
                        login,
                        user,
                        group: None,
                        manager_of: None,
                        new_skills: Vec::new(),
                        new_lobs: Vec::new(),
                        changes: vec![FieldChange {
                            field: "enabled".into(),
                            before: "true".into(),
                            after: "false".into(),
                        }],
                    });
                }
                Prune::Disable => {}
            }
        }
        if skipped > 0 {
            self.plan.warnings.push(format!(
                "prune leaves {skipped} user(s) alone: API/bot users and protected logins (the login running the sync)"
            ));
        }
    }
}
