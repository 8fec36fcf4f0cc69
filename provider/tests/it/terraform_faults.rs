//! Faults in the Upbound API during `terraform apply`: transient 503s and
//! 429s are retried to one robot and one token; a token minted without an
//! answer is revoked, not orphaned, in the same apply; a permanent 403
//! fails at once with an error naming the call, leaves nothing, and a
//! re-apply converges. After every successful apply both plans are empty.

use upbound_api_double::Fault;

use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::world::World;

const CREATE_ROBOT: &str = "POST /v2/robots";
const CREATE_TOKEN: &str = "POST /v1/tokens";

async fn connection(world: &World) -> TerraformDir {
    let terraform = TerraformDir::for_world(world, BASIC_EXAMPLE).env("TF_VAR_space", "faulty");
    terraform.init().await;
    terraform
}

/// How many requests to `route` the double answered with a fault.
fn faulted(world: &World, route: &str) -> usize {
    world
        .double
        .requests()
        .iter()
        .filter(|request| request.route == route && request.fault)
        .count()
}

/// One robot, one live token, the ones the state records; both plans empty.
async fn assert_converged(world: &World, terraform: &TerraformDir, after: &str) {
    world.assert_one_robot_one_token().await;
    let values = terraform.state_values(BASIC_CONNECTION).await;
    assert_eq!(values["robot_id"], world.double.robots()[0].id.to_string());
    assert_eq!(values["token_id"], world.minted_tokens()[0]);
    terraform.assert_no_changes(after).await;
}

#[tokio::test]
async fn transient_errors_are_retried_to_one_robot_and_one_token() {
    let world = World::new().await;
    let terraform = connection(&world).await;
    for fault in [
        Fault::status(CREATE_ROBOT, 503).times(2),
        Fault::status(CREATE_TOKEN, 429).retry_after(1).times(2),
        Fault::status(CREATE_TOKEN, 503).times(1),
    ] {
        world.double.inject_fault(fault).unwrap();
    }

    terraform.apply(&[]).await.success();
    assert_eq!(faulted(&world, CREATE_ROBOT), 2, "robot faults fired");
    assert_eq!(faulted(&world, CREATE_TOKEN), 3, "token faults fired");
    assert_converged(&world, &terraform, "apply through transient errors").await;
}

#[tokio::test]
async fn a_token_minted_without_an_answer_leaves_no_orphan() {
    let world = World::new().await;
    let terraform = connection(&world).await;
    world
        .double
        .inject_fault(
            Fault::drop_connection(CREATE_TOKEN)
                .after_handler()
                .times(1),
        )
        .unwrap();

    terraform.apply(&[]).await.success();
    assert_eq!(
        faulted(&world, CREATE_TOKEN),
        1,
        "a token's answer was lost"
    );
    assert_converged(&world, &terraform, "apply through a lost answer").await;

    world.double.clear_faults();
    terraform.apply(&[]).await.success();
    assert_converged(&world, &terraform, "re-apply").await;
}

#[tokio::test]
async fn a_permanent_error_fails_at_once_and_a_reapply_converges() {
    let world = World::new().await;
    let terraform = connection(&world).await;
    world
        .double
        .inject_fault(Fault::status(CREATE_ROBOT, 403))
        .unwrap();

    let refused = terraform.apply(&[]).await;
    assert_eq!(refused.code, 1, "apply fails:\n{refused}");
    for words in ["Cannot connect the Space", "robot", "403"] {
        assert!(refused.says(words), "the error says {words:?}:\n{refused}");
    }
    assert_eq!(faulted(&world, CREATE_ROBOT), 1, "a 403 is not retried");
    assert_eq!(world.double.robots(), vec![], "no robot was made");
    assert_eq!(
        terraform.state_list().await,
        Vec::<String>::new(),
        "nothing is in state"
    );

    world.double.clear_faults();
    terraform.apply(&[]).await.success();
    assert_converged(&world, &terraform, "re-apply after a permanent error").await;
}
