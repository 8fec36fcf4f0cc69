//! Real helm works on our release: `helm list`, `status`, `get values`,
//! `upgrade` (then ours upgrades over helm's revision, taking back the
//! fields helm patched) and `uninstall`.

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use serde_json::{Value, json};

use testkit::helm::helm_in_cluster;
use testkit::install::{RELEASE, agent_chart_dir, history, installed};
use testkit::world::World;

#[tokio::test]
async fn helm_reads_upgrades_and_uninstalls_our_release() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let (chart, installer) = installed(&world, "shared").await;
    let request = chart.request();
    let helm = |args: &[&str]| helm_in_cluster(chart.home.path(), ns, args);

    let listed: Value = serde_json::from_str(&helm(&["list", "-o", "json"])).unwrap();
    assert_eq!(
        (&listed[0]["name"], &listed[0]["status"]),
        (&json!(RELEASE), &json!("deployed"))
    );
    let status: Value = serde_json::from_str(&helm(&["status", RELEASE, "-o", "json"])).unwrap();
    assert_eq!(status["info"]["status"], "deployed");
    assert_eq!(status["info"]["description"], "Install complete");
    let values: Value =
        serde_json::from_str(&helm(&["get", "values", RELEASE, "-o", "json"])).unwrap();
    assert_eq!(
        values,
        json!({"space": "shared", "organization": "acme", "tokenSecret": "connect-token"})
    );

    let chart = agent_chart_dir();
    helm(&[
        "upgrade",
        RELEASE,
        chart.to_str().unwrap(),
        "--reuse-values",
        "--set",
        "replicaCount=2",
    ]);
    let deployments: Api<Deployment> = Api::namespaced(world.kube.clone(), ns);
    let replicas = |deployment: Deployment| deployment.spec.unwrap().replicas;
    assert_eq!(replicas(deployments.get("agent").await.unwrap()), Some(2));

    let ours = installer
        .upgrade_install(&request)
        .await
        .expect("upgraded over helm's revision");
    assert_eq!((ours.revision, ours.changed), (3, true));
    assert_eq!(replicas(deployments.get("agent").await.unwrap()), Some(1));
    let revisions: Vec<Value> =
        serde_json::from_str(&helm(&["history", RELEASE, "-o", "json"])).unwrap();
    let statuses: Vec<&str> = revisions
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["superseded", "superseded", "deployed"]);

    helm(&["uninstall", RELEASE]);
    assert!(deployments.get_opt("agent").await.unwrap().is_none());
    assert!(history(&world).await.is_empty(), "helm deleted our records");
}
