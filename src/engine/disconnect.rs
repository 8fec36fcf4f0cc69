//! Disconnect: agent (release `agent`: objects, then records) → every Hub
//! RBAC object of ours when `access` is given (whatever grants it lists;
//! without it Hub RBAC is left alone, as the agent is without `agent`) →
//! Secret → tokens → robot (only one this tool created or adopted) → Space
//! record (only one the engine made). Anything already gone is success; a
//! second disconnect changes nothing.
//!
//! When the Space is connected in another cluster or namespace, only this
//! place's own objects go (agent, grants, Secret, pull secret): that
//! connection's robot, its tokens and the Space record stay, and the run
//! says so ([`Step::LeftElsewhere`]). With the cluster out of reach
//! (cloud-only), its identity is unknown: the robot deleted is the one made
//! for the spec's namespace (in whichever cluster) or by an older version,
//! one made for another namespace is left alone (with the Space record),
//! and several candidates are an error rather than a guess.

use std::time::Instant;

use crate::spec::{ConnectionSpec, SpaceRecordMode};
use crate::state::Connection;
use crate::upbound::{Robot, UpboundClient};

use crate::helm::install::UninstallOutcome;

use super::observe::{Depth, Look};
use super::robot::{self, CloudOnly};
use super::{DisconnectOptions, Engine, EngineError, Observer, Outcome, Step, token};

impl Engine {
    /// Removes the connection. With `options.cloud_only`, an unreachable
    /// cluster is skipped and Upbound is still cleaned up.
    pub async fn disconnect(
        &self,
        spec: &ConnectionSpec,
        options: DisconnectOptions,
        observer: &dyn Observer,
    ) -> Result<Outcome, EngineError> {
        observer.step(Step::Observing);
        let organization = self.upbound.organization(&spec.organization).await?;
        let gone = disconnected(&organization.name, spec);
        let seen = match self
            .observe(spec, organization.clone(), Depth::Presence, Look::Shared)
            .await
        {
            Ok(seen) => seen,
            Err(error) if options.cloud_only && error.is_cluster_out_of_reach() => {
                return disconnect_cloud_only(&self.upbound, spec, observer).await;
            }
            Err(error) => return Err(error),
        };
        // The Space record is the Space's, not this place's: left to the
        // connection elsewhere.
        let record_left = spec.space_record == SpaceRecordMode::Engine
            && seen.elsewhere.is_none()
            && !seen.drift.contains(&super::Drift::SpaceRecordMissing);
        if seen.is_absent() && !record_left {
            // Only a pull secret or grants of ours may be left (a run
            // that died after removing the rest): idempotent deletes, no
            // Lease needed. That run's Lease may be left too: removed once
            // its claim has run out (lock housekeeping, not a change to
            // the connection).
            if let Some(elsewhere) = &seen.elsewhere {
                observer.step(Step::LeftElsewhere(elsewhere.clone()));
            }
            self.cluster
                .remove_stale_lease(&Self::lease_name(spec))
                .await?;
            let mut changed = self.cluster.delete_pull_secret().await?;
            if changed {
                observer.step(Step::PullSecretDeleted);
            }
            if spec.access.is_some() {
                changed |= self.remove_access(&spec.namespace, observer).await?;
            }
            return Ok(Outcome { changed, ..gone });
        }

        self.with_lease(spec, observer, async || {
            let seen = self
                .observe(
                    spec,
                    organization.clone(),
                    Depth::Presence,
                    Look::UnderLease,
                )
                .await?;
            if let Some(agent) = &spec.agent
                && let UninstallOutcome::Uninstalled { revision, .. } =
                    self.uninstall_agent(agent).await?
            {
                observer.step(Step::AgentUninstalled { revision });
            }
            if spec.access.is_some() {
                self.remove_access(&spec.namespace, observer).await?;
            }
            if seen.secret.is_some()
                && self
                    .cluster
                    .delete_token_secret(&spec.token_secret_name)
                    .await?
            {
                observer.step(Step::SecretDeleted);
            }
            if self.cluster.delete_pull_secret().await? {
                observer.step(Step::PullSecretDeleted);
            }
            match &seen.elsewhere {
                Some(elsewhere) => observer.step(Step::LeftElsewhere(elsewhere.clone())),
                None => {
                    remove_from_upbound(&self.upbound, spec, seen.robot.as_ref(), observer).await?;
                }
            }
            Ok(Outcome {
                changed: true,
                ..gone.clone()
            })
        })
        .await
    }
}

/// Disconnects with the cluster out of reach (unreachable, or no usable
/// kubeconfig at all): only Upbound is cleaned up, so this needs nothing
/// from the cluster. The cluster's identity is unknown, so the robot deleted
/// is the one [`robot::cloud_only`] picks; several candidates are an error
/// rather than a guess.
pub async fn disconnect_cloud_only(
    upbound: &UpboundClient,
    spec: &ConnectionSpec,
    observer: &dyn Observer,
) -> Result<Outcome, EngineError> {
    observer.step(Step::ClusterSkipped);
    let organization = upbound.organization(&spec.organization).await?;
    let gone = disconnected(&organization.name, spec);
    let robots = upbound.robots(organization.id, Instant::now()).await?;
    let changed = match robot::cloud_only(&robots, spec) {
        CloudOnly::Delete(robot) => {
            remove_from_upbound(upbound, spec, robot.as_ref(), observer).await?
        }
        CloudOnly::Elsewhere(elsewhere) => {
            observer.step(Step::LeftElsewhere(elsewhere));
            false
        }
        CloudOnly::Unclear(robots) => {
            return Err(EngineError::RobotUnclear {
                connection: gone.connection.id(),
                namespace: spec.namespace.clone(),
                robots,
            });
        }
    };
    Ok(Outcome { changed, ..gone })
}

/// The outcome of a disconnect that changed nothing: the connection with
/// no IDs left.
fn disconnected(organization: &str, spec: &ConnectionSpec) -> Outcome {
    Outcome {
        connection: Connection {
            organization: organization.to_owned(),
            space: spec.space.clone(),
            ..Connection::default()
        },
        changed: false,
    }
}

/// Revokes the robot's tokens, deletes it, and deletes the Space record if
/// the engine makes it. Whether anything was there.
async fn remove_from_upbound(
    upbound: &UpboundClient,
    spec: &ConnectionSpec,
    robot: Option<&Robot>,
    observer: &dyn Observer,
) -> Result<bool, EngineError> {
    let mut changed = false;
    if let Some(robot) = robot {
        let tokens: Vec<String> = upbound
            .robot_tokens(&robot.id)
            .await?
            .into_iter()
            .map(|token| token.id)
            .collect();
        token::revoke(upbound, &tokens, observer).await?;
        if upbound.delete_robot(&robot.id).await? {
            observer.step(Step::RobotDeleted {
                id: robot.id.clone(),
            });
        }
        changed = true;
    }
    if spec.space_record == SpaceRecordMode::Engine
        && upbound
            .delete_space_record(&spec.organization, &spec.space)
            .await?
    {
        observer.step(Step::SpaceRecordDeleted);
        changed = true;
    }
    Ok(changed)
}
