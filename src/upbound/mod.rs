//! The Upbound API client: sessions, organizations, robots, robot tokens
//! and Space records — only the calls connecting a Space needs. Every call
//! has a timeout; transient failures are retried here (see
//! [`RetryPolicy`](crate::retry::RetryPolicy)), so callers never retry.
//!
//! - `api`: the transport (session, headers, retries, error answers).
//! - `http`: the HTTP client, made in the background.
//! - `session`: login and the `SID` cookie's lifetime.
//! - `organizations`, `robots`, `tokens`, `spaces`: one module per resource.
//! - `shared`: the organizations and robots lists a client's callers share.
//! - `error`: [`UpboundError`] and its typed questions.

mod api;
mod error;
mod http;
mod organizations;
mod robots;
mod session;
mod shared;
mod spaces;
mod teams;
mod tokens;

pub use error::UpboundError;
pub use organizations::Organization;
pub use robots::Robot;
pub use teams::Team;
pub use tokens::{NewToken, TokenInfo};

use std::sync::Arc;
use std::time::Duration;

use crate::retry::RetryPolicy;
use crate::spec::UpboundAccess;

/// A client of the Upbound API for one token. Logs in on first use; clones
/// share the session, the HTTP connections and the answers in `shared`.
#[derive(Clone)]
pub struct UpboundClient {
    api: Arc<api::Api>,
    shared: Arc<shared::Shared>,
}

impl UpboundClient {
    /// A client for `access` with the default retry policy.
    pub fn new(access: UpboundAccess) -> Self {
        Self::with_retry(access, RetryPolicy::default())
    }

    /// A client for `access` retrying as `retry` says. Nothing is contacted
    /// yet; inside a Tokio runtime, its HTTP client starts being made.
    pub fn with_retry(access: UpboundAccess, retry: RetryPolicy) -> Self {
        Self {
            api: Arc::new(api::Api::new(access, retry)),
            shared: Arc::default(),
        }
    }

    /// Ends the session, if one was opened.
    pub async fn logout(&self) -> Result<(), UpboundError> {
        self.api.logout().await
    }

    /// Ends the session, if one was opened, giving it at most
    /// [`END_SESSION_WAIT`]: what a process does before it exits, so that a
    /// busy CI leaves no sessions open. Best effort: a session that cannot
    /// be ended (the API unreachable, say) expires by itself, and the
    /// process's own work is done already.
    pub async fn end_session(&self) {
        let _ = tokio::time::timeout(END_SESSION_WAIT, self.logout()).await;
    }
}

/// How long [`UpboundClient::end_session`] waits for the logout.
pub const END_SESSION_WAIT: Duration = Duration::from_secs(2);
