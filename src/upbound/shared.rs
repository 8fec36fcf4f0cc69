//! What the callers of one client (and its clones) share: the
//! organizations resolved, whose kind and ID do not change, and each
//! organization's robots list. A refresh of many connections in one
//! process (a provider's) then resolves the organization and lists its
//! robots once, not once per connection; concurrent callers wait for the
//! one request in flight.
//!
//! A caller says how fresh a list it needs ([`UpboundClient::robots`]'s
//! `since`): a look under a Lease asks for one requested after it took the
//! Lease. This client's own writes to robots or tokens drop the lists
//! fetched before them, so no caller is shown a list older than them.

use std::collections::HashMap;
use std::time::Instant;

use tokio::sync::Mutex;

use super::{Organization, Robot};

/// The shared answers.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) organizations: Mutex<HashMap<String, Organization>>,
    pub(super) robot_lists: Mutex<HashMap<u64, Listed>>,
}

/// One organization's robots, as a request started at `requested` listed
/// them.
pub(super) struct Listed {
    pub(super) requested: Instant,
    pub(super) robots: Vec<Robot>,
}

impl Shared {
    /// Drops every robots list (after a write to robots or tokens).
    pub(super) async fn forget_robots(&self) {
        self.robot_lists.lock().await.clear();
    }
}
