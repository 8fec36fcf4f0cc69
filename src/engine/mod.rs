//! The engine: makes the world match a [`ConnectionSpec`] (connect), reports
//! how far it is from it (read), and undoes it (disconnect).
//!
//! Every run first observes without changing anything; a connection already
//! in place costs reads only. When something must change, the run takes the
//! connection's Lease, observes again, and acts step by step, each step
//! safe to repeat, so a run that died half-way is resumed by the next.
//!
//! - `observe`: what exists now, and how it differs from the spec ([`Drift`]).
//! - `plan`: what connect will do about it ([`Plan`]), decided with no IO;
//!   the one wording of its steps every face prints.
//! - `ownership`: whose a robot is — the owner record its description
//!   ends with (the cluster's identity and the namespace, [`Place`]).
//! - `robot`: find, adopt or create the robot; never a second one, never
//!   one that serves the Space's connection in another place.
//! - `token`: mint a token and store it, revoke the ones it replaced.
//! - `access`: Hub RBAC grants as ClusterRoles and bindings we own.
//! - `agent`: the Connect agent chart pulled, rendered and installed as
//!   Helm release `agent` (or uninstalled).
//! - [`agent_values`]: the Connect agent's values from a connection.
//! - `connect`, `disconnect`: the two stories, top to bottom.
//! - `import`: an existing connection with the settings it was made with
//!   read back ([`Imported`]).
//! - `progress`: the [`Observer`] the faces print progress with.
//! - `builder`: [`EngineBuilder`], one place for the clients' timeouts and
//!   retry policy, shared by every face.
//! - `charts`: [`ResolvedCharts`], chart versions pulled once per process.

mod access;
mod agent;
pub mod agent_values;
mod builder;
mod charts;
mod connect;
mod disconnect;
mod import;
mod observe;
mod ownership;
mod plan;
mod progress;
mod robot;
mod token;

pub use access::{AccessDrift, CONNECTION_LABEL, grant_objects, role_name};
pub use builder::{CLUSTER_REQUEST_TIMEOUT, EngineBuilder};
pub use charts::ResolvedCharts;
pub use disconnect::disconnect_cloud_only;
pub use import::{Imported, InstalledAgent};
pub use observe::{Drift, Observation};
pub use ownership::{Elsewhere, OWNERSHIP_MARKER, Owner, Place, given_description};
pub use plan::{AgentStep, MintReason, Plan, Promised, RobotStep, TokenStep, plan};
pub use progress::{Observer, Silent, Step};

use std::path::PathBuf;
use std::sync::Arc;

use crate::cluster::{Cluster, ClusterError, LeaseTiming};
use crate::helm::HelmError;
use crate::helm::render::Renderer;
use crate::retry::RetryPolicy;
use crate::spec::{ConnectionSpec, Field, InvalidInput};
use crate::state::Connection;
use crate::upbound::{UpboundClient, UpboundError};

/// What went wrong in a run.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The inputs are wrong; nothing was changed.
    #[error(transparent)]
    Input(#[from] InvalidInput),
    /// The Upbound API failed.
    #[error("{0}{help}", help = upbound_help(.0))]
    Upbound(#[from] UpboundError),
    /// The cluster failed.
    #[error("{0}{help}", help = cluster_help(.0))]
    Cluster(#[from] ClusterError),
    /// The agent chart could not be pulled, rendered or installed.
    #[error("{0}{help}", help = .0.cluster().map_or("", cluster_help))]
    Helm(#[from] HelmError),
    /// There is no connection to import.
    #[error(
        "{connection} is not connected in namespace {namespace:?}: {why}; check the organization, the space and the namespace"
    )]
    NotConnected {
        /// `organization/space`.
        connection: String,
        /// The namespace looked in.
        namespace: String,
        /// What was found instead.
        why: String,
    },
    /// The Space is connected in another cluster or namespace; nothing was
    /// changed.
    #[error(
        "{connection} is already connected {elsewhere}; nothing was changed. Disconnect it there first (or, if that cluster is gone for good, delete robot {robot} in Upbound), then connect here",
        robot = .elsewhere.robot_id
    )]
    SpaceConnectedElsewhere {
        /// `organization/space`.
        connection: String,
        /// Where it is connected, and its robot.
        elsewhere: Elsewhere,
    },
    /// The world moved since the caller's earlier plan: connect would now
    /// change a value that plan showed as known; nothing was changed.
    #[error(
        "{connection} changed since the plan was made: connect would now {change}, which the plan did not show; nothing was changed. Plan again"
    )]
    PlanOutdated {
        /// `organization/space`.
        connection: String,
        /// The change the plan did not show, in words.
        change: String,
    },
    /// A cloud-only disconnect cannot tell which robot is this cluster's
    /// (the cluster's identity is out of reach); nothing was changed.
    #[error(
        "{connection} has several robots that namespace {namespace:?} may own ({}); with the cluster out of reach, disconnect cannot tell which is this cluster's: disconnect with the cluster reachable, or delete the right robot in Upbound",
        .robots.join(", ")
    )]
    RobotUnclear {
        /// `organization/space`.
        connection: String,
        /// The connection's namespace.
        namespace: String,
        /// The robots' IDs.
        robots: Vec<String>,
    },
}

