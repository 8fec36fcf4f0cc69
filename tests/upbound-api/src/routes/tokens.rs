//! Tokens: `GET /v2/robots/{robotID}/tokens`, `POST /v1/tokens` (whose body
//! names the robot under the capitalised `"Owner"` key, as the SDK sends
//! it), and `GET`/`PATCH`/`DELETE /v1/tokens/{tokenID}`. The JWT appears in
//! the answer to the create call only.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::json_api::{Document, Relationship, expect_name, expect_type};
use super::parse_id;
use super::robots::robot_with_access;
use crate::access;
use crate::api_error::ApiError;
use crate::app::App;
use crate::auth::Caller;
use crate::body::GoJsonBody;
use crate::model::{Role, Token, TokenOwner};
use crate::state::State as Data;

/// The token routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v2/robots/{robotID}/tokens", get(list))
        .route("/v1/tokens", post(create))
        .route(
            "/v1/tokens/{tokenID}",
            get(read).patch(rename).delete(delete),
        )
}

/// The token `raw_id` if the caller has at least `needed` over it.
fn token_with_access(
    state: &Data,
    caller: Caller,
    raw_id: &str,
    needed: Role,
) -> Result<Token, ApiError> {
    let token = state
        .token(parse_id(raw_id, "token")?)
        .ok_or_else(|| ApiError::not_found(format!("token {raw_id:?} not found")))?;
    access::require_for_token(state, caller.principal, token, needed)?;
    Ok(token.clone())
}

/// A token as a JSON:API resource, without its JWT. `createdAt` is in
/// `meta`, not `attributes`: the `up` CLI (upbound/up
/// `cmd/up/robot/token/list.go`) reads `meta.createdAt` of each listed token
/// as RFC 3339, and the engine reads only `id` and `attributes.name`. The
/// reference is silent on where it lives.
fn resource(token: &Token) -> Value {
    let owner = match token.owner {
        TokenOwner::Robot(id) => json!({"type": "robots", "id": id}),
        TokenOwner::User(id) => json!({"type": "users", "id": id.to_string()}),
    };
    json!({
        "type": "tokens",
        "id": token.id,
        "attributes": {"name": token.name},
        "relationships": {"owner": {"data": owner}},
        "meta": {"createdAt": token.created_at},
    })
}

/// The robot's tokens: `{"data": [...]}`, without JWTs.
async fn list(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(robot_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    app.store.read(|state| {
        let robot = robot_with_access(state, caller, &robot_id, Role::Member)?;
        let tokens: Vec<Value> = state
            .tokens_of(TokenOwner::Robot(robot.id))
            .map(resource)
            .collect();
        Ok(Json(json!({ "data": tokens })))
    })
}

/// `data` of the create body.
#[derive(Deserialize)]
struct NewToken {
    r#type: String,
    attributes: TokenAttributes,
    relationships: NewTokenRelationships,
}

#[derive(Deserialize)]
struct TokenAttributes {
    name: String,
}

/// `Owner` in the SDK's body; matched case-insensitively.
#[derive(Deserialize)]
struct NewTokenRelationships {
    owner: Relationship,
}

/// Creates a robot token (owners of the robot's organization only): 201
/// with the token and, beside `meta.createdAt`, its JWT in `meta.jwt` — the
/// only time it is shown.
async fn create(
    State(app): State<Arc<App>>,
    caller: Caller,
    GoJsonBody(Document { data }): GoJsonBody<Document<NewToken>>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    expect_type(&data.r#type, "tokens")?;
    expect_name(&data.attributes.name)?;
    let owner = data.relationships.owner.data;
    expect_type(&owner.r#type, "robots")?;
    let token = app.store.write(|state| {
        let robot = robot_with_access(state, caller, &owner.id, Role::Owner)?;
        Ok::<_, ApiError>(state.add_token(&data.attributes.name, TokenOwner::Robot(robot.id)))
    })?;
    let mut document = resource(&token);
    document["meta"]["jwt"] = json!(app.sign_token(&token).expose());
    Ok((StatusCode::CREATED, Json(json!({ "data": document }))))
}

/// The token as a JSON:API document, without its JWT.
async fn read(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(token_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let token = app
        .store
        .read(|state| token_with_access(state, caller, &token_id, Role::Member))?;
    Ok(Json(json!({ "data": resource(&token) })))
}

/// `data` of the rename body.
#[derive(Deserialize)]
struct RenamedToken {
    r#type: String,
    id: String,
    attributes: TokenAttributes,
}

/// Renames the token (owners only): 200 with the token.
async fn rename(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(token_id): Path<String>,
    GoJsonBody(Document { data }): GoJsonBody<Document<RenamedToken>>,
) -> Result<Json<Value>, ApiError> {
    expect_type(&data.r#type, "tokens")?;
    expect_name(&data.attributes.name)?;
    if data.id != token_id {
        return Err(ApiError::bad_request(format!(
            "data.id {:?} is not the token {token_id:?} of the path",
            data.id
        )));
    }
    let token = app.store.write(|state| {
        let token = token_with_access(state, caller, &token_id, Role::Owner)?;
        state
            .rename_token(token.id, &data.attributes.name)
            .ok_or_else(|| ApiError::not_found(format!("token {token_id:?} not found")))
    })?;
    Ok(Json(json!({ "data": resource(&token) })))
}

/// Deletes (revokes) the token and ends its sessions (owners only): 204.
async fn delete(
    State(app): State<Arc<App>>,
    caller: Caller,
    Path(token_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.store.write(|state| {
        let token = token_with_access(state, caller, &token_id, Role::Owner)?;
        state.remove_token(token.id);
        Ok(StatusCode::NO_CONTENT)
    })
}
