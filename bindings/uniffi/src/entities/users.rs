//! `User` (all 33 fields of users-api.md) and `GroupLink`.

use std::sync::Arc;

use lpconfig::api::lenient::{Nullable, SendIfSet};
use lpconfig::api::users as core;

use super::{extra_from_json, extra_to_json};
use crate::error::LpError;
use crate::secret::Secret;

/// A link from a user to an agent group (`memberOf`, `managerOf`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupLink {
    /// The group's id.
    #[uniffi(default)]
    pub agent_group_id: Option<i64>,
    /// When the link was made (server-set).
    #[uniffi(default)]
    pub assignment_date: Option<String>,
}

impl From<&core::GroupLink> for GroupLink {
    fn from(c: &core::GroupLink) -> Self {
        Self { agent_group_id: c.agent_group_id, assignment_date: c.assignment_date.clone() }
    }
}

impl From<&GroupLink> for core::GroupLink {
    fn from(r: &GroupLink) -> Self {
        let mut c = core::GroupLink::to(0);
        c.agent_group_id = r.agent_group_id;
        c.assignment_date = r.assignment_date.clone();
        c
    }
}

/// Declares `User` with the fields copied as-is, plus the ones that need a
/// conversion, and both conversions.
macro_rules! user_record {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)*) => {
        /// A user (agent, manager, admin or API user). Every field is optional
        /// so a partial `select` reads fine; the server requires `login_name`,
        /// `nickname`, `email` and (for a human user) `password` on create.
        #[derive(Debug, Clone, uniffi::Record)]
        pub struct User {
            $($(#[$doc])* #[uniffi(default)] pub $field: $ty,)*
            /// The group the user belongs to.
            #[uniffi(default)]
            pub member_of: Option<GroupLink>,
            /// The groups the user manages.
            #[uniffi(default)]
            pub manager_of: Vec<GroupLink>,
            /// New password (`passwordSh`): write-only, never returned by reads.
            #[uniffi(default)]
            pub password: Option<Arc<Secret>>,
            /// Current password, sent only with a password change.
            #[uniffi(default)]
            pub old_password: Option<Arc<Secret>>,
            /// Confirmation of a new password, sent only when set.
            #[uniffi(default)]
            pub confirm_password: Option<Arc<Secret>>,
            /// Async conversation limit; `None` means "inherit the account default"
            /// and is sent as `null`.
            #[uniffi(default)]
            pub max_async_chats: Option<i64>,
            /// Fields this version does not know, as a JSON object; sent back unchanged.
            #[uniffi(default = "{}")]
            pub extra_json: String,
        }

        impl From<&core::User> for User {
            fn from(c: &core::User) -> Self {
                let secret = |s: Option<&lpconfig::Secret>| s.map(|s| Arc::new(Secret(s.clone())));
                Self {
                    $($field: c.$field.clone(),)*
                    member_of: c.member_of.as_ref().map(GroupLink::from),
                    manager_of: c.manager_of.iter().map(GroupLink::from).collect(),
                    password: secret(c.password.as_ref()),
                    old_password: secret(c.old_password.0.as_ref()),
                    confirm_password: secret(c.confirm_password.0.as_ref()),
                    max_async_chats: c.max_async_chats.0,
                    extra_json: extra_to_json(&c.extra),
                }
            }
        }

        impl User {
            /// The core entity; fails only on a bad `extra_json`.
            pub(crate) fn to_core(&self) -> Result<core::User, LpError> {
                let mut c = core::User::default();
                $(c.$field = self.$field.clone();)*
                c.member_of = self.member_of.as_ref().map(core::GroupLink::from);
                c.manager_of = self.manager_of.iter().map(core::GroupLink::from).collect();
                c.password = self.password.as_ref().map(|s| s.core());
                c.old_password = SendIfSet(self.old_password.as_ref().map(|s| s.core()));
                c.confirm_password = SendIfSet(self.confirm_password.as_ref().map(|s| s.core()));
                c.max_async_chats = Nullable(self.max_async_chats);
                c.extra = extra_from_json(&self.extra_json)?;
                Ok(c)
            }
        }
    };
}

user_record! {
    /// Server-assigned id.
    id: Option<i64>,
    /// Platform id.
    pid: Option<String>,
    /// Soft-deleted (only seen with `include_deleted`).
    deleted: Option<bool>,
    /// Login name, unique per account (case-insensitive).
    login_name: Option<String>,
    /// Full name (may come back masked/empty).
    full_name: Option<String>,
    /// Name shown to consumers.
    nickname: Option<String>,
    /// Whether the user can log in.
    is_enabled: Option<bool>,
    /// Concurrent chat limit.
    max_chats: Option<i64>,
    /// Skill ids.
    skill_ids: Vec<i64>,
    /// E-mail address.
    email: Option<String>,
    /// Must change the password at next login.
    change_pwd_next_login: Option<bool>,
    /// When the password was last changed.
    last_pwd_change_date: Option<String>,
    /// When the user was last updated.
    date_updated: Option<String>,
    /// Permission group ids.
    permission_groups: Vec<i64>,
    /// Picture id.
    picture_id: Option<String>,
    /// Picture URL.
    picture_url: Option<String>,
    /// Disabled by an admin (as opposed to by policy).
    disabled_manually: Option<bool>,
    /// Free text.
    description: Option<String>,
    /// Mobile number.
    mobile_number: Option<String>,
    /// Employee id.
    employee_id: Option<String>,
    /// Background image URI.
    backgnd_img_uri: Option<String>,
    /// Push-notification certificate name.
    pn_cert_name: Option<String>,
    /// Profile (role) ids.
    profile_ids: Vec<i64>,
    /// Whether this is an API (bot) user.
    is_api_user: Option<bool>,
    /// User type (1 human, 2 bot).
    user_type_id: Option<i64>,
    /// App keys an API user may use.
    allowed_app_keys: Option<String>,
    /// Line-of-business ids.
    lob_ids: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field_and_unknown_ones() {
        let json = serde_json::json!({
            "id": 7, "pid": "p7", "deleted": false, "loginName": "jane", "fullName": "Jane Doe",
            "nickname": "J", "isEnabled": true, "maxChats": 3, "skillIds": [1, 2], "email": "j@x.io",
            "memberOf": {"agentGroupId": -1, "assignmentDate": "2024-01-01"},
            "managerOf": [{"agentGroupId": 5}], "changePwdNextLogin": false,
            "lastPwdChangeDate": "d", "dateUpdated": "u", "permissionGroups": [4], "pictureId": "pi",
            "pictureUrl": "pu", "disabledManually": false, "description": "desc", "mobileNumber": "1",
            "employeeId": "e", "backgndImgUri": "b", "pnCertName": "pn", "maxAsyncChats": null,
            "profileIds": [3], "isApiUser": false, "userTypeId": 1, "allowedAppKeys": "k", "lobIds": [9],
            "futureField": {"nested": true}
        });
        let core_user: core::User = serde_json::from_value(json.clone()).unwrap();
        let record = User::from(&core_user);
        assert_eq!(record.login_name.as_deref(), Some("jane"));
        assert_eq!(record.member_of.as_ref().unwrap().agent_group_id, Some(-1));
        assert_eq!(record.extra_json, r#"{"futureField":{"nested":true}}"#);
        let back = serde_json::to_value(record.to_core().unwrap()).unwrap();
        let mut expected = json;
        expected["passwordSh"] = serde_json::Value::Null;
        assert_eq!(back, expected);
    }

    /// The record mirrors the core's entity by hand (uniffi cannot derive its
    /// records from the core's types without a core feature), so its fields are
    /// checked against the core's `WIRE_FIELDS`: a new core field fails here.
    #[test]
    fn record_fields_are_the_core_fields() {
        let record = User::from(&core::User::new("a", "b", "c"));
        crate::entities::assert_record_fields(
            &format!("{record:#?}"),
            &[("password", "passwordSh")],
            core::User::WIRE_FIELDS,
        );
    }

    #[test]
    fn passwords_are_sent_but_never_printed() {
        let mut record = User::from(&core::User::new("bob", "Bob", "b@x.io"));
        record.password = Some(Arc::new(Secret::new("S3CRET-PW".into())));
        assert!(!format!("{record:?}").contains("S3CRET-PW"));
        let wire = serde_json::to_value(record.to_core().unwrap()).unwrap();
        assert_eq!(wire["passwordSh"], "S3CRET-PW");
    }
}
