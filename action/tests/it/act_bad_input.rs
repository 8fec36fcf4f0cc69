//! Under act, bad inputs fail the step with an `::error` naming each input
//! and its fix, before anything is created (Upbound is not even called).

use crate::common::act::Act;
use testkit::world::World;

#[tokio::test]
async fn bad_inputs_are_named_and_nothing_is_created() {
    let world = World::new().await;
    let run = Act::new(&world, "push", "tests/act/connect.yml", "bad-input")
        .run()
        .await;
    assert!(!run.success, "act fails:\n{}", run.log);
    for named in ["Invalid input `space`", "Invalid input `wait`"] {
        assert!(run.log.contains(named), "{named}:\n{}", run.log);
    }
    assert!(
        run.log.contains("use true or false"),
        "the fix:\n{}",
        run.log
    );
    assert!(world.double.requests().is_empty(), "Upbound not contacted");
    assert!(world.double.robots().is_empty());
    assert_eq!(world.secret_version("connect-token").await, None);
}
