//! `connect` creates the robot, token and Secret and reports them; a second
//! `connect` reports `changed: false` and creates nothing new.

use crate::common::{cli, json};
use testkit::world::World;

#[tokio::test]
async fn connect_then_connect_again_changes_nothing() {
    let world = World::new().await;
    let first = json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    assert_eq!(first["changed"], true);
    world.assert_one_robot_one_token().await;
    let robots = world.double.robots();
    assert_eq!(first["robot_id"], robots[0].id.to_string());
    assert_eq!(first["token_id"], world.minted_tokens()[0]);
    let created: Vec<&str> = first["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["change"] == "created")
        .map(|event| event["object"].as_str().expect("object"))
        .collect();
    assert_eq!(created, ["robot", "token", "agent release"]);
    let written: Vec<&str> = first["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|event| event["change"] == "written")
        .map(|event| event["object"].as_str().expect("object"))
        .collect();
    assert_eq!(written, ["token Secret", "pull secret"]);
    assert_eq!(first["release_revision"], 1);

    let version = world.secret_version("connect-token").await;
    let second = json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    assert_eq!(second["changed"], false);
    assert_eq!(second["events"], serde_json::json!([]));
    assert_eq!(second["robot_id"], first["robot_id"]);
    assert_eq!(second["token_id"], first["token_id"]);
    assert_eq!(
        world.secret_version("connect-token").await,
        version,
        "Secret untouched"
    );
    world.assert_one_robot_one_token().await;
}
