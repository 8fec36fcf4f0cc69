//! Drift through real Terraform, each case on its own applied connection of
//! the basic example (robot, token Secret and agent release): a deleted
//! Secret, a revoked token or a deleted robot plans an update in place (never
//! a second robot) that apply repairs, as does losing robot and Secret while
//! the release stays; a connection gone altogether (robot, Secret and
//! release) leaves the state and is created again. After each repair both
//! plans are empty, one robot and one live token exist (no orphan), and the
//! Secret holds that token. Each case runs under Terraform and under `tofu`.

use testkit::cli::Cli;
use testkit::helm::helm_in_cluster;
use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

/// What a refresh plan prints for drift that apply repairs in place.
const UPDATE: &[&str] = &[
    "will be updated in-place",
    "Plan: 0 to add, 1 to change, 0 to destroy.",
];

/// What a refresh plan prints for a connection read as gone.
const CREATE: &[&str] = &[
    "upbound_space_connection.this has been deleted",
    "will be created",
    "Plan: 1 to add, 0 to change, 0 to destroy.",
];

/// A world with the basic example applied by `cli` (the space is `drift`).
async fn applied(cli: Cli) -> (World, TerraformDir) {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE)
        .using(cli)
        .env("TF_VAR_space", "drift");
    terraform.init().await;
    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    (world, terraform)
}

/// Checks that the refresh plan after drift changes something and prints
/// each of `expected`, that apply repairs it, and the converged state.
async fn repairs(world: &World, terraform: &TerraformDir, expected: &[&str]) {
    let plan = terraform.plan(&[]).await;
    assert_eq!(plan.code, 2, "the drift plans a change:\n{plan}");
    for text in expected {
        assert!(
            plan.stdout.contains(text),
            "the plan says `{text}`:\n{plan}"
        );
    }
    terraform.apply(&[]).await.success();
    terraform.assert_no_changes("repair").await;
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
    let values = terraform.state_values(BASIC_CONNECTION).await;
    assert_eq!(values["robot_id"], world.double.robots()[0].id.to_string());
    assert_eq!(values["token_id"], world.minted_tokens()[0]);
}

async fn delete_secret(world: &World) {
    world
        .secrets()
        .delete("connect-token", &Default::default())
        .await
        .expect("Secret deleted");
}

/// Deletes the robot as the organization's owner would, through the API.
async fn delete_robot(world: &World) -> String {
    let robot = world.double.robots().remove(0).id.to_string();
    world
        .upbound()
        .delete_robot(&robot)
        .await
        .expect("robot deleted");
    robot
}

test_each_cli!(
    a_deleted_secret_is_restored_in_place,
    a_revoked_token_is_replaced_in_place,
    a_deleted_robot_is_recreated_in_place,
    robot_and_secret_gone_beside_the_release_is_an_update,
    a_connection_gone_altogether_is_created_again,
);

async fn a_deleted_secret_is_restored_in_place(cli: Cli) {
    let (world, terraform) = applied(cli).await;
    let token = world.minted_tokens().remove(0);
    delete_secret(&world).await;
    repairs(&world, &terraform, UPDATE).await;
    assert_ne!(
        world.minted_tokens(),
        vec![token],
        "the token no Secret held is revoked"
    );
}

async fn a_revoked_token_is_replaced_in_place(cli: Cli) {
    let (world, terraform) = applied(cli).await;
    let token = world.minted_tokens().remove(0);
    world
        .upbound()
        .delete_token(&token)
        .await
        .expect("token revoked");
    repairs(&world, &terraform, UPDATE).await;
    assert_ne!(world.minted_tokens(), vec![token]);
}

async fn a_deleted_robot_is_recreated_in_place(cli: Cli) {
    let (world, terraform) = applied(cli).await;
    let robot = delete_robot(&world).await;
    repairs(&world, &terraform, UPDATE).await;
    assert_ne!(world.double.robots()[0].id.to_string(), robot);
}

async fn robot_and_secret_gone_beside_the_release_is_an_update(cli: Cli) {
    let (world, terraform) = applied(cli).await;
    delete_robot(&world).await;
    delete_secret(&world).await;
    repairs(&world, &terraform, UPDATE).await;
}

async fn a_connection_gone_altogether_is_created_again(cli: Cli) {
    let (world, terraform) = applied(cli).await;
    delete_robot(&world).await;
    delete_secret(&world).await;
    let home = tempfile::tempdir().expect("helm home");
    helm_in_cluster(home.path(), &world.namespace, &["uninstall", "agent"]);
    repairs(&world, &terraform, CREATE).await;
}
