//! Connect: validate → pre-flight (and the grants' groups exist) →
//! observe and [`plan`] (the Space connected in another cluster or
//! namespace is refused here, and a connection in place ends here, with
//! reads only) → Lease → observe and plan again (another run may have
//! connected meanwhile) → execute exactly that plan: robot → token and
//! Secret → unused tokens revoked → pull secret → Hub RBAC grants → agent
//! (release `agent`, after the Secret it reads exists) → Space record.

use crate::spec::ConnectionSpec;

use super::observe::{Depth, Look};
use super::plan::{AgentStep, Plan, Promised, RobotStep, TokenStep, plan};
use super::{Engine, EngineError, Observation, Observer, Outcome, Step, token};

impl Engine {
    /// Makes the connection exist as `spec` says. A second call with the
    /// same spec changes nothing (and writes nothing).
    pub async fn connect(
        &self,
        spec: &ConnectionSpec,
        observer: &dyn Observer,
    ) -> Result<Outcome, EngineError> {
        self.connect_as_planned(spec, &Promised::default(), observer)
            .await
    }

    /// [`connect`](Self::connect), refusing before any change a plan that
    /// would change a value `promised` (a caller's earlier plan) showed.
    pub async fn connect_as_planned(
        &self,
        spec: &ConnectionSpec,
        promised: &Promised,
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
        // With no token Secret of ours here, connect must change something:
        // the only look worth taking is the one under the Lease.
        if let Some(secret) = self.our_secret(spec).await? {
            let seen = self
                .observe_with(
                    spec,
                    std::future::ready(Ok((organization.clone(), Some(secret)))),
                    Depth::Compare,
                    Look::Shared,
                    self.observe_cluster_side(spec, Depth::Compare),
                )
                .await?;
            let first = checked_plan(&seen, spec, promised)?;
            if first.is_empty() {
                return Ok(Outcome {
                    connection: seen.connection,
                    changed: false,
                });
            }
        }

        self.with_lease(spec, observer, async || {
            let seen = self
                .observe(spec, organization, Depth::Compare, Look::UnderLease)
                .await?;
            let plan = checked_plan(&seen, spec, promised)?;
            // Another run connected while this one waited for the Lease.
            if plan.is_empty() {
                return Ok(Outcome {
                    connection: seen.connection,
                    changed: false,
                });
            }
            self.execute(spec, &seen, &plan, observer).await
        })
        .await
    }

    /// Takes the steps of `plan`, made from `seen`, in order.
    async fn execute(
        &self,
        spec: &ConnectionSpec,
        seen: &Observation,
        plan: &Plan,
        observer: &dyn Observer,
    ) -> Result<Outcome, EngineError> {
        let robot = match (&plan.robot, &seen.robot) {
            (RobotStep::Keep { id }, Some(robot)) => {
                observer.step(Step::RobotKept { id: id.clone() });
                robot.clone()
            }
            (RobotStep::Adopt { id }, Some(robot)) => {
                observer.step(Step::RobotAdopted { id: id.clone() });
                robot.clone()
            }
            // The plan creates a robot exactly when the observation has none.
            _ => {
                let robot = self
                    .create_robot(spec, &seen.organization, &seen.place)
                    .await?;
                observer.step(Step::RobotCreated {
                    id: robot.id.clone(),
                    first_connect: seen.is_absent(),
                });
                robot
            }
        };
        let mut connection = seen.connection.clone();
        connection.robot_id = Some(robot.id.clone());
        match plan.token {
            TokenStep::Keep => token::revoke(&self.upbound, &plan.revoke, observer).await?,
            TokenStep::Mint(_) => {
                // Minting revokes every other token of ours, the unused
                // ones included.
                let token_id = self
                    .mint_token(spec, &seen.organization.name, &robot, observer)
                    .await?;
                connection.token_id = Some(token_id);
                connection.token_rotation = spec.token_rotation.clone();
            }
        }
        if plan.pull_secret
            && let Some(license) = &spec.license
        {
            self.cluster
                .apply_pull_secret(&spec.registry, license)
                .await?;
            observer.step(Step::PullSecretWritten);
        }
        // Grants do not depend on the agent: applied before its install
        // (which may wait minutes and fail on readiness), they take effect
        // even when the agent does not come up.
        for change in &plan.access_changes {
            self.change_access(change, observer).await?;
        }
        if plan.agent != AgentStep::Keep
            && let (Some(agent), Some(chart)) = (&spec.agent, &plan.agent_chart)
        {
            let installed = self.install_agent(agent, chart, observer).await?;
            let version = chart.chart.metadata.version.clone();
            observer.step(Step::AgentInstalled {
                revision: installed.revision,
                version: version.clone(),
            });
            connection.release_revision = Some(installed.revision);
            connection.agent_version = Some(version);
            connection.chart_digest = chart.digest.clone();
        }
        if plan.space_record
            && self
                .upbound
                .create_space_record(&seen.organization.name, &spec.space)
                .await?
        {
            observer.step(Step::SpaceRecordCreated);
        }
        Ok(Outcome {
            connection,
            changed: true,
        })
    }
}

/// The plan for `seen`, refused when it would change a value `promised`
/// showed.
fn checked_plan(
    seen: &Observation,
    spec: &ConnectionSpec,
    promised: &Promised,
) -> Result<Plan, EngineError> {
    let plan = plan(seen, spec)?;
    match plan.breaks(seen, promised) {
        Some(change) => Err(EngineError::PlanOutdated {
            connection: seen.connection.id(),
            change,
        }),
        None => Ok(plan),
    }
}
