//! Managed resources. There is one: `upbound_space_connection`.

pub mod space_connection;
