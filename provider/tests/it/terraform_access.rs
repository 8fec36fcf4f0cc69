//! `access` blocks through real Terraform, judged by the real apiserver's
//! RBAC authorizer (`SubjectAccessReview`): a bad subject fails the plan on
//! `access[0].subject` and a group that does not exist fails apply on
//! `access[1].group`, both before anything exists; apply grants alice `view` in
//! every group (never `edit`) and organization members `edit` in one group
//! only; refresh finds a binding deleted out of band and the plan adds that
//! grant back, and a grant another run added shows as drift that apply
//! removes; a removed block is a revoked grant; destroy leaves no RBAC
//! object of the connection. After every apply both plans are empty.

use k8s_openapi::api::rbac::v1::ClusterRoleBinding;
use kube::Api;
use kube::api::DeleteParams;
use testkit::access::{Identity, assert_allowed, level, new_group, ours};
use testkit::terraform::TerraformDir;
use testkit::unique_name;
use testkit::world::World;
use upbound_connect::engine::Silent;
use upbound_connect::spec::{ConnectionInput, GrantInput};

/// The access example: `organization`, `space`, `namespace` and `group`
/// are variables.
const ACCESS: &str = include_str!("../../../examples/terraform/access/main.tf");

const ADDRESS: &str = "upbound_space_connection.this";

/// The example's grant to organization members, as written there.
const MEMBER_BLOCK: &str = r#"  access {
    subject = "upbound:org-role:member"
    level   = "edit"
    group   = var.group
  }
"#;

/// The example's subject for alice, as written there.
const ALICE_SUBJECT: &str = r#"subject = "upbound:user:alice""#;

