//! Disconnect with the cluster unreachable is an error that changes nothing
//! and says why (the server and the refused connection) — unless the caller opts in to cloud-only cleanup, which still removes
//! the robot and its tokens from Upbound.

use upbound_connect::cluster::{ClusterAccess, ExplicitAccess};
use upbound_connect::engine::{DisconnectOptions, EngineError, Silent};
use upbound_connect::spec::Field;

use testkit::world::World;

#[tokio::test]
async fn unreachable_cluster_fails_unless_cloud_only() {
    let world = World::new().await;
    let spec = world.spec("away");
    world
        .engine()
        .await
        .connect(&spec, &Silent)
        .await
        .expect("connect");

    let gone = ClusterAccess::Explicit(ExplicitAccess {
        host: "https://127.0.0.1:1".to_owned(),
        insecure: true,
        ..ExplicitAccess::default()
    });
    let offline = world.engine_with(&gone).await;
    let error = offline
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect_err("unreachable cluster");
    assert_eq!(
        error.field(),
        Some(Field::ClusterHost),
        "the host given is the input to check: {error}"
    );
    assert!(
        matches!(&error, EngineError::Cluster(cluster) if cluster.is_out_of_reach()),
        "the faces offer their cloud-only opt-in on this error: {error}"
    );
    assert!(
        error.to_string().contains("at https://127.0.0.1:1/"),
        "the error names the server: {error}"
    );
    assert!(
        error.to_string().contains("Connection refused"),
        "the error says why, not only that the client failed: {error}"
    );
    assert_eq!(world.double.robots().len(), 1, "nothing removed");

    let outcome = offline
        .disconnect(&spec, DisconnectOptions { cloud_only: true }, &Silent)
        .await
        .expect("cloud-only disconnect");
    assert!(outcome.changed);
    assert!(world.double.robots().is_empty(), "robot removed");
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
}
