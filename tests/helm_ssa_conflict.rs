//! Fields another tool applied (server-side apply, its own field manager)
//! are not silently taken: the upgrade fails naming the object and the
//! manager, until `take_ownership` is set.

mod support;

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::json;
use upbound_connect::helm::install::InstallError;

use support::install::{Rendered, agent_chart_dir, agent_values, installer};
use support::world::World;

#[tokio::test]
async fn another_appliers_fields_are_refused_unless_taken_over() {
    let world = World::new().await;
    let home = tempfile::tempdir().unwrap();
    let ns = world.namespace.as_str();
    let rendered = Rendered::new(
        home.path(),
        &agent_chart_dir(),
        ns,
        &agent_values("contested"),
    );
    let installer = installer(&world).await;
    installer
        .upgrade_install(&rendered.request(false, Duration::from_secs(10)))
        .await
        .expect("installed");
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
        .upgrade_install(&rendered.request(false, Duration::from_secs(10)))
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

    let mut request = rendered.request(false, Duration::from_secs(10));
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
