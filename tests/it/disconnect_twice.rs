//! Disconnect removes the Secret, the robot and its tokens; a second
//! disconnect finds nothing and succeeds without changes.

use upbound_connect::engine::{DisconnectOptions, Silent};

use testkit::world::World;

#[tokio::test]
async fn disconnect_removes_everything_and_is_repeatable() {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = world.spec("gamma");
    engine.connect(&spec, &Silent).await.expect("connect");

    let first = engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(first.changed);
    assert!(world.double.robots().is_empty(), "robot deleted");
    assert!(
        world
            .double
            .tokens()
            .iter()
            .all(|token| !token.name.starts_with("upbound-connect-")),
        "robot tokens revoked"
    );
    assert!(
        world
            .secrets()
            .get_opt("connect-token")
            .await
            .unwrap()
            .is_none(),
        "Secret deleted"
    );

    world.double.clear_requests();
    let second = engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("second disconnect");
    assert!(!second.changed);
    assert!(world.writes().is_empty(), "no writes: {:?}", world.writes());
}
