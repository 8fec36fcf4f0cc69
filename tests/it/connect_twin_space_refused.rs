//! One Space, one place: a Space connected in one namespace of one cluster
//! is refused from any other place — another namespace of the same cluster,
//! or the same namespace of another cluster — before anything changes. The
//! first connection's robot and token stay as they were (its token still
//! logs in), and it reconnects as a no-op.

use upbound_connect::engine::{EngineError, Owner, Place, Silent};
use upbound_connect::spec::Field;

use testkit::world::{OtherPlace, World};

/// Connects `twin` in the world's namespace; checks the robot records it.
async fn connect_here(world: &World) -> Place {
    world
        .engine()
        .await
        .connect(&world.spec("twin"), &Silent)
        .await
        .expect("connect in the first place");
    let here = Place {
        cluster: world.cluster_identity().await,
        namespace: world.namespace.clone(),
    };
    let robots = world.double.robots();
    assert_eq!(robots.len(), 1, "{robots:?}");
    assert_eq!(
        Owner::of(&robots[0].description),
        Owner::Connection(here.clone()),
        "the robot records where it is connected: {:?}",
        robots[0].description
    );
    here
}

/// Connects `twin` from `there` and checks it was refused, naming `here`,
/// with nothing written anywhere.
async fn assert_refused(world: &World, there: &OtherPlace, here: &Place) {
    let upbound_writes = world.writes();
    let tokens = world.minted_tokens();
    let secret_version = world.secret_version("connect-token").await;

    let error = there
        .engine
        .connect(&world.spec_in("twin", &there.namespace), &Silent)
        .await
        .expect_err("the Space is connected in another place");
    assert!(
        matches!(error, EngineError::SpaceConnectedElsewhere { .. }),
        "{error:?}"
    );
    assert_eq!(error.field(), Some(Field::Space), "{error}");
    let message = error.to_string();
    for named in [
        format!("{}/twin", world.organization),
        format!("namespace {:?}", here.namespace),
        format!("cluster {}", here.cluster),
        "Disconnect it there first".to_owned(),
    ] {
        assert!(message.contains(&named), "{named:?} in: {message}");
    }

    assert_eq!(world.writes(), upbound_writes, "no Upbound write");
    assert_eq!(
        there.writes.changes(),
        Default::default(),
        "no Kubernetes change"
    );
    assert_eq!(world.minted_tokens(), tokens, "no token minted or revoked");
    assert_eq!(world.double.robots().len(), 1, "no robot created");
    assert_eq!(
        world.secret_version("connect-token").await,
        secret_version,
        "the first place's Secret is untouched"
    );
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
}

/// The first place reconnects without a change, a write or a new token.
async fn assert_first_place_unchanged(world: &World) {
    let upbound_writes = world.writes();
    let again = world
        .engine()
        .await
        .connect(&world.spec("twin"), &Silent)
        .await
        .expect("reconnect in the first place");
    assert!(!again.changed, "a no-op");
    assert_eq!(world.writes(), upbound_writes, "no Upbound write");
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
}

#[tokio::test]
async fn another_namespace_of_the_cluster_is_refused() {
    let world = World::new().await;
    let here = connect_here(&world).await;
    let there = world.other_namespace().await;

    assert_refused(&world, &there, &here).await;
    let secret = world
        .secrets_in(&there.namespace)
        .get_opt("connect-token")
        .await
        .expect("read Secret");
    assert!(secret.is_none(), "no Secret in the other namespace");

    let seen = there
        .engine
        .read(&world.spec_in("twin", &there.namespace))
        .await
        .expect("read from the other namespace");
    assert_eq!(seen.robot, None, "the robot is not the other place's");
    let elsewhere = seen.elsewhere.expect("connected elsewhere");
    assert_eq!(elsewhere.place.as_ref(), Some(&here));
    assert_eq!(
        Some(elsewhere.robot_id),
        world
            .double
            .robots()
            .first()
            .map(|robot| robot.id.to_string())
    );
    assert!(
        !seen
            .drift
            .contains(&upbound_connect::engine::Drift::RobotMissing),
        "no drift to repair: {:?}",
        seen.drift
    );
    let error = there
        .engine
        .import(&world.spec_in("twin", &there.namespace))
        .await
        .expect_err("nothing of the other place's to import");
    assert!(
        matches!(error, EngineError::SpaceConnectedElsewhere { .. }),
        "{error:?}"
    );

    assert_first_place_unchanged(&world).await;
}

#[tokio::test]
async fn the_same_namespace_of_another_cluster_is_refused() {
    let world = World::new().await;
    let here = connect_here(&world).await;
    let there = world.other_cluster().await;
    assert_eq!(there.namespace, here.namespace, "the same namespace name");

    assert_refused(&world, &there, &here).await;
    let seen = there
        .engine
        .read(&world.spec("twin"))
        .await
        .expect("read from the other cluster");
    assert_eq!(seen.robot, None);
    assert_ne!(seen.place.cluster, here.cluster, "another cluster identity");
    assert_eq!(
        seen.elsewhere.and_then(|elsewhere| elsewhere.place),
        Some(here)
    );

    assert_first_place_unchanged(&world).await;
}
