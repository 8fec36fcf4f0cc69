//! What every package's integration tests share: the addresses of the
//! harnesses that `tests/run` started, and clients and fixtures for them.
//!
//! - [`world`]: [`world::World`], the Upbound API double plus the real
//!   kube-apiserver, with a fresh namespace and organization per test.
//! - [`install`]: the Helm-equivalent installer on the harness cluster
//!   (installers, release history, a stand-in that marks Deployments ready).
//! - [`registry`]: the harness OCI registry and the test agent chart in it.
//! - [`helm`]: real `helm` against the harness cluster and registry.
//! - [`hook_pods`]: hook Pods made to fail on a cluster that runs none.
//! - [`access`]: Hub RBAC checks through the apiserver's authorizer.
//! - [`bad_input`]: bad tokens and kubeconfigs every face's input-error table feeds.
//! - [`cli`]: [`cli::Cli`], Terraform or OpenTofu, and [`test_each_cli!`],
//!   which runs one test body under each.
//! - [`terraform`]: real Terraform or OpenTofu in a scratch working directory.
//! - [`provider_release`]: provider releases made by `release/package-provider`,
//!   signed with throwaway keys from real gpg.
//! - [`provider_registry`]: a provider registry over HTTPS serving one release.

use std::path::{Path, PathBuf};

use kube::config::{KubeConfigOptions, Kubeconfig};

/// The value of `UPBOUND_CONNECT_TEST_<name>`, exported by `tests/run`.
///
/// Panics with a hint when it is missing: these tests need the real harnesses,
/// and skipping silently would hide that they did not run.
pub fn harness_env(name: &str) -> String {
    let key = format!("UPBOUND_CONNECT_TEST_{name}");
    std::env::var(&key).unwrap_or_else(|_| {
        panic!("{key} is not set: run the tests with `tests/run`, which starts the real harnesses")
    })
}

/// A kube client for the kubeconfig whose path is in `UPBOUND_CONNECT_TEST_<which>`.
pub async fn kube_client(which: &str) -> kube::Client {
    let kubeconfig = Kubeconfig::read_from(harness_env(which)).expect("readable kubeconfig");
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .expect("valid kubeconfig");
    kube::Client::try_from(config).expect("kube client")
}

/// A cluster-admin client for the test kube-apiserver.
pub async fn admin_client() -> kube::Client {
    kube_client("KUBECONFIG").await
}

/// A cluster-admin [`Cluster`] of the test kube-apiserver working in
/// `namespace`.
pub async fn admin_cluster(namespace: &str) -> upbound_connect::cluster::Cluster {
    upbound_connect::cluster::Cluster::connect(
        &world::admin_access(world::FIRST_CLUSTER),
        namespace,
        std::time::Duration::from_secs(5),
        world::FAST_RETRY,
    )
    .await
    .expect("cluster client")
}

/// A name no other test run uses: `<prefix>-<random hex>`, a valid DNS-1123 label.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .subsec_nanos();
    format!("{prefix}-{:x}{:x}", std::process::id(), nanos)
}

/// A file or folder of the repository, by its path from the root (e.g.
/// `tests/charts/agent`).
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

pub mod access;
pub mod bad_input;
pub mod cli;
pub mod helm;
pub mod hook_pods;
pub mod install;
pub mod provider_registry;
pub mod provider_release;
pub mod registry;
pub mod terraform;
pub mod world;

/// An observer that records every step of a run, for tests to look at.
#[derive(Default)]
pub struct Steps(pub std::sync::Mutex<Vec<upbound_connect::engine::Step>>);

impl upbound_connect::engine::Observer for Steps {
    fn step(&self, step: upbound_connect::engine::Step) {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(step);
    }
}
