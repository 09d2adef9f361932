//! Results that carry a revision: uniffi has no generics, so each entity gets
//! `Versioned<Entity>` (one), `Versioned<Entity>s` (many) and `Fetched...`
//! (conditional reads: `NotModified` is never an empty list).

use lpconfig::{Fetched, Versioned};

use crate::entities::{AgentGroup, Lob, Profile, Skill, User};

macro_rules! results {
    ($entity:ident, $core:ty, $one:ident, $many:ident, $fetched_many:ident) => {
        /// One entity with the collection revision it was read or written at.
        #[derive(Debug, Clone, uniffi::Record)]
        pub struct $one {
            /// The entity.
            pub value: $entity,
            /// The revision the server reported (absent only if it sent none).
            pub revision: Option<u64>,
        }

        /// Entities with the collection revision they were read or written at.
        #[derive(Debug, Clone, uniffi::Record)]
        pub struct $many {
            /// The entities.
            pub value: Vec<$entity>,
            /// The revision the server reported (absent only if it sent none).
            pub revision: Option<u64>,
        }

        /// A conditional read of entities.
        #[derive(Debug, Clone, uniffi::Enum)]
        pub enum $fetched_many {
            /// Changed since the given revision.
            Modified {
                /// The entities.
                value: Vec<$entity>,
                /// The new revision.
                revision: Option<u64>,
            },
            /// Nothing changed (HTTP 304).
            NotModified {
                /// The revision the server confirmed.
                revision: Option<u64>,
            },
        }

        impl From<Versioned<$core>> for $one {
            fn from(v: Versioned<$core>) -> Self {
                Self { value: $entity::from(&v.value), revision: v.revision.map(|r| r.0) }
            }
        }

        impl From<Versioned<Vec<$core>>> for $many {
            fn from(v: Versioned<Vec<$core>>) -> Self {
                Self { value: v.value.iter().map($entity::from).collect(), revision: v.revision.map(|r| r.0) }
            }
        }

        impl From<Fetched<Vec<$core>>> for $fetched_many {
            fn from(f: Fetched<Vec<$core>>) -> Self {
                match f {
                    Fetched::Modified(v) => Self::Modified {
                        value: v.value.iter().map($entity::from).collect(),
                        revision: v.revision.map(|r| r.0),
                    },
                    Fetched::NotModified(r) => Self::NotModified { revision: r.map(|r| r.0) },
                }
            }
        }
    };
}

results!(User, lpconfig::api::users::User, VersionedUser, VersionedUsers, FetchedUsers);
results!(
    AgentGroup,
    lpconfig::api::agent_groups::AgentGroup,
    VersionedAgentGroup,
    VersionedAgentGroups,
    FetchedAgentGroups
);
results!(Skill, lpconfig::api::catalog::Skill, VersionedSkill, VersionedSkills, FetchedSkills);
results!(Profile, lpconfig::api::catalog::Profile, VersionedProfile, VersionedProfiles, FetchedProfiles);
results!(Lob, lpconfig::api::catalog::Lob, VersionedLob, VersionedLobs, FetchedLobs);

macro_rules! deleted {
    ($entity:ident, $core:ty, $name:ident) => {
        /// The result of a delete: the entity when the server echoed it.
        #[derive(Debug, Clone, uniffi::Record)]
        pub struct $name {
            /// The deleted entity, when returned.
            pub value: Option<$entity>,
            /// The revision after the delete.
            pub revision: Option<u64>,
        }

        impl From<Versioned<Option<$core>>> for $name {
            fn from(v: Versioned<Option<$core>>) -> Self {
                Self { value: v.value.as_ref().map($entity::from), revision: v.revision.map(|r| r.0) }
            }
        }
    };
}

deleted!(User, lpconfig::api::users::User, DeletedUser);
deleted!(AgentGroup, lpconfig::api::agent_groups::AgentGroup, DeletedAgentGroup);
deleted!(Skill, lpconfig::api::catalog::Skill, DeletedSkill);
deleted!(Profile, lpconfig::api::catalog::Profile, DeletedProfile);
deleted!(Lob, lpconfig::api::catalog::Lob, DeletedLob);

/// `Fetched<Entity>` for the collections that have `get_if_modified`.
macro_rules! fetched_one {
    ($entity:ident, $core:ty, $fetched_one:ident) => {
        /// A conditional read of one entity.
        // Mirrors the core's `Fetched`; the foreign side gets a sealed class/enum.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, uniffi::Enum)]
        pub enum $fetched_one {
            /// Changed since the given revision.
            Modified {
                /// The entity.
                value: $entity,
                /// The new revision.
                revision: Option<u64>,
            },
            /// Nothing changed (HTTP 304).
            NotModified {
                /// The revision the server confirmed.
                revision: Option<u64>,
            },
        }

        impl From<Fetched<$core>> for $fetched_one {
            fn from(f: Fetched<$core>) -> Self {
                match f {
                    Fetched::Modified(v) => {
                        Self::Modified { value: $entity::from(&v.value), revision: v.revision.map(|r| r.0) }
                    }
                    Fetched::NotModified(r) => Self::NotModified { revision: r.map(|r| r.0) },
                }
            }
        }
    };
}

fetched_one!(User, lpconfig::api::users::User, FetchedUser);
fetched_one!(AgentGroup, lpconfig::api::agent_groups::AgentGroup, FetchedAgentGroup);
