//! Real Terraform runs with no network at all: `init` finds providers in the
//! local mirror only (never a registry), and `init` + `apply` of a config with
//! a `terraform_data` resource succeed in a network namespace with no
//! interface up, and so do installing our provider and starting it, with
//! Terraform and with `tofu`.

use testkit::cli::Cli;
use testkit::terraform::{BASIC_EXAMPLE, TerraformDir};
use testkit::test_each_cli;

#[tokio::test]
async fn init_and_apply_need_no_network() {
    let terraform = TerraformDir::new(
        r#"
resource "terraform_data" "probe" {
  input = "offline"
}

output "probe" {
  value = terraform_data.probe.output
}
"#,
    )
    .offline();
    terraform.init().await;
    let apply = terraform.apply(&[]).await.success();
    assert!(
        apply.stdout.contains("probe = \"offline\""),
        "the output is the applied value:\n{apply}"
    );
    assert_eq!(terraform.plan(&[]).await.code, 0, "nothing left to change");
}

#[tokio::test]
async fn providers_come_only_from_the_mirror() {
    let terraform = TerraformDir::new(
        r#"
terraform {
  required_providers {
    null = { source = "hashicorp/null" }
  }
}
"#,
    );
    let init = terraform.run(&["init", "-input=false", "-no-color"]).await;
    assert_eq!(
        init.code, 1,
        "a provider not in the mirror is not installed:\n{init}"
    );
    let error = init.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        error.contains("was not found in any of the search locations"),
        "Terraform looked in no registry:\n{init}"
    );
}

test_each_cli!(the_provider_installs_and_starts_with_no_network);

async fn the_provider_installs_and_starts_with_no_network(cli: Cli) {
    let terraform = TerraformDir::new(BASIC_EXAMPLE).using(cli).offline();
    let init = terraform.init().await;
    assert!(
        init.stdout.contains("Installed upbound-connect/upbound v"),
        "init installs our provider from the mirror:\n{init}"
    );
    let schema = terraform
        .run(&["providers", "schema", "-json"])
        .await
        .success();
    let schema: serde_json::Value = serde_json::from_str(&schema.stdout).expect("JSON schema");
    let address = format!("{}/upbound-connect/upbound", cli.default_registry());
    let provider = &schema["provider_schemas"][&address];
    assert!(
        provider["resource_schemas"]["upbound_space_connection"].is_object(),
        "the provider started and described its resource: {schema}"
    );
}
