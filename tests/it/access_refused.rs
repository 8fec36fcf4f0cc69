//! Bad grants fail before anything is changed, with an error naming the
//! grant to fix: malformed grants at validation; a group namespace that
//! does not exist, or a name taken by an RBAC object that is not ours, at
//! observation: no robot, no token Secret, no RBAC object of ours, and the
//! foreign object untouched. A group gone after the fact does not stop a
//! read: it shows as the grant's binding missing.

use k8s_openapi::api::rbac::v1::{ClusterRole, PolicyRule};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::engine::{AccessDrift, Drift, EngineError, Silent, role_name};
use upbound_connect::spec::{AccessLevel, ConnectionInput, Field, GrantInput, GrantPart};

use testkit::access::ours;
use testkit::unique_name;
use testkit::world::World;

/// Connects with `access`, expecting an error, and checks nothing was made.
async fn refused(world: &World, access: Vec<GrantInput>) -> EngineError {
    let spec = ConnectionInput {
        access: Some(access),
        ..world.input("refused")
    }
    .validate()
    .expect("valid grants");
    let error = world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect_err("refused");
    assert!(world.double.robots().is_empty(), "no robot created");
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "no Secret"
    );
    assert!(
        ours(&world.kube, &world.namespace).await.is_empty(),
        "no RBAC object"
    );
    error
}

#[tokio::test]
async fn malformed_grants_name_each_field() {
    let world = World::new().await;
    let invalid = ConnectionInput {
        access: Some(vec![
            GrantInput::new("upbound:user:alice", "view", None),
            GrantInput::new("upbound:team:", "view", None),
            GrantInput::new("upbound:org-role:owner", "view", None),
            GrantInput::new("upbound:user:bob", "write", Some("Not_A_Namespace")),
            GrantInput::new("upbound:user:alice", "edit", None),
        ]),
        ..world.input("malformed")
    }
    .validate()
    .expect_err("malformed grants are refused");
    let fields: Vec<String> = invalid
        .0
        .iter()
        .map(|error| error.field.to_string())
        .collect();
    assert_eq!(
        fields,
        [
            "access[1].subject",
            "access[2].subject",
            "access[3].level",
            "access[3].group",
            "access[4].subject",
        ],
        "{invalid}"
    );
    assert!(invalid.to_string().contains("empty name"), "{invalid}");
}

#[tokio::test]
async fn a_missing_group_namespace_is_refused_before_anything_changes() {
    let world = World::new().await;
    let missing = unique_name("no-such-group");
    let error = refused(
        &world,
        vec![
            GrantInput::new("upbound:user:alice", "view", None),
            GrantInput::new("upbound:org-role:member", "view", Some(&missing)),
        ],
    )
    .await;
    assert_eq!(
        error.field(),
        Some(Field::Grant(1, GrantPart::Group)),
        "{error}"
    );
    assert!(error.to_string().contains(&missing), "{error}");
}

#[tokio::test]
async fn a_group_gone_is_drift_to_read_and_refused_to_connect() {
    let world = World::new().await;
    let engine = world.engine().await;
    let connected = world.spec("gone-group");
    engine
        .connect(&connected, &Silent)
        .await
        .expect("connected");
    let missing = unique_name("deleted-group");
    let spec = ConnectionInput {
        access: Some(vec![GrantInput::new(
            "upbound:user:alice",
            "view",
            Some(&missing),
        )]),
        ..world.input("gone-group")
    }
    .validate()
    .expect("valid grants");

    let observation = engine.read(&spec).await.expect("read does not fail");
    assert!(
        observation.drift.iter().any(|drift| matches!(
            drift,
            Drift::Access(AccessDrift::Missing(object)) if object.to_string().contains(&missing)
        )),
        "the grant's binding in the gone group is missing: {:?}",
        observation.drift
    );

    let error = engine.connect(&spec, &Silent).await.expect_err("refused");
    assert_eq!(
        error.field(),
        Some(Field::Grant(0, GrantPart::Group)),
        "{error}"
    );
    assert!(
        ours(&world.kube, &world.namespace).await.is_empty(),
        "no RBAC object"
    );
}

#[tokio::test]
async fn a_foreign_object_with_our_name_is_refused_and_left_alone() {
    let world = World::new().await;
    let name = role_name(&world.namespace, AccessLevel::View);
    let roles: Api<ClusterRole> = Api::all(world.kube.clone());
    let foreign = ClusterRole {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..ObjectMeta::default()
        },
        rules: Some(vec![PolicyRule {
            api_groups: Some(vec![String::new()]),
            resources: Some(vec!["configmaps".to_owned()]),
            verbs: vec!["get".to_owned()],
            ..PolicyRule::default()
        }]),
        ..ClusterRole::default()
    };
    let created = roles
        .create(&PostParams::default(), &foreign)
        .await
        .expect("foreign ClusterRole");

    let error = refused(
        &world,
        vec![GrantInput::new("upbound:user:alice", "view", None)],
    )
    .await;
    assert_eq!(error.field(), Some(Field::Access), "{error}");
    assert!(
        error.to_string().contains(&format!("ClusterRole {name:?}")),
        "{error}"
    );
    let after = roles.get(&name).await.expect("still there");
    assert_eq!(
        after.metadata.resource_version,
        created.metadata.resource_version
    );
}
