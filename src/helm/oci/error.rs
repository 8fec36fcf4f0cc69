//! What can go wrong pulling a chart. Messages name the registry and the
//! chart, never a credential.

use std::path::PathBuf;
use std::time::Duration;

use oci_client::errors::{OciDistributionError, OciErrorCode};

use crate::retry::Transient;
use crate::spec::InvalidChartReference;

/// A chart pull failed.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    /// The chart reference, version or digest cannot be pulled as given.
    #[error(transparent)]
    InvalidReference(#[from] InvalidChartReference),
    /// The registry refused the credentials (or their absence).
    #[error(
        "registry {registry} refused {who} for {chart}; check the licence token.json (accessId and token)"
    )]
    Unauthorized {
        /// The registry host.
        registry: String,
        /// The chart being pulled.
        chart: String,
        /// `access ID "…"` or `an anonymous pull`.
        who: String,
    },
    /// The repository or the version does not exist.
    #[error("{chart} does not exist in the registry; check the chart reference and version")]
    NotFound {
        /// The chart being pulled.
        chart: String,
    },
    /// The artifact is not a Helm chart.
    #[error("{chart} is not a Helm chart: {detail}")]
    NotAChart {
        /// The chart being pulled.
        chart: String,
        /// What the manifest lacks.
        detail: String,
    },
    /// What arrived does not hash to the digest the manifest promised.
    #[error(
        "{chart}: the chart layer does not match its digest ({detail}); the registry or a proxy altered it — do not use it"
    )]
    DigestMismatch {
        /// The chart being pulled.
        chart: String,
        /// Expected and actual digest.
        detail: String,
    },
    /// A registry call did not answer in time.
    #[error("{call}: no answer from the registry within {timeout:?}")]
    Timeout {
        /// The call, e.g. `GET manifest oci://…`.
        call: String,
        /// The timeout that ran out.
        timeout: Duration,
    },
    /// Any other registry or transport failure.
    #[error("{call}: {source}")]
    Registry {
        /// The call, e.g. `GET manifest oci://…`.
        call: String,
        /// What the OCI client reported.
        #[source]
        source: OciDistributionError,
    },
    /// The local chart cache could not be read or written.
    #[error("chart cache {path}: {source}; check that the directory is writable")]
    Cache {
        /// The file or directory.
        path: PathBuf,
        /// The IO error.
        #[source]
        source: std::io::Error,
    },
}

impl PullError {
    /// The credentials were refused.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// The chart or version does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// Downloaded content failed digest verification.
    pub fn is_digest_mismatch(&self) -> bool {
        matches!(self, Self::DigestMismatch { .. })
    }
}

impl Transient for PullError {
    fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } => true,
            Self::Registry { source, .. } => match source {
                OciDistributionError::RequestError(_) | OciDistributionError::IoError(_) => true,
                OciDistributionError::ServerError { code, .. } => *code == 429 || *code >= 500,
                OciDistributionError::RegistryError { envelope, .. } => envelope
                    .errors
                    .iter()
                    .any(|error| error.code == OciErrorCode::Toomanyrequests),
                _ => false,
            },
            _ => false,
        }
    }
}

/// What a failed registry call means for the user: 401/403 and 404 get
/// their own variants; a digest failure is never retried.
pub(super) fn classify(
    source: OciDistributionError,
    call: String,
    chart: &str,
    registry: &str,
    who: &str,
) -> PullError {
    let unauthorized = || PullError::Unauthorized {
        registry: registry.to_owned(),
        chart: chart.to_owned(),
        who: who.to_owned(),
    };
    let not_found = || PullError::NotFound {
        chart: chart.to_owned(),
    };
    match &source {
        OciDistributionError::UnauthorizedError { .. }
        | OciDistributionError::AuthenticationFailure(_) => unauthorized(),
        OciDistributionError::ServerError {
            code: 401 | 403, ..
        } => unauthorized(),
        OciDistributionError::ServerError { code: 404, .. }
        | OciDistributionError::ImageManifestNotFoundError(_) => not_found(),
        OciDistributionError::RegistryError { envelope, .. } => {
            let has = |codes: &[OciErrorCode]| {
                envelope
                    .errors
                    .iter()
                    .any(|error| codes.contains(&error.code))
            };
            if has(&[OciErrorCode::Unauthorized, OciErrorCode::Denied]) {
                unauthorized()
            } else if has(&[
                OciErrorCode::ManifestUnknown,
                OciErrorCode::NameUnknown,
                OciErrorCode::NotFound,
                OciErrorCode::BlobUnknown,
            ]) {
                not_found()
            } else {
                PullError::Registry { call, source }
            }
        }
        OciDistributionError::DigestError(digest) => PullError::DigestMismatch {
            chart: chart.to_owned(),
            detail: digest.to_string(),
        },
        _ => PullError::Registry { call, source },
    }
}
