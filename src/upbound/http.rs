//! The HTTP client every call goes through. Making one loads the system's
//! root certificates (reading and parsing a few hundred files, milliseconds
//! of work), so it is made on a blocking thread from the moment the Upbound
//! client is, and the first call waits for it: a look at a connection starts
//! its cluster reads meanwhile instead of after.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::OnceCell;
use tokio::task::JoinHandle;

use super::error::UpboundError;
use crate::spec::UpboundAccess;

/// The user agent every request carries.
const USER_AGENT: &str = concat!("upbound-connect/", env!("CARGO_PKG_VERSION"));
/// The longest a connection may take to open.
const MAX_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The client, or its making in progress.
pub(super) struct HttpClient {
    request_timeout: Duration,
    endpoint: String,
    made: OnceCell<reqwest::Client>,
    making: Mutex<Option<JoinHandle<reqwest::Result<reqwest::Client>>>>,
}

impl HttpClient {
    /// Starts making the client for `access` (on the runtime's blocking
    /// threads; outside a runtime it is made on first use).
    pub(super) fn start(access: &UpboundAccess) -> Self {
        let request_timeout = access.request_timeout;
        let making = tokio::runtime::Handle::try_current()
            .ok()
            .map(|runtime| runtime.spawn_blocking(move || builder(request_timeout).build()));
        Self {
            request_timeout,
            endpoint: access.endpoint.to_string(),
            made: OnceCell::new(),
            making: Mutex::new(making),
        }
    }

    /// The client, once made. Failing to make it (no usable root
    /// certificates, say) is no transient failure: it is not retried.
    pub(super) async fn get(&self) -> Result<&reqwest::Client, UpboundError> {
        self.made
            .get_or_try_init(|| async {
                let making = self
                    .making
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                let made = match making {
                    Some(making) => match making.await {
                        Ok(made) => made,
                        // Its thread is gone (the runtime shutting down).
                        Err(_) => builder(self.request_timeout).build(),
                    },
                    None => builder(self.request_timeout).build(),
                };
                made.map_err(|source| UpboundError::Client {
                    endpoint: self.endpoint.clone(),
                    source,
                })
            })
            .await
    }
}

/// How every client is made: timeouts from the access, no redirects.
fn builder(request_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(request_timeout)
        .connect_timeout(request_timeout.min(MAX_CONNECT_TIMEOUT))
        .redirect(reqwest::redirect::Policy::none())
}
