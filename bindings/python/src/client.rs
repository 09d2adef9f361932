//! `lpconfig._native.Client`: every call of the core, twice — `name` blocks
//! (GIL released) and `name_async` returns an asyncio awaitable. The
//! pure-Python layer (`lpconfig/_client.py`, `_async_client.py`) wraps the results.

use lpconfig::api::catalog::Catalog;
use lpconfig::api::users::{ModifyError, User};
use lpconfig::api::Entity;
use lpconfig::{Client, Fetched, IfMatch, Revision, Secret, Versioned};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use serde_json::Value;

use crate::args::{if_match, inner, list_options, CatalogKind, GroupArg, UserArg, Wire};
use crate::convert::to_py;
use crate::lazy::LazyUsers;
use crate::options::{build_client, ClientArgs};
use crate::reply::{Failure, Reply};

/// One configured core client (cheap to share between threads and tasks).
#[pyclass(frozen, module = "lpconfig._native")]
pub struct NativeClient {
    client: Client,
    /// The process that built the client; a forked child may not use it.
    pid: u32,
}

/// Generates, for each operation, the blocking method and its `_async` twin
/// from one body (an `async` block over the cloned core client).
macro_rules! ops {
    ({ $($pre:tt)* } $( $(#[$doc:meta])* fn $name:ident / $aname:ident ($c:ident $(, $arg:ident : $ty:ty)*) -> $out:ty $body:block )*) => {
        #[pymethods]
        impl NativeClient {
            $($pre)*
            $(
                $(#[$doc])*
                fn $name(&self, py: Python<'_> $(, $arg: $ty)*) -> PyResult<Py<PyAny>> {
                    crate::logging::sync_level(py);
                    crate::runtime::check_pid(py, self.pid, "client")?;
                    let $c = self.client.clone();
                    let result = crate::runtime::wait_in(py, crate::runtime::call_runtime(), async move {
                        (async move $body).await.map_err(Failure::from)
                    })?;
                    let result: Result<$out, Failure> = result;
                    Ok(Reply(result).into_pyobject(py)?.unbind())
                }

                $(#[$doc])*
                fn $aname<'py>(&self, py: Python<'py> $(, $arg: $ty)*) -> PyResult<Bound<'py, PyAny>> {
                    crate::logging::sync_level(py);
                    crate::runtime::check_pid(py, self.pid, "client")?;
                    let $c = self.client.clone();
                    crate::aio::into_awaitable(py, async move {
                        let result: Result<$out, Failure> = (async move $body).await.map_err(Failure::from);
                        result
                    }, crate::reply::reply::<$out>)
                }
            )*
        }
    };
}

/// Runs `$body` with `$cat` bound to the catalog client of `$kind`.
macro_rules! by_kind {
    ($c:ident, $kind:expr, |$cat:ident| $body:expr) => {
        match $kind {
            CatalogKind::Skills => {
                let $cat = $c.skills();
                $body
            }
            CatalogKind::Profiles => {
                let $cat = $c.profiles();
                $body
            }
            CatalogKind::Lobs => {
                let $cat = $c.lobs();
                $body
            }
        }
    };
}

ops! {
    {
    #[new]
    fn new(py: Python<'_>, args: ClientArgs) -> PyResult<Self> {
        Ok(Self { client: build_client(py, args)?, pid: std::process::id() })
    }

    /// The account id.
    #[getter]
    fn account(&self) -> &str {
        self.client.account()
    }
    }
    /// Opens the session now.
    fn login / login_async (c) -> () { c.login().await }
    /// Logs out.
    fn close / close_async (c) -> () { c.close().await }

    /// All users.
    fn users_list / users_list_async (c, select: Option<String>, include_deleted: bool) -> Versioned<LazyUsers> {
        c.users().list(&list_options(select, include_deleted)).await.map(|v| v.map(LazyUsers))
    }
    /// All users, or not modified since `since`.
    fn users_list_if_modified / users_list_if_modified_async (c, select: Option<String>, include_deleted: bool, since: u64) -> Fetched<LazyUsers> {
        c.users().list_if_modified(&list_options(select, include_deleted), Revision(since)).await.map(|f| match f {
            Fetched::Modified(v) => Fetched::Modified(v.map(LazyUsers)),
            Fetched::NotModified(r) => Fetched::NotModified(r),
        })
    }
    /// One user.
    fn users_get / users_get_async (c, id: i64) -> Versioned<User> { c.users().get(id).await }
    /// One user, or not modified since `since`.
    fn users_get_if_modified / users_get_if_modified_async (c, id: i64, since: u64) -> Fetched<User> {
        c.users().get_if_modified(id, Revision(since)).await
    }
    /// Creates a user.
    fn users_create / users_create_async (c, user: UserArg) -> Versioned<User> { c.users().create(&user.0).await }
    /// Creates users.
    fn users_create_many / users_create_many_async (c, users: Vec<UserArg>) -> Versioned<Vec<User>> {
        c.users().create_many(&inner(users)).await
    }
    /// Replaces a user.
    fn users_update / users_update_async (c, user: UserArg, revision: Option<u64>) -> Versioned<User> {
        c.users().update(&user.0, if_match(revision)).await
    }
    /// Replaces users.
    fn users_update_many / users_update_many_async (c, users: Vec<UserArg>, revision: Option<u64>) -> Versioned<Vec<User>> {
        c.users().update_many(&inner(users), if_match(revision)).await
    }
    /// Deletes a user.
    fn users_delete / users_delete_async (c, id: i64, revision: Option<u64>) -> Versioned<Option<User>> {
        c.users().delete(id, if_match(revision)).await
    }
    /// Deletes users.
    fn users_delete_many / users_delete_many_async (c, ids: Vec<i64>, revision: Option<u64>) -> Versioned<Vec<User>> {
        c.users().delete_many(&ids, if_match(revision)).await
    }
    /// Sets a user's password (administrator).
    fn users_reset_password / users_reset_password_async (c, id: i64, new_password: String) -> Versioned<User> {
        c.users().reset_password(id, &Secret::new(new_password)).await
    }
    /// Changes a user's own password.
    fn users_change_password / users_change_password_async (c, id: i64, old: String, new: String) -> Versioned<User> {
        c.users().change_password(id, &Secret::new(old), &Secret::new(new)).await
    }
    /// The user with this login name.
    fn users_find_by_login_name / users_find_by_login_name_async (c, login_name: String) -> Option<User> {
        c.users().find_by_login_name(&login_name).await
    }
    /// Members of a group.
    fn users_in_group / users_in_group_async (c, group_id: i64) -> Vec<User> { c.users().in_group(group_id).await }
    /// Managers of a group.
    fn users_managing / users_managing_async (c, group_id: i64) -> Vec<User> { c.users().managing(group_id).await }
    /// Users with a skill.
    fn users_with_skill / users_with_skill_async (c, skill_id: i64) -> Vec<User> { c.users().with_skill(skill_id).await }
    /// Adds skills.
    fn users_add_skills / users_add_skills_async (c, user_ids: Vec<i64>, skill_ids: Vec<i64>, allow_masked_blank: bool) -> Versioned<Vec<User>> {
        c.users().allow_masked_blank(allow_masked_blank).add_skills(&user_ids, &skill_ids).await
    }
    /// Removes skills.
    fn users_remove_skills / users_remove_skills_async (c, user_ids: Vec<i64>, skill_ids: Vec<i64>, allow_masked_blank: bool) -> Versioned<Vec<User>> {
        c.users().allow_masked_blank(allow_masked_blank).remove_skills(&user_ids, &skill_ids).await
    }
    /// Moves users to a group.
    fn users_move_to_group / users_move_to_group_async (c, user_ids: Vec<i64>, group_id: i64, allow_masked_blank: bool) -> Versioned<Vec<User>> {
        c.users().allow_masked_blank(allow_masked_blank).move_to_group(&user_ids, group_id).await
    }
    /// Sets chat limits; `async_set` says whether `max_async_chats` is to be written.
    fn users_set_concurrency / users_set_concurrency_async (c, user_ids: Vec<i64>, max_chats: i64, async_set: bool, max_async_chats: Option<i64>, allow_masked_blank: bool) -> Versioned<Vec<User>> {
        let a = async_set.then_some(max_async_chats);
        c.users().allow_masked_blank(allow_masked_blank).set_concurrency(&user_ids, max_chats, a).await
    }
    /// Read-modify-write with a Python callback `change(wire_dict) -> wire_dict`.
    fn users_modify / users_modify_async (c, user_ids: Vec<i64>, change: Py<PyAny>, allow_masked_blank: bool) -> Versioned<Vec<User>> {
        c.users()
            .allow_masked_blank(allow_masked_blank)
            .try_modify(&user_ids, |user| apply_change(&change, user))
            .await
            .map_err(|e| match e {
                ModifyError::Api(e) => Failure::Core(e),
                ModifyError::Change(e) => Failure::Py(e),
            })
    }

    /// All groups.
    fn groups_list / groups_list_async (c, select: Option<String>, include_deleted: bool) -> Versioned<Vec<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().list(&list_options(select, include_deleted)).await
    }
    /// All groups, or not modified.
    fn groups_list_if_modified / groups_list_if_modified_async (c, select: Option<String>, include_deleted: bool, since: u64) -> Fetched<Vec<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().list_if_modified(&list_options(select, include_deleted), Revision(since)).await
    }
    /// One group.
    fn groups_get / groups_get_async (c, id: i64) -> Versioned<lpconfig::api::agent_groups::AgentGroup> { c.agent_groups().get(id).await }
    /// One group, or not modified.
    fn groups_get_if_modified / groups_get_if_modified_async (c, id: i64, since: u64) -> Fetched<lpconfig::api::agent_groups::AgentGroup> {
        c.agent_groups().get_if_modified(id, Revision(since)).await
    }
    /// Creates a group.
    fn groups_create / groups_create_async (c, group: GroupArg) -> Versioned<lpconfig::api::agent_groups::AgentGroup> {
        c.agent_groups().create(&group.0).await
    }
    /// Creates groups.
    fn groups_create_many / groups_create_many_async (c, groups: Vec<GroupArg>) -> Versioned<Vec<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().create_many(&inner(groups)).await
    }
    /// Replaces a group.
    fn groups_update / groups_update_async (c, group: GroupArg, revision: Option<u64>) -> Versioned<lpconfig::api::agent_groups::AgentGroup> {
        c.agent_groups().update(&group.0, if_match(revision)).await
    }
    /// Replaces groups.
    fn groups_update_many / groups_update_many_async (c, groups: Vec<GroupArg>, revision: Option<u64>) -> Versioned<Vec<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().update_many(&inner(groups), if_match(revision)).await
    }
    /// Deletes a group.
    fn groups_delete / groups_delete_async (c, id: i64, revision: Option<u64>) -> Versioned<Option<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().delete(id, if_match(revision)).await
    }
    /// Deletes groups.
    fn groups_delete_many / groups_delete_many_async (c, ids: Vec<i64>, revision: Option<u64>) -> Versioned<Vec<lpconfig::api::agent_groups::AgentGroup>> {
        c.agent_groups().delete_many(&ids, if_match(revision)).await
    }
    /// The group hierarchy as `(group, children)` tuples.
    fn groups_tree / groups_tree_async (c) -> Vec<lpconfig::api::agent_groups::GroupNode> { c.agent_groups().tree().await }
    /// Direct sub-groups.
    fn groups_children / groups_children_async (c, id: i64) -> Vec<lpconfig::api::agent_groups::AgentGroup> { c.agent_groups().children(id).await }
    /// Members of a group.
    fn groups_members / groups_members_async (c, id: i64) -> Vec<User> { c.agent_groups().members(id).await }
    /// Managers of a group.
    fn groups_managers / groups_managers_async (c, id: i64) -> Vec<User> { c.agent_groups().managers(id).await }

    /// All skills, profiles or LOBs.
    fn catalog_list / catalog_list_async (c, kind: CatalogKind, select: Option<String>, include_deleted: bool) -> Versioned<Vec<Value>> {
        let o = list_options(select, include_deleted);
        match kind {
            CatalogKind::Skills => c.skills().list(&o).await.map(json_all),
            CatalogKind::Profiles => c.profiles().list(&o).await.map(json_all),
            CatalogKind::Lobs => c.lobs().list(&o).await.map(json_all),
        }
    }
    /// All entries, or not modified.
    fn catalog_list_if_modified / catalog_list_if_modified_async (c, kind: CatalogKind, select: Option<String>, include_deleted: bool, since: u64) -> Fetched<Vec<Value>> {
        let (o, r) = (list_options(select, include_deleted), Revision(since));
        match kind {
            CatalogKind::Skills => c.skills().list_if_modified(&o, r).await.map(fetched_json),
            CatalogKind::Profiles => c.profiles().list_if_modified(&o, r).await.map(fetched_json),
            CatalogKind::Lobs => c.lobs().list_if_modified(&o, r).await.map(fetched_json),
        }
    }
    /// One entry.
    fn catalog_get / catalog_get_async (c, kind: CatalogKind, id: i64) -> Versioned<Value> {
        match kind {
            CatalogKind::Skills => c.skills().get(id).await.map(|v| v.map(|x| json(&x))),
            CatalogKind::Profiles => c.profiles().get(id).await.map(|v| v.map(|x| json(&x))),
            CatalogKind::Lobs => c.lobs().get(id).await.map(|v| v.map(|x| json(&x))),
        }
    }
    /// The entry with this exact name.
    fn catalog_find_by_name / catalog_find_by_name_async (c, kind: CatalogKind, name: String) -> Option<Value> {
        match kind {
            CatalogKind::Skills => c.skills().find_by_name(&name).await.map(|o| o.map(|x| json(&x))),
            CatalogKind::Profiles => c.profiles().find_by_name(&name).await.map(|o| o.map(|x| json(&x))),
            CatalogKind::Lobs => c.lobs().find_by_name(&name).await.map(|o| o.map(|x| json(&x))),
        }
    }
    /// Creates a skill, profile or LOB.
    fn catalog_create / catalog_create_async (c, kind: CatalogKind, entry: Wire) -> Versioned<Value> {
        by_kind!(c, kind, |cat| cat_create(cat, entry.0).await)
    }
    /// Creates entries (chunked, each chunk atomic).
    fn catalog_create_many / catalog_create_many_async (c, kind: CatalogKind, entries: Vec<Wire>) -> Versioned<Vec<Value>> {
        by_kind!(c, kind, |cat| cat_create_many(cat, entries).await)
    }
    /// Replaces an entry.
    fn catalog_update / catalog_update_async (c, kind: CatalogKind, entry: Wire, revision: Option<u64>) -> Versioned<Value> {
        by_kind!(c, kind, |cat| cat_update(cat, entry.0, if_match(revision)).await)
    }
    /// Replaces entries.
    fn catalog_update_many / catalog_update_many_async (c, kind: CatalogKind, entries: Vec<Wire>, revision: Option<u64>) -> Versioned<Vec<Value>> {
        by_kind!(c, kind, |cat| cat_update_many(cat, entries, if_match(revision)).await)
    }
    /// Soft-deletes an entry.
    fn catalog_delete / catalog_delete_async (c, kind: CatalogKind, id: i64, revision: Option<u64>) -> Versioned<Option<Value>> {
        by_kind!(c, kind, |cat| cat_delete(cat, id, if_match(revision)).await)
    }
    /// Soft-deletes entries.
    fn catalog_delete_many / catalog_delete_many_async (c, kind: CatalogKind, ids: Vec<i64>, revision: Option<u64>) -> Versioned<Vec<Value>> {
        by_kind!(c, kind, |cat| cat_delete_many(cat, ids, if_match(revision)).await)
    }
}

