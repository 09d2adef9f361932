//! `Client` and its sub-clients (`Users`, `AgentGroups`, `Skills`,
//! `Profiles`, `Lobs`), mirroring `client.users().list(..)` of the core.
//! Every method converts, runs the core call on the binding's runtime
//! ([`crate::runtime::run`]) and converts back.

use std::sync::Arc;

use lpconfig::api::users::ModifyError;
use lpconfig::{ListOptions, Revision};

use crate::config::{ClientConfig, IfMatch};
use crate::entities::{to_core_all, AgentGroup, GroupNode, Lob, Profile, Skill, User};
use crate::error::LpError;
use crate::results::*;
use crate::runtime::run;
use crate::secret::Secret;

fn options(select: Option<String>, include_deleted: bool) -> ListOptions {
    ListOptions { select, include_deleted }
}

/// A LivePerson account-config client. Building it does no I/O; the session
/// opens on the first call (or [`Client::login`]).
#[derive(uniffi::Object)]
pub struct Client {
    inner: lpconfig::Client,
}

#[uniffi::export]
impl Client {
    /// Checks `config` (no I/O) and builds the client.
    #[uniffi::constructor]
    pub fn new(config: ClientConfig) -> Result<Self, LpError> {
        Ok(Self { inner: config.build(None)? })
    }

    /// Like the constructor, with `listener` told about every retry.
    #[uniffi::constructor]
    pub fn with_retry_listener(
        config: ClientConfig,
        listener: Arc<dyn crate::hooks::RetryListener>,
    ) -> Result<Self, LpError> {
        Ok(Self { inner: config.build(Some(listener))? })
    }

    /// A client from the `LP_*` environment variables (see [`crate::client_config_from_env`]).
    #[uniffi::constructor]
    pub fn from_env() -> Result<Self, LpError> {
        Ok(Self { inner: crate::config::client_config_from_env()?.build(None)? })
    }

    /// The account id.
    pub fn account(&self) -> String {
        self.inner.account().to_owned()
    }

    /// The Users API.
    pub fn users(&self) -> Arc<Users> {
        Arc::new(Users { client: self.inner.clone(), allow_masked_blank: false })
    }

    /// The Agent Groups API.
    pub fn agent_groups(&self) -> Arc<AgentGroups> {
        Arc::new(AgentGroups { client: self.inner.clone() })
    }

    /// Skills (read access).
    pub fn skills(&self) -> Arc<Skills> {
        Arc::new(Skills { client: self.inner.clone() })
    }

    /// Profiles (read access).
    pub fn profiles(&self) -> Arc<Profiles> {
        Arc::new(Profiles { client: self.inner.clone() })
    }

    /// Lines of business (read access).
    pub fn lobs(&self) -> Arc<Lobs> {
        Arc::new(Lobs { client: self.inner.clone() })
    }

    /// HR sync: plan and apply.
    pub fn sync(&self) -> Arc<crate::sync::SyncClient> {
        Arc::new(crate::sync::SyncClient { client: self.inner.clone() })
    }

    /// Opens the Login Service session now (otherwise the first call does).
    pub async fn login(&self) -> Result<(), LpError> {
        let c = self.inner.clone();
        run(async move { c.login().await }).await
    }

    /// Logs out (when a session is open) and stops the refresh timer.
    pub async fn close(&self) -> Result<(), LpError> {
        let c = self.inner.clone();
        run(async move { c.close().await }).await
    }
}

/// A change applied to each user by [`Users::modify`], implemented in the
/// foreign language. It receives the freshly read user and returns it changed.
#[uniffi::export(with_foreign)]
pub trait UserChange: Send + Sync {
    /// Returns `user` with the change applied.
    fn apply(&self, user: User) -> User;
}

/// The Users API of one client.
#[derive(uniffi::Object)]
pub struct Users {
    client: lpconfig::Client,
    allow_masked_blank: bool,
}

impl Users {
    /// A clone of the client and the flag, for a `'static` task.
    fn parts(&self) -> (lpconfig::Client, bool) {
        (self.client.clone(), self.allow_masked_blank)
    }
}

