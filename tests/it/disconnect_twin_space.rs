//! Disconnecting a Space from a place it is not connected in (another
//! namespace, or the same namespace of another cluster) removes only that
//! place's own objects: the connection elsewhere keeps its robot, its
//! live token and its Space record, and the run says it left them alone —
//! also cloud-only, with the cluster out of reach.

use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::cluster::{ClusterAccess, ExplicitAccess};
use upbound_connect::engine::{
    DisconnectOptions, EngineError, Outcome, Owner, Place, Silent, Step,
};
use upbound_connect::spec::{ConnectionInput, ConnectionSpec, SpaceRecordMode};

use testkit::Steps;
use testkit::world::{OtherPlace, World};

/// `twin` with the engine making the Space record, connected from `namespace`.
fn spec(world: &World, namespace: &str) -> ConnectionSpec {
    ConnectionInput {
        space_record: SpaceRecordMode::Engine,
        namespace: Some(namespace.to_owned()),
        ..world.input("twin")
    }
    .validate()
    .expect("valid spec")
}

/// Connects `twin` in the world's namespace; where that is.
async fn connect_here(world: &World) -> Place {
    world
        .engine()
        .await
        .connect(&spec(world, &world.namespace), &Silent)
        .await
        .expect("connect in the first place");
    Place {
        cluster: world.cluster_identity().await,
        namespace: world.namespace.clone(),
    }
}

/// The first place is as connect left it: one robot recording it, one live
/// token (in its Secret), the Space record; and it reconnects as a no-op.
async fn assert_first_place_intact(world: &World, here: &Place) {
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
    assert_eq!(
        Owner::of(&world.double.robots()[0].description),
        Owner::Connection(here.clone())
    );
    let record = world
        .upbound()
        .space_record(&world.organization, "twin")
        .await
        .expect("read the Space record");
    assert!(record.is_some(), "the Space record is left");
    let again = world
        .engine()
        .await
        .connect(&spec(world, &world.namespace), &Silent)
        .await
        .expect("reconnect in the first place");
    assert!(!again.changed, "a no-op");
}

/// The step saying the connection elsewhere was left alone, naming `here`.
/// Disconnects `twin` from the other place `there`.
async fn disconnect_there(world: &World, there: &OtherPlace, steps: &Steps) -> Outcome {
    there
        .engine
        .disconnect(
            &spec(world, &there.namespace),
            DisconnectOptions::default(),
            steps,
        )
        .await
        .expect("disconnect from the other namespace")
}

fn assert_left_alone(steps: &Steps, here: &Place) {
    let steps = steps.0.lock().unwrap();
    assert!(
        steps.iter().any(|step| matches!(
            step,
            Step::LeftElsewhere(elsewhere) if elsewhere.place.as_ref() == Some(here)
        )),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|step| matches!(
            step,
            Step::RobotDeleted { .. } | Step::TokenRevoked { .. } | Step::SpaceRecordDeleted
        )),
        "{steps:?}"
    );
}

#[tokio::test]
async fn disconnect_where_the_space_is_not_connected_leaves_it_alone() {
    let world = World::new().await;
    let here = connect_here(&world).await;
    // Another namespace of this cluster, and the same namespace of another
    // cluster.
    for there in [world.other_namespace().await, world.other_cluster().await] {
        let upbound_writes = world.writes();
        let steps = Steps::default();
        let outcome = disconnect_there(&world, &there, &steps).await;
        assert!(!outcome.changed, "nothing of the other place's to remove");
        assert_left_alone(&steps, &here);
        assert_eq!(world.writes(), upbound_writes, "no Upbound write");
        assert_first_place_intact(&world, &here).await;
    }
}

#[tokio::test]
async fn a_copied_secret_is_removed_and_its_token_kept() {
    let world = World::new().await;
    let here = connect_here(&world).await;
    let there = world.other_namespace().await;

    // As a backup restored into another namespace would: the first place's
    // Secret, token and all.
    let original = world
        .secrets()
        .get("connect-token")
        .await
        .expect("the first place's Secret");
    let copy = KubeSecret {
        metadata: ObjectMeta {
            name: original.metadata.name.clone(),
            labels: original.metadata.labels.clone(),
            annotations: original.metadata.annotations.clone(),
            ..ObjectMeta::default()
        },
        data: original.data.clone(),
        type_: original.type_.clone(),
        ..KubeSecret::default()
    };
    world
        .secrets_in(&there.namespace)
        .create(&PostParams::default(), &copy)
        .await
        .expect("Secret copied");

    let error = there
        .engine
        .connect(&spec(&world, &there.namespace), &Silent)
        .await
        .expect_err("the copied Secret names the first place's robot");
    assert!(
        matches!(&error, EngineError::SpaceConnectedElsewhere { elsewhere, .. }
            if elsewhere.place.as_ref() == Some(&here)),
        "{error:?}"
    );

    let upbound_writes = world.writes();
    let steps = Steps::default();
    let outcome = disconnect_there(&world, &there, &steps).await;
    assert!(outcome.changed, "the copied Secret was removed");
    assert!(
        steps.0.lock().unwrap().contains(&Step::SecretDeleted),
        "{:?}",
        steps.0.lock().unwrap()
    );
    assert_left_alone(&steps, &here);
    let copy = world
        .secrets_in(&there.namespace)
        .get_opt("connect-token")
        .await
        .expect("read Secret");
    assert!(copy.is_none(), "the copy is gone");
    assert_eq!(world.writes(), upbound_writes, "no Upbound write");
    assert_first_place_intact(&world, &here).await;
}

#[tokio::test]
async fn cloud_only_disconnect_of_another_namespace_leaves_it_alone() {
    let world = World::new().await;
    let here = connect_here(&world).await;
    let gone = ClusterAccess::Explicit(ExplicitAccess {
        host: "https://127.0.0.1:1".to_owned(),
        insecure: true,
        ..ExplicitAccess::default()
    });
    let offline = world.engine_with(&gone).await;
    let upbound_writes = world.writes();

    let steps = Steps::default();
    let outcome = offline
        .disconnect(
            &spec(&world, "another-namespace"),
            DisconnectOptions { cloud_only: true },
            &steps,
        )
        .await
        .expect("cloud-only disconnect");
    assert!(!outcome.changed);
    assert_left_alone(&steps, &here);
    assert_eq!(world.writes(), upbound_writes, "no Upbound write");
    assert_first_place_intact(&world, &here).await;
}
