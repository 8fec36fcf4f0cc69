//! Robots: `GET /v1/organizations/{orgID}/robots` (a plain array), and the
//! JSON:API calls `POST /v2/robots`, `GET`/`DELETE /v2/robots/{robotID}`,
//! `POST`/`DELETE /v2/robots/{robotID}/relationships/teams`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::json_api::{Document, Identifier, Relationship, expect_name, expect_type};
use super::{member_listing, parse_id};
use crate::access;
use crate::api_error::ApiError;
use crate::app::App;
use crate::auth::Caller;
use crate::body::GoJsonBody;
use crate::model::{Robot, Role, TokenOwner};
use crate::state::State as Data;

/// The robot routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/organizations/{orgID}/robots", get(list))
        .route("/v2/robots", post(create))
        .route("/v2/robots/{robotID}", get(read).delete(delete))
        .route(
            "/v2/robots/{robotID}/relationships/teams",
            post(join_teams).delete(leave_teams),
        )
}

/// The robot `raw_id` if the caller has at least `needed` in its
/// organization; 404 for unknown robots and robots of other organizations.
pub(super) fn robot_with_access(
    state: &Data,
    caller: Caller,
    raw_id: &str,
    needed: Role,
) -> Result<Robot, ApiError> {
    let not_found = || ApiError::not_found(format!("robot {raw_id:?} not found"));
    let robot = state
        .robot(parse_id(raw_id, "robot")?)
        .ok_or_else(not_found)?;
    match access::require(state, caller.principal, robot.organization_id, needed) {
        Err(error) if error.status() == StatusCode::NOT_FOUND => Err(not_found()),
        checked => checked.map(|()| robot.clone()),
    }
}

/// A robot as a JSON:API resource.
fn resource(robot: &Robot) -> Value {
    json!({
        "type": "robots",
        "id": robot.id,
        "attributes": {
            "name": robot.name,
            "description": robot.description,
            "createdAt": robot.created_at,
        },
        "relationships": {
            "organization": {"data": {"type": "organization", "id": robot.organization_id.to_string()}},
            "teams": {"data": robot.team_ids.iter().map(|id| json!({"type": "teams", "id": id})).collect::<Vec<_>>()},
        },
        "meta": {},
    })
}

/// The organization's robots as a plain array (not JSON:API).
async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(organization_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    member_listing(&app, caller, &organization_id, |state, organization_id| {
        state
            .robots_of(organization_id)
            .map(|robot| {
                let token_ids: Vec<Uuid> = state
                    .tokens_of(TokenOwner::Robot(robot.id))
                    .map(|token| token.id)
                    .collect();
                json!({
                    "id": robot.id,
                    "name": robot.name,
                    "description": robot.description,
                    "teamIDs": robot.team_ids,
                    "tokenIDs": token_ids,
                    "createdAt": robot.created_at,
                })
            })
            .collect()
    })
}

/// `data` of the create body.
#[derive(Deserialize)]
struct NewRobot {
    r#type: String,
    attributes: NewRobotAttributes,
    relationships: NewRobotRelationships,
}

#[derive(Deserialize)]
struct NewRobotAttributes {
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Deserialize)]
struct NewRobotRelationships {
    organization: Relationship,
}

/// Creates a robot (owners only): 201 with the JSON:API document.
async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    GoJsonBody(Document { data }): GoJsonBody<Document<NewRobot>>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    expect_type(&data.r#type, "robots")?;
    expect_name(&data.attributes.name)?;
    let organization = data.relationships.organization.data;
    expect_type(&organization.r#type, "organization")?;
    let organization_id: u64 = parse_id(&organization.id, "organization")?;
    let robot = app.store.write(|state| {
        access::require(state, caller.principal, organization_id, Role::Owner)?;
        Ok::<_, ApiError>(state.add_robot(
            organization_id,
            &data.attributes.name,
            &data.attributes.description,
        ))
    })?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": resource(&robot) })),
    ))
}

/// The robot as a JSON:API document.
async fn read(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(robot_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let robot = app
        .store
        .read(|state| robot_with_access(state, caller, &robot_id, Role::Member))?;
    Ok(Json(json!({ "data": resource(&robot) })))
}

/// Deletes the robot with its tokens (owners only): 204.
async fn delete(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(robot_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.store.write(|state| {
        let robot = robot_with_access(state, caller, &robot_id, Role::Owner)?;
        state.remove_robot(robot.id);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// Adds the robot to the teams (owners only): 204.
async fn join_teams(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(robot_id): Path<String>,
    GoJsonBody(Document { data }): GoJsonBody<Document<Vec<Identifier>>>,
) -> Result<StatusCode, ApiError> {
    change_teams(&app, caller, &robot_id, &data, Data::join_teams)
}

/// Removes the robot from the teams (owners only): 204.
async fn leave_teams(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(robot_id): Path<String>,
    GoJsonBody(Document { data }): GoJsonBody<Document<Vec<Identifier>>>,
) -> Result<StatusCode, ApiError> {
    change_teams(&app, caller, &robot_id, &data, Data::leave_teams)
}

/// Checks the teams (all of the robot's organization) and applies `change`.
fn change_teams(
    app: &App,
    caller: Caller,
    robot_id: &str,
    teams: &[Identifier],
    change: fn(&mut Data, Uuid, &[Uuid]),
) -> Result<StatusCode, ApiError> {
    app.store.write(|state| {
        let robot = robot_with_access(state, caller, robot_id, Role::Owner)?;
        let team_ids = teams
            .iter()
            .map(|team| {
                expect_type(&team.r#type, "teams")?;
                let id: Uuid = parse_id(&team.id, "team")?;
                state
                    .team(id)
                    .filter(|team| team.organization_id == robot.organization_id)
                    .map(|team| team.id)
                    .ok_or_else(|| ApiError::not_found(format!("team {id} not found")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        change(state, robot.id, &team_ids);
        Ok(StatusCode::NO_CONTENT)
    })
}
