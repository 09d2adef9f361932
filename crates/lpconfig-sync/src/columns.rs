//! The columns of a staff file and how a cell's text becomes a value.

use crate::names::{fold, role_type, Names};

/// A known column. Header spelling is free: `login_name`, `Login Name`, `loginName` all match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// `id`: the user's id; when given, the key of the row (so the row may rename the login).
    Id,
    /// `login_name` (required).
    LoginName,
    /// `full_name`.
    FullName,
    /// `nickname`.
    Nickname,
    /// `email`.
    Email,
    /// `roles`: role or profile names.
    Roles,
    /// `group`: agent group name or path.
    Group,
    /// `skills`: skill names.
    Skills,
    /// `max_chats`.
    MaxChats,
    /// `enabled`.
    Enabled,
    /// `password`: initial password of new users (ignored for existing ones).
    Password,
    /// `picture_url`.
    PictureUrl,
    /// `description`.
    Description,
    /// `mobile_number`.
    MobileNumber,
    /// `employee_id` (masked by some accounts, D14).
    EmployeeId,
    /// `manager_of`: group paths the user manages (Agent Managers).
    ManagerOf,
    /// `lobs`: line-of-business names.
    Lobs,
    /// `max_async_chats`: max open messaging conversations.
    MaxAsyncChats,
}

/// Every column, in the order of [`crate::names::USER_COLUMNS`], then the newer ones.
pub const ALL: [Column; 18] = [
    Column::Id,
    Column::LoginName,
    Column::FullName,
    Column::Nickname,
    Column::Email,
    Column::Roles,
    Column::Group,
    Column::Skills,
    Column::MaxChats,
    Column::Enabled,
    Column::Password,
    Column::PictureUrl,
    Column::Description,
    Column::MobileNumber,
    Column::EmployeeId,
    Column::ManagerOf,
    Column::Lobs,
    Column::MaxAsyncChats,
];

impl Column {
    /// The column a header names.
    pub fn from_header(header: &str) -> Option<Self> {
        // The canonical spelling (what records and generated files use) without folding.
        if let Some(c) = ALL.iter().find(|c| c.name() == header) {
            return Some(*c);
        }
        Some(match fold(header).as_str() {
            "id" | "userid" => Self::Id,
            "loginname" | "login" | "username" => Self::LoginName,
            "fullname" | "name" => Self::FullName,
            "nickname" | "displayname" => Self::Nickname,
            "email" | "emailaddress" | "mail" => Self::Email,
            "role" | "roles" | "profile" | "profiles" => Self::Roles,
            "group" | "agentgroup" | "groupname" | "grouppath" | "team" => Self::Group,
            "skill" | "skills" => Self::Skills,
            "maxchats" | "maxconcurrentchats" | "chats" => Self::MaxChats,
            "enabled" | "isenabled" | "active" => Self::Enabled,
            "password" | "initialpassword" => Self::Password,
            "pictureurl" | "picture" | "photourl" => Self::PictureUrl,
            "description" => Self::Description,
            "mobilenumber" | "mobile" | "phone" => Self::MobileNumber,
            "employeeid" | "employeenumber" => Self::EmployeeId,
            "managerof" | "manages" | "managedgroups" => Self::ManagerOf,
            "lob" | "lobs" | "linesofbusiness" | "lineofbusiness" => Self::Lobs,
            "maxasyncchats" | "maxopenconversations" | "asyncchats" => Self::MaxAsyncChats,
            _ => return None,
        })
    }

    /// The canonical header.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::LoginName => "login_name",
            Self::FullName => "full_name",
            Self::Nickname => "nickname",
            Self::Email => "email",
            Self::Roles => "roles",
            Self::Group => "group",
            Self::Skills => "skills",
            Self::MaxChats => "max_chats",
            Self::Enabled => "enabled",
            Self::Password => "password",
            Self::PictureUrl => "picture_url",
            Self::Description => "description",
            Self::MobileNumber => "mobile_number",
            Self::EmployeeId => "employee_id",
            Self::ManagerOf => "manager_of",
            Self::Lobs => "lobs",
            Self::MaxAsyncChats => "max_async_chats",
        }
    }
}

/// A cell as the file gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// Empty, `null` or absent.
    Null,
    /// Text (every CSV cell).
    Text(String),
    /// A YAML/JSON boolean.
    Bool(bool),
    /// A YAML/JSON integer.
    Int(i64),
    /// A YAML/JSON list of scalars.
    List(Vec<String>),
}

/// A cell after checking.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Not given: leave the field as it is.
    Unset,
    /// Text.
    Text(String),
    /// A list of names (`-` or `[]`: the empty list).
    List(Vec<String>),
    /// An integer.
    Int(i64),
    /// A flag.
    Bool(bool),
}

