//! A saved plan applied after the world moved: apply refuses, before any
//! change, what the plan did not show (here a new token, after the token
//! Secret was deleted between `plan -out` and `apply`), with an error that
//! says to plan again, never Terraform's "inconsistent result … bug in the
//! provider". A new plan then shows the new token and apply makes it.

use testkit::helm::releases;
use testkit::registry::chart_versions;
use testkit::terraform::{BASIC_CONNECTION, TerraformDir};
use testkit::world::World;

#[tokio::test]
async fn a_saved_plan_that_no_longer_holds_changes_nothing() {
    let world = World::new().await;
    let versions = chart_versions();
    let terraform = TerraformDir::agent_applied(&world, &versions[0]).await;
    let token = terraform.state_values(BASIC_CONNECTION).await["token_id"].clone();

    // An agent-only change keeps the token: the saved plan shows it known.
    let terraform = terraform.env("TF_VAR_agent_version", &versions[1]);
    let saved = terraform.plan(&["-out=upgrade.plan"]).await;
    assert_eq!(saved.code, 2, "the upgrade is planned:\n{saved}");
    let change = terraform.planned_change(BASIC_CONNECTION).await;
    assert_eq!(change["after"]["token_id"], token, "{change}");

    world
        .secrets()
        .delete("connect-token", &Default::default())
        .await
        .expect("Secret deleted after the plan");
    let stale = terraform.apply(&["upgrade.plan"]).await;
    assert_eq!(stale.code, 1, "the stale plan is refused:\n{stale}");
    assert!(
        stale.says("changed since the plan was made")
            && stale.says("mint a new token (the token Secret is missing)")
            && stale.says("Run `terraform plan` again"),
        "the error says what moved and what to do:\n{stale}"
    );
    assert!(!stale.says("bug in the provider"), "{stale}");
    assert_eq!(
        releases(&world.namespace),
        vec![("agent".to_owned(), 1, "deployed".to_owned())],
        "the refused apply upgraded nothing"
    );
    assert_eq!(world.minted_tokens().len(), 1, "and minted nothing");

    let fresh = terraform.plan(&[]).await;
    assert_eq!(fresh.code, 2, "{fresh}");
    assert!(
        fresh.says("token_id"),
        "the new plan shows the new token:\n{fresh}"
    );
    terraform.apply(&[]).await.success();
    terraform.assert_no_changes("the new plan").await;
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
    assert_ne!(
        terraform.state_values(BASIC_CONNECTION).await["token_id"],
        token
    );
}
