//! Under act, `mode: status` changes nothing and tells a later step whether
//! a connect would change anything (`changes`) and what it would do
//! (`plan`, one step per line, in the engine's words); after a connect,
//! `changes` is false and the plan empty.

use crate::common::act::Act;
use testkit::world::World;

#[tokio::test]
async fn status_outputs_the_plan_and_changes_nothing() {
    let world = World::new().await;
    let before = Act::new(&world, "push", "tests/act/connect.yml", "status")
        .run()
        .await;
    before.assert_success();
    let messages = before.messages();
    assert!(messages.contains("status changes=true"), "{}", before.log);
    assert!(
        messages.contains("would: create robot \"alpha\""),
        "{}",
        before.log
    );
    assert!(
        messages.contains("would: mint a new token into Secret"),
        "{}",
        before.log
    );
    assert!(world.double.robots().is_empty(), "status created nothing");
    assert!(world.writes().is_empty(), "{:?}", world.writes());

    Act::new(&world, "push", "tests/act/connect.yml", "connect")
        .run()
        .await
        .assert_success();
    let after = Act::new(&world, "push", "tests/act/connect.yml", "status")
        .run()
        .await;
    after.assert_success();
    let messages = after.messages();
    assert!(messages.contains("status changes=false"), "{}", after.log);
    assert!(!messages.contains("would: create"), "{}", after.log);
    world.assert_one_robot_one_token().await;
}