/// `a; b | c, d` → `[a, b, c, d]`; `-` → `[]`.
fn split_list(text: &str) -> Vec<String> {
    if text.trim() == "-" {
        return Vec::new();
    }
    text.split([';', '|', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "enabled" | "active" | "on" => Some(true),
        "false" | "no" | "n" | "0" | "disabled" | "inactive" | "off" => Some(false),
        _ => None,
    }
}

/// Checks a cell and converts it. `names` (when the account is known) checks role and skill names.
pub fn convert(column: Column, raw: Raw, names: Option<&Names>) -> Result<Value, String> {
    let raw = match raw {
        Raw::Text(t) if t.trim().is_empty() => Raw::Null,
        Raw::Text(t) => Raw::Text(t.trim().to_owned()),
        other => other,
    };
    if raw == Raw::Null {
        return Ok(Value::Unset);
    }
    match column {
        Column::Id => match raw {
            Raw::Int(i) => Ok(Value::Int(i)),
            Raw::Text(t) => t.parse::<i64>().map(Value::Int).map_err(|_| format!("id {t:?} is not a number")),
            _ => Err("id must be a number".into()),
        },
        Column::LoginName
        | Column::FullName
        | Column::Nickname
        | Column::Email
        | Column::Group
        | Column::Password
        | Column::PictureUrl
        | Column::Description
        | Column::MobileNumber
        | Column::EmployeeId => {
            let text = match raw {
                Raw::Text(t) => t,
                Raw::Int(i) => i.to_string(),
                Raw::Bool(b) => b.to_string(),
                _ => return Err(format!("{} must be text, not a list", column.name())),
            };
            if column == Column::LoginName && text.chars().any(char::is_control) {
                return Err("login name contains a control character".into());
            }
            if column == Column::Email
                && (text.matches('@').count() != 1 || text.contains(char::is_whitespace))
            {
                return Err(format!("{text:?} is not an e-mail address"));
            }
            let inner = text.trim_matches('/');
            if column == Column::Group && (inner.is_empty() || inner.split('/').any(|p| p.trim().is_empty()))
            {
                return Err(format!("group path {text:?} has an empty part"));
            }
            Ok(Value::Text(text))
        }
        Column::Roles | Column::Skills | Column::Lobs | Column::ManagerOf => {
            let items = match raw {
                Raw::Text(t) => split_list(&t),
                Raw::List(l) => {
                    l.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
                }
                Raw::Int(i) => vec![i.to_string()],
                _ => return Err(format!("{} must be a list of names", column.name())),
            };
            if let Some(names) = names {
                for item in &items {
                    check_name(column, item, names)?;
                }
            }
            Ok(Value::List(items))
        }
        Column::MaxChats | Column::MaxAsyncChats => {
            let name = column.name();
            let n = match raw {
                Raw::Int(i) => i,
                Raw::Text(t) => {
                    t.parse::<i64>().map_err(|_| format!("{name} {t:?} is not a whole number"))?
                }
                _ => return Err(format!("{name} must be a whole number")),
            };
            if n < 0 {
                return Err(format!("{name} {n} is negative"));
            }
            Ok(Value::Int(n))
        }
        Column::Enabled => match raw {
            Raw::Bool(b) => Ok(Value::Bool(b)),
            Raw::Int(i @ (0 | 1)) => Ok(Value::Bool(i == 1)),
            Raw::Text(t) => {
                parse_bool(&t).map(Value::Bool).ok_or_else(|| format!("enabled {t:?} is not true/false"))
            }
            _ => Err("enabled must be true or false".into()),
        },
    }
}

/// Checks one name of a list cell against the account (roles, skills, lines of business).
pub fn check_name(column: Column, name: &str, names: &Names) -> Result<(), String> {
    use crate::suggest::hint as did_you_mean;
    match column {
        Column::Roles if names.role(name).is_none() => {
            let mut known: Vec<String> = names.profiles.iter().filter_map(|p| p.name.clone()).collect();
            for (t, n) in crate::names::ROLE_TYPES {
                if names.default_profile(t).is_some() && !known.iter().any(|k| fold(k) == fold(n)) {
                    known.push(n.to_owned());
                }
            }
            let hint = if role_type(name).is_some() {
                " (the account has no profile of that role)".to_owned()
            } else {
                did_you_mean(name, known.iter().map(String::as_str))
            };
            Err(format!("unknown role {name:?}{hint}; known: {}", known.join(", ")))
        }
        Column::Skills if names.skill_id(name).is_none() && !names.creates_missing => Err(format!(
            "unknown skill {name:?}{}; the account has {} skills (see `lpconfig skills list`); \
             create_missing_catalog_entries creates missing ones",
            did_you_mean(name, names.skills.iter().filter_map(|s| s.name.as_deref())),
            names.skills.len()
        )),
        Column::Lobs if names.lob_id(name).is_none() && !names.creates_missing => Err(format!(
            "unknown line of business {name:?}{}; the account has {} (see `lpconfig lobs list`); \
             create_missing_catalog_entries creates missing ones",
            did_you_mean(name, names.lobs.iter().filter_map(|s| s.name.as_deref())),
            names.lobs.len()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_forgiving() {
        for h in ["login_name", "Login Name", "loginName", "LOGIN-NAME"] {
            assert_eq!(Column::from_header(h), Some(Column::LoginName), "{h}");
        }
        assert_eq!(Column::from_header("shoe size"), None);
    }

    #[test]
    fn cells() {
        assert_eq!(
            convert(Column::Skills, Raw::Text("a; b|c".into()), None),
            Ok(Value::List(vec!["a".into(), "b".into(), "c".into()]))
        );
        assert_eq!(convert(Column::Skills, Raw::Text("-".into()), None), Ok(Value::List(vec![])));
        assert_eq!(convert(Column::Skills, Raw::Text(" ".into()), None), Ok(Value::Unset));
        assert_eq!(convert(Column::Enabled, Raw::Text("No".into()), None), Ok(Value::Bool(false)));
        assert!(convert(Column::Enabled, Raw::Text("maybe".into()), None).is_err());
        assert!(convert(Column::MaxChats, Raw::Text("-2".into()), None).is_err());
        assert_eq!(convert(Column::MaxChats, Raw::Int(3), None), Ok(Value::Int(3)));
        assert!(convert(Column::Email, Raw::Text("no-at-sign".into()), None).is_err());
        assert!(convert(Column::Group, Raw::Text("Support//Billing".into()), None).is_err());
    }
}
