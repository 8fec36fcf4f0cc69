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
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Pull(error) if error.is_unauthorized() => Some("license"),
            Self::Pull(error) if error.is_not_found() => Some("agent.version"),
            Self::Pull(PullError::InvalidReference(_) | PullError::NotAChart { .. })
            | Self::Chart(_) => Some("agent.chart"),
            Self::Values(_) | Self::Render(_) | Self::Manifest(_) => Some("agent.values"),
            Self::Install(InstallError::NotOwned { .. } | InstallError::Conflict { .. }) => {
                Some("agent.take_ownership")
            }
            Self::Install(InstallError::NotReady { .. }) => Some("agent.timeout"),
            Self::Pull(_) | Self::Storage(_) | Self::Install(_) => None,
        }
    }
}
