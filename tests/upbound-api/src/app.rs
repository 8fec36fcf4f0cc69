//! What every request handler and every test control shares. The test
//! controls are written here once; the [`Double`](crate::Double) handle and
//! the `/_double/` HTTP surface both call them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use crate::clock;
use crate::config::Config;
use crate::error::Error;
use crate::faults::{Fault, FaultSet};
use crate::jwt::{Signer, TokenClaims};
use crate::model::{
    CreatedUser, Jwt, NewUser, Organization, PersonalAccessToken, Role, Snapshot, Team, Token,
    TokenOwner,
};
use crate::request_log::{RequestLog, RequestRecord};
use crate::state::Principal;
use crate::store::{Store, lock};

/// The name given to personal access tokens made by the test controls.
const PERSONAL_TOKEN_NAME: &str = "personal access token";

/// The running double's shared parts.
pub(crate) struct App {
    /// How long sessions live.
    pub(crate) session_ttl: Duration,
    /// Whether to print one line per API request to stderr.
    pub(crate) log_requests: bool,
    /// The data.
    pub(crate) store: Store,
    /// Signs and verifies tokens and sessions with the state's key.
    pub(crate) signer: Signer,
    /// The faults in force.
    pub(crate) faults: Mutex<FaultSet>,
    /// Every API request so far.
    pub(crate) requests: Mutex<RequestLog>,
}

impl App {
    /// The shared parts for `config`, with the state loaded from its file.
    pub(crate) fn new(config: &Config) -> Result<Self, Error> {
        let store = Store::open(config.state_file.clone())?;
        let signer = store.read(|state| Signer::new(state.signing_key()));
        Ok(Self {
            session_ttl: config.session_ttl,
            log_requests: config.log_requests,
            store,
            signer,
            faults: Mutex::default(),
            requests: Mutex::default(),
        })
    }

    /// The JWT for a token just created: its only appearance.
    pub(crate) fn sign_token(&self, token: &Token) -> Jwt {
        Jwt::new(self.signer.sign(&TokenClaims {
            jti: token.id,
            sub: Principal::from_owner(token.owner).to_string(),
            iat: clock::now_millis() / 1000,
        }))
    }

    // ----- test controls -----

    /// Creates an organization.
    pub(crate) fn add_organization(
        &self,
        name: &str,
        display_name: Option<&str>,
    ) -> Result<Organization, Error> {
        self.store
            .write(|state| state.add_organization(name, display_name))
    }

    /// Creates a user with its roles and a personal access token.
    pub(crate) fn add_user(&self, new: &NewUser) -> Result<CreatedUser, Error> {
        let (user, token) = self.store.write(|state| {
            let user = state.add_user(new)?;
            let token = state.add_token(PERSONAL_TOKEN_NAME, TokenOwner::User(user.id));
            Ok::<_, Error>((user, token))
        })?;
        Ok(CreatedUser {
            id: user.id,
            username: user.username,
            token: PersonalAccessToken {
                id: token.id,
                jwt: self.sign_token(&token),
            },
        })
    }

    /// Gives an existing user a role in an existing organization.
    pub(crate) fn grant_role(
        &self,
        username: &str,
        organization: &str,
        role: Role,
    ) -> Result<(), Error> {
        self.store.write(|state| {
            let user_id = state
                .user_named(username)
                .ok_or_else(|| Error::UnknownUser(username.to_owned()))?
                .id;
            let organization_id = state
                .organization_named(organization)
                .ok_or_else(|| Error::UnknownOrganization(organization.to_owned()))?
                .id;
            state.grant_role(user_id, organization_id, role);
            Ok(())
        })
    }

    /// Issues another personal access token to an existing user.
    pub(crate) fn issue_personal_token(
        &self,
        username: &str,
    ) -> Result<PersonalAccessToken, Error> {
        let token = self.store.write(|state| {
            let user_id = state
                .user_named(username)
                .ok_or_else(|| Error::UnknownUser(username.to_owned()))?
                .id;
            Ok::<_, Error>(state.add_token(PERSONAL_TOKEN_NAME, TokenOwner::User(user_id)))
        })?;
        Ok(PersonalAccessToken {
            id: token.id,
            jwt: self.sign_token(&token),
        })
    }

    /// Creates a team in an existing organization.
    pub(crate) fn add_team(&self, organization: &str, name: &str) -> Result<Team, Error> {
        self.store.write(|state| {
            let organization_id = state
                .organization_named(organization)
                .ok_or_else(|| Error::UnknownOrganization(organization.to_owned()))?
                .id;
            Ok(state.add_team(organization_id, name))
        })
    }

    /// Everything the double holds, without secrets.
    pub(crate) fn snapshot(&self) -> Snapshot {
        self.store.read(|state| state.snapshot(clock::now_millis()))
    }

    /// Ends every session, as if they had all expired.
    pub(crate) fn expire_sessions(&self) -> Result<(), Error> {
        self.store.write(|state| {
            state.end_all_sessions();
            Ok(())
        })
    }

    /// Replaces a Space record's `status` (the double does not reconcile
    /// Space records; tests play the controller). Returns the record.
    pub(crate) fn set_space_status(
        &self,
        organization: &str,
        name: &str,
        status: Value,
    ) -> Result<Value, Error> {
        self.store.write(|state| {
            let unknown = || Error::UnknownSpace {
                organization: organization.to_owned(),
                name: name.to_owned(),
            };
            let organization_id = state
                .organization_named(organization)
                .ok_or_else(unknown)?
                .id;
            if state.space(organization_id, name).is_none() {
                return Err(unknown());
            }
            let resource_version = state.next_resource_version();
            let object = state
                .space_object_mut(organization_id, name)
                .expect("the Space record exists");
            object["status"] = status;
            object["metadata"]["resourceVersion"] = Value::String(resource_version);
            Ok(object.clone())
        })
    }

    /// Adds a fault after checking it.
    pub(crate) fn inject_fault(&self, fault: Fault) -> Result<(), Error> {
        fault.validate()?;
        lock(&self.faults).add(fault);
        Ok(())
    }

    /// The faults in force.
    pub(crate) fn faults(&self) -> Vec<Fault> {
        lock(&self.faults).list()
    }

    /// Removes every fault.
    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    /// Every API request so far, oldest first.
    pub(crate) fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).records()
    }

    /// How many API requests each route template received.
    pub(crate) fn request_counts(&self) -> BTreeMap<String, usize> {
        lock(&self.requests).counts()
    }

    /// Forgets the request log.
    pub(crate) fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    /// Back to an empty double: no data, sessions, faults or log. The
    /// signing key stays.
    pub(crate) fn reset(&self) -> Result<(), Error> {
        self.store.write(|state| {
            state.reset();
            Ok::<_, Error>(())
        })?;
        self.clear_faults();
        self.clear_requests();
        Ok(())
    }
}
