//! Drift: an object deleted and another edited out of band (an imperative
//! edit, as `kubectl edit` makes) are reported by `observe` without writing,
//! and `upgrade_install` repairs both.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use kube::api::DeleteParams;
use upbound_connect::helm::install::{Drift, ObjectRef, ReleaseState};

use testkit::install::{
    RELEASE, Rendered, agent_chart_dir, agent_values, edit_agent_replicas, installed,
};
use testkit::world::World;

fn object(group: &str, kind: &str, ns: &str) -> ObjectRef {
    ObjectRef {
        group: group.to_owned(),
        kind: kind.to_owned(),
        namespace: Some(ns.to_owned()),
        name: "agent".to_owned(),
    }
}

#[tokio::test]
async fn out_of_band_changes_are_observed_and_repaired() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let (chart, installer) = installed(&world, "drifting").await;
    let request = chart.request();
    assert_eq!(
        installer.observe(RELEASE, Some(&request)).await.unwrap(),
        ReleaseState::Deployed { revision: 1 }
    );

    let accounts: Api<ServiceAccount> = Api::namespaced(world.kube.clone(), ns);
    accounts
        .delete("agent", &DeleteParams::default())
        .await
        .unwrap();
    edit_agent_replicas(&world.kube, ns, 4).await;

    let state = installer.observe(RELEASE, Some(&request)).await.unwrap();
    assert_eq!(
        state,
        ReleaseState::Drifted {
            revision: 1,
            drift: vec![
                Drift::ObjectMissing(object("", "ServiceAccount", ns)),
                Drift::ObjectEdited(object("apps", "Deployment", ns)),
            ],
        }
    );
    let other_values = Rendered::new(
        chart.home.path(),
        &agent_chart_dir(),
        ns,
        &agent_values("elsewhere"),
    );
    let ReleaseState::Drifted { drift, .. } = installer
        .observe(
            RELEASE,
            Some(&other_values.request(false, Duration::from_secs(10))),
        )
        .await
        .unwrap()
    else {
        panic!("drifted")
    };
    assert!(
        drift.contains(&Drift::Values) && drift.contains(&Drift::Manifest),
        "{drift:?}"
    );

    let repaired = installer.upgrade_install(&request).await.expect("repaired");
    assert_eq!((repaired.revision, repaired.changed), (2, true));
    accounts.get("agent").await.expect("ServiceAccount back");
    let deployments: Api<Deployment> = Api::namespaced(world.kube.clone(), ns);
    let replicas = deployments
        .get("agent")
        .await
        .unwrap()
        .spec
        .unwrap()
        .replicas;
    assert_eq!(replicas, Some(1));
    assert_eq!(
        installer.observe(RELEASE, Some(&request)).await.unwrap(),
        ReleaseState::Deployed { revision: 2 }
    );
}
