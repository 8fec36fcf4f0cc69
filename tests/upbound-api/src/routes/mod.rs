//! The Upbound API's routes, one module per resource family, assembled with
//! the intercept layer (faults, request log) and the `/_double/` controls.
//!
//! Path parameters are named as in the reference (`{orgID}`, `{robotID}`,
//! `{tokenID}`), so route templates in faults and request counts read the
//! same, e.g. `GET /v1/organizations/{orgID}/robots`.

mod json_api;
mod organizations;
mod robots;
mod session;
mod spaces;
mod tokens;

use std::str::FromStr;
use std::sync::Arc;

use axum::middleware;
use axum::{Json, Router};
use serde_json::Value;

use crate::access;
use crate::api_error::ApiError;
use crate::app::App;
use crate::auth::Caller;
use crate::control;
use crate::intercept::intercept;
use crate::model::Role;
use crate::state::State as Data;

/// Every route the double serves, ready to be served.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .merge(session::routes())
        .merge(organizations::routes())
        .merge(robots::routes())
        .merge(tokens::routes())
        .merge(spaces::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), intercept))
        .merge(control::routes())
        .with_state(app)
}

/// Paths the double does not know. Assumption: the real API's body for an
/// unknown path is not documented; the Upbound error shape is used.
async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// Reads an organization's listing for a member of it: `raw_id` is the
/// `{orgID}` path parameter, `list` makes the plain JSON array.
fn member_listing(
    app: &App,
    caller: Caller,
    raw_id: &str,
    list: impl FnOnce(&Data, u64) -> Vec<Value>,
) -> Result<Json<Value>, ApiError> {
    let organization_id: u64 = parse_id(raw_id, "organization")?;
    app.store.read(|state| {
        access::require(state, caller.principal, organization_id, Role::Member)?;
        Ok(Json(Value::Array(list(state, organization_id))))
    })
}

/// A path parameter as an ID; one that does not parse names nothing, so it
/// is a 404 like any other unknown ID.
fn parse_id<T: FromStr>(raw: &str, what: &str) -> Result<T, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::not_found(format!("{what} {raw:?} not found")))
}
