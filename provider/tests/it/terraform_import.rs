//! A connection made by one Terraform configuration is imported into
//! another by `<organization>/<space>`: the state holds the same robot and
//! token, and the plan after import is empty (with and without refresh).
//!
//! The first test's connection lives in the default namespace
//! `upbound-system` (the only test that uses it, so under Terraform alone);
//! the second's in the world's namespace, which the short ID finds through
//! the Space's robot, under Terraform and under `tofu`.

use k8s_openapi::api::core::v1::Namespace;
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use testkit::cli::Cli;
use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

#[tokio::test]
async fn import_by_organization_and_space_plans_no_change() {
    let mut world = World::new().await;
    world.namespace = "upbound-system".to_owned();
    Api::<Namespace>::all(world.kube.clone())
        .create(
            &PostParams::default(),
            &Namespace {
                metadata: ObjectMeta {
                    name: Some(world.namespace.clone()),
                    ..ObjectMeta::default()
                },
                ..Namespace::default()
            },
        )
        .await
        .expect("namespace upbound-system created");
    world.install_spaces(&world.organization).await;

    let original = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "imported");
    original.init().await;
    original.apply(&[]).await.success();
    let applied = original.state_values(BASIC_CONNECTION).await;

    let adopter = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "imported");
    adopter.init().await;
    let id = format!("{}/imported", world.organization);
    adopter.import(BASIC_CONNECTION, &id).await.success();
    let imported = adopter.state_values(BASIC_CONNECTION).await;
    assert_eq!(imported, applied, "the import finds what apply made");

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
    world.assert_one_robot_one_token().await;
}

test_each_cli!(a_short_id_finds_the_connection_in_its_own_namespace);

/// The short ID names no namespace: the connection is found in the
/// namespace of this cluster its robot records (here the world's, not
/// `upbound-system`), imported there, and the plan after it is empty — it
/// never adopts the live connection into the default namespace.
async fn a_short_id_finds_the_connection_in_its_own_namespace(cli: Cli) {
    let world = World::new().await;
    let located = || {
        TerraformDir::for_world(&world, BASIC_EXAMPLE)
            .using(cli)
            .env("TF_VAR_space", "located")
    };
    let original = located();
    original.init().await;
    original.apply(&[]).await.success();
    let applied = original.state_values(BASIC_CONNECTION).await;

    let adopter = located();
    adopter.init().await;
    let id = format!("{}/located", world.organization);
    adopter.import(BASIC_CONNECTION, &id).await.success();
    let imported = adopter.state_values(BASIC_CONNECTION).await;
    assert_eq!(imported["namespace"], world.namespace.as_str());
    assert_eq!(imported, applied, "the import finds what apply made");
    let refresh = adopter.plan(&[]).await;
    assert_eq!(
        refresh.code, 0,
        "the plan after import is empty:\n{refresh}"
    );
    world.assert_one_robot_one_token().await;
}
