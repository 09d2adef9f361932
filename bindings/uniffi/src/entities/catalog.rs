//! Catalog entities: `Skill`, `Profile`, `Lob`.

use lpconfig::api::catalog as core;

use super::{extra_from_json, extra_to_json};
use crate::error::LpError;

/// A skill (routing target).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Skill {
    /// Id.
    pub id: Option<i64>,
    /// Soft-deleted.
    pub deleted: Option<bool>,
    /// Name.
    pub name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// When last updated.
    pub date_updated: Option<String>,
    /// Line-of-business ids.
    pub lob_ids: Vec<i64>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

impl From<&core::Skill> for Skill {
    fn from(c: &core::Skill) -> Self {
        Self {
            id: c.id,
            deleted: c.deleted,
            name: c.name.clone(),
            description: c.description.clone(),
            date_updated: c.date_updated.clone(),
            lob_ids: c.lob_ids.clone(),
            extra_json: extra_to_json(&c.extra),
        }
    }
}

/// A profile (role with permissions).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Profile {
    /// Id.
    pub id: Option<i64>,
    /// Soft-deleted.
    pub deleted: Option<bool>,
    /// Name.
    pub name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Role type id (1 agent, 2 manager, 3 admin, ...).
    pub role_type_id: Option<i64>,
    /// Role type name.
    pub role_type_name: Option<String>,
    /// Permission ids.
    pub permissions: Vec<i64>,
    /// How many users have it.
    pub num_of_assigned_users: Option<i64>,
    /// When last updated.
    pub date_updated: Option<String>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

impl From<&core::Profile> for Profile {
    fn from(c: &core::Profile) -> Self {
        Self {
            id: c.id,
            deleted: c.deleted,
            name: c.name.clone(),
            description: c.description.clone(),
            role_type_id: c.role_type_id,
            role_type_name: c.role_type_name.clone(),
            permissions: c.permissions.clone(),
            num_of_assigned_users: c.num_of_assigned_users,
            date_updated: c.date_updated.clone(),
            extra_json: extra_to_json(&c.extra),
        }
    }
}

/// A line of business.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Lob {
    /// Id.
    pub id: Option<i64>,
    /// Soft-deleted.
    pub deleted: Option<bool>,
    /// Name.
    pub name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// When last updated.
    pub date_updated: Option<String>,
    /// Unknown fields, as a JSON object.
    pub extra_json: String,
}

impl From<&core::Lob> for Lob {
    fn from(c: &core::Lob) -> Self {
        Self {
            id: c.id,
            deleted: c.deleted,
            name: c.name.clone(),
            description: c.description.clone(),
            date_updated: c.date_updated.clone(),
            extra_json: extra_to_json(&c.extra),
        }
    }
}

// Back to the core for writes; unknown fields travel in `extra_json`.
impl Skill {
    pub(crate) fn to_core(&self) -> Result<core::Skill, LpError> {
        let mut c = core::Skill::default();
        c.id = self.id;
        c.deleted = self.deleted;
        c.name = self.name.clone();
        c.description = self.description.clone();
        c.date_updated = self.date_updated.clone();
        c.lob_ids = self.lob_ids.clone();
        c.extra = extra_from_json(&self.extra_json)?;
        Ok(c)
    }
}

impl Profile {
    pub(crate) fn to_core(&self) -> Result<core::Profile, LpError> {
        let mut c = core::Profile::default();
        c.id = self.id;
        c.deleted = self.deleted;
        c.name = self.name.clone();
        c.description = self.description.clone();
        c.role_type_id = self.role_type_id;
        c.role_type_name = self.role_type_name.clone();
        c.permissions = self.permissions.clone();
        c.num_of_assigned_users = self.num_of_assigned_users;
        c.date_updated = self.date_updated.clone();
        c.extra = extra_from_json(&self.extra_json)?;
        Ok(c)
    }
}

impl Lob {
    pub(crate) fn to_core(&self) -> Result<core::Lob, LpError> {
        let mut c = core::Lob::default();
        c.id = self.id;
        c.deleted = self.deleted;
        c.name = self.name.clone();
        c.description = self.description.clone();
        c.date_updated = self.date_updated.clone();
        c.extra = extra_from_json(&self.extra_json)?;
        Ok(c)
    }
}
