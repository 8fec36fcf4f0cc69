//! Two processes started one after the other on the same `--state-file`
//! share one run: what the first created, the second serves.

use crate::child::{DoubleProcess, answer_json};
use serde_json::{Value, json};

#[tokio::test]
async fn a_second_process_sees_the_robot_the_first_created() {
    let dir = tempfile::tempdir().unwrap();
    let state_file = dir.path().join("state.json");
    let state_arg = ["--state-file", state_file.to_str().unwrap()];

    let first = DoubleProcess::start(dir.path(), &state_arg);
    let client = first.logged_in_client().await;
    let created: Value = answer_json(client.post(format!("{}/v2/robots", first.url)).json(
        &json!({"data": {
            "type": "robots",
            "attributes": {"name": "space-a", "description": "shared"},
            "relationships": {"organization": {"data": {"type": "organization", "id": "1"}}},
        }}),
    ))
    .await;
    assert!(first.terminate().success());

    let second = DoubleProcess::start(dir.path(), &state_arg);
    let client = second.logged_in_client().await;
    let robots: Value =
        answer_json(client.get(format!("{}/v1/organizations/1/robots", second.url))).await;
    assert_eq!(robots[0]["id"], created["data"]["id"]);
    assert_eq!(robots[0]["name"], "space-a");
    assert!(second.terminate().success());
}
