//! A second run with the same chart, values and manifest, every object live
//! and unedited, sends no write at all: no apply, no new revision.

use std::time::Duration;

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::ListParams;

use testkit::install::{AgentChart, counting_installer, mark_deployments_ready};
use testkit::world::World;

/// Name → resourceVersion of every Secret (release records included).
async fn secret_versions(world: &World) -> Vec<(String, String)> {
    Api::<Secret>::namespaced(world.kube.clone(), &world.namespace)
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|secret| {
            (
                secret.metadata.name.unwrap(),
                secret.metadata.resource_version.unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_unchanged_release_is_left_untouched() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let chart = AgentChart::new(&world, "same");
    let request = chart.rendered.request(true, Duration::from_secs(30));
    let (installer, writes) = counting_installer(&world).await;
    {
        let _ready = mark_deployments_ready(world.kube.clone(), ns);
        let first = installer
            .upgrade_install(&request)
            .await
            .expect("installed");
        assert!(first.changed);
    }
    assert!(
        !writes.get().is_empty(),
        "the first run wrote: the counter works"
    );
    writes.reset();
    let before = secret_versions(&world).await;

    let second = installer.upgrade_install(&request).await.expect("re-run");

    assert_eq!((second.revision, second.changed), (1, false));
    assert_eq!(writes.get(), Default::default(), "no write request at all");
    assert_eq!(secret_versions(&world).await, before, "no record written");
}
