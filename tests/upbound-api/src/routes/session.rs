//! Logging in and out, and who is logged in: `POST /v1/login`,
//! `POST /v1/logout`, `GET /v1/self`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::app::App;
use crate::auth::{self, Caller};
use crate::body::GoJsonBody;
use crate::state::Principal;

/// The session routes.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/v1/login", post(login))
        .route("/v1/logout", post(logout))
        .route("/v1/self", get(current))
}

/// The login body: `{"id", "password", "remember"}`. `remember` is accepted
/// and ignored (assumption: it only stretches the cookie's lifetime, and
/// the double's session lifetime is `session_ttl`).
#[derive(Deserialize)]
struct Login {
    id: String,
    password: String,
}

/// Opens a session: 200 with the `SID` cookie and an empty body, or 401
/// without a cookie (assumption: the real answer's body is not documented
/// for success; clients only look at the cookie).
async fn login(
    State(app): State<Arc<App>>,
    GoJsonBody(login): GoJsonBody<Login>,
) -> Result<impl IntoResponse, ApiError> {
    let (principal, token_id) = auth::check_credentials(&app, &login.id, &login.password)
        .ok_or_else(|| ApiError::unauthorized("invalid credentials"))?;
    let cookie = auth::open_session(&app, principal, token_id)?;
    Ok(([(header::SET_COOKIE, cookie)], StatusCode::OK))
}

/// Ends the caller's session: 200, and the cookie is cleared.
async fn logout(
    State(app): State<Arc<App>>,
    caller: Caller,
) -> Result<impl IntoResponse, ApiError> {
    auth::end_session(&app, caller)?;
    let cleared = format!("{}=; Path=/; Max-Age=0; HttpOnly", auth::SESSION_COOKIE);
    Ok(([(header::SET_COOKIE, cleared)], StatusCode::OK))
}

/// `{"user": {...}, "features": []}`, decoded by the SDK's `userinfo`
/// client (up-sdk-go `service/userinfo/types.go`), whose `User.ID` is a Go
/// `uint`: a string there fails the whole decode, and with it `up login`,
/// which reads `user.username` when no account is set.
///
/// Assumption: the real answer for a robot's session is not public. The
/// double answers with the robot in `user` (`username` = the robot's name,
/// `type: "robot"`) and `id: 0`, the zero value a Go server writes for a
/// `uint` it has no user ID for (the field has no `omitempty`); 0 is no
/// user's ID, as user IDs start at 1. The robot's UUID is not in the answer.
async fn current(State(app): State<Arc<App>>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let user = app.store.read(|state| match caller.principal {
        Principal::User(id) => state.user(id).map(|user| {
            json!({
                "id": user.id,
                "username": user.username,
                "email": user.email,
                "type": "user",
                "createdAt": user.created_at,
            })
        }),
        Principal::Robot(id) => state.robot(id).map(|robot| {
            json!({
                "id": 0,
                "username": robot.name,
                "type": "robot",
                "createdAt": robot.created_at,
            })
        }),
    });
    let user = user.ok_or_else(|| ApiError::unauthorized("the session's owner is gone"))?;
    Ok(Json(json!({ "user": user, "features": [] })))
}
