//! Hook Pods on a cluster that runs none (the test apiserver has no
//! kubelet or controllers): the `default` ServiceAccount the apiserver
//! requires before it admits a Pod, and a stand-in that fails every Pod
//! named `*-fail` by writing its status, as a crashing container would.

use std::time::Duration;

use k8s_openapi::api::core::v1::{Pod, ServiceAccount};
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams, PostParams};
use serde_json::json;

/// Creates the `default` ServiceAccount in `namespace` (no controller
/// manager makes it), unless it exists.
pub async fn default_service_account(kube: &kube::Client, namespace: &str) {
    let accounts: Api<ServiceAccount> = Api::namespaced(kube.clone(), namespace);
    let account =
        serde_json::from_value(json!({"metadata": {"name": "default"}})).expect("a ServiceAccount");
    let _ = accounts.create(&PostParams::default(), &account).await;
}

/// Fails every Pod named `*-fail`, in every namespace, while it lives.
pub struct FailingPods(tokio::task::JoinHandle<()>);

impl FailingPods {
    /// Starts failing them.
    pub fn start(kube: kube::Client) -> Self {
        let pods: Api<Pod> = Api::all(kube.clone());
        Self(tokio::spawn(async move {
            loop {
                let listed = pods.list(&ListParams::default()).await;
                for pod in listed.map(|list| list.items).unwrap_or_default() {
                    let (Some(name), Some(namespace)) = (pod.metadata.name, pod.metadata.namespace)
                    else {
                        continue;
                    };
                    let phase = pod.status.and_then(|status| status.phase);
                    if !name.ends_with("-fail") || phase.as_deref() == Some("Failed") {
                        continue;
                    }
                    let api: Api<Pod> = Api::namespaced(kube.clone(), &namespace);
                    let status = json!({"status": {"phase": "Failed"}});
                    let _ = api
                        .patch_status(&name, &PatchParams::default(), &Patch::Merge(&status))
                        .await;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }))
    }
}

impl Drop for FailingPods {
    fn drop(&mut self) {
        self.0.abort();
    }
}
