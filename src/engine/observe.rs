//! Looking without touching: what exists for a connection now, and how it
//! differs from the spec.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cluster::{ClusterError, PullSecretState, TokenSecret};
use crate::helm::install::{self, ReleaseState};
use crate::spec::{ChartSource, ConnectionSpec, SpaceRecordMode, token_jti};
use crate::state::Connection;
use crate::upbound::{Organization, Robot};

use super::access::{AccessChange, AccessDrift};
use super::agent::AgentChart;
use super::ownership::{Elsewhere, Place};
use super::robot::Found;
use super::{Engine, EngineError, token};

/// A difference between the world and the spec that connect repairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// The token Secret does not exist (or is not ours).
    SecretMissing,
    /// The Secret holds no token, or not the recorded one.
    SecretChanged,
    /// The robot was deleted (or never created).
    RobotMissing,
    /// The recorded token was revoked.
    TokenRevoked,
    /// The rotation trigger changed: a new token is due.
    RotationRequested,
    /// Tokens we minted that are no longer used are still live.
    OrphanTokens(Vec<String>),
    /// The engine-made Space record is missing.
    SpaceRecordMissing,
    /// The pull secret is missing or holds other credentials than the licence.
    PullSecretOutdated,
    /// Helm release `agent` is not installed.
    AgentMissing,
    /// Release `agent` differs from the spec, failed, or was changed out of
    /// band.
    Agent(install::Drift),
    /// The Hub RBAC objects differ from the grants in `access`.
    Access(AccessDrift),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SecretMissing => formatter.write_str("the token Secret is missing"),
            Self::SecretChanged => {
                formatter.write_str("the token Secret does not hold the recorded token")
            }
            Self::RobotMissing => formatter.write_str("the robot is missing"),
            Self::TokenRevoked => formatter.write_str("the recorded token was revoked"),
            Self::RotationRequested => formatter.write_str("the token rotation trigger changed"),
            Self::OrphanTokens(ids) => {
                write!(formatter, "unused tokens are live: {}", ids.join(", "))
            }
            Self::SpaceRecordMissing => formatter.write_str("the Space record is missing"),
            Self::PullSecretOutdated => {
                formatter.write_str("the pull secret is missing or outdated")
            }
            Self::AgentMissing => formatter.write_str("the agent release is not installed"),
            Self::Agent(drift) => write!(formatter, "the agent release: {drift}"),
            Self::Access(drift) => write!(formatter, "Hub RBAC: {drift}"),
        }
    }
}

impl Drift {
    /// Whether this is about the agent release.
    pub fn is_agent(&self) -> bool {
        matches!(self, Self::AgentMissing | Self::Agent(_))
    }
}

/// How closely an observation compares the agent and the grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Depth {
    /// Compare release `agent` (pulls and renders the chart) and the Hub
    /// RBAC objects with the spec.
    Compare,
    /// Only whether the release exists (no registry needed), and no
    /// grants: disconnect removes all of ours whatever grants the spec
    /// lists (and a group namespace already gone is no error).
    Presence,
}

/// How fresh a look's robots list must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Look {
    /// Not under the Lease (a read, or the look that decides whether to
    /// take it): a list another look of this process requested within
    /// [`SHARED_LIST_AGE`] will do, so a refresh of many connections lists
    /// the robots once.
    Shared,
    /// Under the Lease: a list requested now, which shows whatever any run
    /// did before this one took the Lease.
    UnderLease,
}

/// How old a robots list a [`Look::Shared`] may use.
const SHARED_LIST_AGE: Duration = Duration::from_secs(10);

impl Look {
    /// The oldest request time whose list this look may use.
    fn since(self) -> Instant {
        let now = Instant::now();
        match self {
            Self::Shared => now.checked_sub(SHARED_LIST_AGE).unwrap_or(now),
            Self::UnderLease => now,
        }
    }
}

/// Where a connection lives and the robot found for it.
struct SeenRobot {
    place: Place,
    robot: Option<Robot>,
    elsewhere: Option<Elsewhere>,
}