/// Runs `$body` with `$u` bound to the core `Users` of this object's client.
macro_rules! with_users {
    ($self:ident, |$u:ident| $body:expr) => {{
        let (client, masked) = $self.parts();
        run(async move {
            let $u = client.users().allow_masked_blank(masked);
            $body.await
        })
        .await
    }};
}

#[uniffi::export]
impl Users {
    /// The same API, allowing writes of users whose `full_name` came back
    /// masked (empty); see the core's `allow_masked_blank`.
    pub fn allow_masked_blank(&self, yes: bool) -> Arc<Users> {
        Arc::new(Users { client: self.client.clone(), allow_masked_blank: yes })
    }

    /// All users (`select` defaults to `$all`).
    #[uniffi::method(default(select = None, include_deleted = false))]
    pub async fn list(
        &self,
        select: Option<String>,
        include_deleted: bool,
    ) -> Result<VersionedUsers, LpError> {
        let opts = options(select, include_deleted);
        with_users!(self, |u| u.list(&opts)).map(Into::into)
    }

    /// All users, or `NotModified` when the collection is still at `since`.
    #[uniffi::method(default(select = None, include_deleted = false))]
    pub async fn list_if_modified(
        &self,
        since: u64,
        select: Option<String>,
        include_deleted: bool,
    ) -> Result<FetchedUsers, LpError> {
        let opts = options(select, include_deleted);
        with_users!(self, |u| u.list_if_modified(&opts, Revision(since))).map(Into::into)
    }

    /// One user.
    pub async fn get(&self, id: i64) -> Result<VersionedUser, LpError> {
        with_users!(self, |u| u.get(id)).map(Into::into)
    }

    /// One user, or `NotModified`.
    pub async fn get_if_modified(&self, id: i64, since: u64) -> Result<FetchedUser, LpError> {
        with_users!(self, |u| u.get_if_modified(id, Revision(since))).map(Into::into)
    }

    /// Creates a user (reconciled by `login_name` if the outcome was unknown).
    pub async fn create(&self, user: User) -> Result<VersionedUser, LpError> {
        let user = user.to_core()?;
        with_users!(self, |u| u.create(&user)).map(Into::into)
    }

    /// Creates users in chunks of `batch_size`.
    pub async fn create_many(&self, users: Vec<User>) -> Result<VersionedUsers, LpError> {
        let users = to_core_all(&users, User::to_core)?;
        with_users!(self, |u| u.create_many(&users)).map(Into::into)
    }

    /// Replaces a user (full PUT; `id` required).
    pub async fn update(&self, user: User, if_match: IfMatch) -> Result<VersionedUser, LpError> {
        let user = user.to_core()?;
        with_users!(self, |u| u.update(&user, if_match.into())).map(Into::into)
    }

    /// Replaces users in chunks.
    pub async fn update_many(&self, users: Vec<User>, if_match: IfMatch) -> Result<VersionedUsers, LpError> {
        let users = to_core_all(&users, User::to_core)?;
        with_users!(self, |u| u.update_many(&users, if_match.into())).map(Into::into)
    }

