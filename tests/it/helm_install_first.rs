//! A first install: every object applied under our field manager with
//! Helm's ownership metadata, the Deployment waited for, and revision 1
//! recorded `deployed` so that real helm lists it.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::Api;
use serde_json::Value;
use upbound_connect::helm::release::{ReleaseStore, Status};

use testkit::helm::helm_in_cluster;
use testkit::install::{AgentChart, RELEASE, installer, mark_deployments_ready};
use testkit::world::World;

#[tokio::test]
async fn first_install_applies_owned_objects_and_records_revision_one() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let chart = AgentChart::new(&world, "first");
    let _ready = mark_deployments_ready(world.kube.clone(), ns);

    let outcome = installer(&world)
        .await
        .upgrade_install(&chart.rendered.request(true, Duration::from_secs(30)))
        .await
        .expect("installed");
    assert_eq!((outcome.revision, outcome.changed), (1, true));

    let deployment = Api::<Deployment>::namespaced(world.kube.clone(), ns)
        .get("agent")
        .await
        .expect("Deployment created");
    let labels = deployment.metadata.labels.clone().unwrap();
    let annotations = deployment.metadata.annotations.clone().unwrap();
    assert_eq!(labels["app.kubernetes.io/managed-by"], "Helm");
    assert_eq!(annotations["meta.helm.sh/release-name"], RELEASE);
    assert_eq!(annotations["meta.helm.sh/release-namespace"], ns);
    let managers: Vec<_> = deployment
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .filter(|entry| entry.operation.as_deref() == Some("Apply"))
        .map(|entry| entry.manager.unwrap())
        .collect();
    assert_eq!(managers, ["upbound-connect"]);
    Api::<ServiceAccount>::namespaced(world.kube.clone(), ns)
        .get("agent")
        .await
        .expect("ServiceAccount created");
    Api::<ClusterRole>::all(world.kube.clone())
        .get(&format!("{ns}-agent"))
        .await
        .expect("cluster-scoped ClusterRole created");

    let history = ReleaseStore::new(world.cluster_as(&world.admin_access()).await)
        .history(RELEASE)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].info.status, Status::Deployed);
    assert_eq!(history[0].info.description, "Install complete");
    assert!(
        !history[0].manifest.contains("meta.helm.sh"),
        "ownership is not in the manifest text"
    );

    let listed: Value = serde_json::from_str(&helm_in_cluster(
        chart.home.path(),
        ns,
        &["list", "-o", "json"],
    ))
    .unwrap();
    assert_eq!(listed[0]["name"], RELEASE);
    assert_eq!(listed[0]["status"], "deployed");
    assert_eq!(listed[0]["revision"], "1");
}