/// How release `agent` stands.
#[derive(Default)]
struct AgentSeen {
    /// The chart pulled for the comparison, for connect to install.
    chart: Option<Arc<AgentChart>>,
    /// The last recorded revision.
    revision: Option<u32>,
    /// The chart version and digest deployed as asked.
    desired_chart: Option<(String, Option<String>)>,
    /// How it differs from the spec.
    drift: Vec<Drift>,
}

/// What a look found of the pull secret and release `agent`.
pub(super) struct ClusterSide {
    pull_secret_outdated: bool,
    agent: AgentSeen,
}

/// What exists for a connection, and its drift from the spec.
#[derive(Clone, Debug)]
pub struct Observation {
    /// The organization, resolved.
    pub organization: Organization,
    /// The connection as recorded in the cluster (with the robot found).
    pub connection: Connection,
    /// Where this connection lives: the cluster's identity and the namespace.
    pub place: Place,
    /// The robot: the recorded one, or one of ours found by name (never
    /// one that serves the Space's connection in another place).
    pub robot: Option<Robot>,
    /// The Space's connection in another cluster or namespace, when its
    /// robot is found there: connect refuses, disconnect leaves it alone,
    /// and it is no drift (nothing here can repair it).
    pub elsewhere: Option<Elsewhere>,
    /// The token Secret, if it exists and is ours.
    pub secret: Option<TokenSecret>,
    /// What connect would repair; empty when the connection is in place.
    pub drift: Vec<Drift>,
    /// The agent chart pulled for the comparison, for connect to install.
    pub(super) agent_chart: Option<Arc<AgentChart>>,
    /// What makes the Hub RBAC objects match the grants, for connect.
    pub(super) access: Vec<AccessChange>,
}

impl Observation {
    /// Whether nothing of the connection exists in Upbound or the cluster.
    pub fn is_absent(&self) -> bool {
        self.robot.is_none() && self.secret.is_none() && self.connection.release_revision.is_none()
    }

    /// Fails when the Space is connected in another cluster or namespace:
    /// its robot and tokens are that connection's, never adopted or revoked.
    pub(super) fn refuse_elsewhere(&self) -> Result<(), EngineError> {
        match &self.elsewhere {
            Some(elsewhere) => Err(EngineError::SpaceConnectedElsewhere {
                connection: self.connection.id(),
                elsewhere: elsewhere.clone(),
            }),
            None => Ok(()),
        }
    }
}

impl Engine {
    /// The existing connection of `spec.space`: an error if there is no
    /// robot or token Secret, or the namespace's token Secret is another
    /// Space's.
    pub(super) async fn find_existing(
        &self,
        spec: &ConnectionSpec,
    ) -> Result<Observation, EngineError> {
        let not_connected = |why: String| EngineError::NotConnected {
            connection: format!("{}/{}", spec.organization, spec.space),
            namespace: spec.namespace.clone(),
            why,
        };
        let seen = match self.read(spec).await {
            Ok(seen) => seen,
            Err(EngineError::Cluster(ClusterError::ConnectedElsewhere { connected })) => {
                // The Space's robot may still say where it is connected.
                if let Some(elsewhere) = self.connected_elsewhere(spec).await? {
                    return Err(EngineError::SpaceConnectedElsewhere {
                        connection: format!("{}/{}", spec.organization, spec.space),
                        elsewhere,
                    });
                }
                return Err(not_connected(format!(
                    "its token Secret {:?} holds the connection of {connected}",
                    spec.token_secret_name
                )));
            }
            Err(error) => return Err(error),
        };
        seen.refuse_elsewhere()?;
        if seen.is_absent() {
            return Err(not_connected("no robot or token Secret found".to_owned()));
        }
        Ok(seen)
    }

    /// This connection's place: the cluster's identity and the namespace.
    async fn here(&self) -> Result<Place, EngineError> {
        Ok(Place {
            cluster: self.cluster.identity().await?,
            namespace: self.cluster.namespace().to_owned(),
        })
    }

