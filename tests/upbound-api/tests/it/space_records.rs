//! Space records answer like a Kubernetes API: the session as a bearer
//! token, 201 on create, `Status` objects with `AlreadyExists` and
//! `NotFound`, a `status` only tests set, and discovery (`/apis`) that lets
//! a generic Kubernetes client find the `Space` kind.

use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use upbound_api_double::{Config, Double, NewUser};

const SPACES: &str = "/apis/upbound.io/v1alpha1/namespaces/acme/spaces";

/// The `SID` session of a fresh owner of `acme`.
async fn owner_session(double: &Double) -> String {
    double.add_organization("acme").unwrap();
    let alice = double
        .add_user(NewUser::new("alice").owner_of("acme"))
        .unwrap();
    let login = Client::new()
        .post(format!("{}/v1/login", double.url()))
        .json(&json!({"id": alice.token.id, "password": alice.token.jwt.expose()}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()[header::SET_COOKIE].to_str().unwrap();
    cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("SID=")
        .to_owned()
}

async fn create(double: &Double, session: &str, metadata: Value) -> (StatusCode, Value) {
    let answer = Client::new()
        .post(format!("{}{SPACES}", double.url()))
        .bearer_auth(session)
        .json(&json!({"apiVersion": "upbound.io/v1alpha1", "kind": "Space", "metadata": metadata, "spec": {}}))
        .send()
        .await
        .unwrap();
    (answer.status(), answer.json().await.unwrap())
}

#[tokio::test]
async fn a_taken_name_is_already_exists_and_a_missing_one_not_found() {
    let double = Double::start(Config::default()).await.unwrap();
    let session = owner_session(&double).await;

    let (created, object) = create(&double, &session, json!({"name": "prod"})).await;
    let (again, conflict) = create(&double, &session, json!({"name": "prod"})).await;
    let (generated, named) = create(&double, &session, json!({"generateName": "connected-"})).await;
    let missing = Client::new()
        .get(format!("{}{SPACES}/nope", double.url()))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap();

    assert_eq!(created, StatusCode::CREATED);
    assert_eq!(object["metadata"]["namespace"], "acme");
    assert_eq!(again, StatusCode::CONFLICT);
    assert_eq!(conflict["kind"], "Status");
    assert_eq!(conflict["reason"], "AlreadyExists");
    assert_eq!(generated, StatusCode::CREATED);
    assert!(
        named["metadata"]["name"]
            .as_str()
            .unwrap()
            .starts_with("connected-")
    );
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.json::<Value>().await.unwrap()["reason"], "NotFound");
}

#[tokio::test]
async fn the_status_is_what_a_test_sets() {
    let double = Double::start(Config::default()).await.unwrap();
    let session = owner_session(&double).await;
    create(&double, &session, json!({"name": "prod"})).await;

    double
        .set_space_status(
            "acme",
            "prod",
            json!({"connection": {"status": "connected"}}),
        )
        .unwrap();

    let record: Value = Client::new()
        .get(format!("{}{SPACES}/prod", double.url()))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["status"]["connection"]["status"], "connected");
}

#[tokio::test]
async fn discovery_names_the_space_kind_and_the_verbs_served() {
    let double = Double::start(Config::default()).await.unwrap();
    let session = owner_session(&double).await;
    let discover = |path: &str| {
        Client::new()
            .get(format!("{}{path}", double.url()))
            .bearer_auth(&session)
            .send()
    };

    let groups: Value = discover("/apis").await.unwrap().json().await.unwrap();
    let resources: Value = discover("/apis/upbound.io/v1alpha1")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let version = json!({"groupVersion": "upbound.io/v1alpha1", "version": "v1alpha1"});
    assert_eq!(groups["kind"], "APIGroupList");
    assert_eq!(groups["apiVersion"], "v1");
    assert_eq!(
        groups["groups"],
        json!([{"name": "upbound.io", "versions": [version], "preferredVersion": version}])
    );
    assert_eq!(resources["kind"], "APIResourceList");
    assert_eq!(resources["groupVersion"], "upbound.io/v1alpha1");
    assert_eq!(
        resources["resources"],
        json!([{
            "name": "spaces",
            "singularName": "space",
            "namespaced": true,
            "kind": "Space",
            "verbs": ["create", "delete", "get", "list"],
        }])
    );
}

#[tokio::test]
async fn discovery_needs_a_session_as_the_records_do() {
    let double = Double::start(Config::default()).await.unwrap();
    let session = owner_session(&double).await;

    let anonymous = Client::new()
        .get(format!("{}/apis", double.url()))
        .send()
        .await
        .unwrap();
    let by_cookie = Client::new()
        .get(format!("{}/apis/upbound.io/v1alpha1", double.url()))
        .header(header::COOKIE, format!("SID={session}"))
        .send()
        .await
        .unwrap();

    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let status: Value = anonymous.json().await.unwrap();
    assert_eq!(status["kind"], "Status");
    assert_eq!(status["reason"], "Unauthorized");
    assert_eq!(by_cookie.status(), StatusCode::OK);
}
