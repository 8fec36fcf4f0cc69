//! Two Spaces' connections in one cluster keep their grants apart: the
//! same subject granted by both keeps the second's access when the first
//! revokes its grants or disconnects.

use upbound_connect::engine::{DisconnectOptions, Silent};
use upbound_connect::spec::{ConnectionInput, ConnectionSpec, GrantInput};

use testkit::access::{Identity, assert_allowed, level, ours};
use testkit::unique_name;
use testkit::world::World;

fn spec(world: &World, access: Vec<GrantInput>) -> ConnectionSpec {
    ConnectionInput {
        access: Some(access),
        ..world.input("shared")
    }
    .validate()
    .expect("valid grants")
}

#[tokio::test]
async fn one_connection_never_removes_anothers_grants() {
    let (first, second) = (World::new().await, World::new().await);
    let alice = format!("upbound:user:{}", unique_name("alice"));
    let (first_engine, second_engine) = (first.engine().await, second.engine().await);
    first_engine
        .connect(
            &spec(&first, vec![GrantInput::new(&alice, "edit", None)]),
            &Silent,
        )
        .await
        .expect("first connect");
    second_engine
        .connect(
            &spec(&second, vec![GrantInput::new(&alice, "view", None)]),
            &Silent,
        )
        .await
        .expect("second connect");
    let alice = Identity::user(&alice);
    let both = &level(Some("edit")) | &level(Some("view"));
    assert_allowed(&first.kube, &alice, None, both, "").await;

    first_engine
        .disconnect(
            &spec(&first, Vec::new()),
            DisconnectOptions::default(),
            &Silent,
        )
        .await
        .expect("first disconnect");
    assert!(ours(&first.kube, &first.namespace).await.is_empty());
    assert_eq!(ours(&second.kube, &second.namespace).await.len(), 2);
    assert_allowed(&first.kube, &alice, None, level(Some("view")), "").await;
    assert_eq!(
        second_engine
            .read(&spec(
                &second,
                vec![GrantInput::new(&alice.user, "view", None)]
            ))
            .await
            .expect("read")
            .drift,
        vec![],
        "the second connection is untouched"
    );
}