    /// Where the Space is connected, when its robot says it is another
    /// place than this one (the token Secret here unused).
    async fn connected_elsewhere(
        &self,
        spec: &ConnectionSpec,
    ) -> Result<Option<Elsewhere>, EngineError> {
        let organization = self.upbound.organization(&spec.organization).await?;
        let robots = self
            .upbound
            .robots(organization.id, Look::Shared.since())
            .await?;
        Ok(
            match self
                .find_robot(&robots, spec, None, &self.here().await?)
                .await?
            {
                Found::Elsewhere(elsewhere) => Some(elsewhere),
                Found::Ours(_) | Found::Nothing => None,
            },
        )
    }

    /// What a connect of `spec` would start from: its pre-flight checks
    /// (the namespace exists, Spaces is installed for the organization),
    /// then [`read`](Self::read). What a face plans from this, connect
    /// does; a pre-flight failure is connect's own refusal.
    pub async fn read_before_connect(
        &self,
        spec: &ConnectionSpec,
    ) -> Result<Observation, EngineError> {
        let organization = self.upbound.organization(&spec.organization).await?;
        self.cluster
            .preflight(&organization.name, !spec.skip_space_check)
            .await?;
        self.read(spec).await
    }

    /// Observes the connection and reports drift. Changes nothing.
    pub async fn read(&self, spec: &ConnectionSpec) -> Result<Observation, EngineError> {
        let first = async {
            let (organization, secret, ()) = futures::try_join!(
                async {
                    Ok::<_, EngineError>(self.upbound.organization(&spec.organization).await?)
                },
                self.our_secret(spec),
                self.cluster_facts(spec),
            )?;
            Ok((organization, secret))
        };
        self.observe_with(
            spec,
            first,
            Depth::Compare,
            Look::Shared,
            self.observe_cluster_side(spec, Depth::Compare),
        )
        .await
    }

    /// Observes with the organization already resolved.
    pub(super) async fn observe(
        &self,
        spec: &ConnectionSpec,
        organization: Organization,
        depth: Depth,
        look: Look,
    ) -> Result<Observation, EngineError> {
        let first = async {
            let (secret, ()) = futures::try_join!(self.our_secret(spec), self.cluster_facts(spec))?;
            Ok((organization, secret))
        };
        self.observe_with(
            spec,
            first,
            depth,
            look,
            self.observe_cluster_side(spec, depth),
        )
        .await
    }

    /// The parts of a look that need neither the organization nor the
    /// token Secret: the pull secret and release `agent`.
    pub(super) async fn observe_cluster_side(
        &self,
        spec: &ConnectionSpec,
        depth: Depth,
    ) -> Result<ClusterSide, EngineError> {
        // Boxed: the release's look is a large future, and the looks that
        // start it beside their first reads would otherwise carry it inline.
        let (pull_secret_outdated, agent) = futures::try_join!(
            self.pull_secret_outdated(spec),
            Box::pin(self.observe_agent_release(spec, depth)),
        )?;
        Ok(ClusterSide {
            pull_secret_outdated,
            agent,
        })
    }

    /// Fetches, beside a look's first reads, what its later steps need of
    /// the cluster and would otherwise wait for in turn: the cluster's
    /// identity (where a robot belongs) and, with the agent, what the API
    /// server serves (to resolve the release's objects). Each is fetched
    /// once per cluster client; later asks are answered from memory.
    async fn cluster_facts(&self, spec: &ConnectionSpec) -> Result<(), EngineError> {
        let served = async {
            match spec.agent {
                Some(_) => self.cluster.served().await.map(drop),
                None => Ok(()),
            }
        };
        futures::try_join!(self.cluster.identity(), served)?;
        Ok(())
    }

