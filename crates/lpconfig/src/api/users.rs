//! The Users API v4.0 (users-api.md §3-§4): the 33-field entity and the typed
//! client with its read-modify-write helpers (§3.12).

use std::collections::HashSet;

use reqwest::Method;

use crate::api::collection::{Collection, Entity, ListOptions};
use crate::api::gateway::{ApiRequest, Gateway};
use crate::api::lenient::Nullable;
use crate::error::{Error, ErrorDetails, ErrorKind, Result};
use crate::revision::{Fetched, IfMatch, Revision, Versioned};
use crate::secret::Secret;

/// Replays the definition of [`GroupLink`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! group_link_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
            /// A group link of a user: `memberOf` and the items of `managerOf`.
            pub struct GroupLink {
                /// The agent group.
                "agentGroupId" => agent_group_id: Option<i64>,
                /// Set by the server when the link is made (`YYYY-MM-DD HH:MM:SS`).
                "assignmentDate" => assignment_date: Option<String>,
            }
        }
    };
}

crate::group_link_entity!(crate::entity);

impl GroupLink {
    /// A link to `agent_group_id`.
    pub fn to(agent_group_id: i64) -> Self {
        Self { agent_group_id: Some(agent_group_id), ..Default::default() }
    }
}

/// Replays the definition of [`User`] into `$m!`, after the tokens given
/// after the macro (the uniffi binding generates its records from it).
#[doc(hidden)]
#[macro_export]
macro_rules! user_entity {
    ($m:path $(, $($pre:tt)*)?) => {
        $m! {
            $($($pre)*)?
            /// A user: the 33 fields of users-api.md §4.1. Unknown fields stay in
            /// `extra` and are sent back, so a read-modify-write never drops data.
            ///
            /// ```
            /// use lpconfig::api::users::User;
            /// // Lenient in (the docs' string-typed example), native out.
            /// let u: User = serde_json::from_str(r#"{"id":"987654321","isEnabled":"true","maxChats":"4","skills":[1]}"#).unwrap();
            /// assert_eq!((u.id, u.is_enabled, u.max_chats), (Some(987654321), Some(true), Some(4)));
            /// let out = serde_json::to_value(&u).unwrap();
            /// assert_eq!(out["id"], 987654321);
            /// assert_eq!(out["skills"], serde_json::json!([1]));
            /// assert!(out["passwordSh"].is_null()); // write-only: "unchanged" unless set
            /// ```
            pub struct User {
                /// Server id (read only).
                "id" => id: Option<i64>,
                /// Process / participant id (server-set).
                "pid" => pid: Option<String>,
                /// Soft-delete marker (read only).
                "deleted" => deleted: Option<bool>,
                /// Unique login name (case-insensitive).
                "loginName" => login_name: Option<String>,
                /// Full name; servers that mask personal data return `""`.
                "fullName" => full_name: Option<String>,
                /// Name shown to visitors.
                "nickname" => nickname: Option<String>,
                /// Enabled flag.
                "isEnabled" => is_enabled: Option<bool>,
                /// Maximum concurrent chats.
                "maxChats" => max_chats: Option<i64>,
                /// Skills.
                "skillIds" => skill_ids: Vec<i64>,
                /// E-mail address.
                "email" => email: Option<String>,
                /// The agent's group (required for agents).
                "memberOf" => member_of: Option<$crate::api::users::GroupLink>,
                /// Groups the user manages (agent managers only).
                "managerOf" => manager_of: Vec<$crate::api::users::GroupLink>,
                /// Forces a password change at next login.
                "changePwdNextLogin" => change_pwd_next_login: Option<bool>,
                /// Write-only password: sent as `null` ("unchanged") unless set (D13).
                "passwordSh" => password: Option<$crate::Secret>,
                /// Write-only: the current password, for a self-service change.
                "oldPassword" => old_password: $crate::api::lenient::SendIfSet,
                /// Write-only: the new password again, for a self-service change.
                "confirmPassword" => confirm_password: $crate::api::lenient::SendIfSet,
                /// Last password change (server-set).
                "lastPwdChangeDate" => last_pwd_change_date: Option<String>,
                /// Last update (server-set).
                "dateUpdated" => date_updated: Option<String>,
                /// Legacy permission groups.
                "permissionGroups" => permission_groups: Vec<i64>,
                /// Picture id.
                "pictureId" => picture_id: Option<String>,
                /// Picture URL.
                "pictureUrl" => picture_url: Option<String>,
                /// Disabled by hand (defaults to `!isEnabled` on the server).
                "disabledManually" => disabled_manually: Option<bool>,
                /// Free text.
                "description" => description: Option<String>,
                /// Mobile number.
                "mobileNumber" => mobile_number: Option<String>,
                /// External employee id; masked (`""`) by some servers.
                "employeeId" => employee_id: Option<String>,
                /// Background image URI.
                "backgndImgUri" => backgnd_img_uri: Option<String>,
                /// Mobile app id (push certificate name).
                "pnCertName" => pn_cert_name: Option<String>,
                /// Max open messaging conversations; `None` (null) inherits the account default.
                "maxAsyncChats" => max_async_chats: $crate::api::lenient::Nullable,
                /// Profiles; they define the user's roles.
                "profileIds" => profile_ids: Vec<i64>,
                /// API (bot) user that logs in with an app key.
                "isApiUser" => is_api_user: Option<bool>,
                /// 0 system, 1 human, 2 bot.
                "userTypeId" => user_type_id: Option<i64>,
                /// App key(s) of an API user.
                "allowedAppKeys" => allowed_app_keys: Option<String>,
                /// Lines of business.
                "lobIds" => lob_ids: Vec<i64>,
            }
        }
    };
}

