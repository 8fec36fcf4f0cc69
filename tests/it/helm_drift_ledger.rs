//! The drift check of a deployed release dry-runs only what was written
//! since the revision was deployed: the revision's record keeps each
//! object's version as the rollout left it, an object still at it needs no
//! dry-run apply, an object edited since is checked in full (and its edit
//! found), and a record without that ledger (as real helm writes them)
//! has every object checked in full.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;
use upbound_connect::helm::install::{Drift, ObjectRef, ReleaseState};

use testkit::install::{AgentChart, RELEASE, counting_installer, edit_agent_replicas};
use testkit::world::World;

#[tokio::test]
async fn only_objects_written_since_the_rollout_are_dry_run() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let chart = AgentChart::new(&world, "ledger");
    let request = chart.request();
    let (installer, requests) = counting_installer(&world).await;
    installer
        .upgrade_install(&request)
        .await
        .expect("installed");
    let objects = chart.rendered.rendered.manifests.len();
    assert!(objects >= 5, "the agent chart has its objects");

    requests.reset();
    let state = installer
        .observe(RELEASE, Some(&request))
        .await
        .expect("observed");
    assert_eq!(state, ReleaseState::Deployed { revision: 1 });
    assert_eq!(
        requests.dry_runs(),
        BTreeMap::new(),
        "nothing written since: no dry run"
    );
    let rerun = installer.upgrade_install(&request).await.expect("re-run");
    assert!(!rerun.changed);
    assert_eq!(requests.dry_runs(), BTreeMap::new(), "nor for a re-run");

    edit_agent_replicas(&world.kube, ns, 4).await;
    requests.reset();
    let state = installer
        .observe(RELEASE, Some(&request))
        .await
        .expect("observed");
    let deployment = ObjectRef {
        group: "apps".to_owned(),
        kind: "Deployment".to_owned(),
        namespace: Some(ns.to_owned()),
        name: "agent".to_owned(),
    };
    assert_eq!(
        state,
        ReleaseState::Drifted {
            revision: 1,
            drift: vec![Drift::ObjectEdited(deployment)],
        },
        "the edit is found"
    );
    let dry_runs = requests.dry_runs();
    assert!(
        !dry_runs.is_empty()
            && dry_runs
                .keys()
                .all(|request| request.ends_with("/deployments/agent")),
        "only the edited object is dry-run: {dry_runs:?}"
    );

    // A record as real helm writes it: no ledger, every object checked.
    let secrets: Api<Secret> = Api::namespaced(world.kube.clone(), ns);
    secrets
        .patch(
            "sh.helm.release.v1.agent.v1",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"annotations": {
                "upbound-connect.io/object-versions": null
            }}})),
        )
        .await
        .expect("ledger removed");
    requests.reset();
    installer
        .observe(RELEASE, Some(&request))
        .await
        .expect("observed");
    let dry_runs = requests.dry_runs();
    assert_eq!(
        dry_runs.len(),
        objects,
        "each object is dry-run: {dry_runs:?}"
    );
}