    /// Observes, once `first` gives the organization and the token Secret,
    /// what lives in Upbound (the robot, its tokens, the Space record) and
    /// the grants, while `cluster_side` looks at the pull secret and the
    /// release from the start; the drift is listed in one fixed order.
    pub(super) async fn observe_with(
        &self,
        spec: &ConnectionSpec,
        first: impl Future<Output = Result<(Organization, Option<TokenSecret>), EngineError>>,
        depth: Depth,
        look: Look,
        cluster_side: impl Future<Output = Result<ClusterSide, EngineError>>,
    ) -> Result<Observation, EngineError> {
        // Boxed, as the release's look is: a look's two sides inline make a
        // future too large for a debug build's thread stack.
        let upbound_side = Box::pin(async {
            let (organization, secret) = first.await?;
            let recorded = secret.as_ref().and_then(|secret| secret.connection.clone());
            let seen = futures::try_join!(
                self.observe_robot(spec, &organization, recorded.as_ref(), look),
                self.space_record_missing(spec, &organization),
                self.observe_grants(spec, &organization, depth),
            )?;
            Ok::<_, EngineError>((organization, secret, recorded, seen))
        });
        let (upbound_side, cluster_side) = futures::try_join!(upbound_side, cluster_side)?;
        let (organization, secret, recorded, (seen_robot, space_record_missing, access)) =
            upbound_side;
        let token_id = recorded
            .as_ref()
            .and_then(|recorded| recorded.token_id.clone());
        let ClusterSide {
            pull_secret_outdated,
            agent,
        } = cluster_side;
        let SeenRobot {
            place,
            robot,
            elsewhere,
        } = seen_robot;

        let mut drift = Vec::new();
        let held = secret
            .as_ref()
            .and_then(|secret| secret.token.as_ref())
            .and_then(token_jti);
        match &secret {
            None => drift.push(Drift::SecretMissing),
            Some(_) if held.is_none() || held != token_id => drift.push(Drift::SecretChanged),
            Some(_) => {}
        }
        match &robot {
            None if elsewhere.is_some() => {}
            None => drift.push(Drift::RobotMissing),
            Some(robot) => {
                let live = token_id
                    .as_ref()
                    .is_some_and(|id| robot.token_ids.contains(id));
                if secret.is_some() && !live {
                    drift.push(Drift::TokenRevoked);
                }
                let orphans = self.orphan_tokens(robot, token_id.as_deref()).await?;
                if !orphans.is_empty() {
                    drift.push(Drift::OrphanTokens(orphans));
                }
            }
        }
        if let Some(recorded) = &recorded
            && secret.is_some()
            && recorded.token_rotation != spec.token_rotation
        {
            drift.push(Drift::RotationRequested);
        }
        if pull_secret_outdated {
            drift.push(Drift::PullSecretOutdated);
        }
        if space_record_missing {
            drift.push(Drift::SpaceRecordMissing);
        }
        drift.extend(agent.drift);
        drift.extend(access.iter().map(|change| Drift::Access(change.drift())));

        let (agent_version, chart_digest) = agent.desired_chart.unzip();
        let connection = Connection {
            organization: organization.name.clone(),
            space: spec.space.clone(),
            robot_id: robot.as_ref().map(|robot| robot.id.clone()),
            token_id: token_id.filter(|_| robot.is_some()),
            token_rotation: recorded.and_then(|recorded| recorded.token_rotation),
            release_revision: agent.revision,
            agent_version,
            chart_digest: chart_digest.flatten(),
        };
        Ok(Observation {
            organization,
            connection,
            place,
            robot,
            elsewhere,
            secret,
            drift,
            agent_chart: agent.chart,
            access,
        })
    }

    /// Where this connection lives, and the robot serving it here or the
    /// Space's connection elsewhere.
    async fn observe_robot(
        &self,
        spec: &ConnectionSpec,
        organization: &Organization,
        recorded: Option<&Connection>,
        look: Look,
    ) -> Result<SeenRobot, EngineError> {
        let place = self.here().await?;
        let robots = self.upbound.robots(organization.id, look.since()).await?;
        let (robot, elsewhere) = match self.find_robot(&robots, spec, recorded, &place).await? {
            Found::Ours(robot) => (Some(robot), None),
            Found::Elsewhere(elsewhere) => (None, Some(elsewhere)),
            Found::Nothing => (None, None),
        };
        Ok(SeenRobot {
            place,
            robot,
            elsewhere,
        })
    }

