//! `User` (all 33 fields of users-api.md) and `GroupLink`, generated from the
//! core's definitions (`lpconfig::user_entity!`, `lpconfig::group_link_entity!`).

use lpconfig::api::users as core;

use super::record;

lpconfig::group_link_entity!(
    record,
    [core::GroupLink]
    [Debug, Clone, PartialEq, Eq]
    [
        /// A link from a user to an agent group (`memberOf`, `managerOf`).
    ]
);

lpconfig::user_entity!(
    record,
    [core::User]
    [Debug, Clone]
    [
        /// A user (agent, manager, admin or API user). Every field is optional
        /// so a partial `select` reads fine; the server requires `login_name`,
        /// `nickname`, `email` and (for a human user) `password` on create.
        /// `password` (`passwordSh`) is write-only, never returned by reads.
    ]
);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::secret::Secret;

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

    /// The generated record has the core's fields (guards the replay).
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
