//! Under act, examples/workflows/access.yml as users write it: its `access`
//! input grants a user `view` in every group and organization members
//! `edit` in one group, as the cluster's RBAC authorizer decides, and the
//! job summary lists what it made; the disconnect workflow (its
//! `access: "[]"`) then removes every grant.

use crate::common::act::Act;
use testkit::access::{Identity, assert_allowed, level, new_group, ours};
use testkit::unique_name;
use testkit::world::World;

#[tokio::test]
async fn the_access_input_grants_and_disconnect_revokes() {
    let world = World::new().await;
    let kube = &world.kube;
    let group = new_group(kube).await;
    let viewer = unique_name("viewer");

    let connect = Act::example(&world, "push", "examples/workflows/access.yml", "connect")
        .args(&["--var", &format!("VIEWER={viewer}")])
        .args(&["--var", &format!("TEAM_GROUP={group}")])
        .run()
        .await;
    connect.assert_success();
    let messages = connect.messages();
    assert!(
        messages.contains("Hub RBAC `RoleBinding") && messages.contains(&group),
        "the job summary lists the grants made:\n{messages}"
    );
    let viewer = Identity::user(&format!("upbound:user:{viewer}"));
    let member = Identity::member_of(&["upbound:org-role:member"]);
    assert_allowed(kube, &viewer, None, level(Some("view")), &connect.log).await;
    assert_allowed(kube, &member, Some(&group), level(Some("edit")), "").await;
    assert_allowed(kube, &member, None, level(None), "").await;

    let disconnect = Act::example(
        &world,
        "workflow_dispatch",
        "examples/workflows/disconnect.yml",
        "disconnect",
    )
    .run()
    .await;
    disconnect.assert_success();
    assert_allowed(kube, &viewer, None, level(None), "").await;
    assert_allowed(kube, &member, Some(&group), level(None), "").await;
    assert_eq!(ours(kube, &world.namespace).await, Default::default());
}
