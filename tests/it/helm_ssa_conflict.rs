//! Fields another tool applied (server-side apply, its own field manager)
//! are not silently taken: the upgrade fails naming the object and the
//! manager, until `take_ownership` is set.

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;
use upbound_connect::helm::install::InstallError;

use testkit::install::installed;
use testkit::world::World;

#[tokio::test]
async fn another_appliers_fields_are_refused_unless_taken_over() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let (chart, installer) = installed(&world, "contested").await;
    let deployments: Api<Deployment> = Api::namespaced(world.kube.clone(), ns);
    let theirs = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "agent"}, "spec": {"replicas": 3}});
    deployments
        .patch(
            "agent",
            &PatchParams::apply("other-tool").force(),
            &Patch::Apply(&theirs),
        )
        .await
        .expect("the other tool applies");

    let error = installer
        .upgrade_install(&chart.request())
        .await
        .expect_err("the other tool's field is not taken silently");
    let InstallError::Conflict {
        object,
        managers,
        fields,
    } = &error
    else {
        panic!("not a conflict: {error}")
    };
    assert_eq!(
        object,
        &format!("Deployment \"agent\" in namespace \"{ns}\"")
    );
    assert_eq!(managers, &["\"other-tool\""]);
    assert_eq!(fields, &[".spec.replicas"]);
    assert!(error.to_string().contains("take_ownership"), "{error}");

    let mut request = chart.request();
    request.take_ownership = true;
    let outcome = installer
        .upgrade_install(&request)
        .await
        .expect("taken over");
    assert!(outcome.changed);
    let replicas = deployments
        .get("agent")
        .await
        .unwrap()
        .spec
        .unwrap()
        .replicas;
    assert_eq!(replicas, Some(1));
}
