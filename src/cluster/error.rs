//! The Kubernetes side's errors. The API server's `Status` is kept whole;
//! code asks typed questions ([`ClusterError::is_forbidden`], …).

use kube::core::Status;

use crate::retry::Transient;
use crate::spec::{Field, FieldError};

/// What went wrong with the cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The cluster access settings cannot be used.
    #[error(transparent)]
    Config(FieldError),
    /// The API server answered with an error.
    #[error("{action}: the Kubernetes API answered {} {}: {}", .status.code, .status.reason, .status.message)]
    Api {
        /// What we were doing, e.g. `apply Secret upbound-system/connect-token`.
        action: String,
        /// The server's `Status`, whole.
        status: Box<Status>,
        /// The input that says how the cluster is reached.
        access: Field,
    },
    /// The API server could not be reached or did not answer in time.
    #[error(
        "{action}: cannot reach the Kubernetes API{}: {}",
        server_named(.server),
        crate::error_chain::describe(.source)
    )]
    Unreachable {
        /// What we were doing.
        action: String,
        /// The API server's address, when known: which cluster is away.
        server: Option<String>,
        /// The input that says how the cluster is reached.
        access: Field,
        /// The client error.
        #[source]
        source: Box<kube::Error>,
    },
    /// The namespace the connection lives in does not exist.
    #[error(
        "namespace {namespace:?} does not exist; install Upbound Spaces first, or give the namespace it is installed in"
    )]
    NamespaceMissing {
        /// The namespace.
        namespace: String,
    },
    /// No sign of Upbound Spaces in the namespace.
    #[error(
        "no Upbound Spaces installation found: ConfigMap {namespace}/spaces-config {problem}; install Spaces first (`up space init`), or skip this check if this cluster has no spaces-config"
    )]
    SpacesMissing {
        /// The namespace looked in.
        namespace: String,
        /// What is missing.
        problem: String,
    },
    /// Spaces was installed for another organization.
    #[error(
        "this Space was installed for organization {installed:?}, not {wanted:?}; give the organization {installed:?}"
    )]
    OrganizationMismatch {
        /// The organization in `spaces-config`.
        installed: String,
        /// The organization asked for.
        wanted: String,
    },
    /// The Space is already connected, to another organization or space.
    #[error(
        "this cluster is already connected as {connected:?}; disconnect it first (one connection per Space)"
    )]
    ConnectedElsewhere {
        /// `organization/space` of the existing connection.
        connected: String,
    },
    /// An object the connection needs exists but was not made by this tool
    /// for this connection; it is never touched.
    #[error(
        "{object} exists and is not managed by upbound-connect for this connection; rename or delete it, or remove the grant that needs it"
    )]
    NotOurs {
        /// The object, e.g. `ClusterRole "upbound-connect:upbound-system:view"`.
        object: String,
    },
    /// The credentials lack RBAC rights the run needs.
    #[error("the Kubernetes credentials may not {}; grant them in a Role in namespace {namespace:?}, cluster-wide ones in a ClusterRole (or use a kubeconfig with more rights)", .missing.join(", "))]
    MissingRights {
        /// What is not allowed, e.g. `patch secrets`.
        missing: Vec<String>,
        /// The namespace checked.
        namespace: String,
        /// The input that says how the cluster is reached.
        access: Field,
    },
    /// Another run holds the connection's lease.
    #[error(
        "another run ({holder}) is changing this connection (Lease {namespace}/{name}); wait for it to finish, or delete the Lease if that run is gone"
    )]
    LeaseHeld {
        /// Who holds it.
        holder: String,
        /// The Lease's namespace.
        namespace: String,
        /// The Lease's name.
        name: String,
    },
}

impl ClusterError {
    /// An API error for `action`, or a transport error, of a cluster
    /// reached through a kubeconfig whose server is not known here
    /// ([`Cluster::error`](super::Cluster::error) knows both).
    pub(crate) fn from_kube(action: impl Into<String>, error: kube::Error) -> Self {
        let action = action.into();
        let access = Field::Kubeconfig;
        match error {
            kube::Error::Api(status) => Self::Api {
                action,
                status,
                access,
            },
            source => Self::Unreachable {
                action,
                server: None,
                access,
                source: Box::new(source),
            },
        }
    }

    /// The same error, of the cluster at `server` reached through `input`.
    pub(crate) fn reached(mut self, server: Option<&str>, input: Field) -> Self {
        match &mut self {
            Self::Unreachable {
                server: named,
                access,
                ..
            } => {
                *named = server.map(str::to_owned);
                *access = input;
            }
            Self::Api { access, .. } | Self::MissingRights { access, .. } => *access = input,
            _ => {}
        }
        self
    }

    /// The input to check when the cluster is out of reach or refuses the
    /// credentials: how it is reached (a kubeconfig, an explicit host, the
    /// pod's service account).
    pub fn access_input(&self) -> Option<Field> {
        match self {
            Self::Unreachable { access, .. } | Self::MissingRights { access, .. } => Some(*access),
            Self::Api { access, .. } if self.is_forbidden() || self.is_unauthorized() => {
                Some(*access)
            }
            _ => None,
        }
    }

    fn status(&self) -> Option<&Status> {
        match self {
            Self::Api { status, .. } => Some(status),
            _ => None,
        }
    }

    /// The object does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status().is_some_and(|status| status.code == 404)
    }

    /// Whether the cluster is out of reach: unreachable, or its access
    /// settings unusable (a kubeconfig gone with its cluster). A cloud-only
    /// disconnect then cleans Upbound alone.
    pub fn is_out_of_reach(&self) -> bool {
        matches!(self, Self::Unreachable { .. } | Self::Config(_))
    }

    /// The credentials may not do this (403).
    pub fn is_forbidden(&self) -> bool {
        self.status().is_some_and(|status| status.code == 403)
    }

    /// The credentials are not accepted (401).
    pub fn is_unauthorized(&self) -> bool {
        self.status().is_some_and(|status| status.code == 401)
    }

    /// The object already exists (409 `AlreadyExists`).
    pub fn is_already_exists(&self) -> bool {
        self.status()
            .is_some_and(|status| status.code == 409 && status.reason == "AlreadyExists")
    }

    /// A write lost an optimistic-concurrency race (409 `Conflict`).
    pub fn is_conflict(&self) -> bool {
        self.status()
            .is_some_and(|status| status.code == 409 && status.reason == "Conflict")
    }

    /// A server-side apply met fields owned by another field manager (409
    /// with `FieldManagerConflict` causes): a disagreement, not a race.
    pub fn is_field_manager_conflict(&self) -> bool {
        self.status().is_some_and(|status| {
            status.code == 409
                && status.details.as_ref().is_some_and(|details| {
                    details
                        .causes
                        .iter()
                        .any(|cause| cause.reason == "FieldManagerConflict")
                })
        })
    }
}

impl Transient for ClusterError {
    fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::Api { status, .. } => {
                status.code == 429
                    || status.code >= 500
                    || (self.is_conflict() && !self.is_field_manager_conflict())
            }
            _ => false,
        }
    }
}

/// ` at <server>`, or nothing when the server is not known.
fn server_named(server: &Option<String>) -> String {
    server
        .as_deref()
        .map(|server| format!(" at {server}"))
        .unwrap_or_default()
}