/// The input to change to fix the cluster's failure `error`.
fn cluster_field(error: &ClusterError) -> Option<Field> {
    match error {
        ClusterError::Config(error) => Some(error.field),
        ClusterError::NamespaceMissing { .. } => Some(Field::Namespace),
        ClusterError::SpacesMissing { .. } => Some(Field::SkipSpaceCheck),
        ClusterError::OrganizationMismatch { .. } => Some(Field::Organization),
        ClusterError::ConnectedElsewhere { .. } => Some(Field::Space),
        ClusterError::NotOurs { .. } => Some(Field::Access),
        error => error.access_input(),
    }
}

impl EngineError {
    /// The input to change to fix this error, when one input is at fault.
    pub fn field(&self) -> Option<Field> {
        match self {
            Self::Input(invalid) => invalid.0.first().map(|error| error.field),
            Self::Upbound(UpboundError::NotAnOrganization { .. }) => Some(Field::Organization),
            Self::Upbound(error) if error.is_unreachable() => Some(Field::Endpoint),
            Self::Upbound(error) if error.is_unauthorized() || error.is_forbidden() => {
                Some(Field::Token)
            }
            Self::Upbound(_) => None,
            Self::Helm(error) => match error.cluster() {
                Some(cluster) => cluster_field(cluster),
                None => error.field(),
            },
            Self::NotConnected { .. } | Self::SpaceConnectedElsewhere { .. } => Some(Field::Space),
            Self::RobotUnclear { .. } | Self::PlanOutdated { .. } => None,
            Self::Cluster(error) => cluster_field(error),
        }
    }

    /// The cluster's failure behind this error, wherever it happened (the
    /// engine's own reads and writes, or the agent release's).
    pub fn cluster_error(&self) -> Option<&ClusterError> {
        match self {
            Self::Cluster(error) => Some(error),
            Self::Helm(error) => error.cluster(),
            _ => None,
        }
    }

    /// Whether the cluster could not be reached at all (no answer, or no
    /// client could be made): what a cloud-only disconnect works around.
    pub fn is_cluster_out_of_reach(&self) -> bool {
        self.cluster_error()
            .is_some_and(ClusterError::is_out_of_reach)
    }

    /// Whether the input is at fault and another input would succeed: a
    /// refused field, a wrong organization, namespace or Space name, a
    /// token or credentials refused, a chart, version or values that cannot
    /// be used. Faces exit with their "bad input" status for these when
    /// nothing was changed.
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Input(_) | Self::NotConnected { .. } | Self::SpaceConnectedElsewhere { .. } => {
                true
            }
            Self::Upbound(error) => {
                matches!(error, UpboundError::NotAnOrganization { .. }) || error.is_unauthorized()
            }
            Self::Helm(error) => error.is_input_fault(),
            Self::Cluster(error) => matches!(
                error,
                ClusterError::Config(_)
                    | ClusterError::NamespaceMissing { .. }
                    | ClusterError::SpacesMissing { .. }
                    | ClusterError::OrganizationMismatch { .. }
                    | ClusterError::ConnectedElsewhere { .. }
            ),
            Self::RobotUnclear { .. } | Self::PlanOutdated { .. } => false,
        }
    }
}

/// What to do about an Upbound error, when the error itself does not say.
fn upbound_help(error: &UpboundError) -> &'static str {
    if error.is_forbidden() {
        "; the token's user or robot must be an owner of the organization to manage robots and tokens"
    } else if matches!(error, UpboundError::Status { status: 401, .. }) {
        "; check that the token is valid and not revoked"
    } else {
        ""
    }
}

/// What to do about a cluster error, when the error itself does not say.
fn cluster_help(error: &ClusterError) -> &'static str {
    if error.is_forbidden() {
        "; the Kubernetes credentials need RBAC rights to read namespaces and ConfigMaps and to manage Secrets and Leases in the namespace"
    } else if error.is_unauthorized() {
        "; the Kubernetes credentials were not accepted: check the user's token or certificate"
    } else if matches!(error, ClusterError::Unreachable { .. }) {
        "; check the cluster's server address and that the cluster is up"
    } else {
        ""
    }
}

/// The result of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The connection as recorded after the run (IDs empty after disconnect).
    pub connection: Connection,
    /// Whether anything was changed.
    pub changed: bool,
}

/// Options of a disconnect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DisconnectOptions {
    /// If the cluster cannot be reached, still delete the robot and its
    /// tokens in Upbound (the Secret and agent stay behind).
    pub cloud_only: bool,
}

