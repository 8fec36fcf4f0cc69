//! The double's data and the invariants between its parts, with no HTTP and
//! no locking: deleting a robot deletes its tokens, deleting a token ends
//! the sessions it opened, names and IDs are handed out here.

use std::fmt;

use rand::RngExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::clock;
use crate::error::Error;
use crate::model::{
    NewUser, Organization, Robot, Role, Snapshot, Team, Token, TokenOwner, UserInfo,
};

/// Who is logged in: a user, or a robot (with a robot token).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub(crate) enum Principal {
    /// A user, by ID.
    User(u64),
    /// A robot, by ID.
    Robot(Uuid),
}

impl Principal {
    /// Who owns the tokens this principal logs in with.
    pub(crate) fn from_owner(owner: TokenOwner) -> Self {
        match owner {
            TokenOwner::User(id) => Self::User(id),
            TokenOwner::Robot(id) => Self::Robot(id),
        }
    }
}

impl fmt::Display for Principal {
    /// The JWT subject: `user|<id>` or `robot|<uuid>`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(id) => write!(formatter, "user|{id}"),
            Self::Robot(id) => write!(formatter, "robot|{id}"),
        }
    }
}

/// A user with everything the double knows, password included.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub id: u64,
    pub username: String,
    pub email: String,
    pub password: Option<String>,
    /// Roles by organization ID.
    pub roles: Vec<(u64, Role)>,
    pub created_at: String,
}

impl User {
    /// The user's role in the organization, if any.
    pub(crate) fn role_in(&self, organization_id: u64) -> Option<Role> {
        self.roles
            .iter()
            .find(|(id, _)| *id == organization_id)
            .map(|(_, role)| *role)
    }
}

/// A login: live until `expires_at_ms`, logout, or the revocation of the
/// token it was opened with.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Session {
    pub id: Uuid,
    pub principal: Principal,
    /// The token used to log in; `None` for a password login.
    pub token_id: Option<Uuid>,
    pub expires_at_ms: u64,
}

/// A Space record: the Kubernetes-style object as stored and returned.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SpaceRecord {
    pub organization_id: u64,
    pub name: String,
    pub object: Value,
}

/// Everything the double holds. Serialized whole to the state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct State {
    /// The HS256 key for tokens and sessions (kept across restarts and
    /// resets so issued tokens stay verifiable).
    signing_key: Vec<u8>,
    next_organization_id: u64,
    next_user_id: u64,
    resource_version: u64,
    organizations: Vec<Organization>,
    users: Vec<User>,
    teams: Vec<Team>,
    robots: Vec<Robot>,
    tokens: Vec<Token>,
    spaces: Vec<SpaceRecord>,
    sessions: Vec<Session>,
}

impl State {
    /// An empty state with a fresh random signing key.
    pub(crate) fn new() -> Self {
        let mut key = vec![0_u8; 32];
        rand::rng().fill(&mut key[..]);
        Self::with_key(key)
    }

    fn with_key(signing_key: Vec<u8>) -> Self {
        Self {
            signing_key,
            next_organization_id: 1,
            next_user_id: 1,
            resource_version: 1,
            organizations: Vec::new(),
            users: Vec::new(),
            teams: Vec::new(),
            robots: Vec::new(),
            tokens: Vec::new(),
            spaces: Vec::new(),
            sessions: Vec::new(),
        }
    }

    /// The key tokens and sessions are signed with.
    pub(crate) fn signing_key(&self) -> &[u8] {
        &self.signing_key
    }

    /// Forgets everything except the signing key.
    pub(crate) fn reset(&mut self) {
        *self = Self::with_key(std::mem::take(&mut self.signing_key));
    }

    // ----- organizations and teams -----

    /// The organization with this ID.
    pub(crate) fn organization(&self, id: u64) -> Option<&Organization> {
        self.organizations.iter().find(|org| org.id == id)
    }

    /// The organization with this account name.
    pub(crate) fn organization_named(&self, name: &str) -> Option<&Organization> {
        self.organizations.iter().find(|org| org.name == name)
    }

    /// All organizations, oldest first.
    pub(crate) fn organizations(&self) -> &[Organization] {
        &self.organizations
    }

