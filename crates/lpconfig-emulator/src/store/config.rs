//! The "(cfg)" switches of users-api.md §7 and decisions D1-D17. `Default` is the
//! documented default behaviour.

/// Behaviour switches of one account's store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// D1: a missing `v` is `400` (read by the HTTP layer).
    pub strict_version: bool,
    /// D4: a write without `If-Match` is `400`.
    pub strict_if_match: bool,
    /// D14: `fullName`/`employeeId` come back `""`; `""` on PUT keeps the stored value.
    pub masking: bool,
    /// D13 / §7.3: minimum password length.
    pub min_password_len: usize,
    /// §7.3: a new password must differ from the current one.
    pub password_history: bool,
    /// §4.6: emit the opaque `passwordSh` hash on reads (else omit the field).
    pub emit_password_hash: bool,
    /// D15: `loginName` cannot change on update.
    pub login_name_immutable: bool,
    /// D15: compare `loginName` case-sensitively (default: case-insensitive).
    pub login_name_case_sensitive: bool,
    /// §7.1: check `loginName` length (1..=254), edge whitespace and control characters.
    pub validate_login_name: bool,
    /// §7.1: check the `email` shape (one `@`, non-empty parts, no whitespace).
    pub validate_email: bool,
    /// §7.1: `fullName` must be present on create and update.
    pub require_full_name: bool,
    /// §7.1: `fullName: ""` is accepted (the server itself returns `""`).
    pub allow_empty_full_name: bool,
    /// D16: the Agent role requires `memberOf` (else the root group is assigned).
    pub agent_requires_member_of: bool,
    /// §7.1: at most one profile per role type and at most four profiles.
    pub one_profile_per_role: bool,
    /// §7.1: `userTypeId: 0` (system) is accepted.
    pub allow_system_user: bool,
    /// §7.1 / U14: `maxChats: -1` ("unknown") is accepted.
    pub allow_max_chats_minus_one: bool,
    /// §7.1: upper bound for `maxChats` (off by default).
    pub max_chats_limit: Option<i64>,
    /// §7.2: turning an API user back into a password user needs a `passwordSh`.
    pub api_user_to_human_requires_password: bool,
    /// D17: deleting a group with users (or skills) pointing at it is allowed and
    /// clears those references instead of `400`.
    pub allow_delete_referenced_groups: bool,
    /// §7.5: the same for skills and LOBs referenced by users or skills. Profiles
    /// are always protected: removing one could leave a user with no role.
    pub allow_delete_referenced_catalog: bool,
    /// D3: no Main Group; the first group created becomes the root.
    pub empty_account: bool,
    /// D2: GET all users without `select` returns every field.
    pub default_select_all_for_users: bool,
    /// agent-groups-api.md §6.1: GET all skills without `select` returns every field
    /// (default: `id,deleted,name`).
    pub default_select_all_for_skills: bool,
    /// §7.1: maximum non-deleted users per account (KC: 18,000); off by default.
    pub max_users: Option<usize>,
    /// §7.1: maximum items per batch request; off by default.
    pub max_batch: Option<usize>,
    /// PBKDF2 rounds for stored passwords (D13: 1000); benchmark mode uses 1.
    pub password_rounds: u32,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            strict_version: false,
            strict_if_match: false,
            masking: true,
            min_password_len: 8,
            password_history: false,
            emit_password_hash: true,
            login_name_immutable: false,
            login_name_case_sensitive: false,
            validate_login_name: true,
            validate_email: true,
            require_full_name: true,
            allow_empty_full_name: true,
            agent_requires_member_of: true,
            one_profile_per_role: true,
            allow_system_user: false,
            allow_max_chats_minus_one: true,
            max_chats_limit: None,
            api_user_to_human_requires_password: true,
            allow_delete_referenced_groups: false,
            allow_delete_referenced_catalog: false,
            empty_account: false,
            default_select_all_for_users: false,
            default_select_all_for_skills: false,
            max_users: None,
            max_batch: None,
            password_rounds: super::password::ROUNDS,
        }
    }
}
