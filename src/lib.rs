//! # upbound-connect
//!
//! Connects a self-hosted Upbound Space to the Upbound Console: it creates an
//! Upbound robot and robot token, stores the token in the Kubernetes Secret
//! `connect-token` in `upbound-system`, installs the Connect agent chart,
//! grants Upbound users, robots, teams and org roles Hub RBAC access to the
//! Space's control planes, and undoes all of it on disconnect —
//! idempotently, so a second run changes nothing and a run that died
//! half-way is resumed.
//!
//! This crate is the engine. Two faces call it: the Terraform provider
//! (`provider/`, resource `upbound_space_connection`) and the GitHub Action
//! and CLI (`action/`, binary `upbound-connect`).
//!
//! ## Map
//! - [`spec`]: what a connection should be, and every input rule, checked once
//!   before anything changes.
//! - [`upbound`]: the Upbound API client (sessions, organizations, robots,
//!   tokens, Space records).
//! - [`engine`]: connect / read / disconnect — observe, lock, act, record.
//! - [`cluster`]: Kubernetes (client, cluster identity, pre-flight, token
//!   Secret, Lease).
//! - [`helm`]: the Helm-equivalent installer (OCI pull, chart, values,
//!   rendering, server-side apply, readiness wait, release records).
//!   Templates run on two workspace crates it re-exports:
//!   [`gotemplate`] (`crates/gotemplate`, Go's
//!   `text/template`) and [`sprig`] (`crates/sprig`, Helm's
//!   function library, Masterminds semver, go-yaml reading).
//! - [`state`]: what a connection is made of once it exists.
//! - [`retry`]: one backoff policy for every network call.
//! - [`secret`]: [`Secret`], a string that never prints itself.
//!
//! The test harnesses live under `tests/`: a real
//! kube-apiserver, a real OCI registry with real `helm`, and a faithful
//! double of the Upbound API (`tests/upbound-api/`). The engine's
//! integration tests are the modules of one binary (`tests/it/`), sharing
//! the `upbound-connect-testkit` crate (`tests/testkit/`) with the
//! provider's and the action's.
//!
//! ## What it does not do
//! It talks only to the Upbound API calls a connection needs; it does not
//! install Spaces itself, and it manages one organization per Space.

pub mod cluster;
pub mod engine;
mod error_chain;
pub mod helm;
pub mod retry;
pub mod secret;
pub mod spec;
pub mod state;
pub mod upbound;

pub use secret::Secret;
