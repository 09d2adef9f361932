//! `NativeUsers`: every method and helper of the core's `Users`, JSON in and out.

use lpconfig::api::users::ModifyError;
use lpconfig::Secret;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::Value;

use crate::completions::NativeCompletions;
use crate::convert::{self, fetched, list_options, out, revision, versioned};
use crate::error::{config, IntoNapi};

/// The Users API of one client.
#[napi]
pub struct NativeUsers {
    client: lpconfig::Client,
    allow_masked_blank: bool,
}

impl NativeUsers {
    pub(crate) fn new(client: lpconfig::Client, allow_masked_blank: bool) -> Self {
        Self { client, allow_masked_blank }
    }

    fn api(&self) -> lpconfig::api::users::Users<'_> {
        self.client.users().allow_masked_blank(self.allow_masked_blank)
    }
}

/// The JS `change` of `modify`: called with a user's JSON, answers the changed
/// user's JSON, or `null` after it threw (the JS side keeps the exception).
pub type ChangeCallback = ThreadsafeFunction<String, Option<String>, String, napi::Status, false>;

/// Runs `change` on the JS thread and waits for its answer. The wait blocks
/// this runtime worker only (`block_in_place`): the JS thread is free, since
/// the caller is awaiting the Promise of this very call.
fn run_change(change: &ChangeCallback, user: &mut lpconfig::api::users::User) -> Result<(), String> {
    let text = serde_json::to_string(&*user).map_err(|e| e.to_string())?;
    let (tx, rx) = std::sync::mpsc::channel();
    let status =
        change.call_with_return_value(text, ThreadsafeFunctionCallMode::Blocking, move |ret, _env| {
            let _ = tx.send(ret);
            Ok(())
        });
    if status != napi::Status::Ok {
        return Err("the change callback could not be called".into());
    }
    let answer = tokio::task::block_in_place(|| rx.recv())
        .map_err(|_| "the change callback did not answer".to_owned())?;
    match answer {
        Ok(Some(json)) => {
            let value: Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
            *user = convert::user_from(value).map_err(|e| e.reason.clone())?;
            Ok(())
        }
        Ok(None) => Err("the change callback threw".into()),
        Err(e) => Err(e.reason.clone()),
    }
}

#[napi]
impl NativeUsers {
    /// A view whose helpers may send back a masked (empty) `fullName` (D14).
    #[napi]
    pub fn allow_masked_blank(&self, yes: bool) -> NativeUsers {
        NativeUsers::new(self.client.clone(), yes)
    }

    /// All users: `{ value, revision }`.
    #[napi]
    pub async fn list(&self, options: Option<String>) -> napi::Result<String> {
        versioned(&self.api().list(&list_options(options)?).await.napi()?)
    }

    /// All users, or `{ notModified: true }` when still at `since`.
    #[napi]
    pub async fn list_if_modified(&self, since: i64, options: Option<String>) -> napi::Result<String> {
        fetched(&self.api().list_if_modified(&list_options(options)?, revision(since)?).await.napi()?)
    }

    /// One user.
    #[napi]
    pub async fn get(&self, id: i64) -> napi::Result<String> {
        versioned(&self.api().get(id).await.napi()?)
    }

    /// `get`, its outcome delivered through `done` under `token` (what
    /// `client.users.get` uses: see `completions.rs`).
    #[napi]
    pub fn get_into(&self, done: &NativeCompletions, token: u32, id: i64) {
        let client = self.client.clone();
        let allow_masked_blank = self.allow_masked_blank;
        done.spawn(token, async move {
            versioned(&client.users().allow_masked_blank(allow_masked_blank).get(id).await.napi()?)
        });
    }

    /// One user, or not modified.
    #[napi]
    pub async fn get_if_modified(&self, id: i64, since: i64) -> napi::Result<String> {
        fetched(&self.api().get_if_modified(id, revision(since)?).await.napi()?)
    }

    /// Creates a user.
    #[napi]
    pub async fn create(&self, user: String) -> napi::Result<String> {
        let user = convert::user(&user)?;
        versioned(&self.api().create(&user).await.napi()?)
    }

    /// Creates users (chunked).
    #[napi]
    pub async fn create_many(&self, users: String) -> napi::Result<String> {
        let users = convert::users(&users)?;
        versioned(&self.api().create_many(&users).await.napi()?)
    }