    /// Soft-deletes a user.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<DeletedUser, LpError> {
        with_users!(self, |u| u.delete(id, if_match.into())).map(Into::into)
    }

    /// Soft-deletes users in chunks.
    pub async fn delete_many(&self, ids: Vec<i64>, if_match: IfMatch) -> Result<VersionedUsers, LpError> {
        with_users!(self, |u| u.delete_many(&ids, if_match.into())).map(Into::into)
    }

    /// Sets a new password as an admin.
    pub async fn reset_password(&self, id: i64, new_password: Arc<Secret>) -> Result<VersionedUser, LpError> {
        let new = new_password.core();
        with_users!(self, |u| u.reset_password(id, &new)).map(Into::into)
    }

    /// Changes a password knowing the old one.
    pub async fn change_password(
        &self,
        id: i64,
        old_password: Arc<Secret>,
        new_password: Arc<Secret>,
    ) -> Result<VersionedUser, LpError> {
        let (old, new) = (old_password.core(), new_password.core());
        with_users!(self, |u| u.change_password(id, &old, &new)).map(Into::into)
    }

    /// The non-deleted user with this login name (case-insensitive), if any.
    pub async fn find_by_login_name(&self, login_name: String) -> Result<Option<User>, LpError> {
        let found = with_users!(self, |u| u.find_by_login_name(&login_name))?;
        Ok(found.as_ref().map(User::from))
    }

    /// Non-deleted users whose `member_of` is the group.
    pub async fn in_group(&self, agent_group_id: i64) -> Result<Vec<User>, LpError> {
        let users = with_users!(self, |u| u.in_group(agent_group_id))?;
        Ok(users.iter().map(User::from).collect())
    }

    /// Non-deleted users who manage the group.
    pub async fn managing(&self, agent_group_id: i64) -> Result<Vec<User>, LpError> {
        let users = with_users!(self, |u| u.managing(agent_group_id))?;
        Ok(users.iter().map(User::from).collect())
    }

    /// Non-deleted users who have the skill.
    pub async fn with_skill(&self, skill_id: i64) -> Result<Vec<User>, LpError> {
        let users = with_users!(self, |u| u.with_skill(skill_id))?;
        Ok(users.iter().map(User::from).collect())
    }

    /// Adds skills to users (read, change, write with the read revision).
    pub async fn add_skills(
        &self,
        user_ids: Vec<i64>,
        skill_ids: Vec<i64>,
    ) -> Result<VersionedUsers, LpError> {
        with_users!(self, |u| u.add_skills(&user_ids, &skill_ids)).map(Into::into)
    }

    /// Removes skills from users.
    pub async fn remove_skills(
        &self,
        user_ids: Vec<i64>,
        skill_ids: Vec<i64>,
    ) -> Result<VersionedUsers, LpError> {
        with_users!(self, |u| u.remove_skills(&user_ids, &skill_ids)).map(Into::into)
    }

    /// Moves users into a group.
    pub async fn move_to_group(
        &self,
        user_ids: Vec<i64>,
        agent_group_id: i64,
    ) -> Result<VersionedUsers, LpError> {
        with_users!(self, |u| u.move_to_group(&user_ids, agent_group_id)).map(Into::into)
    }

    /// Sets `max_chats`, and `max_async_chats` when `set_max_async_chats` is
    /// true (`max_async_chats = None` then means "inherit the account default").
    #[uniffi::method(default(set_max_async_chats = false, max_async_chats = None))]
    pub async fn set_concurrency(
        &self,
        user_ids: Vec<i64>,
        max_chats: i64,
        set_max_async_chats: bool,
        max_async_chats: Option<i64>,
    ) -> Result<VersionedUsers, LpError> {
        let async_chats = set_max_async_chats.then_some(max_async_chats);
        with_users!(self, |u| u.set_concurrency(&user_ids, max_chats, async_chats)).map(Into::into)
    }

    /// Reads the users, applies `change` to each and writes them back with the
    /// read revision (re-reading on a conflict), like the core's `modify`.
    pub async fn modify(
        &self,
        user_ids: Vec<i64>,
        change: Arc<dyn UserChange>,
    ) -> Result<VersionedUsers, LpError> {
        // A bad `extra_json` coming back from the foreign change stops the write.
        let (client, masked) = self.parts();
        let outcome = run(async move {
            let users = client.users().allow_masked_blank(masked);
            let changed = users
                .try_modify(&user_ids, |user| {
                    *user = change.apply(User::from(&*user)).to_core()?;
                    Ok::<(), LpError>(())
                })
                .await;
            Ok(changed)
        })
        .await?;
        match outcome {
            Ok(v) => Ok(v.into()),
            Err(ModifyError::Api(e)) => Err(e.into()),
            Err(ModifyError::Change(e)) => Err(e),
        }
    }
}

/// The Agent Groups API of one client.
#[derive(uniffi::Object)]
pub struct AgentGroups {
    client: lpconfig::Client,
}

/// Runs `$body` with `$g` bound to the core `AgentGroups` of this object's client.
macro_rules! with_groups {
    ($self:ident, |$g:ident| $body:expr) => {{
        let client = $self.client.clone();
        run(async move {
            let $g = client.agent_groups();
            $body.await
        })
        .await
    }};
}

