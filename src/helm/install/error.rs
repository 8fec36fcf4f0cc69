//! What can go wrong installing, upgrading or uninstalling a release.

use std::time::Duration;

use crate::cluster::ClusterError;
use crate::helm::release::StorageError;

/// An install, upgrade or uninstall that did not complete.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The cluster failed (after retries).
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// A release record could not be read or written.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A rendered document is not a Kubernetes object.
    #[error("{source_file}: a rendered document is not a Kubernetes object: {problem}")]
    Manifest {
        /// The template it came from.
        source_file: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The cluster does not serve an object's kind.
    #[error(
        "{kind} in {api_version} is not served by this cluster; install its CustomResourceDefinition first, or check the chart's apiVersion"
    )]
    UnknownKind {
        /// The object's `apiVersion`.
        api_version: String,
        /// The object's `kind`.
        kind: String,
    },
    /// An object the release would create already exists and belongs to
    /// something else (Helm's ownership check).
    #[error(
        "{object} exists and cannot be imported into the current release: invalid ownership metadata; {problems}; delete it, or set `take_ownership` to adopt it"
    )]
    NotOwned {
        /// The object, e.g. `ServiceAccount "agent" in namespace "upbound-system"`.
        object: String,
        /// Helm's validation messages, `; `-joined.
        problems: String,
    },
    /// Server-side apply met fields that another tool applied.
    #[error(
        "applying {object} conflicts with field manager {}: {}; change or remove these fields in that tool, or set `take_ownership` to take them over", .managers.join(", "), .fields.join(", ")
    )]
    Conflict {
        /// The object.
        object: String,
        /// The other field managers, quoted.
        managers: Vec<String>,
        /// The contested fields.
        fields: Vec<String>,
    },
    /// An object was not ready within the timeout.
    #[error(
        "{object} was not ready within {}s: {reason}; raise `timeout` or see why the workload does not start", .timeout.as_secs()
    )]
    NotReady {
        /// The object.
        object: String,
        /// Why it is not ready, by Helm's readiness rules.
        reason: String,
        /// The timeout that ran out.
        timeout: Duration,
    },
    /// An object failed for good (e.g. a Job over its backoff limit).
    #[error("{object} failed: {reason}")]
    Failed {
        /// The object.
        object: String,
        /// What its status says.
        reason: String,
    },
    /// A hook failed; the operation stopped there.
    #[error("{event} hook {hook} failed: {reason}")]
    Hook {
        /// The hook event, e.g. `pre-install`.
        event: String,
        /// The hook object.
        hook: String,
        /// What went wrong.
        reason: String,
    },
    /// An upgrade failed and, `atomic` being set, the release was rolled
    /// back to its last successful revision (Helm's words).
    #[error("release {release} failed, and has been rolled back due to atomic being set: {cause}")]
    RolledBack {
        /// The release.
        release: String,
        /// Why the upgrade failed.
        cause: Box<InstallError>,
    },
    /// A first install failed and, `atomic` being set, the release was
    /// uninstalled (Helm's words).
    #[error("release {release} failed, and has been uninstalled due to atomic being set: {cause}")]
    Uninstalled {
        /// The release.
        release: String,
        /// Why the install failed.
        cause: Box<InstallError>,
    },
    /// An upgrade failed with `atomic` set and no revision was ever
    /// successful (deployed or superseded): nothing to roll back to.
    #[error(
        "unable to find a previously successful release when attempting to rollback. original upgrade error: {cause}"
    )]
    NothingToRollBackTo {
        /// Why the upgrade failed.
        cause: Box<InstallError>,
    },
    /// An upgrade failed with `atomic` set, and so did the rollback.
    #[error(
        "an error occurred while rolling back the release. original upgrade error: {cause}: {rollback}"
    )]
    RollbackFailed {
        /// Why the upgrade failed.
        cause: Box<InstallError>,
        /// Why the rollback failed.
        rollback: Box<InstallError>,
    },
    /// A first install failed with `atomic` set, and so did the uninstall.
    #[error(
        "an error occurred while uninstalling the release. original install error: {cause}: {uninstall}"
    )]
    UninstallFailed {
        /// Why the install failed.
        cause: Box<InstallError>,
        /// Why the uninstall failed.
        uninstall: Box<InstallError>,
    },
}

impl InstallError {
    /// The failure itself, through what `atomic` did after it (a rollback
    /// or an uninstall, done or failed): what a user changes to fix it.
    pub fn cause(&self) -> &InstallError {
        match self {
            Self::RolledBack { cause, .. }
            | Self::Uninstalled { cause, .. }
            | Self::NothingToRollBackTo { cause }
            | Self::RollbackFailed { cause, .. }
            | Self::UninstallFailed { cause, .. } => cause.cause(),
            other => other,
        }
    }

    /// The cluster's failure behind the cause, if the cluster failed.
    pub fn cluster(&self) -> Option<&ClusterError> {
        match self.cause() {
            Self::Cluster(error) | Self::Storage(StorageError::Cluster(error)) => Some(error),
            _ => None,
        }
    }
}
