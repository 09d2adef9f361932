//! Planning the groups section: renames, re-parents, descriptions, enabled flags and
//! new groups, checked for name clashes and cycles. Pure. Returns the account's groups
//! as they will be after these changes, so that user rows name groups by their new
//! names and paths.

use std::collections::{HashMap, HashSet};

use lpconfig::api::lenient::Nullable;

use crate::groups_input::{GroupRow, GroupSection};
use crate::input::InputError;
use crate::names::{split_path, Names};
use crate::plan::{FieldChange, GroupCreate, GroupRef, GroupUpdate};

/// What the groups section asks for.
#[derive(Debug, Default)]
pub struct SectionPlan {
    /// New groups (parents first).
    pub creates: Vec<GroupCreate>,
    /// Existing groups that change.
    pub updates: Vec<GroupUpdate>,
    /// The existing groups as they will be (renamed, re-parented under existing groups).
    pub after: Vec<lpconfig::api::agent_groups::AgentGroup>,
}

enum Target {
    Existing(i64),
    New,
}

/// Plans `section` against `names`; problems go to `errors`.
pub fn plan(section: &GroupSection, names: &Names, errors: &mut Vec<InputError>) -> SectionPlan {
    let mut out = SectionPlan { after: names.groups.clone(), ..SectionPlan::default() };
    let Some(root) = names.root().and_then(|r| r.id) else {
        if !section.rows.is_empty() {
            errors.push(err(&section.rows[0], &section.path, "the account has no root agent group".into()));
        }
        return out;
    };
    let root_name = names.root().and_then(|r| r.name.clone()).unwrap_or_default();
    let mut targets = Vec::new();
    for row in &section.rows {
        let t = match row.id {
            Some(id) => match names.group(id) {
                Some(_) => Target::Existing(id),
                None => {
                    errors.push(err(row, &section.path, format!("no agent group with id {id}")));
                    continue;
                }
            },
            None => match row.name.as_deref().and_then(|n| names.group_named(n)).and_then(|g| g.id) {
                Some(id) => Target::Existing(id),
                None => Target::New,
            },
        };
        targets.push((row, t));
    }
    // Renames: id -> new name; a new name may be one another row renames away.
    let renamed: HashMap<i64, String> = targets
        .iter()
        .filter_map(|(row, t)| match t {
            Target::Existing(id) => {
                let name = row.name.clone()?;
                (names.group(*id)?.name.as_deref() != Some(name.as_str())).then_some((*id, name))
            }
            Target::New => None,
        })
        .collect();
    for (row, t) in &targets {
        let Target::Existing(id) = t else { continue };
        if let Some(new) = renamed.get(id) {
            if let Some(other) = names.group_named(new).and_then(|g| g.id) {
                if other != *id && !renamed.contains_key(&other) {
                    errors.push(err(
                        row,
                        &section.path,
                        format!("group name {new:?} is taken by group {other}"),
                    ));
                }
            }
            if *id == root {
                // Renaming the root is allowed; moving it is not (below).
            }
        }
    }
    let new_names: HashSet<&str> = targets
        .iter()
        .filter(|(_, t)| matches!(t, Target::New))
        .filter_map(|(r, _)| r.name.as_deref())
        .collect();
    let by_new_name: HashMap<&str, i64> = renamed.iter().map(|(id, n)| (n.as_str(), *id)).collect();
    let resolve = |spec: &str| -> Option<GroupRef> {
        let spec = spec.trim();
        if spec.is_empty() || spec == "-" || spec == root_name {
            return Some(GroupRef::Existing(root));
        }
        let leaf = split_path(spec).pop().unwrap_or_default();
        if new_names.contains(leaf.as_str()) {
            return Some(GroupRef::New(leaf));
        }
        if let Some(id) = by_new_name.get(leaf.as_str()) {
            return Some(GroupRef::Existing(*id));
        }
        names.find_group(spec).and_then(|g| g.id).map(GroupRef::Existing)
    };
    // Final parents of the groups the section names.
    let mut parent: HashMap<GroupRef, GroupRef> = HashMap::new();
    let mut wanted: Vec<(usize, Option<GroupRef>)> = Vec::new();
    for (i, (row, t)) in targets.iter().enumerate() {
        let key = match t {
            Target::Existing(id) => GroupRef::Existing(*id),
            Target::New => GroupRef::New(row.name.clone().unwrap_or_default()),
        };
        let p = match &row.parent {
            Some(spec) => match resolve(spec) {
                Some(p) => Some(p),
                None => {
                    let hint = crate::suggest::hint(
                        &split_path(spec).pop().unwrap_or_default(),
                        names.groups.iter().filter_map(|g| g.name.as_deref()),
                    );
                    errors.push(err(row, &section.path, format!("parent: no group {spec:?}{hint}")));
                    wanted.push((i, None));
                    continue;
                }
            },
            None if matches!(t, Target::New) => Some(GroupRef::Existing(root)),
            None => None,
        };
        if key == GroupRef::Existing(root) && p.as_ref().is_some_and(|p| *p != GroupRef::Existing(root)) {
            errors.push(err(
                row,
                &section.path,
                format!("{root_name:?} is the root group; it has no parent"),
            ));
            wanted.push((i, None));
            continue;
        }
        if let Some(p) = &p {
            parent.insert(key, p.clone());
        }
        wanted.push((i, p));
    }
    let parent_of = |g: &GroupRef| -> Option<GroupRef> {
        if let Some(p) = parent.get(g) {
            return Some(p.clone());
        }
        match g {
            GroupRef::Existing(id) if *id != root => {
                names.group(*id).and_then(|x| x.parent_group_id.0).map(GroupRef::Existing)
            }
            _ => None,
        }
    };
    // Cycles: walking up from any group must reach the root.
    for (i, p) in &wanted {
        let row = targets[*i].0;
        if p.is_none() {
            continue;
        }
        let mut seen = HashSet::new();
        let mut cur = Some(match &targets[*i].1 {
            Target::Existing(id) => GroupRef::Existing(*id),
            Target::New => GroupRef::New(row.name.clone().unwrap_or_default()),
        });
        while let Some(g) = cur {
            if !seen.insert(g.clone()) {
                errors.push(err(row, &section.path, "these parents make a cycle".into()));
                break;
            }
            cur = parent_of(&g);
        }
    }
    let name_of = |g: &GroupRef| match g {
        GroupRef::Existing(id) => {
            renamed.get(id).cloned().or_else(|| names.group(*id).and_then(|x| x.name.clone()))
        }
        GroupRef::New(n) => Some(n.clone()),
    };
    let path_of = |g: &GroupRef| {
        let mut parts = Vec::new();
        let mut cur = Some(g.clone());
        while let Some(x) = cur {
            if x == GroupRef::Existing(root) || parts.len() > 64 {
                break;
            }
            parts.push(name_of(&x).unwrap_or_default());
            cur = parent_of(&x);
        }
        parts.reverse();
        if parts.is_empty() {
            root_name.clone()
        } else {
            parts.join("/")
        }
    };
    let new_depth = |g: &GroupRef| {
        let mut d = 0;
        let mut cur = Some(g.clone());
        while let Some(GroupRef::New(n)) = cur {
            d += 1;
            if d > 64 {
                break;
            }
            cur = parent_of(&GroupRef::New(n));
        }
        d
    };
    for (i, p) in &wanted {
        let (row, t) = &targets[*i];
        match t {
            Target::New => {
                let Some(p) = p else { continue };
                let key = GroupRef::New(row.name.clone().unwrap_or_default());
                out.creates.push(GroupCreate {
                    name: row.name.clone().unwrap_or_default(),
                    parent: p.clone(),
                    path: path_of(&key),
                    depth: new_depth(&key),
                    row: None,
                    at: row.at.clone(),
                    description: row.description.clone(),
                    enabled: row.enabled,
                });
            }
            Target::Existing(id) => {
                let Some(current) = names.group(*id) else { continue };
                let mut g = current.clone();
                let mut changes = Vec::new();
                let mut change = |field: &str, before: String, after: String| {
                    changes.push(FieldChange { field: field.into(), before, after });
                };
                if let Some(new) = renamed.get(id) {
                    change(
                        "name",
                        format!("{:?}", current.name.clone().unwrap_or_default()),
                        format!("{new:?}"),
                    );
                    g.name = Some(new.clone());
                }
                let mut new_parent = None;
                if let Some(p) = p {
                    if *p != GroupRef::Existing(current.parent_group_id.0.unwrap_or(root)) && *id != root {
                        let before =
                            current.parent_group_id.0.map(|x| names.group_path(x)).unwrap_or_default();
                        change(
                            "parent",
                            before,
                            match p {
                                GroupRef::Existing(x) if *x == root => root_name.clone(),
                                other => path_of(other),
                            },
                        );
                        if let GroupRef::Existing(x) = p {
                            g.parent_group_id = Nullable(Some(*x));
                        }
                        new_parent = Some(p.clone());
                    }
                }
                if let Some(d) = &row.description {
                    if current.description.as_deref() != Some(d.as_str()) {
                        change(
                            "description",
                            format!("{:?}", current.description.clone().unwrap_or_default()),
                            format!("{d:?}"),
                        );
                        g.description = Some(d.clone());
                    }
                }
                if let Some(e) = row.enabled {
                    if current.is_enabled != Some(e) {
                        change(
                            "enabled",
                            current.is_enabled.map(|v| v.to_string()).unwrap_or_default(),
                            e.to_string(),
                        );
                        g.is_enabled = Some(e);
                    }
                }
                if changes.is_empty() {
                    continue;
                }
                if let Some(a) = out.after.iter_mut().find(|x| x.id == Some(*id)) {
                    a.name = g.name.clone();
                    if let Some(GroupRef::Existing(x)) = &new_parent {
                        a.parent_group_id = Nullable(Some(*x));
                    }
                }
                out.updates.push(GroupUpdate {
                    id: *id,
                    from_path: names.group_path(*id),
                    to_path: path_of(&GroupRef::Existing(*id)),
                    group: g,
                    parent: new_parent,
                    changes,
                    at: row.at.clone(),
                });
            }
        }
    }
    out.creates.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
    out
}

fn err(row: &GroupRow, path: &str, message: String) -> InputError {
    InputError { path: path.to_owned(), line: row.line, column: 0, message }
}
