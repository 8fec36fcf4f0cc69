//! Disconnect uninstalls release `agent` (its objects, then its records)
//! before deleting the token Secret: the namespace is left as it was
//! before connect, and real helm lists nothing. A second disconnect is a
//! no-op.

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, ServiceAccount};
use kube::Api;
use kube::api::ListParams;
use upbound_connect::engine::{DisconnectOptions, Silent};

use testkit::helm::helm_in_cluster;
use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

/// Names of the namespace's objects of the kinds the agent chart makes.
async fn contents(world: &World) -> BTreeSet<String> {
    async fn names<K>(api: Api<K>, kind: &str) -> Vec<String>
    where
        K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
    {
        api.list(&ListParams::default())
            .await
            .unwrap()
            .items
            .iter()
            .map(|item| format!("{kind}/{}", item.meta().name.clone().unwrap_or_default()))
            .collect()
    }
    let ns = &world.namespace;
    let kube = &world.kube;
    let mut all = BTreeSet::new();
    all.extend(names::<Deployment>(Api::namespaced(kube.clone(), ns), "Deployment").await);
    all.extend(names::<ServiceAccount>(Api::namespaced(kube.clone(), ns), "ServiceAccount").await);
    all.extend(names::<ConfigMap>(Api::namespaced(kube.clone(), ns), "ConfigMap").await);
    all.extend(names::<Secret>(Api::namespaced(kube.clone(), ns), "Secret").await);
    all
}

#[tokio::test]
async fn disconnect_uninstalls_the_agent() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let engine = world.engine().await;
    let spec = world
        .agent_input("beta", &chart_versions()[0])
        .validate()
        .unwrap();
    let before = contents(&world).await;

    engine.connect(&spec, &Silent).await.expect("connect");
    assert!(contents(&world).await.len() > before.len());

    let gone = engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(gone.changed);
    assert_eq!(gone.connection.release_revision, None);
    assert_eq!(
        contents(&world).await,
        before,
        "namespace as before connect"
    );
    let home = tempfile::tempdir().unwrap();
    let listed = helm_in_cluster(home.path(), &world.namespace, &["list", "-a", "-q"]);
    assert_eq!(listed.trim(), "", "no release left");
    assert!(world.double.robots().is_empty());

    let again = engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("second disconnect");
    assert!(!again.changed);
}
