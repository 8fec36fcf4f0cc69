//! `read` reports what happened to release `agent` out of band, and connect
//! repairs it: an agent object deleted, an object edited, the release
//! uninstalled with real helm, and an agent version changed in the spec.

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{DeleteParams, ListParams, Patch, PatchParams};
use upbound_connect::engine::{Drift, Silent};
use upbound_connect::helm::install;

use testkit::helm::helm_in_cluster;
use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

#[tokio::test]
async fn read_finds_agent_drift_and_connect_repairs_it() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let engine = world.engine().await;
    let versions = chart_versions();
    let spec = world.agent_input("gamma", &versions[0]).validate().unwrap();
    engine.connect(&spec, &Silent).await.expect("connect");
    assert!(engine.read(&spec).await.unwrap().drift.is_empty());

    let deployments: Api<Deployment> = Api::namespaced(world.kube.clone(), &world.namespace);
    let name = deployments
        .list(&ListParams::default())
        .await
        .unwrap()
        .items[0]
        .metadata
        .name
        .clone()
        .unwrap();

    deployments
        .delete(&name, &DeleteParams::default())
        .await
        .unwrap();
    let drift = engine.read(&spec).await.unwrap().drift;
    assert!(
        matches!(drift.as_slice(), [Drift::Agent(install::Drift::ObjectMissing(object))] if object.name == name),
        "{drift:?}"
    );
    assert!(engine.connect(&spec, &Silent).await.unwrap().changed);
    assert!(engine.read(&spec).await.unwrap().drift.is_empty());
    assert!(deployments.get_opt(&name).await.unwrap().is_some());

    let edit = serde_json::json!({"spec": {"replicas": 5}});
    deployments
        .patch(&name, &PatchParams::default(), &Patch::Merge(&edit))
        .await
        .unwrap();
    let drift = engine.read(&spec).await.unwrap().drift;
    assert!(
        matches!(drift.as_slice(), [Drift::Agent(install::Drift::ObjectEdited(object))] if object.name == name),
        "{drift:?}"
    );
    engine.connect(&spec, &Silent).await.unwrap();
    assert!(engine.read(&spec).await.unwrap().drift.is_empty());

    let home = tempfile::tempdir().unwrap();
    helm_in_cluster(home.path(), &world.namespace, &["uninstall", "agent"]);
    let drift = engine.read(&spec).await.unwrap().drift;
    assert_eq!(drift, vec![Drift::AgentMissing]);
    let repaired = engine.connect(&spec, &Silent).await.unwrap();
    assert_eq!(repaired.connection.release_revision, Some(1));

    let newer = world.agent_input("gamma", &versions[1]).validate().unwrap();
    let drift = engine.read(&newer).await.unwrap().drift;
    assert!(
        drift
            .iter()
            .any(|drift| matches!(drift, Drift::Agent(install::Drift::Chart { .. }))),
        "{drift:?}"
    );
    let upgraded = engine.connect(&newer, &Silent).await.unwrap();
    assert_eq!(upgraded.connection.release_revision, Some(2));
    assert_eq!(
        upgraded.connection.agent_version.as_deref(),
        Some(versions[1].as_str())
    );
    assert!(engine.read(&newer).await.unwrap().drift.is_empty());
}