#[uniffi::export]
impl AgentGroups {
    /// All groups.
    #[uniffi::method(default(select = None, include_deleted = false))]
    pub async fn list(
        &self,
        select: Option<String>,
        include_deleted: bool,
    ) -> Result<VersionedAgentGroups, LpError> {
        let opts = options(select, include_deleted);
        with_groups!(self, |g| g.list(&opts)).map(Into::into)
    }

    /// All groups, or `NotModified` when the collection is still at `since`.
    #[uniffi::method(default(select = None, include_deleted = false))]
    pub async fn list_if_modified(
        &self,
        since: u64,
        select: Option<String>,
        include_deleted: bool,
    ) -> Result<FetchedAgentGroups, LpError> {
        let opts = options(select, include_deleted);
        with_groups!(self, |g| g.list_if_modified(&opts, Revision(since))).map(Into::into)
    }

    /// One group.
    pub async fn get(&self, id: i64) -> Result<VersionedAgentGroup, LpError> {
        with_groups!(self, |g| g.get(id)).map(Into::into)
    }

    /// One group, or `NotModified`.
    pub async fn get_if_modified(&self, id: i64, since: u64) -> Result<FetchedAgentGroup, LpError> {
        with_groups!(self, |g| g.get_if_modified(id, Revision(since))).map(Into::into)
    }

    /// Creates a group (reconciled by `name` if the outcome was unknown).
    pub async fn create(&self, group: AgentGroup) -> Result<VersionedAgentGroup, LpError> {
        let group = group.to_core()?;
        with_groups!(self, |g| g.create(&group)).map(Into::into)
    }

    /// Creates groups in chunks.
    pub async fn create_many(&self, groups: Vec<AgentGroup>) -> Result<VersionedAgentGroups, LpError> {
        let groups = to_core_all(&groups, AgentGroup::to_core)?;
        with_groups!(self, |g| g.create_many(&groups)).map(Into::into)
    }

    /// Replaces a group (`id` required).
    pub async fn update(&self, group: AgentGroup, if_match: IfMatch) -> Result<VersionedAgentGroup, LpError> {
        let group = group.to_core()?;
        with_groups!(self, |g| g.update(&group, if_match.into())).map(Into::into)
    }

    /// Replaces groups in chunks.
    pub async fn update_many(
        &self,
        groups: Vec<AgentGroup>,
        if_match: IfMatch,
    ) -> Result<VersionedAgentGroups, LpError> {
        let groups = to_core_all(&groups, AgentGroup::to_core)?;
        with_groups!(self, |g| g.update_many(&groups, if_match.into())).map(Into::into)
    }

    /// Soft-deletes a group.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<DeletedAgentGroup, LpError> {
        with_groups!(self, |g| g.delete(id, if_match.into())).map(Into::into)
    }

    /// Soft-deletes groups in chunks.
    pub async fn delete_many(
        &self,
        ids: Vec<i64>,
        if_match: IfMatch,
    ) -> Result<VersionedAgentGroups, LpError> {
        with_groups!(self, |g| g.delete_many(&ids, if_match.into())).map(Into::into)
    }

    /// The hierarchy of non-deleted groups (roots first, children by name).
    pub async fn tree(&self) -> Result<Vec<GroupNode>, LpError> {
        let nodes = with_groups!(self, |g| g.tree())?;
        Ok(nodes.iter().map(GroupNode::from).collect())
    }

    /// The direct, non-deleted sub-groups of `id`.
    pub async fn children(&self, id: i64) -> Result<Vec<AgentGroup>, LpError> {
        let groups = with_groups!(self, |g| g.children(id))?;
        Ok(groups.iter().map(AgentGroup::from).collect())
    }

    /// Users whose `member_of` is group `id`.
    pub async fn members(&self, id: i64) -> Result<Vec<User>, LpError> {
        let users = with_groups!(self, |g| g.members(id))?;
        Ok(users.iter().map(User::from).collect())
    }

    /// Users who manage group `id`.
    pub async fn managers(&self, id: i64) -> Result<Vec<User>, LpError> {
        let users = with_groups!(self, |g| g.managers(id))?;
        Ok(users.iter().map(User::from).collect())
    }
}

