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

/// A namespace whose token Secret holds another Space's connection: the
/// import of a Space connected in another namespace names that namespace;
/// of a Space connected nowhere, says whose the Secret is.
#[tokio::test]
async fn import_names_where_the_space_is_when_the_secret_is_anothers() {
    let world = World::new().await;
    let engine = world.engine().await;
    engine
        .connect(&world.spec("resident"), &Silent)
        .await
        .expect("connect the namespace's own Space");
    let other = world.other_namespace().await;
    let spec = |space: &str| {
        let mut input = world.input(space);
        input.namespace = Some(other.namespace.clone());
        input.validate().expect("valid")
    };
    other
        .engine
        .connect(&spec("visitor"), &Silent)
        .await
        .expect("connect the visitor in the other namespace");

    let error = engine
        .import(&world.spec("visitor"))
        .await
        .expect_err("the visitor lives elsewhere");
    match &error {
        EngineError::SpaceConnectedElsewhere { elsewhere, .. } => assert_eq!(
            elsewhere
                .place
                .as_ref()
                .map(|place| place.namespace.as_str()),
            Some(other.namespace.as_str()),
            "{error}"
        ),
        _ => panic!("{error}"),
    }
    let error = engine
        .import(&world.spec("nowhere"))
        .await
        .expect_err("nothing to import");
    assert!(
        matches!(error, EngineError::NotConnected { .. })
            && error.to_string().contains("holds the connection of")
            && error.to_string().contains("/resident"),
        "{error}"
    );
}
