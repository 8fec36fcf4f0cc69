//! A release installed by real `helm install` is adopted and upgraded in
//! place: same release, next revision, helm's client-side-applied fields
//! taken over by our field manager (so one that left the values is removed).

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use upbound_connect::helm::release::Status;

use testkit::helm::helm_in_cluster;
use testkit::install::{RELEASE, Rendered, agent_chart_dir, agent_values, history, installer};
use testkit::world::World;

#[tokio::test]
async fn a_helm_installed_release_is_upgraded_in_place() {
    let world = World::new().await;
    let home = tempfile::tempdir().unwrap();
    let ns = world.namespace.as_str();
    let chart = agent_chart_dir();
    helm_in_cluster(
        home.path(),
        ns,
        &[
            "install",
            RELEASE,
            chart.to_str().unwrap(),
            "--set",
            "space=before,organization=acme,tokenSecret=connect-token,imagePullSecrets[0].name=regcred",
        ],
    );
    let rendered = Rendered::new(home.path(), &chart, ns, &agent_values("after"));

    let outcome = installer(&world)
        .await
        .upgrade_install(&rendered.request(false, Duration::from_secs(10)))
        .await
        .expect("adopted and upgraded");

    assert_eq!((outcome.revision, outcome.changed), (2, true));
    let deployment = Api::<Deployment>::namespaced(world.kube.clone(), ns)
        .get("agent")
        .await
        .unwrap();
    let args = deployment.spec.unwrap().template.spec.unwrap().containers[0]
        .args
        .clone()
        .unwrap();
    assert!(args.contains(&"--space=after".to_owned()), "{args:?}");
    let appliers: Vec<_> = deployment
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .filter(|entry| entry.operation.as_deref() == Some("Apply"))
        .map(|entry| entry.manager.unwrap())
        .collect();
    assert_eq!(appliers, ["upbound-connect"]);
    let account = Api::<ServiceAccount>::namespaced(world.kube.clone(), ns)
        .get("agent")
        .await
        .unwrap();
    assert_eq!(
        account.image_pull_secrets, None,
        "a field helm set that left the values is removed: helm's fields became ours"
    );
    let managers: Vec<_> = account
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .map(|entry| entry.manager.unwrap())
        .collect();
    assert!(!managers.contains(&"helm".to_owned()), "{managers:?}");
    let statuses: Vec<_> = history(&world)
        .await
        .iter()
        .map(|r| (r.version, r.info.status))
        .collect();
    assert_eq!(statuses, [(1, Status::Superseded), (2, Status::Deployed)]);
    let listed = helm_in_cluster(home.path(), ns, &["list", "-o", "json"]);
    assert!(
        listed.contains("\"revision\":\"2\"") && listed.contains("\"status\":\"deployed\""),
        "{listed}"
    );
}
