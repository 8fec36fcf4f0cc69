//! Under act, `uses: ./` connects and a later step reads the outputs; a
//! second run reports `changed=false` and creates nothing new. Prints the
//! action step's overhead: its time under act minus the engine's own time.

use crate::common::act::{Act, ActRun};
use testkit::world::World;

/// The engine's time as the job summary states it.
fn engine_seconds(run: &ActRun) -> f64 {
    let messages = run.messages();
    let line = messages
        .lines()
        .find_map(|line| line.split("Engine time: ").nth(1))
        .unwrap_or_else(|| panic!("the summary states the engine time:\n{}", run.log));
    line.trim_end_matches(" s").trim().parse().expect("seconds")
}

#[tokio::test]
async fn connect_outputs_reach_a_later_step_and_a_rerun_changes_nothing() {
    let world = World::new().await;
    let first = Act::new(&world, "push", "tests/act/connect.yml", "connect")
        .run()
        .await;
    first.assert_success();
    world.assert_one_robot_one_token().await;
    let robot = world.double.robots()[0].id.to_string();
    let token = world.minted_tokens()[0].clone();
    let expected = format!(
        "outputs robot={robot} token={token} secret=connect-token changed=true space=alpha"
    );
    assert!(
        first.messages().contains(&expected),
        "{expected}\n{}",
        first.log
    );

    let second = Act::new(&world, "push", "tests/act/connect.yml", "connect")
        .run()
        .await;
    second.assert_success();
    let expected = format!(
        "outputs robot={robot} token={token} secret=connect-token changed=false space=alpha"
    );
    assert!(
        second.messages().contains(&expected),
        "{expected}\n{}",
        second.log
    );
    world.assert_one_robot_one_token().await;

    for (name, run) in [("first", &first), ("no-op", &second)] {
        let engine = engine_seconds(run);
        let main = run.step_time("Main", "c").expect("the step's time");
        let post = run.step_time("Post", "c").expect("the post step's time");
        println!(
            "act connect ({name}): job wall {:.3} s; action step {:.3} s, engine {engine:.3} s, \
             overhead (shim + binary) {:.3} s; post step {:.3} s",
            run.wall.as_secs_f64(),
            main.as_secs_f64(),
            main.as_secs_f64() - engine,
            post.as_secs_f64()
        );
    }
}
