//! Pulling a Helm chart from an OCI registry, as `helm pull oci://…
//! --version V` does: registry API v2 through [`oci_client`], Basic or
//! Bearer-token auth with the licence credentials, Helm's media types,
//! digest verification, and a local cache keyed by digest.
//!
//! Every pull asks the registry for the manifest (one small request): a tag
//! is mutable, so only the manifest says which chart layer the version names
//! today. The layer itself is downloaded only when the cache lacks that
//! digest — a second pull of the same version downloads no blob. The config
//! blob (Chart.yaml as JSON) is checked for presence but not fetched: the
//! chart archive carries the same `Chart.yaml`.
//!
//! Plain HTTP is used only for registries on a loopback address (a local
//! test registry, like `helm --plain-http`); every other host is HTTPS.

mod cache;
mod error;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use oci_client::client::{ClientConfig, ClientProtocol};
use oci_client::manifest::{OciDescriptor, OciImageManifest};
use oci_client::secrets::RegistryAuth;
use oci_client::{Client, Reference};

pub use error::PullError;
// Chart references are inputs, parsed with the rest of the spec.
pub use crate::spec::ChartReference;

use crate::retry::RetryPolicy;
use crate::spec::License;
use cache::BlobCache;

/// Media type of a Helm chart's config blob (Chart.yaml as JSON).
pub const HELM_CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.helm.config.v1+json";
/// Media type of the chart archive layer.
pub const HELM_CHART_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/// The chart layer's media type in charts pushed by old Helm versions.
pub const LEGACY_CHART_MEDIA_TYPE: &str = "application/tar+gzip";

/// How to pull: credentials, cache, patience.
#[derive(Clone, Debug)]
pub struct PullOptions {
    /// Registry credentials (licence `token.json`); `None` pulls anonymously.
    pub license: Option<License>,
    /// Directory of the digest-keyed cache; created when missing.
    pub cache_dir: PathBuf,
    /// Bound on each registry request (connect, manifest, blob).
    pub request_timeout: Duration,
    /// Retries for transient failures (timeouts, 429, 5xx, resets).
    pub retry: RetryPolicy,
}

/// A chart pulled into the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulledChart {
    /// The cached chart archive (`.tgz`).
    pub archive: PathBuf,
    /// Digest of the manifest the version resolved to (what to record).
    pub manifest_digest: String,
    /// Digest of the chart layer (the cache key).
    pub layer_digest: String,
}

/// Pulls charts; keeps a count of blob downloads so callers (and tests) can
/// see the cache at work.
#[derive(Debug)]
pub struct ChartPuller {
    options: PullOptions,
    cache: BlobCache,
    blob_downloads: AtomicUsize,
}

impl ChartPuller {
    /// A puller with these options; nothing is contacted yet.
    pub fn new(options: PullOptions) -> Self {
        let cache = BlobCache::new(&options.cache_dir);
        Self {
            options,
            cache,
            blob_downloads: AtomicUsize::new(0),
        }
    }

    /// How many blobs this puller has downloaded (cache hits do not count).
    pub fn blob_downloads(&self) -> usize {
        self.blob_downloads.load(Ordering::Relaxed)
    }

    /// Resolves the version's manifest and returns the chart archive from
    /// the cache, downloading (and verifying) it first if needed.
    pub async fn pull(&self, chart: &ChartReference) -> Result<PulledChart, PullError> {
        let session = Session::new(chart, &self.options)?;
        let (manifest, manifest_digest) = session.manifest().await?;
        let layer = chart_layer(chart, &manifest)?;
        let archive = match self.cache.get(&layer.digest)? {
            Some(path) => path,
            None => {
                let bytes = session.blob(&layer).await?;
                self.blob_downloads.fetch_add(1, Ordering::Relaxed);
                self.cache.put(&layer.digest, &bytes)?
            }
        };
        Ok(PulledChart {
            archive,
            manifest_digest,
            layer_digest: layer.digest,
        })
    }
}

/// One chart's conversation with its registry.
struct Session<'a> {
    client: Client,
    auth: RegistryAuth,
    reference: Reference,
    chart: &'a ChartReference,
    options: &'a PullOptions,
}

impl<'a> Session<'a> {
    fn new(chart: &'a ChartReference, options: &'a PullOptions) -> Result<Self, PullError> {
        let protocol = if chart.is_loopback() {
            ClientProtocol::HttpsExcept(vec![chart.registry.clone()])
        } else {
            ClientProtocol::Https
        };
        let config = ClientConfig {
            protocol,
            connect_timeout: Some(options.request_timeout),
            read_timeout: Some(options.request_timeout),
            ..ClientConfig::default()
        };
        let client = Client::try_from(config).map_err(|source| PullError::Registry {
            call: "create the registry client".to_owned(),
            source,
        })?;
        let auth = match &options.license {
            Some(license) => {
                RegistryAuth::Basic(license.access_id.clone(), license.token.expose().to_owned())
            }
            None => RegistryAuth::Anonymous,
        };
        Ok(Self {
            client,
            auth,
            reference: Reference::with_tag(
                chart.registry.clone(),
                chart.repository.clone(),
                chart.tag(),
            ),
            chart,
            options,
        })
    }

    async fn manifest(&self) -> Result<(OciImageManifest, String), PullError> {
        self.call("GET manifest", || {
            self.client.pull_image_manifest(&self.reference, &self.auth)
        })
        .await
    }

    async fn blob(&self, layer: &OciDescriptor) -> Result<Vec<u8>, PullError> {
        self.call("GET chart layer", || async {
            let mut bytes = Vec::new();
            self.client
                .pull_blob(&self.reference, layer, &mut bytes)
                .await
                .map(|()| bytes)
        })
        .await
    }

    /// Runs one registry call with a timeout, retrying transient failures.
    async fn call<T, F, Fut>(&self, what: &str, attempt: F) -> Result<T, PullError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = oci_client::errors::Result<T>>,
    {
        let call = format!("{what} {}", self.chart);
        let timeout = self.options.request_timeout;
        let who = match &self.options.license {
            Some(license) => format!("access ID {:?}", license.access_id),
            None => "an anonymous pull".to_owned(),
        };
        self.options
            .retry
            .run(|| async {
                match tokio::time::timeout(timeout, attempt()).await {
                    Err(_) => Err(PullError::Timeout {
                        call: call.clone(),
                        timeout,
                    }),
                    Ok(result) => result.map_err(|source| {
                        error::classify(
                            source,
                            call.clone(),
                            &self.chart.to_string(),
                            &self.chart.registry,
                            &who,
                        )
                    }),
                }
            })
            .await
    }
}

/// The chart layer of a Helm chart manifest; refuses other artifacts as
/// `helm pull` does (config and chart layer are both required).
fn chart_layer(
    chart: &ChartReference,
    manifest: &OciImageManifest,
) -> Result<OciDescriptor, PullError> {
    let not_a_chart = |detail: String| PullError::NotAChart {
        chart: chart.to_string(),
        detail,
    };
    if manifest.config.media_type != HELM_CONFIG_MEDIA_TYPE {
        return Err(not_a_chart(format!(
            "its config has media type {:?}, not {HELM_CONFIG_MEDIA_TYPE:?}",
            manifest.config.media_type
        )));
    }
    manifest
        .layers
        .iter()
        .find(|layer| {
            layer.media_type == HELM_CHART_MEDIA_TYPE || layer.media_type == LEGACY_CHART_MEDIA_TYPE
        })
        .cloned()
        .ok_or_else(|| not_a_chart(format!("no layer of media type {HELM_CHART_MEDIA_TYPE:?}")))
}