    /// Whether the pull secret must be written (only with a licence).
    async fn pull_secret_outdated(&self, spec: &ConnectionSpec) -> Result<bool, EngineError> {
        Ok(match &spec.license {
            Some(license) => {
                self.cluster
                    .pull_secret_state(&spec.registry, license)
                    .await?
                    != PullSecretState::Current
            }
            None => false,
        })
    }

    /// Whether the Space record this connection makes is missing.
    async fn space_record_missing(
        &self,
        spec: &ConnectionSpec,
        organization: &Organization,
    ) -> Result<bool, EngineError> {
        Ok(spec.space_record == SpaceRecordMode::Engine
            && self
                .upbound
                .space_record(&organization.name, &spec.space)
                .await?
                .is_none())
    }

    /// How release `agent` stands against the spec: from its record alone
    /// when it is in place, else against the chart pulled (`Compare`), or
    /// only its revision (`Presence`).
    async fn observe_agent_release(
        &self,
        spec: &ConnectionSpec,
        depth: Depth,
    ) -> Result<AgentSeen, EngineError> {
        let mut seen = AgentSeen::default();
        let Some(agent) = &spec.agent else {
            return Ok(seen);
        };
        let in_place = match depth {
            Depth::Compare => self.agent_in_place(spec, agent).await?,
            Depth::Presence => None,
        };
        if let (Some((revision, digest)), ChartSource::Registry(reference)) =
            (in_place, &agent.chart)
        {
            seen.revision = Some(revision);
            seen.desired_chart = Some((reference.version.clone(), Some(digest)));
        } else if depth == Depth::Compare {
            let chart = self.agent_chart(spec, agent).await?;
            let observed = self.observe_agent(agent, &chart).await?;
            seen.revision = observed.revision;
            match observed.state {
                ReleaseState::Missing => seen.drift.push(Drift::AgentMissing),
                ReleaseState::Deployed { .. } => {
                    seen.desired_chart =
                        Some((chart.chart.metadata.version.clone(), chart.digest.clone()));
                }
                ReleaseState::Drifted { drift: found, .. } => {
                    seen.drift.extend(found.into_iter().map(Drift::Agent));
                }
            }
            seen.chart = Some(Arc::new(chart));
        } else {
            seen.revision = self.agent_revision().await?;
        }
        Ok(seen)
    }

    /// The changes that make the Hub RBAC objects match the grants
    /// (`Compare` only).
    async fn observe_grants(
        &self,
        spec: &ConnectionSpec,
        organization: &Organization,
        depth: Depth,
    ) -> Result<Vec<AccessChange>, EngineError> {
        match &spec.access {
            Some(grants) if depth == Depth::Compare => {
                let grants = self.teams_by_id(organization, grants).await?;
                self.observe_access(&spec.namespace, &grants).await
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The token Secret if it is ours for this connection; an error if it
    /// records another connection (one connection per Space).
    pub(super) async fn our_secret(
        &self,
        spec: &ConnectionSpec,
    ) -> Result<Option<TokenSecret>, EngineError> {
        let Some(secret) = self.cluster.token_secret(&spec.token_secret_name).await? else {
            return Ok(None);
        };
        match &secret.connection {
            None => Ok(None),
            Some(recorded)
                if recorded.organization == spec.organization && recorded.space == spec.space =>
            {
                Ok(Some(secret))
            }
            Some(recorded) => Err(ClusterError::ConnectedElsewhere {
                connected: recorded.id(),
            }
            .into()),
        }
    }

    /// Live tokens of `robot` that we minted and that are not `current`.
    async fn orphan_tokens(
        &self,
        robot: &Robot,
        current: Option<&str>,
    ) -> Result<Vec<String>, EngineError> {
        if robot
            .token_ids
            .iter()
            .all(|id| Some(id.as_str()) == current)
        {
            return Ok(Vec::new());
        }
        let tokens = self.upbound.robot_tokens(&robot.id).await?;
        Ok(tokens
            .into_iter()
            .filter(|listed| token::is_ours(&listed.name) && Some(listed.id.as_str()) != current)
            .map(|listed| listed.id)
            .collect())
    }
}