    /// Creates an organization; names are unique.
    pub(crate) fn add_organization(
        &mut self,
        name: &str,
        display_name: Option<&str>,
    ) -> Result<Organization, Error> {
        if self.organization_named(name).is_some() {
            return Err(Error::OrganizationExists(name.to_owned()));
        }
        let organization = Organization {
            id: self.next_organization_id,
            name: name.to_owned(),
            display_name: display_name.unwrap_or(name).to_owned(),
            creator_id: 0,
            created_at: clock::rfc3339(clock::now_millis()),
        };
        self.next_organization_id += 1;
        self.organizations.push(organization.clone());
        Ok(organization)
    }

    /// Creates a team in an organization that exists.
    pub(crate) fn add_team(&mut self, organization_id: u64, name: &str) -> Team {
        let team = Team {
            id: Uuid::new_v4(),
            organization_id,
            name: name.to_owned(),
            created_at: clock::rfc3339(clock::now_millis()),
        };
        self.teams.push(team.clone());
        team
    }

    /// The team with this ID.
    pub(crate) fn team(&self, id: Uuid) -> Option<&Team> {
        self.teams.iter().find(|team| team.id == id)
    }

    /// The organization's teams, oldest first.
    pub(crate) fn teams_of(&self, organization_id: u64) -> impl Iterator<Item = &Team> {
        self.teams
            .iter()
            .filter(move |team| team.organization_id == organization_id)
    }

    // ----- users -----

