//! The `/_double/…` control surface: the test controls of `app` over HTTP,
//! without authentication, for tests and scripts in other processes. These
//! calls are neither logged nor subject to faults.
//!
//! | call | body | answer |
//! |---|---|---|
//! | `POST /_double/organizations` | `{"name", "displayName"?}` | 201 organization |
//! | `POST /_double/users` | `{"username", "email"?, "password"?, "roles": {"<org>": "owner"\|"member"}}` | 201 `{"id", "username", "token": {"id", "jwt"}}` |
//! | `POST /_double/users/{username}/tokens` | — | 201 `{"id", "jwt"}` |
//! | `POST /_double/roles` | `{"username", "organization", "role"}` | 204 |
//! | `POST /_double/teams` | `{"organization", "name"}` | 201 team |
//! | `GET /_double/state` | — | snapshot (no secrets) |
//! | `GET`/`DELETE /_double/requests` | — | request log / 204 |
//! | `GET /_double/requests/counts` | — | `{"POST /v2/robots": 1, …}` |
//! | `GET`/`POST`/`DELETE /_double/faults` | fault (see `faults`) | list / 201 / 204 |
//! | `POST /_double/sessions/expire` | — | 204 |
//! | `PUT /_double/organizations/{org}/spaces/{name}/status` | the `status` object | 200 Space record |
//! | `POST /_double/reset` | — | 204 |

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;

use crate::api_error::ApiError;
use crate::app::App;
use crate::body::JsonBody;
use crate::faults::Fault;
use crate::model::{CreatedUser, NewUser, Organization, PersonalAccessToken, Role, Snapshot, Team};
use crate::request_log::RequestRecord;

/// The control routes.
pub(crate) fn routes() -> axum::Router<Arc<App>> {
    Router::new()
        .route("/_double/organizations", post(add_organization))
        .route("/_double/users", post(add_user))
        .route(
            "/_double/users/{username}/tokens",
            post(issue_personal_token),
        )
        .route("/_double/roles", post(grant_role))
        .route("/_double/teams", post(add_team))
        .route("/_double/state", get(snapshot))
        .route("/_double/requests", get(requests).delete(clear_requests))
        .route("/_double/requests/counts", get(request_counts))
        .route(
            "/_double/faults",
            get(faults).post(inject_fault).delete(clear_faults),
        )
        .route("/_double/sessions/expire", post(expire_sessions))
        .route(
            "/_double/organizations/{org}/spaces/{name}/status",
            put(set_space_status),
        )
        .route("/_double/reset", post(reset))
}

type Answer<T> = Result<T, ApiError>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewOrganization {
    name: String,
    display_name: Option<String>,
}

async fn add_organization(
    State(app): State<Arc<App>>,
    JsonBody(new): JsonBody<NewOrganization>,
) -> Answer<(StatusCode, Json<Organization>)> {
    let organization = app.add_organization(&new.name, new.display_name.as_deref())?;
    Ok((StatusCode::CREATED, Json(organization)))
}

async fn add_user(
    State(app): State<Arc<App>>,
    JsonBody(new): JsonBody<NewUser>,
) -> Answer<(StatusCode, Json<CreatedUser>)> {
    Ok((StatusCode::CREATED, Json(app.add_user(&new)?)))
}

async fn issue_personal_token(
    State(app): State<Arc<App>>,
    Path(username): Path<String>,
) -> Answer<(StatusCode, Json<PersonalAccessToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.issue_personal_token(&username)?),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Grant {
    username: String,
    organization: String,
    role: Role,
}

async fn grant_role(
    State(app): State<Arc<App>>,
    JsonBody(grant): JsonBody<Grant>,
) -> Answer<StatusCode> {
    app.grant_role(&grant.username, &grant.organization, grant.role)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTeam {
    organization: String,
    name: String,
}

async fn add_team(
    State(app): State<Arc<App>>,
    JsonBody(new): JsonBody<NewTeam>,
) -> Answer<(StatusCode, Json<Team>)> {
    Ok((
        StatusCode::CREATED,
        Json(app.add_team(&new.organization, &new.name)?),
    ))
}

async fn snapshot(State(app): State<Arc<App>>) -> Json<Snapshot> {
    Json(app.snapshot())
}

async fn requests(State(app): State<Arc<App>>) -> Json<Vec<RequestRecord>> {
    Json(app.requests())
}

async fn clear_requests(State(app): State<Arc<App>>) -> StatusCode {
    app.clear_requests();
    StatusCode::NO_CONTENT
}

async fn request_counts(State(app): State<Arc<App>>) -> Json<BTreeMap<String, usize>> {
    Json(app.request_counts())
}

async fn faults(State(app): State<Arc<App>>) -> Json<Vec<Fault>> {
    Json(app.faults())
}

async fn inject_fault(
    State(app): State<Arc<App>>,
    JsonBody(fault): JsonBody<Fault>,
) -> Answer<StatusCode> {
    app.inject_fault(fault)?;
    Ok(StatusCode::CREATED)
}

async fn clear_faults(State(app): State<Arc<App>>) -> StatusCode {
    app.clear_faults();
    StatusCode::NO_CONTENT
}

async fn expire_sessions(State(app): State<Arc<App>>) -> Answer<StatusCode> {
    app.expire_sessions()?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_space_status(
    State(app): State<Arc<App>>,
    Path((organization, name)): Path<(String, String)>,
    JsonBody(status): JsonBody<Value>,
) -> Answer<Json<Value>> {
    Ok(Json(app.set_space_status(&organization, &name, status)?))
}

async fn reset(State(app): State<Arc<App>>) -> Answer<StatusCode> {
    app.reset()?;
    Ok(StatusCode::NO_CONTENT)
}
