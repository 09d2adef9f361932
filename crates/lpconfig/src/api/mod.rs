//! The account-config (`le-users`) APIs on top of the domain, auth and transport layers.

mod gateway;

pub use gateway::{ApiRequest, Gateway, METHOD_OVERRIDE};
