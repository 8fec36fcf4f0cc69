//! ReadResource: observe the connection and report what is really there,
//! so the next plan shows drift and apply repairs it.
//!
//! - Nothing of the connection left (no robot, no token Secret — the
//!   namespace may be gone too): the resource is removed from state and
//!   Terraform plans to create it again. Only then.
//! - Drift the engine repairs (Secret missing or changed, token revoked,
//!   robot deleted, rotation due, orphan tokens, pull secret or Space
//!   record missing): `token_id` (and `robot_id` when the robot is gone)
//!   become null, which the plan turns into "known after apply".
//! - Agent drift (release `agent` missing, failed or pending, another
//!   chart or values than the `agent` block asks for, one of its objects
//!   deleted or edited): `release_revision` becomes null, so the plan shows
//!   the release as "known after apply" and apply upgrades it in place.
//! - The cluster unreachable with `cloud_only_destroy`: a warning, and the
//!   state is kept, so destroy can still clean up Upbound.

use upbound_connect::cluster::ClusterError;
use upbound_connect::engine::{Drift, EngineError};

use super::model::SpaceConnection;
use super::{engine_diagnostics, spec};
use crate::cty::Value;
use crate::diagnostics::Diagnostics;
use crate::plugin::log::{Level, log};
use crate::provider::Ready;

/// ReadResource's request.
pub struct ReadRequest {
    /// The state as last recorded.
    pub current_state: Value,
}

/// What was found.
pub struct ReadResponse {
    /// The state as it really is (null when the connection is gone).
    pub new_state: Value,
    /// Problems found.
    pub diagnostics: Diagnostics,
}

/// Observes the connection in `current_state`.
pub async fn read(request: ReadRequest, ready: &Ready) -> ReadResponse {
    let current = SpaceConnection::from_value(&request.current_state);
    let unchanged = |diagnostics| ReadResponse {
        new_state: request.current_state.clone(),
        diagnostics,
    };
    let spec = match spec(&current, ready) {
        Ok(spec) => spec,
        Err(diagnostics) => return unchanged(diagnostics),
    };
    let observed = match ready.engine(&spec.namespace).await {
        Ok(engine) => engine.read(&spec).await,
        Err(error) => Err(error),
    };
    let observation = match observed {
        Ok(observation) => observation,
        Err(EngineError::Cluster(error @ ClusterError::Unreachable { .. }))
            if current.cloud_only_destroy == Some(true) =>
        {
            let mut diagnostics = Diagnostics::default();
            diagnostics.warning(
                "Cluster unreachable",
                format!("{error}. The state is kept as it was; with `cloud_only_destroy`, destroy still removes the robot and its tokens from Upbound."),
                None,
            );
            return unchanged(diagnostics);
        }
        Err(error) => return unchanged(engine_diagnostics("Cannot read the connection", &error)),
    };
    if observation.is_absent() {
        log(
            Level::Info,
            &format!(
                "{}: no robot and no token Secret: removing it from state",
                spec.space
            ),
        );
        return ReadResponse {
            new_state: Value::Null,
            diagnostics: Diagnostics::default(),
        };
    }
    let mut state = current.with_connection(&observation.connection);
    if !observation.drift.is_empty() {
        log(
            Level::Info,
            &format!("{}: drift {:?}", spec.space, observation.drift),
        );
    }
    if observation.drift.iter().any(|drift| !drift.is_agent()) {
        state.token_id = None;
    }
    if observation.drift.iter().any(Drift::is_agent) {
        state.release_revision = None;
    }
    if observation.drift.contains(&Drift::RobotMissing) {
        state.robot_id = None;
    }
    ReadResponse {
        new_state: state.to_value(),
        diagnostics: Diagnostics::default(),
    }
}