/// The engine for one Upbound account and one cluster.
pub struct Engine {
    upbound: UpboundClient,
    cluster: Cluster,
    lease: LeaseTiming,
    retry: RetryPolicy,
    holder: String,
    chart_cache: PathBuf,
    resolved_charts: Arc<ResolvedCharts>,
    renderer: Renderer,
}

impl Engine {
    /// An engine using these clients. `holder` names the caller in the
    /// Lease (e.g. `terraform`); a process ID and a unique suffix are added.
    pub fn new(upbound: UpboundClient, cluster: Cluster, holder: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        Self {
            upbound,
            cluster,
            lease: LeaseTiming::default(),
            retry: RetryPolicy::default(),
            holder: format!("{holder}/{}-{nanos:x}", std::process::id()),
            chart_cache: agent::default_chart_cache(),
            resolved_charts: Arc::default(),
            renderer: agent::renderer(),
        }
    }

    /// The same engine sharing `resolved` with other engines (of one
    /// process): a chart version one of them pulled is not asked for again.
    pub fn sharing_resolved_charts(mut self, resolved: Arc<ResolvedCharts>) -> Self {
        self.resolved_charts = resolved;
        self
    }

    /// The same engine caching pulled charts in `dir` (default
    /// `$XDG_CACHE_HOME/upbound-connect/charts`).
    pub fn with_chart_cache(mut self, dir: PathBuf) -> Self {
        self.chart_cache = dir;
        self
    }

    /// The same engine with other Lease timings.
    pub fn with_lease_timing(mut self, lease: LeaseTiming) -> Self {
        self.lease = lease;
        self
    }

    /// The same engine with another retry policy for its create steps.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The cluster's identity (its `kube-system` namespace's UID), as
    /// robots record where their connection lives.
    pub async fn cluster_identity(&self) -> Result<String, EngineError> {
        Ok(self.cluster.identity().await?)
    }

    /// The Lease's name for a connection's token Secret.
    fn lease_name(spec: &ConnectionSpec) -> String {
        format!(
            "{}-{}",
            crate::cluster::FIELD_MANAGER,
            spec.token_secret_name
        )
    }

    /// Runs `act` while holding the connection's Lease, after checking the
    /// credentials may do all a run does; the Lease is released whatever
    /// `act` returns.
    async fn with_lease<T>(
        &self,
        spec: &ConnectionSpec,
        observer: &dyn Observer,
        act: impl AsyncFnOnce() -> Result<T, EngineError>,
    ) -> Result<T, EngineError> {
        self.cluster.check_rights(spec.access.is_some()).await?;
        observer.step(Step::Locking);
        let lease = self
            .cluster
            .acquire_lease(
                &Self::lease_name(spec),
                &self.holder,
                self.lease,
                &|holder| {
                    observer.step(Step::WaitingForLease(holder.clone()));
                },
            )
            .await?;
        let result = act().await;
        let released = lease.release().await;
        let value = result?;
        released?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::install::InstallError;
    use crate::helm::release::StorageError;

    fn unreachable(access: Field) -> ClusterError {
        ClusterError::Unreachable {
            action: "list release records of agent".to_owned(),
            server: Some("https://127.0.0.1:1/".to_owned()),
            access,
            source: Box::new(kube::Error::LinesCodecMaxLineLengthExceeded),
        }
    }

    #[test]
    fn a_cluster_out_of_reach_is_found_wherever_it_failed() {
        let failures = [
            EngineError::Cluster(unreachable(Field::Kubeconfig)),
            EngineError::Helm(HelmError::Storage(StorageError::Cluster(unreachable(
                Field::Kubeconfig,
            )))),
            EngineError::Helm(HelmError::Install(InstallError::Cluster(unreachable(
                Field::Kubeconfig,
            )))),
            EngineError::Helm(HelmError::Install(InstallError::RolledBack {
                release: "agent".to_owned(),
                cause: Box::new(InstallError::Storage(StorageError::Cluster(unreachable(
                    Field::Kubeconfig,
                )))),
            })),
        ];
        for failure in failures {
            assert!(failure.is_cluster_out_of_reach(), "{failure:?}");
            assert_eq!(failure.field(), Some(Field::Kubeconfig), "{failure:?}");
            assert!(
                failure
                    .to_string()
                    .ends_with("; check the cluster's server address and that the cluster is up"),
                "{failure}"
            );
        }
    }

    #[test]
    fn other_failures_are_no_cluster_out_of_reach() {
        let not_an_organization = EngineError::Upbound(UpboundError::NotAnOrganization {
            name: "acme".to_owned(),
            problem: "is a user".to_owned(),
        });
        assert!(!not_an_organization.is_cluster_out_of_reach());
        assert!(not_an_organization.cluster_error().is_none());
    }
}