    /// The user with this ID.
    pub(crate) fn user(&self, id: u64) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    /// The user with this username.
    pub(crate) fn user_named(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|user| user.username == username)
    }

    /// The user whose username or e-mail is `id` and whose password is
    /// `password`.
    pub(crate) fn user_with_password(&self, id: &str, password: &str) -> Option<&User> {
        self.users.iter().find(|user| {
            (user.username == id || user.email == id) && user.password.as_deref() == Some(password)
        })
    }

    /// Creates a user with roles in organizations that exist.
    pub(crate) fn add_user(&mut self, new: &NewUser) -> Result<User, Error> {
        if self.user_named(&new.username).is_some() {
            return Err(Error::UserExists(new.username.clone()));
        }
        let roles = new
            .roles
            .iter()
            .map(|(name, role)| {
                self.organization_named(name)
                    .map(|org| (org.id, *role))
                    .ok_or_else(|| Error::UnknownOrganization(name.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let id = self.next_user_id;
        let user = User {
            id,
            username: new.username.clone(),
            email: new
                .email
                .clone()
                .unwrap_or_else(|| format!("{}@example.com", new.username)),
            password: new.password.clone(),
            roles: Vec::new(),
            created_at: clock::rfc3339(clock::now_millis()),
        };
        self.next_user_id += 1;
        self.users.push(user);
        for (organization_id, role) in roles {
            self.grant_role(id, organization_id, role);
        }
        Ok(self.users.last().cloned().expect("the user was just added"))
    }

    /// Gives a user a role in an organization (replacing an earlier one).
    /// The first owner becomes the organization's `creatorId` — assumption:
    /// the double has no "create organization as user" call, so the first
    /// owner stands in for the creator.
    pub(crate) fn grant_role(&mut self, user_id: u64, organization_id: u64, role: Role) {
        if let Some(user) = self.users.iter_mut().find(|user| user.id == user_id) {
            user.roles.retain(|(id, _)| *id != organization_id);
            user.roles.push((organization_id, role));
        }
        if role == Role::Owner
            && let Some(org) = self
                .organizations
                .iter_mut()
                .find(|org| org.id == organization_id && org.creator_id == 0)
        {
            org.creator_id = user_id;
        }
    }

    // ----- robots -----

    /// The robot with this ID.
    pub(crate) fn robot(&self, id: Uuid) -> Option<&Robot> {
        self.robots.iter().find(|robot| robot.id == id)
    }

    /// The organization's robots, oldest first.
    pub(crate) fn robots_of(&self, organization_id: u64) -> impl Iterator<Item = &Robot> {
        self.robots
            .iter()
            .filter(move |robot| robot.organization_id == organization_id)
    }

    /// Creates a robot. Names are not unique, so this never conflicts.
    pub(crate) fn add_robot(
        &mut self,
        organization_id: u64,
        name: &str,
        description: &str,
    ) -> Robot {
        let robot = Robot {
            id: Uuid::new_v4(),
            organization_id,
            name: name.to_owned(),
            description: description.to_owned(),
            team_ids: Vec::new(),
            created_at: clock::rfc3339(clock::now_millis()),
        };
        self.robots.push(robot.clone());
        robot
    }

    /// Deletes a robot with its tokens and every session it had. Assumption
    /// (reference: "presumably revokes its tokens: unverified"): a robot's
    /// tokens do not outlive it.
    pub(crate) fn remove_robot(&mut self, id: Uuid) -> Option<Robot> {
        let index = self.robots.iter().position(|robot| robot.id == id)?;
        let robot = self.robots.remove(index);
        let token_ids: Vec<Uuid> = self
            .tokens_of(TokenOwner::Robot(id))
            .map(|token| token.id)
            .collect();
        for token_id in token_ids {
            self.remove_token(token_id);
        }
        self.sessions
            .retain(|session| session.principal != Principal::Robot(id));
        Some(robot)
    }

    /// Adds the robot to the teams (already a member: no change).
    pub(crate) fn join_teams(&mut self, robot_id: Uuid, team_ids: &[Uuid]) {
        if let Some(robot) = self.robots.iter_mut().find(|robot| robot.id == robot_id) {
            for team_id in team_ids {
                if !robot.team_ids.contains(team_id) {
                    robot.team_ids.push(*team_id);
                }
            }
        }
    }

    /// Removes the robot from the teams (not a member: no change).
    pub(crate) fn leave_teams(&mut self, robot_id: Uuid, team_ids: &[Uuid]) {
        if let Some(robot) = self.robots.iter_mut().find(|robot| robot.id == robot_id) {
            robot.team_ids.retain(|id| !team_ids.contains(id));
        }
    }

    // ----- tokens -----

    /// The token with this access ID.
    pub(crate) fn token(&self, id: Uuid) -> Option<&Token> {
        self.tokens.iter().find(|token| token.id == id)
    }

    /// The owner's tokens, oldest first.
    pub(crate) fn tokens_of(&self, owner: TokenOwner) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(move |token| token.owner == owner)
    }

    /// Records a new token. The caller signs its JWT; only the record stays.
    pub(crate) fn add_token(&mut self, name: &str, owner: TokenOwner) -> Token {
        let token = Token {
            id: Uuid::new_v4(),
            name: name.to_owned(),
            owner,
            created_at: clock::rfc3339(clock::now_millis()),
        };
        self.tokens.push(token.clone());
        token
    }

    /// Renames a token.
    pub(crate) fn rename_token(&mut self, id: Uuid, name: &str) -> Option<Token> {
        let token = self.tokens.iter_mut().find(|token| token.id == id)?;
        name.clone_into(&mut token.name);
        Some(token.clone())
    }

    /// Deletes a token and ends the sessions opened with it. Assumption: the
    /// real API's behaviour for live sessions of a revoked token is not
    /// documented; ending them makes "revoked" mean revoked.
    pub(crate) fn remove_token(&mut self, id: Uuid) -> Option<Token> {
        let index = self.tokens.iter().position(|token| token.id == id)?;
        self.sessions.retain(|session| session.token_id != Some(id));
        Some(self.tokens.remove(index))
    }

    // ----- sessions -----

    /// Opens a session that lives `ttl_ms` from `now_ms`. Expired sessions
    /// are dropped on the way, so the list does not grow without bound.
    pub(crate) fn open_session(
        &mut self,
        principal: Principal,
        token_id: Option<Uuid>,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Session {
        self.sessions
            .retain(|session| session.expires_at_ms > now_ms);
        let session = Session {
            id: Uuid::new_v4(),
            principal,
            token_id,
            expires_at_ms: now_ms.saturating_add(ttl_ms),
        };
        self.sessions.push(session.clone());
        session
    }

    /// The session with this ID if it has not ended or expired.
    pub(crate) fn live_session(&self, id: Uuid, now_ms: u64) -> Option<&Session> {
        self.sessions
            .iter()
            .find(|session| session.id == id && session.expires_at_ms > now_ms)
    }

    /// Ends a session (logout).
    pub(crate) fn end_session(&mut self, id: Uuid) {
        self.sessions.retain(|session| session.id != id);
    }

    /// Ends every session.
    pub(crate) fn end_all_sessions(&mut self) {
        self.sessions.clear();
    }

    /// How many sessions are live at `now_ms`.
    pub(crate) fn live_session_count(&self, now_ms: u64) -> usize {
        self.sessions
            .iter()
            .filter(|session| session.expires_at_ms > now_ms)
            .count()
    }

    // ----- Space records -----

    /// The Space record `name` of the organization.
    pub(crate) fn space(&self, organization_id: u64, name: &str) -> Option<&SpaceRecord> {
        self.spaces
            .iter()
            .find(|space| space.organization_id == organization_id && space.name == name)
    }

    /// The organization's Space records, oldest first.
    pub(crate) fn spaces_of(&self, organization_id: u64) -> impl Iterator<Item = &SpaceRecord> {
        self.spaces
            .iter()
            .filter(move |space| space.organization_id == organization_id)
    }

    /// Stores a Space record whose name is free (the caller checked).
    pub(crate) fn add_space(&mut self, record: SpaceRecord) {
        self.spaces.push(record);
    }

    /// Mutable access to a Space record's object.
    pub(crate) fn space_object_mut(
        &mut self,
        organization_id: u64,
        name: &str,
    ) -> Option<&mut Value> {
        self.spaces
            .iter_mut()
            .find(|space| space.organization_id == organization_id && space.name == name)
            .map(|space| &mut space.object)
    }

    /// Deletes a Space record.
    pub(crate) fn remove_space(&mut self, organization_id: u64, name: &str) -> Option<SpaceRecord> {
        let index = self
            .spaces
            .iter()
            .position(|space| space.organization_id == organization_id && space.name == name)?;
        Some(self.spaces.remove(index))
    }

    /// The next Kubernetes `resourceVersion` (one counter for all records).
    pub(crate) fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    // ----- inspection -----

    /// A user as tests see it.
    pub(crate) fn user_info(&self, user: &User) -> UserInfo {
        UserInfo {
            id: user.id,
            username: user.username.clone(),
            email: user.email.clone(),
            has_password: user.password.is_some(),
            roles: user
                .roles
                .iter()
                .filter_map(|(id, role)| Some((self.organization(*id)?.name.clone(), *role)))
                .collect(),
        }
    }

    /// Everything, without secrets.
    pub(crate) fn snapshot(&self, now_ms: u64) -> Snapshot {
        Snapshot {
            organizations: self.organizations.clone(),
            users: self.users.iter().map(|user| self.user_info(user)).collect(),
            teams: self.teams.clone(),
            robots: self.robots.clone(),
            tokens: self.tokens.clone(),
            spaces: self
                .spaces
                .iter()
                .map(|space| space.object.clone())
                .collect(),
            live_sessions: self.live_session_count(now_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Principal, State};
    use crate::model::{NewUser, TokenOwner};

    #[test]
    fn deleting_a_robot_deletes_its_tokens_and_sessions() {
        let mut state = State::new();
        let org = state.add_organization("acme", None).unwrap();
        let robot = state.add_robot(org.id, "r", "");
        let token = state.add_token("t", TokenOwner::Robot(robot.id));
        let session = state.open_session(Principal::Robot(robot.id), Some(token.id), 0, 1000);

        state.remove_robot(robot.id).unwrap();

        assert!(state.token(token.id).is_none());
        assert!(state.live_session(session.id, 1).is_none());
    }

    #[test]
    fn sessions_expire() {
        let mut state = State::new();
        let session = state.open_session(Principal::User(1), None, 1000, 50);
        assert!(state.live_session(session.id, 1049).is_some());
        assert!(state.live_session(session.id, 1050).is_none());
    }

    #[test]
    fn the_first_owner_becomes_the_creator() {
        let mut state = State::new();
        state.add_organization("acme", None).unwrap();
        state
            .add_user(&NewUser::new("m").member_of("acme"))
            .unwrap();
        let owner = state.add_user(&NewUser::new("o").owner_of("acme")).unwrap();
        assert_eq!(
            state.organization_named("acme").unwrap().creator_id,
            owner.id
        );
    }

    #[test]
    fn reset_keeps_the_signing_key() {
        let mut state = State::new();
        let key = state.signing_key().to_vec();
        state.add_organization("acme", None).unwrap();
        state.reset();
        assert_eq!(state.signing_key(), key);
        assert!(state.organizations().is_empty());
    }
}