crate::user_entity!(crate::entity);

impl User {
    /// A new user with the fields a create requires (users-api.md §7.1).
    pub fn new(login_name: impl Into<String>, nickname: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            login_name: Some(login_name.into()),
            nickname: Some(nickname.into()),
            email: Some(email.into()),
            is_enabled: Some(true),
            max_chats: Some(0),
            ..Default::default()
        }
    }
}

impl Entity for User {
    const PATH: &'static str = "users";
    const NATURAL_KEY: &'static str = "loginName";
    fn id(&self) -> Option<i64> {
        self.id
    }
    fn natural_key(&self) -> Option<&str> {
        self.login_name.as_deref()
    }
    fn same_key(a: &str, b: &str) -> bool {
        a.to_lowercase() == b.to_lowercase()
    }
    fn is_deleted(&self) -> bool {
        self.deleted == Some(true)
    }
}

/// A user as [`Users::create_many_ids`] reports it: the id the server gave it and
/// its login name. Both are read as leniently as [`User`] reads them; every other
/// field of the answer is checked to be JSON and skipped, not decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedUser {
    /// Server id.
    pub id: Option<i64>,
    /// Login name.
    pub login_name: Option<String>,
}

impl<'de> serde::Deserialize<'de> for CreatedUser {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CreatedUser;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a User object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<CreatedUser, A::Error> {
                use crate::api::lenient::Read;
                use serde::de::Error as _;
                let mut out = CreatedUser::default();
                // `Key` borrows each key from the input (serde_json's `Cow<str>` would
                // allocate one per key).
                while let Some(key) = map.next_key::<crate::api::lenient::Key<'de>>()? {
                    // The same error text as `User`'s reader for the fields kept.
                    match key.0.as_ref() {
                        "id" => {
                            out.id = map
                                .next_value::<Read<Option<i64>>>()
                                .map_err(|e| A::Error::custom(format!("id: {e}")))?
                                .0;
                        }
                        "loginName" => {
                            out.login_name = map
                                .next_value::<Read<Option<String>>>()
                                .map_err(|e| A::Error::custom(format!("loginName: {e}")))?
                                .0;
                        }
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl crate::api::collection::Reply<User> for CreatedUser {
    fn from_entity(user: User) -> Self {
        Self { id: user.id, login_name: user.login_name }
    }
    fn reply_id(&self) -> Option<i64> {
        self.id
    }
}

/// Why [`Users::try_modify`] stopped.
#[derive(Debug)]
pub enum ModifyError<E> {
    /// A call failed (or the masked-field guard refused).
    Api(Error),
    /// The change refused a user; nothing was written.
    Change(E),
}

impl<E> From<Error> for ModifyError<E> {
    fn from(e: Error) -> Self {
        Self::Api(e)
    }
}

/// The Rust spelling of the opt-out in the masked-`fullName` error, which the
/// bindings replace with theirs (`allow_masked_blank=True`, `allowMaskedBlank(true)`).
pub const MASKED_BLANK_HINT: &str = "users().allow_masked_blank(true)";

/// How many times a read-modify-write helper re-reads after a `Conflict`.
const CONFLICT_RETRIES: u32 = 3;

/// The Users API of one account.
///
/// ```
/// # #[tokio::main] async fn main() -> lpconfig::Result<()> {
/// # let emu = lpconfig_emulator::Emulator::builder().demo().start().await.unwrap();
/// # let client = lpconfig::Client::builder().account("demo")
/// #     .credentials(lpconfig::Credentials::password("admin", "demo-password-1"))
/// #     .csds_url(emu.base_url()).build()?;
/// use lpconfig::api::{users::{GroupLink, User}, ListOptions};
/// let users = client.users();
/// let mut kim = User::new("kim.new", "Kim", "kim@example.com");
/// kim.full_name = Some("Kim New".into());
/// kim.password = Some("Str0ng-Passw0rd".into());
/// kim.profile_ids = vec![2_359_273_712]; // the demo's Agent profile
/// kim.member_of = Some(GroupLink::to(1002));
/// let created = users.create(&kim).await?;
/// let id = created.value.id.unwrap();
/// // The demo server masks fullName, so the helpers must be allowed to send it back.
/// users.allow_masked_blank(true).add_skills(&[id], &[2_359_236_212]).await?;
/// assert_eq!(users.get(id).await?.value.skill_ids, [2_359_236_212]);
/// assert!(users.find_by_login_name("KIM.NEW").await?.is_some());
/// # Ok(()) }
/// ```
#[derive(Clone, Copy)]
pub struct Users<'a> {
    gateway: &'a Gateway,
    coll: Collection<'a, User>,
    allow_masked_blank: bool,
}

impl<'a> Users<'a> {
    /// The Users API over `gateway`.
    pub fn new(gateway: &'a Gateway, batch_size: usize) -> Self {
        Self { gateway, coll: Collection::new(gateway, batch_size), allow_masked_blank: false }
    }

