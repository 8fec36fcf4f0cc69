//! # upbound-api-double
//!
//! A test double of the Upbound API: the calls that connecting a Space needs
//! (`/v1/login`, accounts, organizations, robots, robot tokens, Space
//! records), with the shapes, status codes, error bodies and session rules
//! written down in `shared/reference/upbound-api.md`. State lives in memory
//! (optionally mirrored to a state file); faults (429, 5xx, latency, dropped
//! connections) can be switched on per route while a test runs.
//!
//! It is a library for in-process use by Rust tests and a binary
//! (`upbound-api-double`) for everything else (Terraform, act, CLI e2e).
//!
//! ## Map
//! - [`double`]: the [`Double`] handle — start, address, test controls, shutdown.
//! - [`config`]: [`Config`], what a double is started with.
//! - [`model`]: the records a double holds and hands to tests (organizations, users, robots, tokens…).
//! - [`faults`]: [`Fault`], what can go wrong on purpose, and how faults are picked.
//! - [`request_log`]: [`RequestRecord`], one line per API call, for assertions.
//! - `state`: the data and its invariants, IO-free (deleting a robot deletes its tokens, …).
//! - `store`: the state behind a lock, saved atomically to the state file after each change.
//! - `app`: what every request handler and every control shares; the test controls live here once.
//! - `jwt`: signing and verifying token and session JWTs (HS256, per-state key).
//! - `auth`: sessions from cookies or bearer headers; credentials checked at login.
//! - `access`: who may do what in an organization (member reads, owner writes).
//! - `api_error`: error bodies — Upbound's `{status,title,detail}` and Kubernetes `Status`.
//! - `body`: JSON request bodies whose rejections use the Upbound error shape.
//! - `routes`: one module per resource family of the Upbound API.
//! - `control`: the `/_double/…` HTTP control surface (no auth) for other processes.
//! - `intercept`: the layer in front of every API route: request log and fault injection.
//! - `server`: the accept loop (hyper directly, so a fault can drop a connection).
//! - `clock`: Unix milliseconds inside, RFC 3339 outside.
//!
//! ## What it does not do
//! It is not the Upbound API: only the calls above exist, there is no TLS
//! (loopback only), no rate limiting except injected faults, no e-mail, no
//! billing, and Space records are stored, not reconciled (their `status` is
//! whatever a test sets).
//!
//! ## Example
//! ```no_run
//! # async fn example() -> Result<(), upbound_api_double::Error> {
//! use upbound_api_double::{Config, Double, Fault, NewUser};
//!
//! let double = Double::start(Config::default()).await?;
//! double.add_organization("acme")?;
//! let alice = double.add_user(NewUser::new("alice").owner_of("acme"))?;
//! // Log in with `alice.token` against `double.url()`…
//! double.inject_fault(Fault::status("POST /v2/robots", 503).times(1))?;
//! # let _ = alice;
//! double.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod access;
mod api_error;
mod app;
mod auth;
mod body;
mod clock;
pub mod config;
mod control;
pub mod double;
pub mod error;
pub mod faults;
mod intercept;
mod jwt;
pub mod model;
pub mod request_log;
mod routes;
mod server;
mod state;
mod store;

pub use config::Config;
pub use double::Double;
pub use error::Error;
pub use faults::{Fault, FaultEffect};
pub use model::{
    CreatedUser, Jwt, NewUser, Organization, PersonalAccessToken, Robot, Role, Snapshot, Team,
    Token, TokenOwner, UserInfo,
};
pub use request_log::RequestRecord;
