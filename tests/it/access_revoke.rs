//! Grants follow the spec: a grant removed from `access` is revoked, a
//! changed level replaces the old one, a ClusterRole no grant uses any more
//! is deleted, an empty `access` removes every grant, and an out-of-band
//! edit or deletion is reported by `read` and repaired by `connect`.

use upbound_connect::engine::{AccessDrift, Drift, Engine, Silent};
use upbound_connect::spec::{ConnectionInput, ConnectionSpec, GrantInput};

use k8s_openapi::api::rbac::v1::ClusterRole;
use kube::Api;
use kube::api::{Patch, PatchParams};
use testkit::access::{Identity, assert_allowed, level, new_group, ours};
use testkit::unique_name;
use testkit::world::World;

fn spec(world: &World, access: Vec<GrantInput>) -> ConnectionSpec {
    ConnectionInput {
        access: Some(access),
        ..world.input("revoke")
    }
    .validate()
    .expect("valid grants")
}

async fn connect(engine: &Engine, spec: &ConnectionSpec) {
    engine.connect(spec, &Silent).await.expect("connect");
    assert_eq!(
        engine.read(spec).await.expect("read").drift,
        vec![],
        "converged"
    );
}

#[tokio::test]
async fn removed_and_changed_grants_are_revoked() {
    let world = World::new().await;
    let engine = world.engine().await;
    let group = new_group(&world.kube).await;
    let alice = format!("upbound:user:{}", unique_name("alice"));
    let bob = format!("upbound:user:{}", unique_name("bob"));
    let (alice_id, bob_id) = (Identity::user(&alice), Identity::user(&bob));
    let kube = &world.kube;

    connect(
        &engine,
        &spec(
            &world,
            vec![
                GrantInput::new(&alice, "view", None),
                GrantInput::new(&bob, "admin", Some(&group)),
            ],
        ),
    )
    .await;
    assert_allowed(kube, &alice_id, Some(&group), level(Some("view")), "").await;
    assert_allowed(kube, &bob_id, Some(&group), level(Some("admin")), "").await;

    connect(
        &engine,
        &spec(&world, vec![GrantInput::new(&alice, "edit", None)]),
    )
    .await;
    assert_allowed(
        kube,
        &alice_id,
        Some(&group),
        level(Some("edit")),
        "view replaced by edit",
    )
    .await;
    assert_allowed(kube, &bob_id, Some(&group), level(None), "bob revoked").await;
    let objects: Vec<String> = ours(kube, &world.namespace).await.into_keys().collect();
    assert_eq!(
        objects.len(),
        2,
        "only the edit ClusterRole and alice's binding: {objects:?}"
    );
    assert!(objects[0].ends_with(":edit"), "{objects:?}");

    connect(&engine, &spec(&world, Vec::new())).await;
    assert_allowed(kube, &alice_id, None, level(None), "alice revoked").await;
    assert!(
        ours(kube, &world.namespace).await.is_empty(),
        "nothing of ours left"
    );
}

#[tokio::test]
async fn out_of_band_changes_are_reported_and_repaired() {
    let world = World::new().await;
    let engine = world.engine().await;
    let alice = format!("upbound:user:{}", unique_name("alice"));
    let alice_id = Identity::user(&alice);
    let spec = spec(&world, vec![GrantInput::new(&alice, "view", None)]);
    connect(&engine, &spec).await;

    let role_name = upbound_connect::engine::role_name(
        &world.namespace,
        upbound_connect::spec::AccessLevel::View,
    );
    let roles: Api<ClusterRole> = Api::all(world.kube.clone());
    let widened = serde_json::json!({"rules": [{"apiGroups": ["spaces.upbound.io"], "resources": ["controlplanes/k8s"], "verbs": ["admin", "view"]}]});
    roles
        .patch(&role_name, &PatchParams::default(), &Patch::Merge(&widened))
        .await
        .expect("edit the ClusterRole");
    // The merge patch replaced the rules: alice may admin and view, no more.
    let widened_level = ["admin controlplanes/k8s", "view controlplanes/k8s"]
        .map(str::to_owned)
        .into();
    assert_allowed(
        &world.kube,
        &alice_id,
        None,
        widened_level,
        "the widened ClusterRole lets alice admin",
    )
    .await;
    let drift = engine.read(&spec).await.expect("read").drift;
    assert!(
        matches!(drift.as_slice(), [Drift::Access(AccessDrift::Changed(object))] if object.name == role_name),
        "{drift:?}"
    );
    connect(&engine, &spec).await;
    assert_allowed(
        &world.kube,
        &alice_id,
        None,
        level(Some("view")),
        "repaired",
    )
    .await;

    roles
        .delete(&role_name, &Default::default())
        .await
        .expect("delete the ClusterRole");
    let drift = engine.read(&spec).await.expect("read").drift;
    assert!(
        matches!(drift.as_slice(), [Drift::Access(AccessDrift::Missing(object))] if object.name == role_name),
        "{drift:?}"
    );
    if let Drift::Access(access) = &drift[0] {
        assert_eq!(
            access.to_string(),
            format!("ClusterRole {role_name:?} is missing")
        );
    }
    connect(&engine, &spec).await;
    assert_allowed(
        &world.kube,
        &alice_id,
        None,
        level(Some("view")),
        "restored",
    )
    .await;
}
