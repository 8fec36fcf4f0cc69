//! What a double is started with.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// How to start a [`Double`](crate::Double).
///
/// ```
/// use std::time::Duration;
/// use upbound_api_double::Config;
///
/// let config = Config { session_ttl: Duration::from_millis(300), ..Config::default() };
/// # let _ = config;
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen. Must be a loopback address; port 0 picks a free port.
    pub listen: SocketAddr,
    /// How long a session (the `SID` cookie) stays valid after login.
    pub session_ttl: Duration,
    /// Load state from this file at start (if it exists) and save it
    /// atomically after every change, so a restarted double keeps its state.
    pub state_file: Option<PathBuf>,
    /// Print one line per API request to stderr (method, path, status,
    /// time). Never prints a token, JWT or cookie.
    pub log_requests: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            session_ttl: Duration::from_secs(3600),
            state_file: None,
            log_requests: false,
        }
    }
}
