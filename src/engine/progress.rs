//! Progress reports: the engine tells an [`Observer`] each step as it
//! happens; the faces print them (a step list, `::group::`, `TF_LOG`).
//! Steps carry IDs and names; the one token a step carries is a
//! [`Secret`], which prints as `***`.

use std::time::Duration;

use crate::cluster::{LeaseHolder, RbacRef};
use crate::secret::Secret;

use super::ownership::Elsewhere;

/// One step of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Looking at Upbound and the cluster.
    Observing,
    /// Waiting for and taking the connection's Lease.
    Locking,
    /// Another run holds the connection's Lease: this one waits for it.
    WaitingForLease(LeaseHolder),
    /// A robot was created.
    RobotCreated {
        /// Its ID.
        id: String,
        /// Whether nothing of the connection existed before this run (no
        /// robot, token Secret or agent release): a first connect, not a
        /// repair.
        first_connect: bool,
    },
    /// An existing robot was taken over.
    RobotAdopted {
        /// Its ID.
        id: String,
    },
    /// The recorded robot is in place.
    RobotKept {
        /// Its ID.
        id: String,
    },
    /// A token was minted and stored in the Secret.
    TokenMinted {
        /// Its ID.
        id: String,
        /// The token itself, for a face that must mask it in its log
        /// (GitHub's `::add-mask::`) before anything else is printed.
        token: Secret,
    },
    /// A token was revoked.
    TokenRevoked {
        /// Its ID.
        id: String,
    },
    /// The Secret was deleted.
    SecretDeleted,
    /// The pull secret now holds the licence's credentials.
    PullSecretWritten,
    /// The pull secret we had created was deleted.
    PullSecretDeleted,
    /// The robot was deleted.
    RobotDeleted {
        /// Its ID.
        id: String,
    },
    /// The agent's install waits for one of its objects to be ready (told
    /// every few seconds).
    AgentWaiting {
        /// The object, e.g. `Deployment "agent"`.
        object: String,
        /// How long the install has taken so far.
        waited: Duration,
    },
    /// Helm release `agent` was installed or upgraded.
    AgentInstalled {
        /// Its new revision.
        revision: u32,
        /// The chart version.
        version: String,
    },
    /// Helm release `agent` was uninstalled.
    AgentUninstalled {
        /// Its last revision.
        revision: u32,
    },
    /// The Space record was created in Upbound.
    SpaceRecordCreated,
    /// The Space record was deleted from Upbound.
    SpaceRecordDeleted,
    /// A Hub RBAC object for a grant (a ClusterRole or a binding) was
    /// created or repaired.
    AccessApplied {
        /// Which object.
        object: RbacRef,
    },
    /// A Hub RBAC object of ours that no grant needs was deleted.
    AccessRemoved {
        /// Which object.
        object: RbacRef,
    },
    /// The cluster could not be reached; only Upbound was cleaned up.
    ClusterSkipped,
    /// The Space is connected in another cluster or namespace: that
    /// connection's robot, its tokens and the Space record were left alone.
    LeftElsewhere(Elsewhere),
}

/// Receives progress.
pub trait Observer: Send + Sync {
    /// Called as each step happens.
    fn step(&self, step: Step);
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Observer for Silent {
    fn step(&self, _step: Step) {}
}
