//! `terraform apply` of the basic example connects a Space (robot, token and
//! Secret, with IDs in state); after it, a refresh plan and a `-refresh=false`
//! plan are both empty; `terraform destroy` disconnects and leaves nothing.
//! The same under `tofu`, for which the example's source without a hostname
//! means the OpenTofu Registry: the lock file names the host each CLI chose.

use testkit::cli::Cli;
use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

test_each_cli!(apply_connects_and_destroy_leaves_nothing);

async fn apply_connects_and_destroy_leaves_nothing(cli: Cli) {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE)
        .using(cli)
        .env("TF_VAR_space", "basic");
    terraform.init().await;
    let lock = std::fs::read_to_string(terraform.path().join(".terraform.lock.hcl"))
        .expect("init writes the lock file");
    let provider = format!(
        "provider \"{}/upbound-connect/upbound\"",
        cli.default_registry()
    );
    assert!(lock.contains(&provider), "{cli} locks {provider}:\n{lock}");

    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    let values = terraform.state_values(BASIC_CONNECTION).await;
    assert_eq!(values["id"], format!("{}/basic", world.organization));
    assert_eq!(values["robot_id"], world.double.robots()[0].id.to_string());
    assert_eq!(values["token_id"], world.minted_tokens()[0]);

    terraform.assert_no_changes("apply").await;

    terraform.destroy().await.success();
    world.assert_no_robot_no_token();
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "no Secret is left"
    );
    assert_eq!(
        terraform.state_list().await,
        Vec::<String>::new(),
        "the state is empty"
    );
}
