//! Disconnect with `access` removes every RBAC object the connection's
//! grants made (whatever grants it lists then) and nothing else: a
//! ClusterRole and a ClusterRoleBinding that are not ours, even ones naming
//! the same subjects, stay as they were. Without `access` it leaves Hub
//! RBAC alone. A second disconnect changes nothing.

use std::collections::BTreeMap;

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, RoleRef, Subject};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::engine::{DisconnectOptions, Silent};
use upbound_connect::spec::{ConnectionInput, GrantInput};

use testkit::access::{Identity, assert_allowed, level, new_group, ours};
use testkit::unique_name;
use testkit::world::World;

#[tokio::test]
async fn disconnect_removes_our_grants_only() {
    let world = World::new().await;
    let group = new_group(&world.kube).await;
    let alice = format!("upbound:user:{}", unique_name("alice"));
    let spec = ConnectionInput {
        access: Some(vec![
            GrantInput::new(&alice, "edit", None),
            GrantInput::new("upbound:org-role:member", "view", Some(&group)),
        ]),
        ..world.input("disconnect")
    }
    .validate()
    .expect("valid grants");
    let engine = world.engine().await;
    engine.connect(&spec, &Silent).await.expect("connect");
    assert_eq!(ours(&world.kube, &world.namespace).await.len(), 4);

    // Someone else's role and binding for the same subject, one of them
    // even carrying our managed-by label (but no connection label).
    let foreign = unique_name("foreign");
    let roles: Api<ClusterRole> = Api::all(world.kube.clone());
    let bindings: Api<ClusterRoleBinding> = Api::all(world.kube.clone());
    let metadata = ObjectMeta {
        name: Some(foreign.clone()),
        labels: Some(BTreeMap::from([(
            "app.kubernetes.io/managed-by".to_owned(),
            "upbound-connect".to_owned(),
        )])),
        ..ObjectMeta::default()
    };
    let role = roles
        .create(
            &PostParams::default(),
            &ClusterRole {
                metadata: metadata.clone(),
                rules: Some(vec![PolicyRule {
                    api_groups: Some(vec!["spaces.upbound.io".to_owned()]),
                    resources: Some(vec!["controlplanes".to_owned()]),
                    verbs: vec!["get".to_owned()],
                    ..PolicyRule::default()
                }]),
                ..ClusterRole::default()
            },
        )
        .await
        .expect("foreign ClusterRole");
    let binding = bindings
        .create(
            &PostParams::default(),
            &ClusterRoleBinding {
                metadata: ObjectMeta {
                    labels: None,
                    ..metadata
                },
                role_ref: RoleRef {
                    api_group: Some("rbac.authorization.k8s.io".to_owned()),
                    kind: "ClusterRole".to_owned(),
                    name: foreign.clone(),
                },
                subjects: Some(vec![Subject {
                    api_group: Some("rbac.authorization.k8s.io".to_owned()),
                    kind: "User".to_owned(),
                    name: alice.clone(),
                    namespace: None,
                }]),
            },
        )
        .await
        .expect("foreign ClusterRoleBinding");

    // Without `access`, disconnect leaves Hub RBAC alone...
    let kept = ours(&world.kube, &world.namespace).await;
    let outcome = engine
        .disconnect(
            &world.spec("disconnect"),
            DisconnectOptions::default(),
            &Silent,
        )
        .await
        .expect("disconnect");
    assert!(outcome.changed);
    assert_eq!(
        ours(&world.kube, &world.namespace).await,
        kept,
        "grants left alone"
    );

    // ...with any `access` (here none), it removes every grant of ours, even
    // with the robot and Secret already gone.
    let without_grants = ConnectionInput {
        access: Some(Vec::new()),
        ..world.input("disconnect")
    }
    .validate()
    .expect("valid");
    let outcome = engine
        .disconnect(&without_grants, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(outcome.changed);
    assert!(
        ours(&world.kube, &world.namespace).await.is_empty(),
        "none of ours left"
    );
    assert_eq!(
        roles
            .get(&foreign)
            .await
            .expect("foreign role kept")
            .metadata
            .resource_version,
        role.metadata.resource_version
    );
    assert_eq!(
        bindings
            .get(&foreign)
            .await
            .expect("foreign binding kept")
            .metadata
            .resource_version,
        binding.metadata.resource_version
    );
    let alice = Identity::user(&alice);
    let only_foreign: std::collections::BTreeSet<String> = ["get controlplanes".to_owned()].into();
    assert_allowed(&world.kube, &alice, Some(&group), only_foreign, "").await;
    let member = Identity::member_of(&["upbound:org-role:member"]);
    assert_allowed(&world.kube, &member, Some(&group), level(None), "").await;

    let again = engine
        .disconnect(&without_grants, DisconnectOptions::default(), &Silent)
        .await
        .expect("second disconnect");
    assert!(!again.changed, "nothing left to remove");
}
