//! Faults hit exactly the route template they name, carry `Retry-After`,
//! fire a limited number of times, can drop the connection, and requests
//! are counted per route template.

use crate::in_process::{body, create_robot, double, get, owner};
use reqwest::{StatusCode, header};
use upbound_api_double::Fault;

#[tokio::test]
async fn a_503_on_creating_robots_leaves_other_routes_working() {
    let double = double().await;
    let client = owner(&double).await;
    double
        .inject_fault(Fault::status("POST /v2/robots", 503))
        .unwrap();

    let created = create_robot(&client, &double, "space-a").await;
    let organizations = get(&client, &double, "/v1/organizations").await;

    assert_eq!(created.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body(created).await["status"], 503);
    assert_eq!(organizations.status(), StatusCode::OK);
    assert!(double.robots().is_empty());
}

#[tokio::test]
async fn a_429_carries_retry_after() {
    let double = double().await;
    let client = owner(&double).await;
    double
        .inject_fault(Fault::status("GET /v1/organizations", 429).retry_after(7))
        .unwrap();

    let answer = get(&client, &double, "/v1/organizations").await;

    assert_eq!(answer.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(answer.headers()[header::RETRY_AFTER], "7");
}

#[tokio::test]
async fn a_fault_limited_to_once_fires_once() {
    let double = double().await;
    let client = owner(&double).await;
    double
        .inject_fault(Fault::status("POST /v2/robots", 500).times(1))
        .unwrap();

    let first = create_robot(&client, &double, "space-a").await;
    let second = create_robot(&client, &double, "space-a").await;

    assert_eq!(first.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(second.status(), StatusCode::CREATED);
    assert!(double.faults().is_empty());
}

#[tokio::test]
async fn a_dropped_connection_is_a_connection_error_even_after_the_route_ran() {
    let double = double().await;
    let client = owner(&double).await;
    double
        .inject_fault(
            Fault::drop_connection("POST /v2/robots")
                .after_handler()
                .times(1),
        )
        .unwrap();

    let lost = client
        .post(format!("{}/v2/robots", double.url()))
        .json(&serde_json::json!({"data": {
            "type": "robots",
            "attributes": {"name": "space-a"},
            "relationships": {"organization": {"data": {"type": "organization", "id": "1"}}},
        }}))
        .send()
        .await;

    let error = lost.expect_err("no response arrives");
    assert!(
        error.status().is_none(),
        "a transport error, not a status: {error}"
    );
    assert_eq!(
        double.robots().len(),
        1,
        "the robot was created before the drop"
    );
    let record = double.requests().pop().unwrap();
    assert_eq!(record.route, "POST /v2/robots");
    assert_eq!(record.status, None);
    assert!(record.fault);
}

#[tokio::test]
async fn requests_are_counted_per_route_template() {
    let double = double().await;
    let client = owner(&double).await;

    let first = body(create_robot(&client, &double, "a").await).await;
    let second = body(create_robot(&client, &double, "b").await).await;
    for robot in [&first, &second] {
        let id = robot["data"]["id"].as_str().unwrap();
        get(&client, &double, &format!("/v2/robots/{id}")).await;
    }

    let counts = double.request_counts();
    assert_eq!(counts["POST /v1/login"], 1);
    assert_eq!(counts["POST /v2/robots"], 2);
    assert_eq!(counts["GET /v2/robots/{robotID}"], 2);
}
