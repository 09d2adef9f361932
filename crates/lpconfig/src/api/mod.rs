//! The account-config (`le-users`) APIs on top of the domain, auth and transport layers.

pub mod agent_groups;
pub mod catalog;
pub mod collection;
pub mod delta;
mod gateway;
#[doc(hidden)]
pub mod lenient;
pub mod reconcile;
mod stream_decode;
pub mod users;

pub use collection::{Collection, Entity, ListOptions};
pub use gateway::{ApiRequest, Gateway, METHOD_OVERRIDE};