fn item<T: Entity>(v: Value) -> lpconfig::Result<T> {
    if !v.is_object() {
        return Err(lpconfig::Error::config("item", "must be a dict"));
    }
    serde_json::from_value(v).map_err(|e| lpconfig::Error::config("item", e.to_string()))
}

fn items<T: Entity>(vs: Vec<Wire>) -> lpconfig::Result<Vec<T>> {
    vs.into_iter().map(|w| item(w.0)).collect()
}

async fn cat_create<T: Entity>(cat: Catalog<'_, T>, v: Value) -> lpconfig::Result<Versioned<Value>> {
    Ok(cat.create(&item(v)?).await?.map(|x| json(&x)))
}

async fn cat_create_many<T: Entity>(
    cat: Catalog<'_, T>,
    vs: Vec<Wire>,
) -> lpconfig::Result<Versioned<Vec<Value>>> {
    Ok(json_all(cat.create_many(&items(vs)?).await?))
}

async fn cat_update<T: Entity>(
    cat: Catalog<'_, T>,
    v: Value,
    m: IfMatch,
) -> lpconfig::Result<Versioned<Value>> {
    Ok(cat.update(&item(v)?, m).await?.map(|x| json(&x)))
}

async fn cat_update_many<T: Entity>(
    cat: Catalog<'_, T>,
    vs: Vec<Wire>,
    m: IfMatch,
) -> lpconfig::Result<Versioned<Vec<Value>>> {
    Ok(json_all(cat.update_many(&items(vs)?, m).await?))
}

