//! How a face makes its engine: one place for the clients' timeouts and
//! retry policy, passed down to everything that calls out (Upbound, the
//! cluster, the renderer's lookups), so no part keeps a policy of its own.

use std::sync::Arc;
use std::time::Duration;

use crate::cluster::{Cluster, ClusterAccess, ClusterError};
use crate::retry::RetryPolicy;
use crate::spec::UpboundAccess;
use crate::upbound::UpboundClient;

use super::{Engine, ResolvedCharts};

/// How long each Kubernetes request may take when the face does not say.
pub const CLUSTER_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The settings every engine of a face shares.
#[derive(Clone, Debug)]
pub struct EngineBuilder {
    holder: String,
    cluster_request_timeout: Duration,
    retry: RetryPolicy,
    resolved_charts: Arc<ResolvedCharts>,
}

impl EngineBuilder {
    /// Engines for the face `holder` (named in the Lease, e.g. `terraform`)
    /// with the default timeouts and retry policy.
    pub fn new(holder: &str) -> Self {
        Self {
            holder: holder.to_owned(),
            cluster_request_timeout: CLUSTER_REQUEST_TIMEOUT,
            retry: RetryPolicy::default(),
            resolved_charts: Arc::default(),
        }
    }

    /// The same settings with another retry policy for every call.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The same settings with another timeout for each Kubernetes request.
    pub fn with_cluster_request_timeout(mut self, timeout: Duration) -> Self {
        self.cluster_request_timeout = timeout;
        self
    }

    /// An Upbound client for `access` (its own request timeout is part of
    /// the access).
    pub fn upbound(&self, access: UpboundAccess) -> UpboundClient {
        UpboundClient::with_retry(access, self.retry)
    }

    /// A cluster client for `access` working in `namespace`.
    pub async fn cluster(
        &self,
        access: &ClusterAccess,
        namespace: &str,
    ) -> Result<Cluster, ClusterError> {
        Cluster::connect(access, namespace, self.cluster_request_timeout, self.retry).await
    }

    /// The engine over these clients; every engine of this builder shares
    /// the chart versions any of them pulled.
    pub fn engine(&self, upbound: UpboundClient, cluster: Cluster) -> Engine {
        Engine::new(upbound, cluster, &self.holder)
            .with_retry(self.retry)
            .sharing_resolved_charts(self.resolved_charts.clone())
    }
}
