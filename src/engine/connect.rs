//! Connect: validate → pre-flight (and the grants' groups exist) →
//! observe (the Space connected in another cluster or namespace is
//! refused here, and a connection in place ends here, with reads only) →
//! Lease → observe again (and refuse again; nothing left to do when another
//! run connected meanwhile) → robot → token and Secret →
//! orphans revoked → pull
//! secret → Hub RBAC grants → agent (release `agent`, after the Secret it
//! reads exists) → Space record.

use crate::spec::{ConnectionSpec, SpaceRecordMode};

use super::observe::Depth;
use super::{Drift, Engine, EngineError, Observer, Outcome, Step};

impl Engine {
    /// Makes the connection exist as `spec` says. A second call with the
    /// same spec changes nothing (and writes nothing).
    pub async fn connect(
        &self,
        spec: &ConnectionSpec,
        observer: &dyn Observer,
    ) -> Result<Outcome, EngineError> {
        observer.step(Step::Observing);
        let organization = self.upbound.organization(&spec.organization).await?;
        self.cluster
            .preflight(&organization.name, !spec.skip_space_check)
            .await?;
        if let Some(grants) = &spec.access {
            self.check_groups(grants).await?;
        }
        let seen = self
            .observe(spec, organization.clone(), Depth::Compare)
            .await?;
        seen.refuse_elsewhere()?;
        if seen.drift.is_empty() {
            return Ok(Outcome {
                connection: seen.connection,
                changed: false,
            });
        }

        self.with_lease(spec, observer, async || {
            let seen = self
                .observe(spec, organization.clone(), Depth::Compare)
                .await?;
            seen.refuse_elsewhere()?;
            // Another run connected while this one waited for the Lease.
            if seen.drift.is_empty() {
                return Ok(Outcome {
                    connection: seen.connection,
                    changed: false,
                });
            }
            let recorded = seen
                .secret
                .as_ref()
                .and_then(|secret| secret.connection.as_ref());
            let robot = self
                .ensure_robot(
                    spec,
                    &organization,
                    &seen.place,
                    seen.robot.clone(),
                    recorded,
                    observer,
                )
                .await?;

            let token_usable = seen
                .robot
                .as_ref()
                .is_some_and(|found| found.id == robot.id)
                && !seen.drift.iter().any(|drift| {
                    matches!(
                        drift,
                        Drift::SecretMissing
                            | Drift::SecretChanged
                            | Drift::TokenRevoked
                            | Drift::RotationRequested
                            | Drift::RobotMissing
                    )
                })
                && recorded.is_some_and(|recorded| recorded.robot_id.as_deref() == Some(&robot.id));
            let mut connection = seen.connection.clone();
            if token_usable {
                for drift in &seen.drift {
                    if let Drift::OrphanTokens(orphans) = drift {
                        self.revoke_tokens(orphans, observer).await?;
                    }
                }
            } else {
                let token_id = self
                    .mint_token(spec, &organization.name, &robot, observer)
                    .await?;
                connection.token_id = Some(token_id);
                connection.token_rotation = spec.token_rotation.clone();
            }
            connection.robot_id = Some(robot.id.clone());

            if let Some(license) = &spec.license
                && seen.drift.contains(&Drift::PullSecretOutdated)
            {
                self.cluster
                    .apply_pull_secret(&spec.registry, license)
                    .await?;
                observer.step(Step::PullSecretWritten);
            }
            // Grants do not depend on the agent: applied before its install
            // (which may wait minutes and fail on readiness), they take
            // effect even when the agent does not come up.
            for change in &seen.access {
                self.change_access(change, observer).await?;
            }
            if let (Some(agent), Some(chart)) = (&spec.agent, &seen.agent_chart)
                && seen.drift.iter().any(Drift::is_agent)
            {
                let installed = self.install_agent(agent, chart).await?;
                let version = chart.chart.metadata.version.clone();
                observer.step(Step::AgentInstalled {
                    revision: installed.revision,
                    version: version.clone(),
                });
                connection.release_revision = Some(installed.revision);
                connection.agent_version = Some(version);
                connection.chart_digest = chart.digest.clone();
            }
            if spec.space_record == SpaceRecordMode::Engine
                && seen.drift.contains(&Drift::SpaceRecordMissing)
                && self
                    .upbound
                    .create_space_record(&organization.name, &spec.space)
                    .await?
            {
                observer.step(Step::SpaceRecordCreated);
            }
            Ok(Outcome {
                connection,
                changed: true,
            })
        })
        .await
    }
}
