//! One error for the whole Helm-equivalent installer, as its callers see
//! it: each step's own error kept whole, and the input a user would change
//! to fix it.

use super::chart::ChartError;
use super::install::InstallError;
use super::manifest::ManifestError;
use super::oci::PullError;
use super::release::StorageError;
use super::render::RenderError;
use super::values::ValuesError;
use crate::cluster::ClusterError;
use crate::spec::{AgentField, Field};

/// A chart could not be pulled, loaded, rendered or installed.
#[derive(Debug, thiserror::Error)]
pub enum HelmError {
    /// Pulling the chart from its registry failed.
    #[error(transparent)]
    Pull(#[from] PullError),
    /// The chart archive or directory is not a valid chart.
    #[error("cannot load the chart: {0}")]
    Chart(#[from] ChartError),
    /// The values could not be merged.
    #[error("agent values: {0}")]
    Values(#[from] ValuesError),
    /// The chart did not render (a template error, or values its schema
    /// rejects).
    #[error("cannot render the chart: {0}")]
    Render(#[from] RenderError),
    /// A rendered document is not a usable manifest.
    #[error("the chart rendered an invalid manifest: {0}")]
    Manifest(#[from] ManifestError),
    /// The release records could not be read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Installing, upgrading or uninstalling the release failed.
    #[error(transparent)]
    Install(#[from] InstallError),
}

impl HelmError {
    /// The input to change to fix this error, when one is at fault.
    pub fn field(&self) -> Option<Field> {
        let agent = |field| Some(Field::Agent(field));
        match self {
            Self::Pull(error) if error.is_unauthorized() => Some(Field::License),
            Self::Pull(error) if error.is_not_found() => agent(AgentField::Version),
            Self::Pull(PullError::InvalidReference(_) | PullError::NotAChart { .. })
            | Self::Chart(_) => agent(AgentField::Chart),
            Self::Values(_) | Self::Render(_) | Self::Manifest(_) => agent(AgentField::Values),
            Self::Install(error) => match error.cause() {
                InstallError::NotOwned { .. } | InstallError::Conflict { .. } => {
                    agent(AgentField::TakeOwnership)
                }
                InstallError::NotReady { .. } => agent(AgentField::Timeout),
                _ => None,
            },
            Self::Pull(_) | Self::Storage(_) => None,
        }
    }

    /// The cluster's failure behind this error, if the cluster failed
    /// (reading or writing release records, or the release's objects).
    pub fn cluster(&self) -> Option<&ClusterError> {
        match self {
            Self::Storage(StorageError::Cluster(error)) => Some(error),
            Self::Install(error) => error.cluster(),
            _ => None,
        }
    }

    /// Whether the input alone is at fault: registry credentials refused, a
    /// chart or version that does not exist, values the chart refuses.
    pub fn is_input_fault(&self) -> bool {
        match self {
            Self::Pull(error) => {
                error.is_unauthorized()
                    || error.is_not_found()
                    || matches!(
                        error,
                        PullError::InvalidReference(_) | PullError::NotAChart { .. }
                    )
            }
            Self::Chart(_) | Self::Values(_) => true,
            Self::Render(error) => matches!(error, RenderError::Values(_) | RenderError::Schema(_)),
            Self::Manifest(_) | Self::Storage(_) | Self::Install(_) => false,
        }
    }
}
