//! The plan: what must change for the account to match the file. Pure: no I/O.
//!
//! Rules (also in `--help` and the README):
//! - A column left out of the file is not managed; an empty cell leaves that field as it is.
//! - Only agents belong to a group and have skills and max chats (the server drops or
//!   resets them for other roles), so those cells are ignored for non-agents.
//! - Servers that mask `fullName` (return `""`) hide it: a full name is then only sent,
//!   never compared.
//! - Passwords are write-only: the `password` column only sets new users' initial password.

use std::collections::{BTreeMap, HashMap, HashSet};

use lpconfig::api::agent_groups::AgentGroup;
use lpconfig::api::users::{GroupLink, User};
use lpconfig::{Revision, Secret};

use super::columns::Column;
use super::input::{InputError, Row, StaffFile};
use super::snapshot::Snapshot;
use crate::cli::PruneMode;
use crate::names::{split_path, Names, RoleRef, AGENT};

/// A group that exists or that the plan creates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupRef {
    /// An existing group id.
    Existing(i64),
    /// A group the plan creates, by name.
    New(String),
}

/// A group to create.
#[derive(Debug, Clone)]
pub struct GroupCreate {
    /// Name.
    pub name: String,
    /// Parent.
    pub parent: GroupRef,
    /// Full path, for display.
    pub path: String,
    /// Depth below the root (1 = child of the root); creates run shallow first.
    pub depth: usize,
    /// The first row that names it.
    pub row: usize,
}

/// An existing group to put under another parent.
#[derive(Debug, Clone)]
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
}

/// One field's change, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Field name (the file's column name).
    pub field: &'static str,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct UserCreate {
    /// The row.
    pub row: usize,
    /// The user to send (memberOf filled in at apply time when `group` is new).
    pub user: User,
    /// The agent group.
    pub group: Option<GroupRef>,
    /// The agent group's path, for display.
    pub group_path: Option<String>,
    /// Where the initial password came from.
    pub password_from: PasswordSource,
}

/// Where a new user's password comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSource {
    /// The row's `password` cell.
    Row,
    /// `--initial-password`.
    Option,
    /// Random.
    Generated,
}

/// A user to update (including prune's disables).
#[derive(Debug, Clone)]
pub struct UserUpdate {
    /// The row, or `None` for a user pruned because it is absent from the file.
    pub row: Option<usize>,
    /// Login name.
    pub login: String,
    /// The full user to send (a full replacement of what was read).
    pub user: User,
    /// The agent group, when it changes.
    pub group: Option<GroupRef>,
    /// What changes.
    pub changes: Vec<FieldChange>,
}

/// A user to delete (`--prune=delete`).
#[derive(Debug, Clone)]
pub struct UserDelete {
    /// Id.
    pub id: i64,
    /// Login name.
    pub login: String,
}

/// Everything to do, in dependency order.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Groups to create, parents first.
    pub group_creates: Vec<GroupCreate>,
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
    /// `If-Match` base for user writes.
    pub users_revision: Option<Revision>,
    /// `If-Match` base for group writes.
    pub groups_revision: Option<Revision>,
}

impl Plan {
    /// True when nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.group_creates.is_empty()
            && self.group_moves.is_empty()
            && self.user_creates.is_empty()
            && self.user_updates.is_empty()
            && self.user_deletes.is_empty()
    }

    /// Users disabled by `--prune`.
    pub fn disables(&self) -> usize {
        self.user_updates.iter().filter(|u| u.row.is_none()).count()
    }
}

/// Settings of a plan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What to do with users absent from the file.
    pub prune: Option<PruneMode>,
    /// Login names never pruned (the login running the sync).
    pub protected: Vec<String>,
    /// May send back a masked (`""`) full name.
    pub allow_masked_blank: bool,
    /// Initial password of new users without a `password` cell.
    pub initial_password: Option<Secret>,
}

/// Builds the plan, or every bad-input error found (file, line, column).
pub fn plan(file: &StaffFile, snap: &Snapshot, opts: &Options) -> Result<Plan, Vec<InputError>> {
    let mut p = Planner { file, names: &snap.names, errors: Vec::new(), plan: Plan::default() };
    p.plan.users_revision = snap.users_revision;
    p.plan.groups_revision = snap.groups_revision;
    let groups = p.groups();
    p.users(&snap.users, &groups, opts);
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
}

/// Each row's group, resolved.
type RowGroups = HashMap<usize, GroupRef>;

