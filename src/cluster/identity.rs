//! The cluster's identity: the UID of namespace `kube-system`. Every
//! cluster has that namespace from its first start and never deletes it, and
//! its UID is unique to the cluster, so it tells two clusters apart where
//! names and addresses (a kubeconfig's server, a context name) do not.
//! Read once per cluster adapter: it cannot change while the cluster lives.

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;

use super::Cluster;
use super::error::ClusterError;
use crate::spec::FieldError;

/// The namespace whose UID identifies the cluster.
const IDENTITY_NAMESPACE: &str = "kube-system";

impl Cluster {
    /// The cluster's identity: namespace `kube-system`'s UID (one GET, the
    /// first time; clones and [`in_namespace`](Self::in_namespace) share it).
    pub async fn identity(&self) -> Result<String, ClusterError> {
        self.identity
            .get_or_try_init(|| async {
                let namespaces: Api<Namespace> = Api::all(self.client.clone());
                let action = format!("read Namespace {IDENTITY_NAMESPACE} (the cluster's identity)");
                let namespace = self
                    .call(&action, || namespaces.get(IDENTITY_NAMESPACE))
                    .await?;
                namespace
                    .metadata
                    .uid
                    .filter(|uid| !uid.is_empty())
                    .ok_or_else(|| {
                        ClusterError::Config(FieldError::new(
                            self.access_field,
                            format!("leads to a server whose namespace {IDENTITY_NAMESPACE} has no UID to identify the cluster by"),
                            "give the access of a Kubernetes cluster's API server",
                        ))
                    })
            })
            .await
            .cloned()
    }
}
