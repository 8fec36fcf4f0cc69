//! A first connect creates exactly one robot (its description recording
//! where it is connected) and one token, stores the token in the Secret
//! with the connection recorded in its annotations, and makes no other
//! write calls: four Upbound calls beyond the session (the organization,
//! the robots list under the Lease, the robot, the token).

use std::collections::BTreeMap;

use upbound_connect::cluster::{ROBOT_ANNOTATION, SPACE_ANNOTATION, TOKEN_ANNOTATION, TOKEN_KEY};
use upbound_connect::engine::{Owner, Place, Silent, given_description};

use testkit::world::World;

#[tokio::test]
async fn first_connect_creates_one_robot_one_token_and_the_secret() {
    let world = World::new().await;
    let outcome = world
        .engine()
        .await
        .connect(&world.spec("alpha"), &Silent)
        .await
        .expect("connect");

    assert!(outcome.changed);
    let robots = world.double.robots();
    assert_eq!(robots.len(), 1, "one robot");
    assert_eq!(robots[0].name, "alpha");
    assert_eq!(
        Owner::of(&robots[0].description),
        Owner::Connection(Place {
            cluster: world.cluster_identity().await,
            namespace: world.namespace.clone(),
        }),
        "the robot records where it is connected: {:?}",
        robots[0].description
    );
    assert_eq!(
        given_description(&robots[0].description),
        "Robot used for authenticating Space \"alpha\" with Upbound Connect"
    );
    assert_eq!(outcome.connection.robot_id, Some(robots[0].id.to_string()));
    let tokens = world.double.tokens();
    let robot_tokens: Vec<_> = tokens
        .iter()
        .filter(|token| token.name.starts_with("upbound-connect-"))
        .collect();
    assert_eq!(robot_tokens.len(), 1, "one robot token");
    assert_eq!(
        outcome.connection.token_id,
        Some(robot_tokens[0].id.to_string())
    );

    assert_eq!(
        world.writes(),
        BTreeMap::from([
            ("POST /v1/tokens".to_owned(), 1),
            ("POST /v2/robots".to_owned(), 1)
        ]),
        "write calls of a first connect"
    );
    let calls: Vec<String> = world
        .double
        .requests()
        .into_iter()
        .map(|request| request.route)
        .filter(|route| route != "POST /v1/login" && route != "POST /v1/logout")
        .collect();
    assert_eq!(
        calls,
        [
            "GET /v1/accounts/{name}",
            "GET /v1/organizations/{orgID}/robots",
            "POST /v2/robots",
            "POST /v1/tokens"
        ],
        "every Upbound call of a first connect, in order"
    );

    let secret = world
        .secrets()
        .get("connect-token")
        .await
        .expect("Secret written");
    let annotations = secret.metadata.annotations.unwrap_or_default();
    assert_eq!(annotations[SPACE_ANNOTATION], "alpha");
    assert_eq!(
        Some(&annotations[ROBOT_ANNOTATION]),
        outcome.connection.robot_id.as_ref()
    );
    assert_eq!(
        Some(&annotations[TOKEN_ANNOTATION]),
        outcome.connection.token_id.as_ref()
    );
    let jwt = String::from_utf8(secret.data.unwrap()[TOKEN_KEY].0.clone()).unwrap();
    assert_eq!(
        jwt.split('.').count(),
        3,
        "the Secret holds the robot token JWT"
    );
    let leases = kube::Api::<k8s_openapi::api::coordination::v1::Lease>::namespaced(
        world.kube.clone(),
        &world.namespace,
    );
    assert!(
        leases
            .list(&Default::default())
            .await
            .unwrap()
            .items
            .is_empty(),
        "the Lease is released"
    );
}
