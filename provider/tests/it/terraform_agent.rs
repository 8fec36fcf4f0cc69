//! The `agent` block through real Terraform: apply installs Helm release
//! `agent` (real helm sees it deployed), refresh and `-refresh=false` plans
//! are empty, a new `agent.version` upgrades in place to revision 2, a
//! release uninstalled out of band plans a repair that apply makes, and
//! destroy leaves no release. A bad `agent` block fails the plan, pointing
//! at its attributes.

use testkit::helm::{helm_in_cluster, releases};
use testkit::registry::chart_versions;
use testkit::terraform::{AGENT_EXAMPLE, BASIC_CONNECTION, TerraformDir};
use testkit::world::World;

#[tokio::test]
async fn the_agent_is_installed_upgraded_repaired_and_removed() {
    let world = World::new().await;
    let versions = chart_versions();
    let terraform = TerraformDir::agent_applied(&world, &versions[0]).await;
    let deployed = vec![("agent".to_owned(), 1, "deployed".to_owned())];
    assert_eq!(releases(&world.namespace), deployed);
    let values = terraform.state_values(BASIC_CONNECTION).await;
    assert_eq!(values["release_revision"], 1);
    assert_eq!(values["agent_version"], versions[0].as_str());
    assert!(
        values["chart_digest"]
            .as_str()
            .is_some_and(|digest| digest.starts_with("sha256:")),
        "{values}"
    );
    terraform.assert_no_changes("install").await;

    let terraform = terraform.env("TF_VAR_agent_version", &versions[1]);
    let plan = terraform.plan(&[]).await;
    assert_eq!(plan.code, 2, "a new version plans a change:\n{plan}");
    assert!(
        plan.stdout.contains("1 to change") && plan.stdout.contains("0 to destroy"),
        "the new version is an update in place:\n{plan}"
    );
    terraform.apply(&[]).await.success();
    assert_eq!(
        releases(&world.namespace),
        vec![("agent".to_owned(), 2, "deployed".to_owned())]
    );
    let values = terraform.state_values(BASIC_CONNECTION).await;
    assert_eq!(values["release_revision"], 2);
    assert_eq!(values["agent_version"], versions[1].as_str());
    terraform.assert_no_changes("upgrade").await;

    let home = tempfile::tempdir().expect("helm home");
    helm_in_cluster(home.path(), &world.namespace, &["uninstall", "agent"]);
    let plan = terraform.plan(&[]).await;
    assert_eq!(
        plan.code, 2,
        "the uninstalled release plans a repair:\n{plan}"
    );
    assert!(plan.stdout.contains("1 to change"), "{plan}");
    terraform.apply(&[]).await.success();
    assert_eq!(
        releases(&world.namespace),
        vec![("agent".to_owned(), 1, "deployed".to_owned())]
    );
    terraform.assert_no_changes("repair").await;

    terraform.destroy().await.success();
    assert_eq!(releases(&world.namespace), vec![], "no release is left");
    assert_eq!(world.double.robots(), vec![]);
}

#[tokio::test]
async fn a_bad_agent_block_fails_the_plan_on_its_attributes() {
    let world = World::new().await;
    let bad = AGENT_EXAMPLE
        .replace(r#"timeout = "2m""#, r#"timeout = "soon""#)
        .replace(
            "values = yamlencode({",
            "image_pull_secrets = [\"Bad_Name\"]\n    values = yamlencode({",
        );
    let terraform = TerraformDir::for_world(&world, &bad).env("TF_VAR_agent_version", "1.0.0");
    terraform.init().await;
    let plan = terraform.plan(&[]).await;
    assert_eq!(plan.code, 1, "the agent block is refused:\n{plan}");
    // Terraform quotes the configuration line of an error's attribute path.
    for line in [
        r#"timeout = "soon""#,
        r#"image_pull_secrets = ["Bad_Name"]"#,
    ] {
        assert!(
            plan.stderr.contains(line),
            "an error points at `{line}`:\n{plan}"
        );
    }
    assert_eq!(world.double.robots(), vec![], "nothing was created");
}
