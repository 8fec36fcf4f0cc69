//! Create: connect the Space (robot, token, Secret, the agent release, and
//! the Space record when the engine makes it). A connection left half-made by an earlier
//! run is resumed, never duplicated.

use super::{ApplyRequest, ApplyResponse, connect};
use crate::provider::Ready;

/// Creates the connection the plan describes; the new state is the plan
/// with `id`, `robot_id` and `token_id` filled in.
pub async fn create(request: ApplyRequest, ready: &Ready) -> ApplyResponse {
    connect(request, ready).await
}
