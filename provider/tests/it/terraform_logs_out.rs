//! Each provider process Terraform starts logs out of the Upbound session it
//! opened when Terraform is done with it, so plans and applies leave no
//! sessions open.

use testkit::terraform::{BASIC_EXAMPLE, TerraformDir};
use testkit::world::World;

#[tokio::test]
async fn every_provider_process_ends_its_upbound_session() {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "sessions");
    terraform.init().await;
    world.double.clear_requests();

    terraform.apply(&[]).await.success();
    terraform.plan(&[]).await.success();
    terraform.destroy().await.success();

    let counts = world.double.request_counts();
    let logins = counts.get("POST /v1/login").copied().unwrap_or(0);
    let logouts = counts.get("POST /v1/logout").copied().unwrap_or(0);
    assert!(logins >= 3, "apply, plan and destroy log in: {counts:?}");
    assert_eq!(logouts, logins, "each session ended: {counts:?}");
}
