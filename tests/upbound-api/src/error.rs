//! Errors of the double's own API: starting it and using its test controls.
//! (Errors the double *serves* to clients are HTTP responses, see `api_error`.)

use std::net::SocketAddr;
use std::path::PathBuf;

/// What can go wrong when starting or controlling a double.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listen address is not a loopback address.
    #[error(
        "refusing to listen on {0}: the double serves loopback addresses only (use 127.0.0.1 or [::1])"
    )]
    NotLoopback(SocketAddr),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why binding failed.
        source: std::io::Error,
    },
    /// The state file exists but could not be read.
    #[error("cannot read state file {path}: {source}")]
    ReadState {
        /// The state file.
        path: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },
    /// The state file is not a state this double wrote.
    #[error("state file {path} is not valid (delete it to start empty): {source}")]
    ParseState {
        /// The state file.
        path: PathBuf,
        /// Why parsing failed.
        source: serde_json::Error,
    },
    /// The state file could not be written.
    #[error("cannot write state file {path}: {source}")]
    WriteState {
        /// The state file.
        path: PathBuf,
        /// Why writing failed.
        source: std::io::Error,
    },
    /// An organization with this name exists already.
    #[error("organization {0:?} already exists")]
    OrganizationExists(String),
    /// No organization has this name.
    #[error("no organization is named {0:?}")]
    UnknownOrganization(String),
    /// A user with this username exists already.
    #[error("user {0:?} already exists")]
    UserExists(String),
    /// No user has this username.
    #[error("no user is named {0:?}")]
    UnknownUser(String),
    /// No Space record has this name in the organization.
    #[error("no Space record {name:?} in organization {organization:?}")]
    UnknownSpace {
        /// The organization's name.
        organization: String,
        /// The Space record's name.
        name: String,
    },
    /// A fault that cannot be applied (bad route, rate or status).
    #[error("invalid fault: {0}")]
    InvalidFault(String),
}
