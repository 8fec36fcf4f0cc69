//! `disconnect` removes the Secret, the tokens and the robot; a second one
//! finds nothing and reports `changed: false`.

use crate::common::{cli, json};
use testkit::world::World;

#[tokio::test]
async fn disconnect_removes_everything_and_twice_is_fine() {
    let world = World::new().await;
    json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    let robot = world.double.robots()[0].id.to_string();

    let gone = json(
        &cli(
            &world,
            &["disconnect", "--space", "alpha", "--output", "json"],
        )
        .await,
    );
    assert_eq!(gone["changed"], true);
    assert!(world.double.robots().is_empty(), "robot deleted");
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "Secret deleted"
    );
    let removed: Vec<String> = gone["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["change"] == "removed")
        .map(|event| event["object"].as_str().expect("object").to_owned())
        .collect();
    assert!(removed.contains(&"robot".to_owned()), "{gone}");
    assert!(
        gone.to_string().contains(&robot),
        "the robot's ID is reported"
    );

    let again = json(
        &cli(
            &world,
            &["disconnect", "--space", "alpha", "--output", "json"],
        )
        .await,
    );
    assert_eq!(again["changed"], false);
}

/// `disconnect --cloud-only` with the cluster's kubeconfig gone too still
/// removes the robot and its tokens from Upbound: nothing reads it.
#[tokio::test]
async fn cloud_only_disconnect_needs_no_kubeconfig() {
    let world = World::new().await;
    json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    let missing = tempfile::tempdir().expect("dir");
    let missing = missing.path().join("deleted.kubeconfig");
    let gone = json(
        &cli(
            &world,
            &[
                "disconnect",
                "--space",
                "alpha",
                "--cloud-only",
                "--kubeconfig",
                missing.to_str().expect("UTF-8 path"),
                "--output",
                "json",
            ],
        )
        .await,
    );
    assert_eq!(gone["changed"], true, "{gone}");
    assert!(world.double.robots().is_empty(), "robot deleted");
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert!(
        world.secret_version("connect-token").await.is_some(),
        "the cluster was not touched"
    );
}
