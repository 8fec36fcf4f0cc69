//! Import finds an existing connection by organization and space (with its
//! robot and token IDs) and refuses one that does not exist.

use upbound_connect::engine::{DisconnectOptions, EngineError, Silent};

use testkit::world::World;

#[tokio::test]
async fn import_finds_a_connection_and_refuses_a_missing_one() {
    let world = World::new().await;
    let engine = world.engine().await;
    let connected = engine
        .connect(&world.spec("present"), &Silent)
        .await
        .expect("connect");

    let imported = engine.import(&world.spec("present")).await.expect("import");
    assert_eq!(imported.connection, connected.connection);
    assert!(imported.drift.is_empty());

    engine
        .disconnect(
            &world.spec("present"),
            DisconnectOptions::default(),
            &Silent,
        )
        .await
        .expect("disconnect");
    let error = engine
        .import(&world.spec("present"))
        .await
        .expect_err("nothing to import");
    assert!(matches!(error, EngineError::NotConnected { .. }), "{error}");
    assert_eq!(error.field(), Some("space"));
}
