//! The [`Double`] handle: start a double, find its address, steer it while a
//! test runs, and shut it down.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::App;
use crate::config::Config;
use crate::error::Error;
use crate::faults::Fault;
use crate::model::{
    CreatedUser, NewUser, Organization, PersonalAccessToken, Robot, Role, Snapshot, Team, Token,
};
use crate::request_log::RequestRecord;
use crate::{routes, server};

/// A running double. The test controls change it directly (no HTTP); other
/// processes use the `/_double/` routes at [`Double::url`] instead.
///
/// Dropping the handle stops the server as well, without waiting for it;
/// [`Double::shutdown`] waits.
pub struct Double {
    app: Arc<App>,
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

impl Double {
    /// Starts a double on `config.listen` (loopback only) with the state
    /// from `config.state_file`, if it exists.
    pub async fn start(config: Config) -> Result<Self, Error> {
        if !config.listen.ip().is_loopback() {
            return Err(Error::NotLoopback(config.listen));
        }
        let app = Arc::new(App::new(&config)?);
        let bind = |source| Error::Bind {
            addr: config.listen,
            source,
        };
        let listener = TcpListener::bind(config.listen).await.map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let (stop, stopped) = watch::channel(false);
        let server = tokio::spawn(server::serve(
            listener,
            routes::router(app.clone()),
            stopped,
        ));
        Ok(Self {
            app,
            addr,
            stop,
            server,
        })
    }

    /// The address the double listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Creates an organization; its name must be new.
    pub fn add_organization(&self, name: &str) -> Result<Organization, Error> {
        self.app.add_organization(name, None)
    }

    /// Creates a user with its roles and returns it with a fresh personal
    /// access token (the only time its JWT is shown).
    pub fn add_user(&self, user: NewUser) -> Result<CreatedUser, Error> {
        self.app.add_user(&user)
    }

    /// Issues another personal access token to an existing user.
    pub fn issue_personal_token(&self, username: &str) -> Result<PersonalAccessToken, Error> {
        self.app.issue_personal_token(username)
    }

    /// Gives an existing user `role` in an existing organization, replacing
    /// any role it had there.
    pub fn grant_role(&self, username: &str, organization: &str, role: Role) -> Result<(), Error> {
        self.app.grant_role(username, organization, role)
    }

    /// Creates a team in an existing organization.
    pub fn add_team(&self, organization: &str, name: &str) -> Result<Team, Error> {
        self.app.add_team(organization, name)
    }

    /// Everything the double holds, without secrets.
    pub fn snapshot(&self) -> Snapshot {
        self.app.snapshot()
    }

    /// All robots, oldest first.
    pub fn robots(&self) -> Vec<Robot> {
        self.snapshot().robots
    }

    /// All tokens (without JWTs), oldest first.
    pub fn tokens(&self) -> Vec<Token> {
        self.snapshot().tokens
    }

    /// Every API request so far, oldest first (control calls excluded).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.app.requests()
    }

    /// How many API requests each route template received, e.g.
    /// `{"POST /v2/robots": 2}`.
    pub fn request_counts(&self) -> BTreeMap<String, usize> {
        self.app.request_counts()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.app.clear_requests();
    }

    /// Puts a fault in force; it fails if the route, rate or status is invalid.
    pub fn inject_fault(&self, fault: Fault) -> Result<(), Error> {
        self.app.inject_fault(fault)
    }

    /// The faults in force (a fault limited to N times shows how many are left).
    pub fn faults(&self) -> Vec<Fault> {
        self.app.faults()
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.app.clear_faults();
    }

    /// Ends every session, as if they had all expired: the next call with
    /// an old `SID` cookie is a 401.
    pub fn expire_sessions(&self) -> Result<(), Error> {
        self.app.expire_sessions()
    }

    /// Replaces the `status` of the Space record `name` in `organization`
    /// (the double does not reconcile records; tests play the controller).
    /// Returns the record.
    pub fn set_space_status(
        &self,
        organization: &str,
        name: &str,
        status: Value,
    ) -> Result<Value, Error> {
        self.app.set_space_status(organization, name, status)
    }

    /// Back to an empty double: no data, sessions, faults or request log.
    pub fn reset(&self) -> Result<(), Error> {
        self.app.reset()
    }

    /// Stops accepting connections, lets requests in flight finish, and
    /// waits for the server to end.
    pub async fn shutdown(self) {
        // The receiver lives as long as the server task; a send error means
        // the server has already stopped.
        let _ = self.stop.send(true);
        // The server task does not panic; a join error can only be a
        // cancelled runtime, which is shutting everything down anyway.
        let _ = self.server.await;
    }
}
