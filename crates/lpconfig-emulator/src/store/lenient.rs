//! Lenient readers for request bodies (users-api.md §4.4): numbers may arrive as
//! numeric strings, booleans as `"true"`/`"false"`, and `null` means absent. Every
//! reader reports a wrong type as `400 <field>.type`, naming the field.

use serde_json::{Map, Value};

use super::error::{StoreError, StoreResult};

/// The value of `key`, with `null` treated as absent.
pub fn present<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).filter(|v| !v.is_null())
}

fn type_error(field: &str, want: &str, got: &Value) -> StoreError {
    StoreError::invalid(field, type_rule(field), format!("`{field}` must be {want}, got {got}"))
}

/// `<field>.type` as a `'static` rule name. Rule names must be static so tests
/// and clients can match them; the set of fields is closed, so map them here.
fn type_rule(field: &str) -> &'static str {
    match field.split(['.', '[']).next().unwrap_or(field) {
        "id" => "id.type",
        "loginName" => "loginName.type",
        "fullName" => "fullName.type",
        "nickname" => "nickname.type",
        "email" => "email.type",
        "isEnabled" => "isEnabled.type",
        "disabledManually" => "disabledManually.type",
        "maxChats" => "maxChats.type",
        "maxAsyncChats" => "maxAsyncChats.type",
        "skillIds" => "skillIds.type",
        "profileIds" => "profileIds.type",
        "lobIds" => "lobIds.type",
        "memberOf" => "memberOf.type",
        "managerOf" => "managerOf.type",
        "permissionGroups" => "permissionGroups.type",
        "changePwdNextLogin" => "changePwdNextLogin.type",
        "passwordSh" => "passwordSh.type",
        "newPassword" => "newPassword.type",
        "oldPassword" => "oldPassword.type",
        "confirmPassword" => "confirmPassword.type",
        "isApiUser" => "isApiUser.type",
        "userTypeId" | "userType" => "userTypeId.type",
        "allowedAppKeys" => "allowedAppKeys.type",
        "name" => "name.type",
        "description" => "description.type",
        "parentGroupId" => "parentGroupId.type",
        "roleTypeId" => "roleTypeId.type",
        "skillRoutingConfiguration" => "skillRoutingConfiguration.type",
        "skillTransferList" => "skillTransferList.type",
        "canTransfer" => "canTransfer.type",
        "isAssignedToLPA" => "isAssignedToLPA.type",
        _ => "field.type",
    }
}

/// A JSON value as an integer, accepting numeric strings and integral floats.
pub fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A JSON value as a boolean, accepting `"true"`/`"false"` in any case.
pub fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Optional integer field.
pub fn opt_i64(map: &Map<String, Value>, key: &str) -> StoreResult<Option<i64>> {
    match present(map, key) {
        None => Ok(None),
        Some(v) => as_i64(v).map(Some).ok_or_else(|| type_error(key, "an integer", v)),
    }
}

/// Optional boolean field.
pub fn opt_bool(map: &Map<String, Value>, key: &str) -> StoreResult<Option<bool>> {
    match present(map, key) {
        None => Ok(None),
        Some(v) => as_bool(v).map(Some).ok_or_else(|| type_error(key, "a boolean", v)),
    }
}

/// Optional string field; numbers are accepted and kept as their decimal text
/// because free-text fields such as `employeeId` are often numeric.
pub fn opt_string(map: &Map<String, Value>, key: &str) -> StoreResult<Option<String>> {
    match present(map, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(v) => Err(type_error(key, "a string", v)),
    }
}

/// Optional array of integer ids; absent and `null` are the empty list; duplicates
/// are removed keeping the first occurrence (users-api.md §7.1).
pub fn id_list(map: &Map<String, Value>, key: &str) -> StoreResult<Vec<i64>> {
    match present(map, key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            let mut out: Vec<i64> = Vec::with_capacity(items.len());
            for item in items {
                let id = as_i64(item).ok_or_else(|| type_error(key, "an array of integers", item))?;
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            Ok(out)
        }
        Some(v) => Err(type_error(key, "an array of integers", v)),
    }
}

/// Optional array of integers kept as given (order and duplicates), e.g. `permissionGroups`.
pub fn int_list(map: &Map<String, Value>, key: &str) -> StoreResult<Option<Vec<i64>>> {
    match present(map, key) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| as_i64(i).ok_or_else(|| type_error(key, "an array of integers", i)))
            .collect::<StoreResult<Vec<i64>>>()
            .map(Some),
        Some(v) => Err(type_error(key, "an array of integers", v)),
    }
}

/// A `{agentGroupId, assignmentDate}` link: the group id (lenient), or a type error
/// naming `field`.
pub fn group_link_id(v: &Value, field: &str) -> StoreResult<i64> {
    v.as_object()
        .and_then(|o| present(o, "agentGroupId"))
        .and_then(as_i64)
        .ok_or_else(|| type_error(field, "an object with an integer agentGroupId", v))
}

/// Missing required field.
pub fn required(field: &str, rule: &'static str) -> StoreError {
    StoreError::invalid(field, rule, format!("`{field}` is required"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn numbers_and_booleans_as_strings() {
        let o = m(json!({"a": "4", "b": "true", "c": "FALSE", "d": 5.0, "e": null, "f": ["1", 2, "1"]}));
        assert_eq!(opt_i64(&o, "a").unwrap(), Some(4));
        assert_eq!(opt_bool(&o, "b").unwrap(), Some(true));
        assert_eq!(opt_bool(&o, "c").unwrap(), Some(false));
        assert_eq!(opt_i64(&o, "d").unwrap(), Some(5));
        assert_eq!(opt_i64(&o, "e").unwrap(), None);
        assert_eq!(id_list(&o, "f").unwrap(), vec![1, 2]);
    }

    #[test]
    fn wrong_types_name_the_field() {
        let o = m(json!({"maxChats": "four", "isEnabled": "yes", "skillIds": "1"}));
        assert_eq!(opt_i64(&o, "maxChats").unwrap_err().rule, "maxChats.type");
        assert_eq!(opt_bool(&o, "isEnabled").unwrap_err().field.as_deref(), Some("isEnabled"));
        assert_eq!(id_list(&o, "skillIds").unwrap_err().rule, "skillIds.type");
    }
}
