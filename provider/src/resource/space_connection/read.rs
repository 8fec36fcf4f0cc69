//! ReadResource: observe the connection and report what is really there,
//! so the next plan shows drift and apply repairs it.
//!
//! - Nothing of the connection left (no robot, no token Secret — the
//!   namespace may be gone too): the resource is removed from state and
//!   Terraform plans to create it again. Only then.
//! - Otherwise the engine's plan for the connection says what apply will
//!   change, and exactly those attributes become null, which the plan
//!   turns into "known after apply": `token_id` when a new token is
//!   minted, `robot_id` when a robot is created, `release_revision` when
//!   the agent is installed or upgraded (its release missing, failed or
//!   pending, another chart or values, an object deleted or edited).
//! - Grant drift (a grant's ClusterRoleBinding or RoleBinding, or its
//!   level's ClusterRole, missing or changed): the grant is left out of
//!   `access`, so the plan shows exactly that grant added back.
//! - Repairs no attribute shows (unused tokens, the pull secret, an RBAC
//!   object of ours no grant asks for, the Space record) are listed in
//!   `repairs`, which the plan empties.
//! - The cluster unreachable with `cloud_only_destroy`: a warning, and the
//!   state is kept, so destroy can still clean up Upbound.
//! - The Space connected in another cluster or namespace: a warning, and
//!   the state as found (apply then refuses; destroy removes only this
//!   namespace's own objects).

use upbound_connect::cluster::RbacRef;
use upbound_connect::engine::{
    AccessDrift, AgentStep, Drift, EngineError, RobotStep, TokenStep, grant_objects, plan,
};
use upbound_connect::spec::ConnectionSpec;

use super::access::Access;
use super::model::SpaceConnection;
use super::{connection_diagnostics, spec};
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
    let observed = match ready
        .engine(
            &current.cluster_access(&ready.config.cluster),
            &spec.namespace,
        )
        .await
    {
        Ok(engine) => engine.read(&spec).await,
        Err(error) => Err(error),
    };
    let observation = match observed {
        Ok(observation) => observation,
        Err(error)
            if current.cloud_only_destroy == Some(true) && error.is_cluster_out_of_reach() =>
        {
            let mut diagnostics = Diagnostics::default();
            diagnostics.warning(
                "Cluster unreachable",
                format!("{error}. The state is kept as it was; with `cloud_only_destroy`, destroy still removes the robot and its tokens from Upbound."),
                None,
            );
            return unchanged(diagnostics);
        }
        Err(error) => {
            return unchanged(connection_diagnostics(
                "Cannot read the connection",
                &error,
                &current,
            ));
        }
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
    // The attributes apply will change become null (a plan shows them
    // known after apply), exactly as the engine's plan says.
    let plan = match plan(&observation, &spec) {
        Ok(plan) => plan,
        // Reported, not failed: destroy (which refreshes first) must still
        // remove this namespace's own objects.
        Err(error @ EngineError::SpaceConnectedElsewhere { .. }) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.warning(
                "Space connected elsewhere",
                format!("{error}. Until then apply refuses; destroy removes only this namespace's own objects."),
                None,
            );
            return ReadResponse {
                new_state: current.with_connection(&observation.connection).to_value(),
                diagnostics,
            };
        }
        Err(error) => {
            return unchanged(connection_diagnostics(
                "Cannot read the connection",
                &error,
                &current,
            ));
        }
    };
    if !plan.is_empty() {
        log(
            Level::Info,
            &format!("{}: connect would {plan}", spec.space),
        );
    }
    let written = current.access.clone();
    let mut state = current.with_connection(&observation.connection);
    state.access = grants_in_effect(&spec, &written, &observation.drift);
    if matches!(plan.token, TokenStep::Mint(_)) {
        state.token_id = None;
    }
    if matches!(plan.robot, RobotStep::Create { .. }) {
        state.robot_id = None;
    }
    if plan.agent != AgentStep::Keep {
        state.release_revision = None;
    }
    state.repairs = plan.unrecorded_steps();
    ReadResponse {
        new_state: state.to_value(),
        diagnostics: Diagnostics::default(),
    }
}

/// The `access` blocks whose grants are in effect: those of `written`
/// (validated into `spec.access`, in the same order) whose binding and
/// ClusterRole have no drift.
fn grants_in_effect(spec: &ConnectionSpec, written: &[Access], drift: &[Drift]) -> Vec<Access> {
    let Some(grants) = &spec.access else {
        return written.to_vec();
    };
    let broken = |object: &RbacRef| {
        drift.iter().any(|drift| {
            matches!(
                drift,
                Drift::Access(AccessDrift::Missing(found) | AccessDrift::Changed(found))
                    if found == object
            )
        })
    };
    written
        .iter()
        .zip(grants)
        .filter(|(_, grant)| {
            let [binding, role] = grant_objects(&spec.namespace, grant);
            !broken(&binding) && !broken(&role)
        })
        .map(|(block, _)| block.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use upbound_connect::cluster::RbacKind;
    use upbound_connect::spec::ConnectionInput;

    use super::*;

    fn block(subject: &str, level: &str, group: Option<&str>) -> Access {
        Access {
            subject: subject.to_owned(),
            level: level.to_owned(),
            group: group.map(str::to_owned),
        }
    }

    fn spec(written: &[Access]) -> ConnectionSpec {
        ConnectionInput {
            space: "dev".to_owned(),
            organization: "acme".to_owned(),
            namespace: Some("upbound-system".to_owned()),
            access: Some(written.iter().map(Access::input).collect()),
            ..ConnectionInput::default()
        }
        .validate()
        .expect("valid")
    }

    #[test]
    fn a_grant_whose_objects_drifted_is_left_out() {
        let written = [
            block("upbound:user:alice", "view", None),
            block("upbound:org-role:member", "edit", Some("team-a")),
            block("upbound:user:bob", "edit", None),
        ];
        let spec = spec(&written);
        let grants = spec.access.clone().expect("grants");
        let [member_binding, _] = grant_objects("upbound-system", &grants[1]);
        assert_eq!(member_binding.namespace.as_deref(), Some("team-a"));
        let drift = [Drift::Access(AccessDrift::Missing(member_binding))];
        assert_eq!(
            grants_in_effect(&spec, &written, &drift),
            [written[0].clone(), written[2].clone()]
        );

        let [_, edit_role] = grant_objects("upbound-system", &grants[2]);
        let drift = [Drift::Access(AccessDrift::Changed(edit_role))];
        assert_eq!(
            grants_in_effect(&spec, &written, &drift),
            [written[0].clone()],
            "both edit grants need the edit ClusterRole"
        );
    }

    #[test]
    fn an_object_no_grant_asks_for_leaves_the_grants_as_written() {
        let written = [block("upbound:user:alice", "view", None)];
        let spec = spec(&written);
        let unused = RbacRef {
            kind: RbacKind::ClusterRoleBinding,
            namespace: None,
            name: "upbound-connect:upbound-system:edit:0123456789ab".to_owned(),
        };
        let drift = [Drift::Access(AccessDrift::Unused(unused))];
        assert_eq!(grants_in_effect(&spec, &written, &drift), written);
    }
}
