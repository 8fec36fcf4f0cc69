//! In `engine` Space-record mode, connect creates the Space record in
//! Upbound (as `up space connect` does), a reconnect leaves it alone, and
//! disconnect deletes it.

use upbound_connect::engine::{DisconnectOptions, Silent};
use upbound_connect::spec::SpaceRecordMode;

use testkit::world::World;

#[tokio::test]
async fn the_engine_creates_and_deletes_the_space_record() {
    let world = World::new().await;
    let engine = world.engine().await;
    let mut input = world.input("recorded");
    input.space_record = SpaceRecordMode::Engine;
    let spec = input.validate().unwrap();
    let upbound = world.upbound();

    engine.connect(&spec, &Silent).await.expect("connect");
    let record = upbound
        .space_record(&world.organization, "recorded")
        .await
        .unwrap()
        .expect("the Space record exists");
    assert_eq!(record["kind"], "Space");

    world.double.clear_requests();
    assert!(!engine.connect(&spec, &Silent).await.unwrap().changed);
    assert!(world.writes().is_empty(), "{:?}", world.writes());

    engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(
        upbound
            .space_record(&world.organization, "recorded")
            .await
            .unwrap()
            .is_none()
    );
}
