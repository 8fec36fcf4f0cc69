//! `terraform-provider-upbound`: the Terraform face of the upbound-connect
//! engine, speaking Terraform's plugin protocol 6 over gRPC.
//!
//! ## Map
//! - [`plugin`]: go-plugin's side — magic cookie, Unix socket, AutoMTLS,
//!   handshake line, controller/stdio/health services, shutdown, logging.
//! - [`server`]: the `tfplugin6.Provider` service; decodes, dispatches,
//!   encodes.
//! - [`fromproto6`], [`toproto6`]: conversions between protocol messages
//!   and our own types; nothing else touches protocol types.
//! - [`cty`]: Terraform's values and types, their msgpack and JSON forms.
//! - [`schema`], [`diagnostics`]: schemas and diagnostics as we write them.
//! - [`provider`]: the provider block (`upbound`, `kubernetes`, `registry`)
//!   and the engines it makes on first use.
//! - [`resource`]: `upbound_space_connection`, one file per lifecycle call.
//! - [`proto`]: the generated gRPC code.
//!
//! ## What it does not do
//! No data sources, functions, ephemeral resources or resource identity.
//! The robot token never
//! enters Terraform's plan or state — only its ID does.

pub mod cty;
pub mod diagnostics;
pub mod fromproto6;
pub mod plugin;
pub mod proto;
pub mod provider;
pub mod resource;
pub mod schema;
pub mod server;
pub mod toproto6;