#[tokio::test]
async fn grants_follow_the_access_blocks() {
    let world = World::new().await;
    let kube = &world.kube;
    let (group, other_group) = (new_group(kube).await, new_group(kube).await);
    let missing_group = unique_name("no-such-group");
    let terraform = TerraformDir::for_world(&world, ACCESS)
        .env("TF_VAR_space", "shared")
        .env("TF_VAR_group", &missing_group);
    terraform.init().await;
    assert!(ACCESS.contains(MEMBER_BLOCK) && ACCESS.contains(ALICE_SUBJECT));

    terraform.write(
        "main.tf",
        &ACCESS.replace(ALICE_SUBJECT, r#"subject = "alice""#),
    );
    let bad = terraform.plan(&[]).await;
    assert_eq!(bad.code, 1, "a bad subject fails the plan:\n{bad}");
    assert!(
        bad.stderr.contains("access[0].subject") && bad.stderr.contains("upbound:user:<name>"),
        "the error names the attribute and the accepted forms:\n{bad}"
    );
    assert_eq!(world.double.robots(), vec![], "no robot");
    assert!(ours(kube, &world.namespace).await.is_empty(), "no RBAC");

    terraform.write("main.tf", ACCESS);
    let unknown_group = terraform.apply(&[]).await;
    assert_eq!(
        unknown_group.code, 1,
        "a missing group fails:\n{unknown_group}"
    );
    assert!(
        unknown_group.stderr.contains("access[1].group")
            && unknown_group.stderr.contains(&missing_group),
        "the error names the grant's group:\n{unknown_group}"
    );
    assert_eq!(world.double.robots(), vec![], "no robot");
    assert!(ours(kube, &world.namespace).await.is_empty(), "no RBAC");

    let terraform = terraform.env("TF_VAR_group", &group);
    terraform.apply(&[]).await.success();
    let values = terraform.state_values(ADDRESS).await;
    assert_eq!(
        values["access"],
        serde_json::json!([
            {"subject": "upbound:user:alice", "level": "view", "group": null},
            {"subject": "upbound:org-role:member", "level": "edit", "group": group},
        ])
    );
    let alice = Identity::user("upbound:user:alice");
    let member = Identity::member_of(&["upbound:org-role:member"]);
    for scope in [Some(group.as_str()), Some(other_group.as_str()), None] {
        assert_allowed(
            kube,
            &alice,
            scope,
            level(Some("view")),
            &format!("alice may view, not edit, in {scope:?}"),
        )
        .await;
    }
    assert_allowed(
        kube,
        &member,
        Some(&group),
        level(Some("edit")),
        "members may edit in the group",
    )
    .await;
    for scope in [Some(other_group.as_str()), None] {
        assert_allowed(
            kube,
            &member,
            scope,
            level(None),
            &format!("the group grant does not reach {scope:?}"),
        )
        .await;
    }
    terraform.assert_no_changes("apply").await;

    let bindings: Api<ClusterRoleBinding> = Api::all(kube.clone());
    let alice_binding = ours(kube, &world.namespace)
        .await
        .into_keys()
        .find_map(|object| {
            object
                .strip_prefix("ClusterRoleBinding ")
                .map(str::to_owned)
        })
        .expect("alice's ClusterRoleBinding");
    bindings
        .delete(&alice_binding, &DeleteParams::default())
        .await
        .expect("binding deleted out of band");
    assert_allowed(kube, &alice, None, level(None), "").await;
    let repair = terraform.plan(&[]).await;
    assert_eq!(repair.code, 2, "the lost grant is planned back:\n{repair}");
    // Blocks are a list, so Terraform shows the difference position by
    // position: alice's grant comes back first, the members' one moves on.
    assert!(
        repair.stdout.contains("+ access {")
            && repair
                .stdout
                .contains(r#""upbound:org-role:member" -> "upbound:user:alice""#)
            && repair.stdout.contains("1 to change, 0 to destroy"),
        "the plan adds alice's grant back in place:\n{repair}"
    );
    terraform.apply(&[]).await.success();
    assert_allowed(kube, &alice, None, level(Some("view")), "").await;
    terraform.assert_no_changes("repair").await;

    // Another run grants bob too: no block asks for bob's binding, so
    // refresh lists its deletion in `repairs`.
    let bob = format!("upbound:user:{}", unique_name("bob"));
    let spec = ConnectionInput {
        access: Some(vec![
            GrantInput::new("upbound:user:alice", "view", None),
            GrantInput::new("upbound:org-role:member", "edit", Some(&group)),
            GrantInput::new(&bob, "view", None),
        ]),
        ..world.input("shared")
    }
    .validate()
    .expect("valid grants");
    world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect("bob granted out of band");
    let bob = Identity::user(&bob);
    assert_allowed(kube, &bob, None, level(Some("view")), "").await;
    let unused = terraform.plan(&[]).await;
    assert_eq!(unused.code, 2, "the extra grant is planned away:\n{unused}");
    // Listed in `repairs`, which apply empties; no new token is promised.
    assert!(
        unused.stdout.contains("repairs")
            && unused.stdout.contains("(no longer granted)")
            && unused.stdout.contains("1 to change")
            && !unused.stdout.contains("token_id"),
        "shown in repairs alone:\n{unused}"
    );
    terraform.apply(&[]).await.success();
    assert_allowed(kube, &bob, None, level(None), "bob revoked").await;
    assert_allowed(kube, &alice, None, level(Some("view")), "").await;
    terraform.assert_no_changes("extra grant removed").await;

    terraform.write("main.tf", &ACCESS.replace(MEMBER_BLOCK, ""));
    terraform.apply(&[]).await.success();
    assert_allowed(
        kube,
        &member,
        Some(&group),
        level(None),
        "the removed block is revoked",
    )
    .await;
    assert_allowed(kube, &alice, None, level(Some("view")), "").await;
    let left = ours(kube, &world.namespace).await;
    assert!(
        left.keys()
            .all(|object| !object.starts_with("RoleBinding ")),
        "no RoleBinding left: {left:?}"
    );
    terraform.assert_no_changes("revoke").await;

    terraform.destroy().await.success();
    assert_eq!(
        ours(kube, &world.namespace).await,
        Default::default(),
        "destroy leaves no RBAC object of the connection"
    );
    assert_allowed(kube, &alice, None, level(None), "").await;
}