/// Declares a catalog object (`Skills`, `Profiles`, `Lobs`).
macro_rules! catalog {
    ($name:ident, $accessor:ident, $entity:ident, $one:ident, $many:ident, $fetched:ident, $deleted:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(uniffi::Object)]
        pub struct $name {
            client: lpconfig::Client,
        }

        #[uniffi::export]
        impl $name {
            /// All entries.
            #[uniffi::method(default(select = None, include_deleted = false))]
            pub async fn list(
                &self,
                select: Option<String>,
                include_deleted: bool,
            ) -> Result<$many, LpError> {
                let (client, opts) = (self.client.clone(), options(select, include_deleted));
                run(async move { client.$accessor().list(&opts).await }).await.map(Into::into)
            }

            /// All entries, or `NotModified` when the collection is still at `since`.
            #[uniffi::method(default(select = None, include_deleted = false))]
            pub async fn list_if_modified(
                &self,
                since: u64,
                select: Option<String>,
                include_deleted: bool,
            ) -> Result<$fetched, LpError> {
                let (client, opts) = (self.client.clone(), options(select, include_deleted));
                run(async move { client.$accessor().list_if_modified(&opts, Revision(since)).await })
                    .await
                    .map(Into::into)
            }

            /// One entry.
            pub async fn get(&self, id: i64) -> Result<$one, LpError> {
                let client = self.client.clone();
                run(async move { client.$accessor().get(id).await }).await.map(Into::into)
            }

            /// The non-deleted entry with exactly this name, if any.
            pub async fn find_by_name(&self, name: String) -> Result<Option<$entity>, LpError> {
                let client = self.client.clone();
                let found = run(async move { client.$accessor().find_by_name(&name).await }).await?;
                Ok(found.as_ref().map($entity::from))
            }

            /// Creates an entry.
            pub async fn create(&self, entry: $entity) -> Result<$one, LpError> {
                let (client, entry) = (self.client.clone(), entry.to_core()?);
                run(async move { client.$accessor().create(&entry).await }).await.map(Into::into)
            }

            /// Creates entries in chunks (each chunk atomic).
            pub async fn create_many(&self, entries: Vec<$entity>) -> Result<$many, LpError> {
                let (client, entries) = (self.client.clone(), to_core_all(&entries, $entity::to_core)?);
                run(async move { client.$accessor().create_many(&entries).await }).await.map(Into::into)
            }

            /// Replaces an entry (`id` required).
            pub async fn update(&self, entry: $entity, if_match: IfMatch) -> Result<$one, LpError> {
                let (client, entry) = (self.client.clone(), entry.to_core()?);
                run(async move { client.$accessor().update(&entry, if_match.into()).await })
                    .await
                    .map(Into::into)
            }

            /// Replaces entries in chunks.
            pub async fn update_many(
                &self,
                entries: Vec<$entity>,
                if_match: IfMatch,
            ) -> Result<$many, LpError> {
                let (client, entries) = (self.client.clone(), to_core_all(&entries, $entity::to_core)?);
                run(async move { client.$accessor().update_many(&entries, if_match.into()).await })
                    .await
                    .map(Into::into)
            }

            /// Soft-deletes an entry.
            pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<$deleted, LpError> {
                let client = self.client.clone();
                run(async move { client.$accessor().delete(id, if_match.into()).await }).await.map(Into::into)
            }

            /// Soft-deletes entries in chunks.
            pub async fn delete_many(&self, ids: Vec<i64>, if_match: IfMatch) -> Result<$many, LpError> {
                let client = self.client.clone();
                run(async move { client.$accessor().delete_many(&ids, if_match.into()).await })
                    .await
                    .map(Into::into)
            }
        }
    };
}

catalog!(Skills, skills, Skill, VersionedSkill, VersionedSkills, FetchedSkills, DeletedSkill, "Skills.");
catalog!(
    Profiles,
    profiles,
    Profile,
    VersionedProfile,
    VersionedProfiles,
    FetchedProfiles,
    DeletedProfile,
    "Profiles."
);
catalog!(Lobs, lobs, Lob, VersionedLob, VersionedLobs, FetchedLobs, DeletedLob, "Lines of business.");
