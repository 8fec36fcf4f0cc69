//! Robot tokens and the sessions opened with them answer in the shapes the
//! real clients decode: a token's `createdAt` in `meta` (where the `up` CLI
//! reads it), and `GET /v1/self` with a number in `user.id` (the SDK's
//! `userinfo.User.ID` is a `uint`) for a robot as for a user.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use upbound_api_double::{Config, Double, NewUser};

/// A client with a cookie store, logged in with `id` and `password`.
async fn logged_in(double: &Double, id: &str, password: &str) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("{}/v1/login", double.url()))
        .json(&json!({"id": id, "password": password, "remember": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    client
}

/// Sends `request`, expects `status` and returns the JSON body.
async fn answer(request: reqwest::RequestBuilder, status: StatusCode) -> Value {
    let answer = request.send().await.unwrap();
    assert_eq!(answer.status(), status);
    answer.json().await.unwrap()
}

/// An owner of `acme`, logged in, and a robot `space-a` of `acme` with the
/// token `space-a` just created: `(owner, robot ID, created token document)`.
async fn robot_with_token(double: &Double) -> (Client, String, Value) {
    let acme = double.add_organization("acme").unwrap();
    let alice = double
        .add_user(NewUser::new("alice").owner_of("acme"))
        .unwrap();
    let owner = logged_in(
        double,
        &alice.token.id.to_string(),
        alice.token.jwt.expose(),
    )
    .await;
    let robot = answer(
        owner
            .post(format!("{}/v2/robots", double.url()))
            .json(&json!({"data": {
                "type": "robots",
                "attributes": {"name": "space-a", "description": ""},
                "relationships": {"organization": {"data": {"type": "organization", "id": acme.id.to_string()}}},
            }})),
        StatusCode::CREATED,
    )
    .await;
    let robot_id = robot["data"]["id"].as_str().unwrap().to_owned();
    let token = answer(
        owner
            .post(format!("{}/v1/tokens", double.url()))
            .json(&json!({"data": {
                "type": "tokens",
                "attributes": {"name": "space-a"},
                "relationships": {"Owner": {"data": {"type": "robots", "id": robot_id}}},
            }})),
        StatusCode::CREATED,
    )
    .await;
    (owner, robot_id, token)
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
    let double = Double::start(Config::default()).await.unwrap();
    let (owner, robot_id, created) = robot_with_token(&double).await;
    let token_id = created["data"]["id"].as_str().unwrap();

    let listed = answer(
        owner.get(format!("{}/v2/robots/{robot_id}/tokens", double.url())),
        StatusCode::OK,
    )
    .await;
    let read = answer(
        owner.get(format!("{}/v1/tokens/{token_id}", double.url())),
        StatusCode::OK,
    )
    .await;

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
    let double = Double::start(Config::default()).await.unwrap();
    let (owner, _, created) = robot_with_token(&double).await;
    let robot = logged_in(
        &double,
        created["data"]["id"].as_str().unwrap(),
        created["data"]["meta"]["jwt"].as_str().unwrap(),
    )
    .await;

    let as_robot = answer(
        robot.get(format!("{}/v1/self", double.url())),
        StatusCode::OK,
    )
    .await;
    let as_owner = answer(
        owner.get(format!("{}/v1/self", double.url())),
        StatusCode::OK,
    )
    .await;

    assert!(as_robot["user"]["id"].is_u64(), "{as_robot}");
    assert_eq!(as_robot["user"]["username"], "space-a");
    assert_eq!(as_robot["user"]["type"], "robot");
    assert!(as_owner["user"]["id"].is_u64(), "{as_owner}");
    assert_eq!(as_owner["user"]["username"], "alice");
}
