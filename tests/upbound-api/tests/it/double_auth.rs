//! Sessions and rights: no session, an expired or ended session, and bad
//! credentials are 401 with the Upbound error body; a member who tries to
//! write is 403.

use std::time::Duration;

use crate::in_process::{
    body, client, create_robot, double, double_with, get, logged_in, login, owner,
};
use reqwest::StatusCode;
use serde_json::json;
use upbound_api_double::{Config, NewUser};

#[tokio::test]
async fn no_session_is_401_with_the_documented_body() {
    let double = double().await;

    let answer = get(&client(), &double, "/v1/organizations").await;

    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let error = body(answer).await;
    assert_eq!(error["status"], 401);
    assert_eq!(error["title"], "Unauthorized");
    assert!(error["detail"].is_string());
}

#[tokio::test]
async fn a_session_past_its_ttl_is_401() {
    let double = double_with(Config {
        session_ttl: Duration::from_millis(200),
        ..Config::default()
    })
    .await;
    let client = owner(&double).await;
    assert_eq!(
        get(&client, &double, "/v1/self").await.status(),
        StatusCode::OK
    );

    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_eq!(
        get(&client, &double, "/v1/self").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn expired_sessions_and_logged_out_sessions_are_401() {
    let double = double().await;
    let expired = owner(&double).await;
    double.expire_sessions().unwrap();
    assert_eq!(
        get(&expired, &double, "/v1/self").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let token = double.issue_personal_token("alice").unwrap();
    let session = client();
    login(&session, &double, &token.id.to_string(), token.jwt.expose()).await;
    let logout = session
        .post(format!("{}/v1/logout", double.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(
        get(&session, &double, "/v1/self").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_member_reads_robots_but_cannot_create_one() {
    let double = double().await;
    let member = logged_in(&double, NewUser::new("bob").member_of("acme")).await;

    let listed = get(&member, &double, "/v1/organizations/1/robots").await;
    let created = create_robot(&member, &double, "space-a").await;

    assert_eq!(listed.status(), StatusCode::OK);
    assert_eq!(created.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(created).await["status"], 403);
    assert!(double.robots().is_empty());
}

#[tokio::test]
async fn bad_credentials_are_401_without_a_cookie() {
    let double = double().await;
    let alice = double
        .add_user(NewUser::new("alice").owner_of("acme").password("right"))
        .unwrap();
    let client = client();
    let other_id = uuid_like_but_wrong();

    for (id, password) in [
        ("alice", "wrong"),
        (other_id.as_str(), alice.token.jwt.expose()),
        (&alice.token.id.to_string(), "not a jwt"),
    ] {
        let answer = login(&client, &double, id, password).await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "login as {id:?}");
        assert!(answer.headers().get("set-cookie").is_none());
        assert_eq!(body(answer).await["status"], json!(401));
    }
    let answer = login(&client, &double, "alice", "right").await;
    assert_eq!(answer.status(), StatusCode::OK, "the password itself works");
}

/// A well-formed access ID that belongs to no token.
fn uuid_like_but_wrong() -> String {
    "00000000-0000-4000-8000-000000000000".to_owned()
}
