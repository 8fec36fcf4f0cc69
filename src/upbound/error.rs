//! The Upbound client's errors. Code asks typed questions
//! ([`UpboundError::is_not_found`], [`UpboundError::is_transient`], …);
//! messages never contain a token, a session or a cookie.

use std::time::Duration;

use crate::retry::Transient;

/// What went wrong talking to the Upbound API.
#[derive(Debug, thiserror::Error)]
pub enum UpboundError {
    /// The call did not answer within the request timeout.
    #[error("{call}: no answer from the Upbound API at {endpoint} within {timeout:?}")]
    Timeout {
        /// The call, e.g. `POST /v2/robots`.
        call: String,
        /// The API's base URL.
        endpoint: String,
        /// The request timeout that ran out.
        timeout: Duration,
    },
    /// No HTTP client could be made (no usable root certificates, say).
    #[error(
        "cannot make an HTTPS client for the Upbound API at {endpoint}: {}",
        crate::error_chain::describe(.source)
    )]
    Client {
        /// The API's base URL.
        endpoint: String,
        /// Why the client could not be made.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed or was cut before an answer arrived.
    #[error(
        "{call}: could not reach the Upbound API at {endpoint}: {}",
        crate::error_chain::describe(.source)
    )]
    Connection {
        /// The call, e.g. `POST /v2/robots`.
        call: String,
        /// The API's base URL.
        endpoint: String,
        /// The transport error.
        #[source]
        source: reqwest::Error,
    },
    /// The API answered with an error status.
    #[error("{call}: the Upbound API answered {status}: {detail}")]
    Status {
        /// The call, e.g. `POST /v2/robots`.
        call: String,
        /// The HTTP status.
        status: u16,
        /// The error's title and detail (or the raw body, shortened).
        detail: String,
        /// The `Retry-After` the server sent, if any.
        retry_after: Option<Duration>,
    },
    /// Login did not yield a session.
    #[error(
        "login to the Upbound API failed ({status}): {detail}; check that the token is valid and not revoked"
    )]
    Login {
        /// The HTTP status of the login call.
        status: u16,
        /// Why, as the API said.
        detail: String,
    },
    /// The organization name names a user, or nothing.
    #[error(
        "organization {name:?} {problem}; give the organization's account name as shown in the Upbound Console"
    )]
    NotAnOrganization {
        /// The name given.
        name: String,
        /// What it is instead (`is a user account`, `does not exist`).
        problem: String,
    },
    /// A 2xx answer that does not have the documented shape.
    #[error("{call}: unexpected answer from the Upbound API: {detail}")]
    Decode {
        /// The call, e.g. `POST /v2/robots`.
        call: String,
        /// What did not parse.
        detail: String,
    },
}

impl UpboundError {
    /// Whether the API could not be reached at all (no answer came).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Connection { .. })
    }

    fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } | Self::Login { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The thing asked for does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// It already exists (409).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// The token or session is not accepted (401, or a failed login).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Login { .. }) || self.status() == Some(401)
    }

    /// The credentials lack the rights for the call (403).
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// Throttled (429): the request was not carried out.
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(429)
    }
}

impl Transient for UpboundError {
    fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connection { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
            Self::Login { status, .. } => *status == 429 || *status >= 500,
            Self::Client { .. } | Self::NotAnOrganization { .. } | Self::Decode { .. } => false,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
