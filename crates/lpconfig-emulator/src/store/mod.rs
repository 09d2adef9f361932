//! Collections
