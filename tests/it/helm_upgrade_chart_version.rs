//! Upgrading to the newer agent chart version (global.* values): a new
//! revision `deployed`, the old one `superseded`, objects updated, and an
//! object that left the manifest deleted.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use upbound_connect::helm::release::Status;

use testkit::install::{
    Rendered, extra_document, history, installer, mark_deployments_ready, pulled_chart,
};
use testkit::registry::chart_versions;
use testkit::world::World;

#[tokio::test]
async fn a_new_chart_version_is_an_upgrade_that_prunes() {
    let world = World::new().await;
    let home = tempfile::tempdir().unwrap();
    let ns = world.namespace.as_str();
    let versions = chart_versions();
    let (older, newer) = (&versions[0], &versions[1]);
    let mut first = Rendered::new(
        home.path(),
        &pulled_chart(home.path(), older).await,
        ns,
        &[
            ("space", "up"),
            ("organization", "acme"),
            ("tokenSecret", "connect-token"),
        ],
    );
    first.rendered.manifests.insert(
        0,
        extra_document("v1", "ConfigMap", "old-only", "data:\n  a: b"),
    );
    let second = Rendered::new(
        home.path(),
        &pulled_chart(home.path(), newer).await,
        ns,
        &[
            ("global.space", "up"),
            ("global.organization", "acme"),
            ("global.tokenSecret", "connect-token"),
        ],
    );
    let _ready = mark_deployments_ready(world.kube.clone(), ns);
    let installer = installer(&world).await;
    installer
        .upgrade_install(&first.request(true, Duration::from_secs(30)))
        .await
        .expect("older version installed");
    let config_maps: Api<ConfigMap> = Api::namespaced(world.kube.clone(), ns);
    config_maps
        .get("old-only")
        .await
        .expect("the extra object exists");

    let outcome = installer
        .upgrade_install(&second.request(true, Duration::from_secs(30)))
        .await
        .expect("upgraded");

    assert_eq!((outcome.revision, outcome.changed), (2, true));
    let deployment = Api::<Deployment>::namespaced(world.kube.clone(), ns)
        .get("agent")
        .await
        .unwrap();
    assert_eq!(
        deployment.metadata.labels.unwrap()["helm.sh/chart"],
        format!("agent-{newer}")
    );
    assert!(
        config_maps.get_opt("old-only").await.unwrap().is_none(),
        "left the manifest, deleted"
    );
    let history = history(&world).await;
    let statuses: Vec<_> = history.iter().map(|r| (r.version, r.info.status)).collect();
    assert_eq!(statuses, [(1, Status::Superseded), (2, Status::Deployed)]);
    assert_eq!(history[1].info.description, "Upgrade complete");
    assert_eq!(history[1].chart.metadata["version"], newer.as_str());
    assert_eq!(
        history[1].info.first_deployed,
        history[0].info.first_deployed
    );
}
