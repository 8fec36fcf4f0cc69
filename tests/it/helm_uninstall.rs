//! Uninstall deletes the release's objects and records and leaves the
//! namespace as it was before the install, sparing an object marked
//! `helm.sh/resource-policy: keep`; a second uninstall finds nothing.

use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Secret, ServiceAccount};
use k8s_openapi::api::rbac::v1::{ClusterRole, Role};
use kube::Api;
use kube::api::ListParams;
use upbound_connect::helm::install::{ObjectRef, UninstallOutcome};

use testkit::install::{AgentChart, RELEASE, extra_document, installer};
use testkit::world::World;

/// Names of what the namespace holds, by kind (and our ClusterRole).
async fn contents(world: &World) -> Vec<String> {
    let ns = &world.namespace;
    let names = |items: Vec<kube::api::ObjectMeta>| items.into_iter().map(|m| m.name.unwrap());
    let params = ListParams::default();
    let mut all = Vec::new();
    let kube = world.kube.clone();
    all.extend(
        names(
            Api::<Secret>::namespaced(kube.clone(), ns)
                .list_metadata(&params)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.metadata)
                .collect(),
        )
        .map(|n| format!("Secret {n}")),
    );
    all.extend(
        names(
            Api::<ConfigMap>::namespaced(kube.clone(), ns)
                .list_metadata(&params)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.metadata)
                .collect(),
        )
        .map(|n| format!("ConfigMap {n}")),
    );
    all.extend(
        names(
            Api::<ServiceAccount>::namespaced(kube.clone(), ns)
                .list_metadata(&params)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.metadata)
                .collect(),
        )
        .map(|n| format!("ServiceAccount {n}")),
    );
    all.extend(
        names(
            Api::<Role>::namespaced(kube.clone(), ns)
                .list_metadata(&params)
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|o| o.metadata)
                .collect(),
        )
        .map(|n| format!("Role {n}")),
    );
    let ours = format!("{ns}-agent");
    if Api::<ClusterRole>::all(kube)
        .get_opt(&ours)
        .await
        .unwrap()
        .is_some()
    {
        all.push(format!("ClusterRole {ours}"));
    }
    all
}

#[tokio::test]
async fn uninstall_leaves_the_namespace_as_before() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let mut chart = AgentChart::new(&world, "leaving");
    chart.rendered.rendered.manifests.insert(
        0,
        extra_document(
            "v1",
            "ConfigMap",
            "kept",
            "  annotations:\n    helm.sh/resource-policy: keep",
        ),
    );
    let before = contents(&world).await;
    let installer = installer(&world).await;
    installer
        .upgrade_install(&chart.request())
        .await
        .expect("installed");
    assert_ne!(contents(&world).await, before);

    let outcome = installer
        .uninstall(RELEASE, Duration::from_secs(10))
        .await
        .expect("uninstalled");

    let kept = ObjectRef {
        group: String::new(),
        kind: "ConfigMap".to_owned(),
        namespace: Some(ns.to_owned()),
        name: "kept".to_owned(),
    };
    assert_eq!(
        outcome,
        UninstallOutcome::Uninstalled {
            revision: 1,
            kept: vec![kept]
        }
    );
    let mut after = contents(&world).await;
    after.retain(|entry| entry != "ConfigMap kept");
    assert_eq!(after, before);
    assert_eq!(
        installer
            .uninstall(RELEASE, Duration::from_secs(10))
            .await
            .expect("nothing to do"),
        UninstallOutcome::AlreadyGone
    );
}
