//! The `/_double/` routes steer a double from another process: no login,
//! faults as flat JSON, counts per route template, and a reset.

use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use upbound_api_double::{Config, Double};

/// Sends `request` and returns the answer's JSON body.
async fn json_answer(request: RequestBuilder) -> Value {
    let answer = request.send().await.unwrap();
    answer.json().await.unwrap()
}

#[tokio::test]
async fn sets_up_injects_a_fault_counts_and_resets_over_http() {
    let double = Double::start(Config::default()).await.unwrap();
    let client = Client::new();
    let control = |path: &str| format!("{}/_double/{path}", double.url());

    let organization = client
        .post(control("organizations"))
        .json(&json!({"name": "acme"}))
        .send()
        .await
        .unwrap();
    let user: Value = json_answer(
        client
            .post(control("users"))
            .json(&json!({"username": "alice", "roles": {"acme": "owner"}})),
    )
    .await;
    let fault = client
        .post(control("faults"))
        .json(&json!({"route": "POST /v1/login", "status": 503, "times": 1}))
        .send()
        .await
        .unwrap();
    let login = client
        .post(format!("{}/v1/login", double.url()))
        .json(&json!({"id": user["token"]["id"], "password": user["token"]["jwt"]}))
        .send()
        .await
        .unwrap();
    let counts: Value = json_answer(client.get(control("requests/counts"))).await;
    let reset = client.post(control("reset")).send().await.unwrap();

    assert_eq!(organization.status(), StatusCode::CREATED);
    assert_eq!(fault.status(), StatusCode::CREATED);
    assert_eq!(login.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(counts, json!({"POST /v1/login": 1}));
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert!(double.snapshot().organizations.is_empty());
}
