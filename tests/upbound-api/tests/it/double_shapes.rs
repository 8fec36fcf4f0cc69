//! The double answers with the Upbound API's shapes: the `SID` cookie,
//! plain arrays where the API uses them, JSON:API documents where it does,
//! and a token JWT shown exactly once.

use crate::in_process::{body, create_robot, double, get, login, owner, robot_with_token};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use upbound_api_double::NewUser;

/// The claims of a JWT, read without verifying (as clients read `jti`).
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
        .expect("JSON claims")
}

#[tokio::test]
async fn login_answers_with_a_sid_cookie_holding_a_jwt_with_exp() {
    let double = double().await;
    let user = double
        .add_user(NewUser::new("alice").owner_of("acme"))
        .unwrap();
    let client = Client::new();

    let answer = login(
        &client,
        &double,
        &user.token.id.to_string(),
        user.token.jwt.expose(),
    )
    .await;

    assert_eq!(answer.status(), StatusCode::OK);
    let cookie = answer.headers()[header::SET_COOKIE].to_str().unwrap();
    let session = cookie
        .strip_prefix("SID=")
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    assert!(claims(session)["exp"].is_u64());
}

#[tokio::test]
async fn self_and_organizations_describe_the_logged_in_user() {
    let double = double().await;
    let client = owner(&double).await;

    let current = body(get(&client, &double, "/v1/self").await).await;
    assert_eq!(current["user"]["username"], "alice");

    let organizations = body(get(&client, &double, "/v1/organizations").await).await;
    assert_eq!(organizations[0]["id"], 1);
    assert_eq!(organizations[0]["name"], "acme");
    assert_eq!(organizations[0]["role"], "owner");

    let account = body(get(&client, &double, "/v1/accounts/acme").await).await;
    assert_eq!(account["account"]["type"], "organization");
    assert_eq!(account["organization"]["id"], 1);
}

#[tokio::test]
async fn a_created_robot_is_a_json_api_document_and_listed_in_a_plain_array() {
    let double = double().await;
    let client = owner(&double).await;

    let created = create_robot(&client, &double, "space-a").await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = body(created).await;
    let data = &created["data"];
    assert_eq!(data["type"], "robots");
    assert_eq!(data["attributes"]["name"], "space-a");
    assert_eq!(data["relationships"]["organization"]["data"]["id"], "1");
    let robot_id = data["id"].as_str().unwrap();
    assert_eq!(double.robots()[0].id.to_string(), robot_id);

    let fetched = body(get(&client, &double, &format!("/v2/robots/{robot_id}")).await).await;
    assert_eq!(fetched["data"]["id"], robot_id);

    let listed = body(get(&client, &double, "/v1/organizations/1/robots").await).await;
    assert_eq!(listed[0]["id"], robot_id);
    assert_eq!(listed[0]["name"], "space-a");
    assert_eq!(listed[0]["description"], "made by a test");
    assert_eq!(listed[0]["teamIDs"], json!([]));
    assert_eq!(listed[0]["tokenIDs"], json!([]));
}

#[tokio::test]
async fn a_token_jwt_carries_its_access_id_and_is_shown_only_at_creation() {
    let double = double().await;
    let client = owner(&double).await;

    let (robot_id, created) = robot_with_token(&client, &double).await;

    let token_id = created["data"]["id"].as_str().unwrap();
    let jwt = created["data"]["meta"]["jwt"].as_str().unwrap();
    assert_eq!(claims(jwt)["jti"], token_id);
    for path in [
        format!("/v2/robots/{robot_id}/tokens"),
        format!("/v1/tokens/{token_id}"),
    ] {
        let text = get(&client, &double, &path).await.text().await.unwrap();
        assert!(text.contains(token_id), "{path} shows the token");
        assert!(!text.contains(jwt), "{path} must not show the JWT");
    }
    let robot_session = Client::new();
    let answer = login(&robot_session, &double, token_id, jwt).await;
    assert_eq!(answer.status(), StatusCode::OK, "a robot token logs in");
}

#[tokio::test]
async fn deleting_a_robot_deletes_its_tokens_and_ends_their_sessions() {
    let double = double().await;
    let client = owner(&double).await;
    let (robot_id, created) = robot_with_token(&client, &double).await;
    let token_id = created["data"]["id"].as_str().unwrap();
    let robot_session = crate::in_process::client();
    let jwt = created["data"]["meta"]["jwt"].as_str().unwrap();
    assert_eq!(
        login(&robot_session, &double, token_id, jwt).await.status(),
        StatusCode::OK
    );

    let deleted = client
        .delete(format!("{}/v2/robots/{robot_id}", double.url()))
        .send()
        .await
        .unwrap();

    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(double.robots().is_empty());
    assert_eq!(
        double.tokens().len(),
        1,
        "only alice's personal access token is left"
    );
    let token = get(&client, &double, &format!("/v1/tokens/{token_id}")).await;
    assert_eq!(token.status(), StatusCode::NOT_FOUND);
    let robot_self = get(&robot_session, &double, "/v1/self").await;
    assert_eq!(robot_self.status(), StatusCode::UNAUTHORIZED);
}
