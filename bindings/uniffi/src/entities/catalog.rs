//! Catalog entities: `Skill`, `Profile`, `Lob`, generated from the core's
//! definitions (`lpconfig::skill_entity!`, ...).

use lpconfig::api::catalog as core;

use super::record;

lpconfig::skill_entity!(
    record,
    [core::Skill]
    [Debug, Clone, PartialEq, Eq]
    [
        /// A skill (routing target).
    ]
);

lpconfig::profile_entity!(
    record,
    [core::Profile]
    [Debug, Clone, PartialEq, Eq]
    [
        /// A profile (role with permissions).
    ]
);

lpconfig::lob_entity!(
    record,
    [core::Lob]
    [Debug, Clone, PartialEq, Eq]
    [
        /// A line of business.
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated records have the core's fields (guards the replay).
    #[test]
    fn record_fields_are_the_core_fields() {
        let fields = |debug: String, wire: &[&str]| crate::entities::assert_record_fields(&debug, &[], wire);
        fields(format!("{:#?}", Skill::from(&core::Skill::default())), core::Skill::WIRE_FIELDS);
        fields(format!("{:#?}", Profile::from(&core::Profile::default())), core::Profile::WIRE_FIELDS);
        fields(format!("{:#?}", Lob::from(&core::Lob::default())), core::Lob::WIRE_FIELDS);
    }

    #[test]
    fn round_trip_keeps_unknown_fields() {
        let json = serde_json::json!({"id": 5, "name": "Billing", "lobIds": [1], "maxWaitTime": 120});
        let c: core::Skill = serde_json::from_value(json.clone()).unwrap();
        let r = Skill::from(&c);
        assert_eq!(r.extra_json, r#"{"maxWaitTime":120}"#);
        assert_eq!(serde_json::to_value(r.to_core().unwrap()).unwrap(), json);
    }
}
