//! Under act, `disconnect-on-exit: true` tears down what the step created
//! in the post step, even when a later step fails; and the ephemeral
//! example does the same after a passing job.

use crate::common::act::Act;
use testkit::world::World;

#[tokio::test]
async fn post_step_tears_down_after_a_failing_step() {
    let world = World::new().await;
    let run = Act::new(
        &world,
        "push",
        "tests/act/connect.yml",
        "teardown-after-failure",
    )
    .run()
    .await;
    assert!(!run.success, "the job fails:\n{}", run.log);
    assert_eq!(
        run.step_result("Main", "c").as_deref(),
        Some("success"),
        "{}",
        run.log
    );
    assert_eq!(
        run.step_result("Post", "c").as_deref(),
        Some("success"),
        "{}",
        run.log
    );
    assert!(
        world.double.robots().is_empty(),
        "robot removed:\n{}",
        run.log
    );
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "Secret removed"
    );
}

#[tokio::test]
async fn ephemeral_example_tears_down_at_the_end_of_the_job() {
    let world = World::new().await;
    let run = Act::example(
        &world,
        "pull_request",
        "examples/workflows/ephemeral.yml",
        "test",
    )
    .run()
    .await;
    run.assert_success();
    assert!(
        run.messages().contains("testing with robot "),
        "{}",
        run.log
    );
    assert!(
        world.double.robots().is_empty(),
        "robot removed:\n{}",
        run.log
    );
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert_eq!(world.secret_version("connect-token").await, None);
}

/// A connection made before the job is never removed by the post step, even
/// when the main step had to repair it (its robot deleted in Upbound): the
/// post step removes nothing and says why.
#[tokio::test]
async fn post_step_leaves_a_connection_that_predates_the_job() {
    let world = World::new().await;
    Act::new(&world, "push", "tests/act/connect.yml", "connect")
        .run()
        .await
        .assert_success();
    let robot = world.double.robots().remove(0).id.to_string();
    world
        .upbound()
        .delete_robot(&robot)
        .await
        .expect("robot deleted out of band");

    let run = Act::new(
        &world,
        "push",
        "tests/act/connect.yml",
        "teardown-after-failure",
    )
    .run()
    .await;
    assert!(!run.success, "the job fails:\n{}", run.log);
    assert!(
        run.messages().contains("created robot"),
        "the main step repaired the connection:\n{}",
        run.log
    );
    assert!(
        run.messages()
            .contains("the connection existed before this job"),
        "the post step says why it removes nothing:\n{}",
        run.log
    );
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
}
