//! `read` reports drift — Secret deleted, token revoked, robot deleted,
//! rotation requested — and `connect` repairs it, still with one robot and
//! one live token.

use upbound_connect::engine::{Drift, Silent};

use testkit::world::World;

async fn connected(space: &str) -> (World, upbound_connect::engine::Engine) {
    let world = World::new().await;
    let engine = world.engine().await;
    engine
        .connect(&world.spec(space), &Silent)
        .await
        .expect("connect");
    (world, engine)
}

async fn assert_repaired(
    world: &World,
    engine: &upbound_connect::engine::Engine,
    space: &str,
    drift: Drift,
) {
    let spec = world.spec(space);
    let seen = engine.read(&spec).await.expect("read");
    assert!(seen.drift.contains(&drift), "{drift:?} in {:?}", seen.drift);
    let repaired = engine.connect(&spec, &Silent).await.expect("repair");
    assert!(repaired.changed);
    assert_eq!(
        engine.read(&spec).await.unwrap().drift,
        vec![],
        "no drift after repair"
    );
    world.assert_one_robot_one_token().await;
}

#[tokio::test]
async fn a_deleted_secret_is_reported_and_restored() {
    let (world, engine) = connected("drift-secret").await;
    world
        .secrets()
        .delete("connect-token", &Default::default())
        .await
        .unwrap();
    assert_repaired(&world, &engine, "drift-secret", Drift::SecretMissing).await;
}

#[tokio::test]
async fn a_revoked_token_is_reported_and_replaced() {
    let (world, engine) = connected("drift-token").await;
    let token = world.minted_tokens().remove(0);
    world.upbound().delete_token(&token).await.unwrap();
    assert_repaired(&world, &engine, "drift-token", Drift::TokenRevoked).await;
    assert_ne!(world.minted_tokens(), vec![token]);
}

#[tokio::test]
async fn a_deleted_robot_is_reported_and_recreated() {
    let (world, engine) = connected("drift-robot").await;
    let robot = world.double.robots().remove(0).id.to_string();
    world.upbound().delete_robot(&robot).await.unwrap();
    assert_repaired(&world, &engine, "drift-robot", Drift::RobotMissing).await;
    assert_ne!(world.double.robots()[0].id.to_string(), robot);
}

#[tokio::test]
async fn a_new_rotation_trigger_rotates_the_token() {
    let (world, engine) = connected("rotate").await;
    let before = world.minted_tokens();
    let mut input = world.input("rotate");
    input.token_rotation = Some("2026-11".to_owned());
    let spec = input.validate().unwrap();
    assert!(
        engine
            .read(&spec)
            .await
            .unwrap()
            .drift
            .contains(&Drift::RotationRequested)
    );
    engine.connect(&spec, &Silent).await.expect("rotate");
    world.assert_one_robot_one_token().await;
    assert_ne!(
        world.minted_tokens(),
        before,
        "a new token replaced the old one"
    );
    assert!(
        !engine.connect(&spec, &Silent).await.unwrap().changed,
        "then stable"
    );
}
