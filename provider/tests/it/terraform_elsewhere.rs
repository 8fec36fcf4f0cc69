//! A connection whose Space went on to be connected elsewhere (its robot
//! deleted in Upbound, then the Space connected from another namespace):
//! refresh warns instead of failing, and `terraform destroy` removes only
//! this namespace's own objects, leaving the other connection's robot and
//! token alone.

use upbound_connect::engine::Silent;

use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::world::World;

#[tokio::test]
async fn destroy_leaves_the_connection_elsewhere_alone() {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "moved");
    terraform.init().await;
    terraform.apply(&[]).await.success();
    let robot = terraform.state_values(BASIC_CONNECTION).await["robot_id"]
        .as_str()
        .expect("robot_id")
        .to_owned();
    world
        .upbound()
        .delete_robot(&robot)
        .await
        .expect("robot deleted in Upbound");
    let other = world.other_namespace().await;
    let mut input = world.input("moved");
    input.namespace = Some(other.namespace.clone());
    other
        .engine
        .connect(&input.validate().expect("valid"), &Silent)
        .await
        .expect("connected from the other namespace");
    let elsewhere = world.double.robots();
    assert_eq!(elsewhere.len(), 1);

    let refresh = terraform.plan(&[]).await;
    assert_ne!(refresh.code, 1, "refresh does not fail:\n{refresh}");
    assert!(
        refresh.says("Warning: Space connected elsewhere"),
        "{refresh}"
    );
    terraform.destroy().await.success();
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "this namespace's Secret is gone"
    );
    assert_eq!(
        world.double.robots(),
        elsewhere,
        "the other connection's robot stays"
    );
    assert_eq!(world.minted_tokens().len(), 1, "and its token");
}