    /// Lets the read-modify-write helpers send back a masked (`""`) `fullName`
    /// they read from the server. Off by default (D14): on a server that does
    /// not keep masked values, that would blank the name.
    pub fn allow_masked_blank(mut self, yes: bool) -> Self {
        self.allow_masked_blank = yes;
        self
    }

    /// The generic collection client underneath.
    pub fn collection(&self) -> Collection<'a, User> {
        self.coll
    }

    /// All users (`select=$all` unless `opts.select` is set).
    pub async fn list(&self, opts: &ListOptions) -> Result<Versioned<Vec<User>>> {
        self.coll.list(opts).await
    }

    /// All users, each handed to `each` as soon as it is decoded, none kept
    /// ([`Collection::list_each`]: `false` stops early; an answer that breaks off
    /// after some users were handed on fails instead of being read again).
    ///
    /// ```no_run
    /// # async fn demo(client: &lpconfig::Client) -> lpconfig::Result<()> {
    /// use lpconfig::ListOptions;
    /// let mut agents = 0;
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// let listed = client.users().list_each(&ListOptions::default(), move |u| tx.send(u).is_ok()).await?;
    /// for user in rx.try_iter() {
    ///     agents += usize::from(user.login_name.is_some());
    /// }
    /// assert!(agents <= listed.value);
    /// # Ok(()) }
    /// ```
    pub async fn list_each<F>(&self, opts: &ListOptions, each: F) -> Result<Versioned<usize>>
    where
        F: FnMut(User) -> bool + Send + 'static,
    {
        self.coll.list_each(opts, each).await
    }

    /// All users, or `NotModified` when the collection is still at `since`.
    pub async fn list_if_modified(&self, opts: &ListOptions, since: Revision) -> Result<Fetched<Vec<User>>> {
        self.coll.list_if_modified(opts, since).await
    }

