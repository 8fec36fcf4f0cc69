//! Delete: disconnect. The Secret is deleted, the robot's tokens revoked,
//! the robot deleted (only one this tool made or adopted) and the Space
//! record too when the engine made it. Anything already gone is success.
//! With `cloud_only_destroy`, a cluster out of reach (unreachable, or its
//! kubeconfig gone too) is skipped and Upbound is still cleaned up.

use upbound_connect::engine::{DisconnectOptions, disconnect_cloud_only};

use super::model::SpaceConnection;
use super::{ApplyRequest, ApplyResponse, LogSteps, connection_diagnostics, spec};
use crate::cty::Value;
use crate::provider::Ready;

/// Removes the connection in the prior state; the new state is null.
pub async fn delete(request: ApplyRequest, ready: &Ready) -> ApplyResponse {
    let prior = SpaceConnection::from_value(&request.prior_state);
    let failed = |diagnostics| ApplyResponse {
        new_state: request.prior_state.clone(),
        diagnostics,
    };
    let spec = match spec(&prior, ready) {
        Ok(spec) => spec,
        Err(diagnostics) => return failed(diagnostics),
    };
    let options = DisconnectOptions {
        cloud_only: prior.cloud_only_destroy.unwrap_or(false),
    };
    let steps = LogSteps(&spec.space);
    let outcome = match ready
        .engine(
            &prior.cluster_access(&ready.config.cluster),
            &spec.namespace,
        )
        .await
    {
        Ok(engine) => engine.disconnect(&spec, options, &steps).await,
        // No cluster client at all (its kubeconfig gone too): Upbound alone.
        Err(error) if options.cloud_only && error.is_cluster_out_of_reach() => {
            disconnect_cloud_only(ready.upbound(), &spec, &steps).await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => ApplyResponse {
            new_state: Value::Null,
            diagnostics: Default::default(),
        },
        Err(error) => failed(connection_diagnostics(
            "Cannot disconnect the Space",
            &error,
            &prior,
        )),
    }
}
