//! What the `double_*` tests share: an in-process Upbound API double with
//! the organization `acme`, and reqwest clients logged in to it.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use upbound_api_double::{Config, Double, NewUser};

/// A double with the organization `acme` (ID 1).
pub async fn double_with(config: Config) -> Double {
    let double = Double::start(config).await.expect("the double starts");
    double.add_organization("acme").expect("acme is new");
    double
}

/// [`double_with`] the default configuration.
pub async fn double() -> Double {
    double_with(Config::default()).await
}

/// A client with a cookie store, as the SDK keeps the `SID` cookie.
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .build()
        .expect("a reqwest client")
}

/// `POST /v1/login` with `{"id", "password", "remember": true}`.
pub async fn login(client: &Client, double: &Double, id: &str, password: &str) -> Response {
    client
        .post(format!("{}/v1/login", double.url()))
        .json(&json!({"id": id, "password": password, "remember": true}))
        .send()
        .await
        .expect("login answers")
}

/// Creates `user` and returns a client logged in with its personal access
/// token.
pub async fn logged_in(double: &Double, user: NewUser) -> Client {
    let created = double.add_user(user).expect("the user is new");
    let client = client();
    let token = created.token;
    let answer = login(&client, double, &token.id.to_string(), token.jwt.expose()).await;
    assert_eq!(
        answer.status(),
        StatusCode::OK,
        "login with a personal access token"
    );
    client
}

/// A client logged in as `alice`, owner of `acme`.
pub async fn owner(double: &Double) -> Client {
    logged_in(double, NewUser::new("alice").owner_of("acme")).await
}

/// `POST /v2/robots` in `acme`, as the SDK sends it.
pub async fn create_robot(client: &Client, double: &Double, name: &str) -> Response {
    client
        .post(format!("{}/v2/robots", double.url()))
        .json(&json!({"data": {
            "type": "robots",
            "attributes": {"name": name, "description": "made by a test"},
            "relationships": {"organization": {"data": {"type": "organization", "id": "1"}}},
        }}))
        .send()
        .await
        .expect("create robot answers")
}

/// `GET` of `path` on the double.
pub async fn get(client: &Client, double: &Double, path: &str) -> Response {
    client
        .get(format!("{}{path}", double.url()))
        .send()
        .await
        .expect("the double answers")
}

/// The JSON body of an answer.
pub async fn body(response: Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// Creates a robot in `acme` and a token for it with the SDK's `"Owner"`
/// key; returns the robot's ID and the create answer.
pub async fn robot_with_token(client: &Client, double: &Double) -> (String, Value) {
    let robot = body(create_robot(client, double, "space-a").await).await;
    let robot_id = robot["data"]["id"].as_str().unwrap().to_owned();
    let answer = client
        .post(format!("{}/v1/tokens", double.url()))
        .json(&json!({"data": {
            "type": "tokens",
            "attributes": {"name": "space-a"},
            "relationships": {"Owner": {"data": {"type": "robots", "id": robot_id}}},
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
    (robot_id, body(answer).await)
}