impl Planner<'_> {
    fn err(&mut self, row: &Row, col: Column, msg: impl Into<String>) {
        self.errors.push(self.file.error(row, col, msg));
    }

    /// Group creates and moves; returns each row's group.
    fn groups(&mut self) -> RowGroups {
        let mut out = RowGroups::new();
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
                    row: *row,
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

    fn skill_ids(&self, row: &Row) -> Option<Vec<i64>> {
        row.skills.as_ref().map(|names| {
            let mut ids: Vec<i64> = names.iter().filter_map(|n| self.names.skill_id(n)).collect();
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

    fn users(&mut self, current: &[User], groups: &RowGroups, opts: &Options) {
        let by_login: HashMap<String, &User> =
            current.iter().filter_map(|u| u.login_name.as_ref().map(|l| (l.to_lowercase(), u))).collect();
        let mut ignored_for_non_agents = 0usize;
        let mut masked_hidden = false;
        for row in &self.file.rows {
            let existing = by_login.get(&row.login_name.to_lowercase()).copied();
            let current_profiles = existing.map(|u| u.profile_ids.clone()).unwrap_or_default();
            let profiles = match self.role_refs(row) {
                Some(refs) => self.names.profile_ids(&refs, &current_profiles),
                None if existing.is_some() => current_profiles.clone(),
                None => match self.names.default_profile(AGENT) {
                    Some(p) => vec![p],
                    None => {
                        self.err(row, Column::Roles, "no roles given and the account has no Agent profile");
                        continue;
                    }
                },
            };
            let agent = self.names.has_agent(&profiles);
            let agent_only = row.group.is_some()
                || row.skills.as_ref().is_some_and(|s| !s.is_empty())
                || row.max_chats.is_some_and(|m| m > 0);
            if !agent && agent_only {
                ignored_for_non_agents += 1;
            }
            let group = if agent { groups.get(&row.index).cloned() } else { None };
            let skills = if agent { self.skill_ids(row) } else { None };
            let max_chats = if agent { row.max_chats } else { None };
            match existing {
                None => self.create(row, profiles, agent, group, skills, max_chats, opts),
                Some(u) => {
                    let mut user = u.clone();
                    let mut changes = Vec::new();
                    let mut change = |field, before: String, after: String| {
                        changes.push(FieldChange { field, before, after });
                    };
                    let cur_full = u.full_name.clone().unwrap_or_default();
                    if let Some(full) = &row.full_name {
                        if cur_full.is_empty() {
                            masked_hidden = true;
                        } else if *full != cur_full {
                            change("full_name", format!("{cur_full:?}"), format!("{full:?}"));
                        }
                        user.full_name = Some(full.clone());
                    }
                    for (field, want, have) in [
                        ("nickname", &row.nickname, &mut user.nickname),
                        ("email", &row.email, &mut user.email),
                    ] {
                        if let Some(w) = want {
                            if have.as_deref() != Some(w.as_str()) {
                                change(
                                    field,
                                    format!("{:?}", have.clone().unwrap_or_default()),
                                    format!("{w:?}"),
                                );
                                *have = Some(w.clone());
                            }
                        }
                    }
                    let mut have_profiles = u.profile_ids.clone();
                    have_profiles.sort_unstable();
                    if profiles != have_profiles {
                        change(
                            "roles",
                            self.list_names(&have_profiles, Names::profile_name),
                            self.list_names(&profiles, Names::profile_name),
                        );
                        user.profile_ids = profiles.clone();
                    }
                    let mut group_change = None;
                    let have_group = u.member_of.as_ref().and_then(|m| m.agent_group_id);
                    if let Some(g) = &group {
                        if *g != GroupRef::Existing(have_group.unwrap_or(i64::MIN)) {
                            change(
                                "group",
                                have_group.map(|id| self.names.group_path(id)).unwrap_or_default(),
                                self.group_display(g),
                            );
                            if let GroupRef::Existing(id) = g {
                                user.member_of = Some(GroupLink::to(*id));
                            }
                            group_change = Some(g.clone());
                        }
                    } else if agent && have_group.is_none() {
                        // An agent needs a group; one that has none goes to the root.
                        if let Some(root) = self.names.root().and_then(|r| r.id) {
                            change("group", String::new(), self.names.group_path(root));
                            user.member_of = Some(GroupLink::to(root));
                        }
                    }
                    if let Some(want) = &skills {
                        let mut have = u.skill_ids.clone();
                        have.sort_unstable();
                        have.dedup();
                        if *want != have {
                            change(
                                "skills",
                                self.list_names(&have, Names::skill_name),
                                self.list_names(want, Names::skill_name),
                            );
                            user.skill_ids = want.clone();
                        }
                    }
                    if let Some(m) = max_chats {
                        if u.max_chats != Some(m) {
                            change(
                                "max_chats",
                                u.max_chats.map(|v| v.to_string()).unwrap_or_default(),
                                m.to_string(),
                            );
                            user.max_chats = Some(m);
                        }
                    }
                    if let Some(e) = row.enabled {
                        if u.is_enabled != Some(e) {
                            change(
                                "enabled",
                                u.is_enabled.map(|v| v.to_string()).unwrap_or_default(),
                                e.to_string(),
                            );
                            user.is_enabled = Some(e);
                            user.disabled_manually = Some(!e);
                        }
                    }
                    if changes.is_empty() {
                        self.plan.unchanged += 1;
                        continue;
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
                        continue;
                    }
                    self.plan.user_updates.push(UserUpdate {
                        row: Some(row.index),
                        login: u.login_name.clone().unwrap_or_default(),
                        user,
                        group: group_change,
                        changes,
                    });
                }
            }
        }
        if ignored_for_non_agents > 0 {
            self.plan.warnings.push(format!(
                "{ignored_for_non_agents} row(s) without the Agent role give a group, skills or max chats; \
                 ignored (only agents have them)"
            ));
        }
        if masked_hidden {
            self.plan.warnings.push(
                "the account masks full names: full_name is sent with other changes but cannot be compared"
                    .into(),
            );
        }
        self.prune(current, opts);
    }

    #[allow(clippy::too_many_arguments)]
    fn create(
        &mut self,
        row: &Row,
        profiles: Vec<i64>,
        agent: bool,
        group: Option<GroupRef>,
        skills: Option<Vec<i64>>,
        max_chats: Option<i64>,
        opts: &Options,
    ) {
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
        let (password, password_from) = match (&row.password, &opts.initial_password) {
            (Some(p), _) => (p.clone(), PasswordSource::Row),
            (None, Some(p)) => (p.clone(), PasswordSource::Option),
            (None, None) => (super::password::generate(), PasswordSource::Generated),
        };
        let root = self.names.root().and_then(|r| r.id);
        let group = if agent { group.or(root.map(GroupRef::Existing)) } else { None };
        let mut user = User::default();
        user.login_name = Some(row.login_name.clone());
        user.full_name = Some(full);
        user.nickname = Some(nickname);
        user.email = Some(email);
        user.is_enabled = Some(row.enabled.unwrap_or(true));
        user.max_chats = Some(max_chats.unwrap_or(0));
        user.skill_ids = skills.unwrap_or_default();
        user.profile_ids = profiles;
        if let Some(GroupRef::Existing(id)) = &group {
            user.member_of = Some(GroupLink::to(*id));
        }
        user.password = Some(password);
        user.change_pwd_next_login = Some(true);
        user.user_type_id = Some(1);
        let group_path = group.as_ref().map(|g| self.group_display(g));
        self.plan.user_creates.push(UserCreate { row: row.index, user, group, group_path, password_from });
    }

    fn prune(&mut self, current: &[User], opts: &Options) {
        let Some(mode) = opts.prune else { return };
        let in_file: HashSet<String> = self.file.rows.iter().map(|r| r.login_name.to_lowercase()).collect();
        let protected: HashSet<String> = opts.protected.iter().map(|l| l.to_lowercase()).collect();
        let mut skipped = 0;
        for u in current {
            let Some(login) = u.login_name.clone() else { continue };
            let key = login.to_lowercase();
            if in_file.contains(&key) {
                continue;
            }
            let human = u.is_api_user != Some(true) && u.user_type_id.unwrap_or(1) == 1;
            if protected.contains(&key) || !human {
                skipped += 1;
                continue;
            }
            let Some(id) = u.id else { continue };
            match mode {
                PruneMode::Delete => self.plan.user_deletes.push(UserDelete { id, login }),
                PruneMode::Disable if u.is_enabled != Some(false) => {
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
                        login,
                        user,
                        group: None,
                        changes: vec![FieldChange {
                            field: "enabled",
                            before: "true".into(),
                            after: "false".into(),
                        }],
                    });
                }
                PruneMode::Disable => {}
            }
        }
        if skipped > 0 {
            self.plan.warnings.push(format!(
                "--prune leaves {skipped} user(s) alone: API/bot users and the login running the sync"
            ));
        }
    }
}
