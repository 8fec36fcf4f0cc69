//! A create whose answer is lost (the call happened, the client saw a
//! dropped connection or a 5xx) never leads to a second robot or an orphan
//! token: the engine looks before creating again.

use upbound_api_double::Fault;
use upbound_connect::engine::Silent;

use testkit::world::World;

async fn connect_despite(fault: Fault) {
    let world = World::new().await;
    world.double.inject_fault(fault.clone()).unwrap();
    world
        .engine()
        .await
        .connect(&world.spec("lost"), &Silent)
        .await
        .unwrap_or_else(|error| panic!("connect despite {fault:?}: {error}"));
    assert!(
        world.double.requests().iter().any(|request| request.fault),
        "{fault:?} fired"
    );
    world.assert_one_robot_one_token().await;
}

#[tokio::test]
async fn a_robot_created_without_an_answer_is_found_not_duplicated() {
    connect_despite(
        Fault::drop_connection("POST /v2/robots")
            .after_handler()
            .times(1),
    )
    .await;
    connect_despite(
        Fault::status("POST /v2/robots", 503)
            .after_handler()
            .times(2),
    )
    .await;
}

#[tokio::test]
async fn a_token_minted_without_an_answer_is_revoked_not_orphaned() {
    connect_despite(
        Fault::drop_connection("POST /v1/tokens")
            .after_handler()
            .times(1),
    )
    .await;
    connect_despite(
        Fault::status("POST /v1/tokens", 502)
            .after_handler()
            .times(2),
    )
    .await;
}
