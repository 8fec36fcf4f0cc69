//! Robots made by older versions carry the ownership marker but not where
//! they are connected. Such a robot is adopted only when no other live
//! connection uses it — no live token minted by upbound-connect that this
//! place's Secret does not hold; tokens made by hand do not count. Upbound
//! has no robot update, so the adopted robot's description stays as it was;
//! the live token this place then holds keeps every other place off it.

use upbound_connect::engine::{EngineError, OWNERSHIP_MARKER, Owner, Silent, Step};

use testkit::Steps;
use testkit::world::World;

/// Makes a robot named `twin` as an older version did; its ID.
async fn older_robot(world: &World) -> String {
    let upbound = world.upbound();
    let organization = upbound.organization(&world.organization).await.unwrap();
    upbound
        .create_robot(
            organization.id,
            "twin",
            &format!("Robot used for authenticating Space \"twin\" with Upbound Connect{OWNERSHIP_MARKER}"),
        )
        .await
        .expect("robot created")
        .id
}

#[tokio::test]
async fn an_unused_older_robot_is_adopted_and_then_kept_from_other_places() {
    let world = World::new().await;
    let robot = older_robot(&world).await;
    let by_hand = world
        .upbound()
        .create_robot_token(&robot, "made by hand")
        .await
        .expect("token made by hand");

    let steps = Steps::default();
    let outcome = world
        .engine()
        .await
        .connect(&world.spec("twin"), &steps)
        .await
        .expect("connect");
    assert_eq!(outcome.connection.robot_id.as_deref(), Some(robot.as_str()));
    assert!(
        steps
            .0
            .lock()
            .unwrap()
            .contains(&Step::RobotAdopted { id: robot.clone() }),
        "{:?}",
        steps.0.lock().unwrap()
    );
    assert_eq!(world.double.robots().len(), 1, "no second robot");
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
    assert!(
        world
            .double
            .tokens()
            .iter()
            .any(|token| token.id.to_string() == by_hand.id),
        "the token made by hand is no connection of ours: kept"
    );
    assert_eq!(
        Owner::of(&world.double.robots()[0].description),
        Owner::Unrecorded,
        "no robot update in the API: the description stays the marker alone"
    );

    let again = world
        .engine()
        .await
        .connect(&world.spec("twin"), &Silent)
        .await
        .expect("reconnect");
    assert!(!again.changed, "the adopted robot is this place's now");

    let there = world.other_namespace().await;
    let tokens = world.minted_tokens();
    let error = there
        .engine
        .connect(&world.spec_in("twin", &there.namespace), &Silent)
        .await
        .expect_err("the first place holds the robot's live token");
    assert!(
        matches!(&error, EngineError::SpaceConnectedElsewhere { elsewhere, .. }
            if elsewhere.place.is_none() && elsewhere.robot_id == robot),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("did not record where"), "{message}");
    assert!(message.contains(&robot), "{message}");
    assert_eq!(world.minted_tokens(), tokens, "nothing minted or revoked");
    assert_eq!(
        there.writes.changes(),
        Default::default(),
        "no Kubernetes change"
    );
    world.assert_secret_token_live().await;
}

#[tokio::test]
async fn an_older_robot_another_connection_holds_is_refused() {
    let world = World::new().await;
    let robot = older_robot(&world).await;
    // The token another place's Secret holds, as an older version named it.
    let held = world
        .upbound()
        .create_robot_token(&robot, "upbound-connect-1700000000000")
        .await
        .expect("token minted elsewhere");
    let upbound_writes = world.writes();

    let error = world
        .engine()
        .await
        .connect(&world.spec("twin"), &Silent)
        .await
        .expect_err("another connection holds the robot's live token");
    assert!(
        matches!(&error, EngineError::SpaceConnectedElsewhere { elsewhere, .. }
            if elsewhere.robot_id == robot),
        "{error:?}"
    );
    assert_eq!(world.writes(), upbound_writes, "no Upbound write");
    assert_eq!(world.minted_tokens(), vec![held.id], "its token is kept");
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "no Secret"
    );
}
