//! A connection made by one Terraform configuration is adopted by another
//! through a config-driven `import` block (`examples/terraform/import`,
//! ID `<organization>/<space>/<namespace>`): the plan shows one import and
//! nothing else, apply records the same robot and token (nothing is
//! created or minted), and the plans after it are empty. The same under
//! `tofu`.

use testkit::cli::Cli;
use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

/// `examples/terraform/import/main.tf`: the basic example's connection
/// `this`, with an `import` block for it.
const IMPORT_EXAMPLE: &str = include_str!("../../../examples/terraform/import/main.tf");

test_each_cli!(import_block_adopts_the_connection_without_change);

async fn import_block_adopts_the_connection_without_change(cli: Cli) {
    let world = World::new().await;
    let original = TerraformDir::for_world(&world, BASIC_EXAMPLE)
        .using(cli)
        .env("TF_VAR_space", "adopted");
    original.init().await;
    original.apply(&[]).await.success();
    let applied = original.state_values(BASIC_CONNECTION).await;
    let robots = world.double.robots();
    let tokens = world.minted_tokens();

    let adopter = TerraformDir::for_world(&world, IMPORT_EXAMPLE)
        .using(cli)
        .env("TF_VAR_space", "adopted");
    adopter.init().await;
    let plan = adopter.plan(&[]).await;
    assert!(
        plan.code == 2
            && plan
                .stdout
                .contains("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."),
        "the plan imports the connection and changes nothing:\n{plan}"
    );
    let apply = adopter.apply(&[]).await.success();
    assert!(
        apply
            .stdout
            .contains("Resources: 1 imported, 0 added, 0 changed, 0 destroyed."),
        "apply imports, nothing more:\n{apply}"
    );
    let imported = adopter.state_values(BASIC_CONNECTION).await;
    assert_eq!(imported, applied, "the import finds what apply made");
    assert_eq!(world.double.robots(), robots, "no robot was created");
    assert_eq!(world.minted_tokens(), tokens, "no token was minted");
    world.assert_one_robot_one_token().await;

    let refresh = adopter.plan(&[]).await;
    assert_eq!(
        refresh.code, 0,
        "the plan after import is empty:\n{refresh}"
    );
    let no_refresh = adopter.plan(&["-refresh=false"]).await;
    assert_eq!(
        no_refresh.code, 0,
        "so is a plan from state alone:\n{no_refresh}"
    );
}