async fn cat_delete<T: Entity>(
    cat: Catalog<'_, T>,
    id: i64,
    m: IfMatch,
) -> lpconfig::Result<Versioned<Option<Value>>> {
    Ok(cat.delete(id, m).await?.map(|o| o.map(|x| json(&x))))
}

async fn cat_delete_many<T: Entity>(
    cat: Catalog<'_, T>,
    ids: Vec<i64>,
    m: IfMatch,
) -> lpconfig::Result<Versioned<Vec<Value>>> {
    Ok(json_all(cat.delete_many(&ids, m).await?))
}

impl NativeClient {
    /// The core client (for the other native modules, e.g. `sync`).
    pub(crate) fn core(&self) -> &Client {
        &self.client
    }
}

fn json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn json_all<T: Serialize>(v: Versioned<Vec<T>>) -> Versioned<Vec<Value>> {
    v.map(|xs| xs.iter().map(json).collect())
}

fn fetched_json<T: Serialize>(f: Fetched<Vec<T>>) -> Fetched<Vec<Value>> {
    match f {
        Fetched::Modified(v) => Fetched::Modified(json_all(v)),
        Fetched::NotModified(r) => Fetched::NotModified(r),
    }
}

/// Runs the Python callback on one user; an exception stops the whole write
/// (nothing is sent), and so does an exiting interpreter.
fn apply_change(change: &Py<PyAny>, user: &mut User) -> PyResult<()> {
    let changed = crate::runtime::with_python(|py| -> PyResult<User> {
        let wire = to_py(py, &*user)?;
        let changed = change.bind(py).call1((wire,))?;
        let changed = changed.cast::<PyDict>().map_err(PyErr::from)?;
        Ok(changed.extract::<UserArg>()?.0)
    });
    *user = changed.unwrap_or_else(|| {
        Err(pyo3::exceptions::PyRuntimeError::new_err("the interpreter is exiting; nothing was written"))
    })?;
    Ok(())
}
