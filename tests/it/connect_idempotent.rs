//! A second connect with the same spec writes nothing: no Upbound write
//! call, no Kubernetes write (the Secret's resourceVersion is unchanged).

use upbound_connect::engine::Silent;

use testkit::world::World;

#[tokio::test]
async fn second_connect_makes_zero_writes() {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = world.spec("beta");
    let first = engine.connect(&spec, &Silent).await.expect("first connect");
    let version = world.secret_version("connect-token").await;
    world.double.clear_requests();

    let second = engine
        .connect(&spec, &Silent)
        .await
        .expect("second connect");

    assert!(!second.changed);
    assert_eq!(second.connection, first.connection);
    assert!(
        world.writes().is_empty(),
        "Upbound writes: {:?}",
        world.writes()
    );
    let after = world.secret_version("connect-token").await;
    assert_eq!(after, version, "the Secret was not written");
    assert_eq!(world.double.robots().len(), 1);
}
