//! `terraform apply` of the basic example connects a Space (robot, token and
//! Secret, with IDs in state); after it, a refresh plan and a `-refresh=false`
//! plan are both empty; `terraform destroy` disconnects and leaves nothing.

use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::world::World;

#[tokio::test]
async fn apply_connects_and_destroy_leaves_nothing() {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "basic");
    terraform.init().await;

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