    /// One user.
    pub async fn get(&self, id: i64) -> Result<Versioned<User>> {
        self.coll.get(id, &ListOptions::default()).await
    }

    /// One user, or `NotModified`.
    pub async fn get_if_modified(&self, id: i64, since: Revision) -> Result<Fetched<User>> {
        self.coll.get_if_modified(id, &ListOptions::default(), since).await
    }

    /// Creates a user.
    pub async fn create(&self, user: &User) -> Result<Versioned<User>> {
        self.coll.create(user).await
    }

    /// Creates users (chunked).
    pub async fn create_many(&self, users: &[User]) -> Result<Versioned<Vec<User>>> {
        self.coll.create_many(users).await
    }

    /// [`Users::create_many`] for callers that need only what was created, not the
    /// users as the server stored them: the same requests, chunks, reconciliation
    /// after a lost answer and errors, but each created user is decoded as its id
    /// and login name. Creating 50,000 users, that skips decoding every field of
    /// each one only to drop it (the sync engine's apply).
    pub async fn create_many_ids(&self, users: &[User]) -> Result<Versioned<Vec<CreatedUser>>> {
        self.coll.create_many_as(users).await
    }

    /// Replaces a user (full replacement; `passwordSh` null unless set).
    pub async fn update(&self, user: &User, if_match: IfMatch) -> Result<Versioned<User>> {
        self.coll.update(user, if_match).await
    }

    /// Replaces users (chunked).
    pub async fn update_many(&self, users: &[User], if_match: IfMatch) -> Result<Versioned<Vec<User>>> {
        self.coll.update_many(users, if_match).await
    }

    /// Soft-deletes a user.
    pub async fn delete(&self, id: i64, if_match: IfMatch) -> Result<Versioned<Option<User>>> {
        self.coll.delete(id, if_match).await
    }

    /// Soft-deletes users (chunked).
    pub async fn delete_many(&self, ids: &[i64], if_match: IfMatch) -> Result<Versioned<Vec<User>>> {
        self.coll.delete_many(ids, if_match).await
    }

    /// `PUT /users/{id}/resetPassword`: an administrator sets a new password.
    pub async fn reset_password(&self, id: i64, new_password: &Secret) -> Result<Versioned<User>> {
        self.password_call(id, "resetPassword", serde_json::json!({ "newPassword": new_password.expose() }))
            .await
    }

    /// `PUT /users/{id}/changePassword` (older docs): a user changes their own password.
    pub async fn change_password(&self, id: i64, old: &Secret, new: &Secret) -> Result<Versioned<User>> {
        let body = serde_json::json!({
            "oldPassword": old.expose(),
            "newPassword": new.expose(),
            "confirmPassword": new.expose(),
        });
        self.password_call(id, "changePassword", body).await
    }