    /// Replaces a user.
    #[napi]
    pub async fn update(&self, user: String, if_match: i64) -> napi::Result<String> {
        let (user, guard) = (convert::user(&user)?, convert::if_match(if_match)?);
        versioned(&self.api().update(&user, guard).await.napi()?)
    }

    /// Replaces users (chunked).
    #[napi]
    pub async fn update_many(&self, users: String, if_match: i64) -> napi::Result<String> {
        let (users, guard) = (convert::users(&users)?, convert::if_match(if_match)?);
        versioned(&self.api().update_many(&users, guard).await.napi()?)
    }

    /// Soft-deletes a user.
    #[napi]
    pub async fn delete(&self, id: i64, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        versioned(&self.api().delete(id, guard).await.napi()?)
    }

    /// Soft-deletes users (chunked).
    #[napi]
    pub async fn delete_many(&self, ids: Vec<i64>, if_match: i64) -> napi::Result<String> {
        let guard = convert::if_match(if_match)?;
        versioned(&self.api().delete_many(&ids, guard).await.napi()?)
    }

    /// An administrator sets a new password.
    #[napi]
    pub async fn reset_password(&self, id: i64, new_password: String) -> napi::Result<String> {
        let new_password = Secret::new(new_password);
        versioned(&self.api().reset_password(id, &new_password).await.napi()?)
    }

    /// A user changes their own password.
    #[napi]
    pub async fn change_password(
        &self,
        id: i64,
        old_password: String,
        new_password: String,
    ) -> napi::Result<String> {
        let (old, new) = (Secret::new(old_password), Secret::new(new_password));
        versioned(&self.api().change_password(id, &old, &new).await.napi()?)
    }

    /// The non-deleted user with this login name, or `null`.
    #[napi]
    pub async fn find_by_login_name(&self, login_name: String) -> napi::Result<String> {
        out(&self.api().find_by_login_name(&login_name).await.napi()?)
    }

    /// Members of a group.
    #[napi]
    pub async fn in_group(&self, agent_group_id: i64) -> napi::Result<String> {
        out(&self.api().in_group(agent_group_id).await.napi()?)
    }

    /// Managers of a group.
    #[napi]
    pub async fn managing(&self, agent_group_id: i64) -> napi::Result<String> {
        out(&self.api().managing(agent_group_id).await.napi()?)
    }

    /// Users with a skill.
    #[napi]
    pub async fn with_skill(&self, skill_id: i64) -> napi::Result<String> {
        out(&self.api().with_skill(skill_id).await.napi()?)
    }

    /// Adds skills to users.
    #[napi]
    pub async fn add_skills(&self, user_ids: Vec<i64>, skill_ids: Vec<i64>) -> napi::Result<String> {
        versioned(&self.api().add_skills(&user_ids, &skill_ids).await.napi()?)
    }

    /// Removes skills from users.
    #[napi]
    pub async fn remove_skills(&self, user_ids: Vec<i64>, skill_ids: Vec<i64>) -> napi::Result<String> {
        versioned(&self.api().remove_skills(&user_ids, &skill_ids).await.napi()?)
    }

    /// Moves users into a group.
    #[napi]
    pub async fn move_to_group(&self, user_ids: Vec<i64>, agent_group_id: i64) -> napi::Result<String> {
        versioned(&self.api().move_to_group(&user_ids, agent_group_id).await.napi()?)
    }

    /// Sets `maxChats` and, when `async_given`, `maxAsyncChats` (`null` inherits).
    #[napi]
    pub async fn set_concurrency(
        &self,
        user_ids: Vec<i64>,
        max_chats: i64,
        async_given: bool,
        max_async_chats: Option<i64>,
    ) -> napi::Result<String> {
        let max_async = async_given.then_some(max_async_chats);
        versioned(&self.api().set_concurrency(&user_ids, max_chats, max_async).await.napi()?)
    }

    /// Read-modify-write through the core's `try_modify`: `change` (a JS
    /// function from user JSON to user JSON) runs on each user read; a throw
    /// stops it before anything is written.
    #[napi]
    pub async fn modify(&self, user_ids: Vec<i64>, change: ChangeCallback) -> napi::Result<String> {
        let result = self.api().try_modify(&user_ids, |u| run_change(&change, u)).await;
        match result {
            Ok(v) => versioned(&v),
            Err(ModifyError::Api(e)) => Err(crate::error::to_napi(e)),
            Err(ModifyError::Change(why)) => Err(config("change", why)),
        }
    }
}
