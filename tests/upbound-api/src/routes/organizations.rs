//! Accounts, organizations and teams: `GET /v1/accounts/{name}`,
//! `GET /v1/organizations`, `GET /v1/organizations/{orgID}/teams`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::member_listing;
use crate::access;
use crate::api_error::ApiError;
use crate::app::App;
use crate::auth::Caller;
use crate::model::{Organization, Role};

/// The organization routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/accounts/{name}", get(account))
        .route("/v1/organizations", get(organizations))
        .route("/v1/organizations/{orgID}/teams", get(teams))
}

/// An organization as the API writes it, with the caller's role.
fn organization_json(organization: &Organization, role: Role) -> Value {
    json!({
        "id": organization.id,
        "name": organization.name,
        "displayName": organization.display_name,
        "creatorId": organization.creator_id,
        "role": role.as_str(),
        "createdAt": organization.created_at,
    })
}

/// The account `name`: an organization the caller belongs to, or a user.
/// Organizations the caller does not belong to are 404, as unknown names.
async fn account(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    app.store.read(|state| {
        if let Some(organization) = state.organization_named(&name)
            && let Some(role) = access::role_in(state, caller.principal, organization.id)
        {
            return Ok(Json(json!({
                "account": {"id": organization.id, "name": organization.name, "type": "organization"},
                "organization": organization_json(organization, role),
            })));
        }
        match state.user_named(&name) {
            Some(user) => Ok(Json(json!({
                "account": {"id": user.id, "name": user.username, "type": "user"},
                "user": {"id": user.id, "username": user.username},
            }))),
            None => Err(ApiError::not_found(format!("account {name:?} not found"))),
        }
    })
}

/// The organizations the caller belongs to: a plain JSON array.
async fn organizations(State(app): State<Arc<App>>, caller: Caller) -> Json<Value> {
    Json(app.store.read(|state| {
        state
            .organizations()
            .iter()
            .filter_map(|organization| {
                access::role_in(state, caller.principal, organization.id)
                    .map(|role| organization_json(organization, role))
            })
            .collect()
    }))
}

/// The organization's teams: a plain JSON array of `{id, name, createdAt}`.
async fn teams(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(organization_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    member_listing(&app, caller, &organization_id, |state, organization_id| {
        state
            .teams_of(organization_id)
            .map(|team| json!({"id": team.id, "name": team.name, "createdAt": team.created_at}))
            .collect()
    })
}
