//! Reading, applying (server-side, under our field manager) and deleting
//! Secrets in the connection's namespace: what the token Secret and the pull
//! secret share.

use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::Api;
use kube::api::{DeleteParams, Patch, PatchParams};

use super::Cluster;
use super::error::ClusterError;

impl Cluster {
    fn secrets(&self) -> Api<KubeSecret> {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// The Secret `name`, or `None`.
    pub(super) async fn get_secret(&self, name: &str) -> Result<Option<KubeSecret>, ClusterError> {
        let action = format!("read Secret {}/{name}", self.namespace);
        let secrets = self.secrets();
        self.call(&action, || secrets.get_opt(name)).await
    }

    /// Applies `secret` (which names itself) with server-side apply.
    pub(super) async fn apply_secret(&self, secret: &KubeSecret) -> Result<(), ClusterError> {
        let name = secret.metadata.name.clone().unwrap_or_default();
        let action = format!("apply Secret {}/{name}", self.namespace);
        let params = PatchParams::apply(super::FIELD_MANAGER).force();
        let secrets = self.secrets();
        let patch = Patch::Apply(secret);
        self.call(&action, || secrets.patch(&name, &params, &patch))
            .await
            .map(drop)
    }

    /// Deletes the Secret `name`; `false` if it was already gone.
    pub(super) async fn delete_secret(&self, name: &str) -> Result<bool, ClusterError> {
        let action = format!("delete Secret {}/{name}", self.namespace);
        let secrets = self.secrets();
        self.call(&action, || async {
            match secrets.delete(name, &DeleteParams::default()).await {
                Ok(_) => Ok(true),
                Err(kube::Error::Api(status)) if status.code == 404 => Ok(false),
                Err(error) => Err(error),
            }
        })
        .await
    }
}
