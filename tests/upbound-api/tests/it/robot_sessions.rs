//! Robot tokens and the sessions opened with them answer in the shapes the
//! real clients decode: a token's `createdAt` in `meta` (where the `up` CLI
//! reads it), and `GET /v1/self` with a number in `user.id` (the SDK's
//! `userinfo.User.ID` is a `uint`) for a robot as for a user.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::in_process::{body, client, double, get, login, owner, robot_with_token};

/// The JSON body of a 200 answer.
async fn ok_body(answer: Response) -> Value {
    assert_eq!(answer.status(), StatusCode::OK);
    body(answer).await
}

/// Whether `value` is an RFC 3339 timestamp string, as the CLI parses it
/// (Go's `time.RFC3339`).
fn is_rfc3339(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.parse::<jiff::Timestamp>().is_ok())
}

#[tokio::test]
async fn a_robot_token_carries_created_at_in_meta() {
    let double = double().await;
    let owner = owner(&double).await;
    let (robot_id, created) = robot_with_token(&owner, &double).await;
    let token_id = created["data"]["id"].as_str().unwrap();

    let listed =
        ok_body(get(&owner, &double, &format!("/v2/robots/{robot_id}/tokens")).await).await;
    let read = ok_body(get(&owner, &double, &format!("/v1/tokens/{token_id}")).await).await;

    let created = &created["data"];
    assert!(is_rfc3339(&created["meta"]["createdAt"]), "{created}");
    assert!(created["meta"]["jwt"].is_string());
    assert_eq!(created["attributes"], json!({"name": "space-a"}));
    let listed = &listed["data"][0];
    assert_eq!(listed["meta"]["createdAt"], created["meta"]["createdAt"]);
    assert_eq!(listed["attributes"], json!({"name": "space-a"}));
    assert!(listed["meta"].get("jwt").is_none(), "the JWT is shown once");
    assert_eq!(read["data"]["meta"], listed["meta"]);
}

#[tokio::test]
async fn self_answers_a_robot_session_with_a_numeric_user_id() {
    let double = double().await;
    let owner = owner(&double).await;
    let (_, created) = robot_with_token(&owner, &double).await;
    let robot = client();
    let token = &created["data"];
    let answer = login(
        &robot,
        &double,
        token["id"].as_str().unwrap(),
        token["meta"]["jwt"].as_str().unwrap(),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::OK, "a robot token logs in");

    let as_robot = ok_body(get(&robot, &double, "/v1/self").await).await;
    let as_owner = ok_body(get(&owner, &double, "/v1/self").await).await;

    assert!(as_robot["user"]["id"].is_u64(), "{as_robot}");
    assert_eq!(as_robot["user"]["username"], "space-a");
    assert_eq!(as_robot["user"]["type"], "robot");
    assert!(as_owner["user"]["id"].is_u64(), "{as_owner}");
    assert_eq!(as_owner["user"]["username"], "alice");
}
