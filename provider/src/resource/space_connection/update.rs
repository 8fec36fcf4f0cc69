//! Update: connect again with the new inputs. The engine changes only
//! what differs: a new token when `token_rotation` changed, a Helm upgrade
//! of release `agent` when the `agent` block changed, repairs where Read
//! found drift, nothing at all otherwise. Inputs it cannot change in
//! place (Space, organization, namespace, Secret, robot) were planned as
//! replacements, so they never reach here.

use super::{ApplyRequest, ApplyResponse, connect};
use crate::provider::Ready;

/// Updates the connection to the planned state.
pub async fn update(request: ApplyRequest, ready: &Ready) -> ApplyResponse {
    connect(request, ready).await
}
