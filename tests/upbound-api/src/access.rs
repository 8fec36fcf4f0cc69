//! Who may do what in an organization: members read, owners write.
//!
//! Assumption: a robot logged in with its own token acts as a member of its
//! organization (it can read, not manage robots or tokens); the real API's
//! robot permissions come from team memberships the double does not model.

use axum::http::StatusCode;

use crate::api_error::ApiError;
use crate::model::{Role, Token, TokenOwner};
use crate::state::{Principal, State};

/// The principal's role in the organization, if it belongs to it.
pub(crate) fn role_in(state: &State, principal: Principal, organization_id: u64) -> Option<Role> {
    match principal {
        Principal::User(id) => state.user(id)?.role_in(organization_id),
        Principal::Robot(id) => state
            .robot(id)
            .filter(|robot| robot.organization_id == organization_id)
            .map(|_| Role::Member),
    }
}

/// Succeeds if the principal has at least role `needed` in the
/// organization: 403 for a member where an owner is needed, 404 for a
/// stranger (the organization is not shown to outsiders at all).
pub(crate) fn require(
    state: &State,
    principal: Principal,
    organization_id: u64,
    needed: Role,
) -> Result<(), ApiError> {
    match role_in(state, principal, organization_id) {
        None => Err(ApiError::not_found(format!(
            "organization {organization_id} not found"
        ))),
        Some(role) if role < needed => Err(ApiError::forbidden(format!(
            "only an organization {} may do this; you are a {}",
            needed.as_str(),
            role.as_str()
        ))),
        Some(_) => Ok(()),
    }
}

/// Succeeds if the principal may read (`Member`) or change (`Owner`) the
/// token: a robot token through the robot's organization, a personal access
/// token only by its own user. 404 for tokens the principal cannot see.
pub(crate) fn require_for_token(
    state: &State,
    principal: Principal,
    token: &Token,
    needed: Role,
) -> Result<(), ApiError> {
    match token.owner {
        TokenOwner::Robot(robot_id) => {
            let organization_id = state
                .robot(robot_id)
                .map(|robot| robot.organization_id)
                .ok_or_else(|| token_not_found(token))?;
            require(state, principal, organization_id, needed).map_err(|error| {
                if error.status() == StatusCode::NOT_FOUND {
                    token_not_found(token)
                } else {
                    error
                }
            })
        }
        TokenOwner::User(user_id) if principal == Principal::User(user_id) => Ok(()),
        TokenOwner::User(_) => Err(token_not_found(token)),
    }
}

fn token_not_found(token: &Token) -> ApiError {
    ApiError::not_found(format!("token {} not found", token.id))
}
