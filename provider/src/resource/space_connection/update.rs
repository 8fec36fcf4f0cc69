//! Update: connect again with the new inputs. The engine changes only
//! what differs: a new token when `token_rotation` changed, a Helm upgrade
//! of release `agent` when the `agent` block changed, repairs where Read
//! found drift, nothing at all otherwise. Inputs it cannot change in
//! place (Space, organization, namespace, Secret, robot) were planned as
//! replacements, so they never reach here.
//!
//! A change of `cloud_only_destroy` alone is recorded in state without
//! calling the engine: it only tells a later destroy what to do, and it is
//! how a user opts in after the cluster is gone (Destroy sees the state,
//! never the configuration), so it must not need the cluster.

use super::{ApplyRequest, ApplyResponse, connect};
use crate::cty::Value;
use crate::provider::Ready;

/// The attribute that only destroy reads.
const DESTROY_OPTION: &str = "cloud_only_destroy";

/// Updates the connection to the planned state.
pub async fn update(request: ApplyRequest, ready: &Ready) -> ApplyResponse {
    if only_destroy_option_changed(&request.prior_state, &request.planned_state) {
        return ApplyResponse {
            new_state: request.planned_state,
            diagnostics: Default::default(),
        };
    }
    connect(request, ready).await
}

/// Whether `planned` is `prior` with at most `cloud_only_destroy` changed
/// (so nothing is unknown and nothing else is to be repaired).
fn only_destroy_option_changed(prior: &Value, planned: &Value) -> bool {
    let (Value::Object(prior), Value::Object(planned)) = (prior, planned) else {
        return false;
    };
    let mut prior = prior.clone();
    match planned.get(DESTROY_OPTION) {
        Some(option) => prior.insert(DESTROY_OPTION.to_owned(), option.clone()),
        None => prior.remove(DESTROY_OPTION),
    };
    prior == *planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::space_connection::model::SpaceConnection;

    fn connected() -> SpaceConnection {
        SpaceConnection {
            id: Some("acme/dev".to_owned()),
            space: "dev".to_owned(),
            cloud_only_destroy: Some(false),
            robot_id: Some("robot-1".to_owned()),
            token_id: Some("token-1".to_owned()),
            ..SpaceConnection::default()
        }
    }

    #[test]
    fn the_destroy_option_alone_needs_no_engine() {
        let planned = SpaceConnection {
            cloud_only_destroy: Some(true),
            ..connected()
        };
        assert!(only_destroy_option_changed(
            &connected().to_value(),
            &planned.to_value()
        ));
    }

    #[test]
    fn anything_else_goes_to_the_engine() {
        let mut rotated = SpaceConnection {
            cloud_only_destroy: Some(true),
            token_rotation: Some("2026-11".to_owned()),
            ..connected()
        }
        .to_value();
        if let Value::Object(attributes) = &mut rotated {
            attributes.insert("token_id".to_owned(), Value::Unknown);
        }
        assert!(!only_destroy_option_changed(
            &connected().to_value(),
            &rotated
        ));
    }
}
