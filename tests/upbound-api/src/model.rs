//! The records a double holds, as tests see them.
//!
//! Field names serialize in camelCase, the way the control surface
//! (`GET /_double/state`) and the state file write them. The shapes the
//! *Upbound API* answers with are built in `routes/`, not here.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A user's permission group in an organization (Upbound's
/// `OrganizationPermissionGroup`). Ordered: `Member < Owner`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads the organization: robots, teams, Space records.
    Member,
    /// Everything a member can, plus creating and deleting robots, tokens,
    /// team memberships and Space records.
    Owner,
}

impl Role {
    /// The role as the API writes it: `member` or `owner`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Owner => "owner",
        }
    }
}

/// An Upbound organization. IDs are integers, as in the real API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// The organization's integer ID (robots refer to it as a decimal string).
    pub id: u64,
    /// The account name, e.g. `acme`.
    pub name: String,
    /// The name people see.
    pub display_name: String,
    /// The first user made its owner; 0 until there is one.
    pub creator_id: u64,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A team of an organization; robots can join teams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// The team's UUID.
    pub id: Uuid,
    /// The organization the team belongs to.
    pub organization_id: u64,
    /// The team's name.
    pub name: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A robot: an organization's non-human identity. Names are not unique.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Robot {
    /// The robot's UUID (`data.id` when it was created).
    pub id: Uuid,
    /// The organization that owns the robot.
    pub organization_id: u64,
    /// The robot's name.
    pub name: String,
    /// The robot's description.
    pub description: String,
    /// The teams the robot has joined.
    #[serde(rename = "teamIDs")]
    pub team_ids: Vec<Uuid>,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// Who a token belongs to, and so who logs in with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "lowercase")]
pub enum TokenOwner {
    /// A personal access token of the user with this ID.
    User(u64),
    /// A robot token of the robot with this ID.
    Robot(Uuid),
}

/// A token (personal access token or robot token), without its secret: the
/// JWT is handed out once, at creation, and never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    /// The token's access ID: the UUID that is also the JWT's `jti`.
    pub id: Uuid,
    /// The token's name.
    pub name: String,
    /// Whose token it is.
    pub owner: TokenOwner,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// A user as tests see it: no password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The user's integer ID.
    pub id: u64,
    /// The username (also an account name).
    pub username: String,
    /// The e-mail address (also accepted as the login `id`).
    pub email: String,
    /// Whether the user can log in with a password.
    pub has_password: bool,
    /// The user's role per organization, by organization name.
    pub roles: BTreeMap<String, Role>,
}

/// A user to create. Build it with [`NewUser::new`] and the methods below.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    /// The username; must be unique.
    pub username: String,
    /// The e-mail address; defaults to `<username>@example.com`.
    #[serde(default)]
    pub email: Option<String>,
    /// A password for username/password login; without one only token
    /// login works.
    #[serde(default)]
    pub password: Option<String>,
    /// Roles by organization name.
    #[serde(default)]
    pub roles: BTreeMap<String, Role>,
}

impl NewUser {
    /// A user with this username, no password and no organizations.
    pub fn new(username: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            ..Self::default()
        }
    }

    /// Makes the user an owner of `organization`.
    pub fn owner_of(self, organization: impl Into<String>) -> Self {
        self.with_role(organization, Role::Owner)
    }

    /// Makes the user a member (not an owner) of `organization`.
    pub fn member_of(self, organization: impl Into<String>) -> Self {
        self.with_role(organization, Role::Member)
    }

    /// Gives the user `role` in `organization`.
    pub fn with_role(mut self, organization: impl Into<String>, role: Role) -> Self {
        self.roles.insert(organization.into(), role);
        self
    }

    /// Lets the user log in with this password.
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Sets the user's e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
}

/// A signed JWT. Its `Debug` prints `***` so it cannot be logged by accident;
/// [`Jwt::expose`] gives the text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Jwt(String);

impl Jwt {
    pub(crate) fn new(text: String) -> Self {
        Self(text)
    }

    /// The JWT itself, e.g. to send as the login `password`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Jwt {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Jwt(***)")
    }
}

/// A personal access token as handed out once: its access ID and the JWT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalAccessToken {
    /// The access ID (the JWT's `jti`; the login `id`).
    pub id: Uuid,
    /// The secret token (the login `password`).
    pub jwt: Jwt,
}

/// A user just created, with a fresh personal access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUser {
    /// The user's integer ID.
    pub id: u64,
    /// The username.
    pub username: String,
    /// A personal access token to log in with.
    pub token: PersonalAccessToken,
}

/// Everything a double holds, for inspection. Token secrets, passwords and
/// session values are not part of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// All organizations, oldest first.
    pub organizations: Vec<Organization>,
    /// All users, oldest first.
    pub users: Vec<UserInfo>,
    /// All teams, oldest first.
    pub teams: Vec<Team>,
    /// All robots, oldest first.
    pub robots: Vec<Robot>,
    /// All tokens (without JWTs), oldest first.
    pub tokens: Vec<Token>,
    /// All Space records, as the API returns them, oldest first.
    pub spaces: Vec<serde_json::Value>,
    /// How many sessions are live (logged in and not expired).
    pub live_sessions: usize,
}
