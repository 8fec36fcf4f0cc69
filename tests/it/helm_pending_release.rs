//! A release left `pending-*` by an interrupted run is resolved by rolling
//! forward: the pending revision is marked failed and the requested state
//! deployed as the next revision, deleting what the interrupted revision
//! created beyond it; with no deployed revision at all, it is installed anew.

use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::helm::release::{ReleaseStore, Status};

use testkit::install::{RELEASE, history, installed};
use testkit::world::World;

#[tokio::test]
async fn an_interrupted_upgrade_is_rolled_forward() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let (chart, installer) = installed(&world, "paused").await;
    let request = chart.request();
    // An upgrade that died after creating a ConfigMap the release then owned.
    let mut interrupted = history(&world).await.remove(0);
    interrupted.version = 2;
    interrupted.info.status = Status::PendingUpgrade;
    interrupted.manifest.push_str("---\n# Source: agent/templates/extra.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
    ReleaseStore::new(world.cluster_as(&world.admin_access()).await)
        .create(&interrupted)
        .await
        .unwrap();
    let config_maps: Api<ConfigMap> = Api::namespaced(world.kube.clone(), ns);
    let extra = ConfigMap {
        metadata: ObjectMeta {
            name: Some("extra".to_owned()),
            labels: Some([("app.kubernetes.io/managed-by".to_owned(), "Helm".to_owned())].into()),
            annotations: Some(
                [
                    ("meta.helm.sh/release-name".to_owned(), RELEASE.to_owned()),
                    ("meta.helm.sh/release-namespace".to_owned(), ns.to_owned()),
                ]
                .into(),
            ),
            ..ObjectMeta::default()
        },
        ..ConfigMap::default()
    };
    config_maps
        .create(&PostParams::default(), &extra)
        .await
        .unwrap();

    let outcome = installer.upgrade_install(&request).await.expect("resolved");

    assert_eq!((outcome.revision, outcome.changed), (3, true));
    let history = history(&world).await;
    let statuses: Vec<_> = history.iter().map(|r| (r.version, r.info.status)).collect();
    assert_eq!(
        statuses,
        [
            (1, Status::Superseded),
            (2, Status::Failed),
            (3, Status::Deployed)
        ]
    );
    assert!(
        history[1].info.description.contains("interrupted"),
        "{}",
        history[1].info.description
    );
    assert!(
        config_maps.get_opt("extra").await.unwrap().is_none(),
        "the interrupted revision's object is gone"
    );
}

#[tokio::test]
async fn an_interrupted_first_install_is_installed_anew() {
    let world = World::new().await;
    let _ns = world.namespace.as_str();
    let (chart, installer) = installed(&world, "fresh").await;
    let request = chart.request();
    let mut record = history(&world).await.remove(0);
    record.info.status = Status::PendingInstall;
    ReleaseStore::new(world.cluster_as(&world.admin_access()).await)
        .update(&record)
        .await
        .unwrap();

    let outcome = installer.upgrade_install(&request).await.expect("resolved");

    assert_eq!((outcome.revision, outcome.changed), (2, true));
    let statuses: Vec<_> = history(&world)
        .await
        .iter()
        .map(|r| (r.version, r.info.status))
        .collect();
    assert_eq!(statuses, [(1, Status::Failed), (2, Status::Deployed)]);
}