    async fn password_call(&self, id: i64, action: &str, body: serde_json::Value) -> Result<Versioned<User>> {
        if body["newPassword"].as_str().is_none_or(str::is_empty) {
            return Err(Error::config("newPassword", "must not be empty"));
        }
        let req = ApiRequest::new(Method::PUT, format!("users/{id}/{action}")).json(&body)?;
        let resp = self.gateway.send(req).await?;
        let revision = Revision::from_response(&resp);
        let value: User = serde_json::from_slice(&resp.body).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                ErrorDetails {
                    message: format!("{action} reply: {e}"),
                    status: Some(resp.status),
                    ..Default::default()
                },
            )
        })?;
        Ok(Versioned { value, revision })
    }

    /// The non-deleted user with this login name (compared case-insensitively).
    pub async fn find_by_login_name(&self, login_name: &str) -> Result<Option<User>> {
        if login_name.trim().is_empty() {
            return Err(Error::config("loginName", "must not be empty"));
        }
        let all = self.list(&ListOptions::default()).await?;
        Ok(all.value.into_iter().find(|u| {
            !u.is_deleted() && u.login_name.as_deref().is_some_and(|n| User::same_key(n, login_name))
        }))
    }

    /// Non-deleted users whose `memberOf` is `agent_group_id`.
    pub async fn in_group(&self, agent_group_id: i64) -> Result<Vec<User>> {
        let all = self.list(&ListOptions::default()).await?;
        Ok(all
            .value
            .into_iter()
            .filter(|u| {
                !u.is_deleted() && u.member_of.as_ref().and_then(|m| m.agent_group_id) == Some(agent_group_id)
            })
            .collect())
    }

    /// Non-deleted users managing `agent_group_id`.
    pub async fn managing(&self, agent_group_id: i64) -> Result<Vec<User>> {
        let all = self.list(&ListOptions::default()).await?;
        Ok(all
            .value
            .into_iter()
            .filter(|u| {
                !u.is_deleted() && u.manager_of.iter().any(|m| m.agent_group_id == Some(agent_group_id))
            })
            .collect())
    }

    /// Non-deleted users that have `skill_id`.
    pub async fn with_skill(&self, skill_id: i64) -> Result<Vec<User>> {
        let all = self.list(&ListOptions::default()).await?;
        Ok(all.value.into_iter().filter(|u| !u.is_deleted() && u.skill_ids.contains(&skill_id)).collect())
    }

    /// Adds skills to users (one batch PUT under `If-Match`).
    pub async fn add_skills(&self, user_ids: &[i64], skill_ids: &[i64]) -> Result<Versioned<Vec<User>>> {
        self.modify(user_ids, |u| {
            for s in skill_ids {
                if !u.skill_ids.contains(s) {
                    u.skill_ids.push(*s);
                }
            }
        })
        .await
    }

    /// Removes skills from users.
    pub async fn remove_skills(&self, user_ids: &[i64], skill_ids: &[i64]) -> Result<Versioned<Vec<User>>> {
        self.modify(user_ids, |u| u.skill_ids.retain(|s| !skill_ids.contains(s))).await
    }

    /// Makes users members of `agent_group_id`.
    pub async fn move_to_group(&self, user_ids: &[i64], agent_group_id: i64) -> Result<Versioned<Vec<User>>> {
        self.modify(user_ids, |u| {
            if u.member_of.as_ref().and_then(|m| m.agent_group_id) != Some(agent_group_id) {
                u.member_of = Some(GroupLink::to(agent_group_id));
            }
        })
        .await
    }

    /// Sets `maxChats` and, when given, `maxAsyncChats` (`Some(None)` = inherit).
    pub async fn set_concurrency(
        &self,
        user_ids: &[i64],
        max_chats: i64,
        max_async_chats: Option<Option<i64>>,
    ) -> Result<Versioned<Vec<User>>> {
        self.modify(user_ids, |u| {
            u.max_chats = Some(max_chats);
            if let Some(a) = max_async_chats {
                u.max_async_chats = Nullable(a);
            }
        })
        .await
    }

    /// Read-modify-write: reads the users, applies `change`, writes them back
    /// in one guarded batch, and on `Conflict` re-reads and retries (3 times).
    pub async fn modify(&self, user_ids: &[i64], change: impl Fn(&mut User)) -> Result<Versioned<Vec<User>>> {
        let infallible = |u: &mut User| {
            change(u);
            Ok::<(), std::convert::Infallible>(())
        };
        self.try_modify(user_ids, infallible).await.map_err(|e| match e {
            ModifyError::Api(e) => e,
            ModifyError::Change(never) => match never {},
        })
    }

    /// Like [`Users::modify`], but `change` may refuse a user: then nothing is
    /// written and its error is returned as [`ModifyError::Change`].
    pub async fn try_modify<E>(
        &self,
        user_ids: &[i64],
        change: impl Fn(&mut User) -> std::result::Result<(), E>,
    ) -> std::result::Result<Versioned<Vec<User>>, ModifyError<E>> {
        if user_ids.is_empty() {
            return Err(ModifyError::Api(Error::config("user_ids", "at least one user id is needed")));
        }
        let wanted: HashSet<i64> = user_ids.iter().copied().collect();
        let mut tries = 0;
        loop {
            let (mut users, revision) = self.read_for_update(user_ids, &wanted).await?;
            for u in &mut users {
                let before = u.full_name.clone();
                change(u).map_err(ModifyError::Change)?;
                self.guard_masked(u, before.as_deref())?;
            }
            let guard = revision.map_or(IfMatch::Any, IfMatch::Revision);
            match self.update_many(&users, guard).await {
                Err(e)
                    if e.kind() == ErrorKind::Conflict
                        && tries < CONFLICT_RETRIES
                        && e.details()
                            .batch
                            .as_ref()
                            .is_none_or(|b| b.applied.is_empty() && b.unknown.is_empty()) =>
                {
                    tries += 1;
                    tracing::info!(target: "lpconfig::api", attempt = tries, "revision moved; re-reading before retrying the update");
                }
                other => return other.map_err(ModifyError::Api),
            }
        }
    }

    async fn read_for_update(
        &self,
        ids: &[i64],
        wanted: &HashSet<i64>,
    ) -> Result<(Vec<User>, Option<Revision>)> {
        if let [one] = ids {
            let v = self.get(*one).await?;
            return Ok((vec![v.value], v.revision));
        }
        let all = self.list(&ListOptions::default()).await?;
        let users: Vec<User> = all
            .value
            .into_iter()
            .filter(|u| !u.is_deleted() && u.id.is_some_and(|id| wanted.contains(&id)))
            .collect();
        if users.len() != wanted.len() {
            let found: HashSet<i64> = users.iter().filter_map(|u| u.id).collect();
            let missing: Vec<String> = wanted.difference(&found).map(i64::to_string).collect();
            return Err(Error::new(
                ErrorKind::NotFound,
                ErrorDetails {
                    message: format!("no such users: {}", missing.join(", ")),
                    field: Some("user_ids".into()),
                    ..Default::default()
                },
            ));
        }
        Ok((users, all.revision))
    }

    /// Refuses to send back a masked (`""`) `fullName` the caller did not set (D14).
    /// The message names [`MASKED_BLANK_HINT`], which each binding rewrites
    /// into its own spelling.
    fn guard_masked(&self, user: &User, before: Option<&str>) -> Result<()> {
        let blank_from_server =
            before.is_none_or(str::is_empty) && user.full_name.as_deref().is_none_or(str::is_empty);
        if blank_from_server && !self.allow_masked_blank {
            return Err(Error::config(
                "fullName",
                format!(
                    "user {} came back with a masked (empty) fullName; a full-replacement PUT could blank it. \
                     Set fullName, or {MASKED_BLANK_HINT} if the account keeps masked values",
                    user.id.unwrap_or_default()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{CreatedUser, User};
    use crate::api::collection::Reply;

    /// `CreatedUser` reads what `User` reads for the two fields it keeps, from the
    /// same answers, and skips the rest.
    #[test]
    fn created_user_reads_id_and_login_name_as_user_does() {
        let bodies = [
            r#"{"id":987654321,"loginName":"ana","fullName":"Ana","skillIds":[1,2],"memberOf":{"agentGroupId":"5"},"extra":{"a":[1,{"b":null}]}}"#,
            r#"{"id":"987654321","loginName":"bo\u00e9","isEnabled":"true","maxChats":"4"}"#,
            r#"{"loginName":12,"id":null}"#,
            r#"{"id":" ","pictureUrl":null}"#,
            r#"{}"#,
        ];
        for body in bodies {
            let full: User = serde_json::from_str(body).unwrap();
            let light: CreatedUser = serde_json::from_str(body).unwrap();
            assert_eq!(light, CreatedUser::from_entity(full.clone()), "{body}");
            assert_eq!((light.id, light.login_name), (full.id, full.login_name), "{body}");
        }
        let many: Vec<CreatedUser> = serde_json::from_str(&format!("[{}]", bodies.join(","))).unwrap();
        assert_eq!(many.len(), bodies.len());
        assert_eq!(many[0].reply_id(), Some(987_654_321));
    }

    #[test]
    fn created_user_refuses_what_user_refuses_in_its_fields() {
        for body in
            [r#"{"id":"lots"}"#, r#"{"id":1.5}"#, r#"{"loginName":[1]}"#, r#"[1]"#, r#"{"id":1,"x":}"#]
        {
            let full = serde_json::from_str::<User>(body).unwrap_err().to_string();
            let light = serde_json::from_str::<CreatedUser>(body).unwrap_err().to_string();
            assert_eq!(light, full, "{body}");
        }
    }
}
