//! One configuration, many clusters: each connection's `cluster` block
//! overrides the provider's `kubernetes` block. The multi-cluster example
//! connects a Space in each of two real clusters with `for_each`; a
//! cluster whose kubeconfig comes from another resource of the same apply
//! plans (what it cannot know shown as such) and applies; an `exec`
//! credential plugin authenticates to a cluster given by `host`.

use k8s_openapi::api::core::v1::Secret;
use kube::Api;

use testkit::terraform::{MULTI_CLUSTER_EXAMPLE, TerraformDir};
use testkit::world::{SECOND_CLUSTER, World};
use testkit::{harness_env, kube_client};

/// Whether the token Secret of the world's namespace exists in the cluster
/// the harness kubeconfig variable `cluster` reaches.
async fn secret_in(world: &World, cluster: &str) -> bool {
    let secrets: Api<Secret> = Api::namespaced(kube_client(cluster).await, &world.namespace);
    secrets
        .get_opt("connect-token")
        .await
        .expect("read")
        .is_some()
}

#[tokio::test]
async fn for_each_connects_a_space_in_each_cluster() {
    let world = World::new().await;
    world.other_cluster().await;
    let clusters = serde_json::json!({
        "east": {"kubeconfig": harness_env("KUBECONFIG")},
        "west": {"kubeconfig": harness_env(SECOND_CLUSTER)},
    });
    let terraform = TerraformDir::for_world(&world, MULTI_CLUSTER_EXAMPLE)
        .agent_ready_in(&kube_client(SECOND_CLUSTER).await, &world.namespace)
        .env("TF_VAR_clusters", &clusters.to_string());
    terraform.init().await.success();
    terraform.apply(&[]).await.success();

    let robots = world.double.robots();
    let mut names: Vec<&str> = robots.iter().map(|robot| robot.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["east", "west"]);
    assert!(secret_in(&world, "KUBECONFIG").await, "east's Secret");
    assert!(secret_in(&world, SECOND_CLUSTER).await, "west's Secret");
    let east = terraform
        .state_values("upbound_space_connection.space[\"east\"]")
        .await;
    assert_eq!(east["cluster"]["config_path"], harness_env("KUBECONFIG"));

    terraform.assert_no_changes("apply").await;
    terraform.destroy().await.success();
    assert!(world.double.robots().is_empty(), "both robots deleted");
    assert!(!secret_in(&world, "KUBECONFIG").await);
    assert!(!secret_in(&world, SECOND_CLUSTER).await);
}

/// The connection's cluster comes from another resource of the same apply.
const CLUSTER_FROM_ANOTHER_RESOURCE: &str = r#"
terraform {
  required_providers {
    upbound = { source = "upbound-connect/upbound" }
  }
}

variable "organization" { type = string }
variable "namespace" { type = string }
variable "kubeconfig" { type = string }

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

# Stands in for a module that creates the cluster: its output is known
# only once it is applied.
resource "terraform_data" "cluster" {
  input = var.kubeconfig
}

resource "upbound_space_connection" "this" {
  space     = "fresh"
  namespace = var.namespace

  cluster {
    config_path = terraform_data.cluster.output
  }
}
"#;

#[tokio::test]
async fn a_cluster_made_in_the_same_apply_plans_and_connects() {
    let world = World::new().await;
    world.other_cluster().await;
    let terraform = TerraformDir::for_world(&world, CLUSTER_FROM_ANOTHER_RESOURCE)
        .agent_ready_in(&kube_client(SECOND_CLUSTER).await, &world.namespace)
        .env("TF_VAR_kubeconfig", &harness_env(SECOND_CLUSTER));
    terraform.init().await.success();
    let plan = terraform.plan(&[]).await;
    assert_eq!(plan.code, 2, "a plan with changes, not an error:\n{plan}");
    assert!(
        plan.says("config_path = (known after apply)"),
        "the plan says what it cannot know:\n{plan}"
    );
    terraform.apply(&[]).await.success();
    assert!(secret_in(&world, SECOND_CLUSTER).await, "connected there");
    assert!(
        !secret_in(&world, "KUBECONFIG").await,
        "not in the provider's cluster"
    );
    terraform.assert_no_changes("apply").await;
    terraform.destroy().await.success();
    assert!(!secret_in(&world, SECOND_CLUSTER).await);
}

/// A connection whose cluster authenticates through a credential plugin.
const EXEC_PLUGIN: &str = r#"
terraform {
  required_providers {
    upbound = { source = "upbound-connect/upbound" }
  }
}

variable "organization" { type = string }
variable "namespace" { type = string }
variable "host" { type = string }
variable "ca_file" { type = string }
variable "plugin" { type = string }
variable "token_file" { type = string }

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space     = "plugged"
  namespace = var.namespace

  cluster {
    host                   = var.host
    cluster_ca_certificate = file(var.ca_file)

    exec {
      api_version = "client.authentication.k8s.io/v1"
      command     = var.plugin
      args        = ["get-token"]
      env = {
        TOKEN_FILE = var.token_file
      }
    }
  }
}
"#;

#[tokio::test]
async fn an_exec_plugin_authenticates_to_the_cluster() {
    let world = World::new().await;
    let scratch = tempfile::tempdir().expect("dir");
    let ran = scratch.path().join("ran");
    let plugin = scratch.path().join("credential-plugin");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\n[ \"$1\" = get-token ] || exit 2\necho \"$@\" >> '{}'\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"%s\"}}}}' \"$(cat \"$TOKEN_FILE\")\"\n",
            ran.display()
        ),
    )
    .expect("plugin written");
    std::fs::set_permissions(&plugin, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("plugin executable");
    let terraform = TerraformDir::for_world(&world, EXEC_PLUGIN)
        // The provider's own cluster would not do: only the plugin's token reaches.
        .env("KUBE_CONFIG_PATH", "/nonexistent/kubeconfig")
        .env("TF_VAR_host", &harness_env("KUBE_SERVER"))
        .env("TF_VAR_ca_file", &harness_env("KUBE_CA_FILE"))
        .env("TF_VAR_plugin", &plugin.display().to_string())
        .env("TF_VAR_token_file", &harness_env("KUBE_TOKEN_FILE"));
    terraform.init().await.success();
    terraform.apply(&[]).await.success();
    assert!(secret_in(&world, "KUBECONFIG").await, "connected");
    assert!(ran.exists(), "the plugin gave the credentials");
    let token = std::fs::read_to_string(harness_env("KUBE_TOKEN_FILE")).expect("token");
    let state = terraform.state_pull().await;
    assert!(
        !state.contains(token.trim()),
        "the plugin's token is not in state"
    );
    terraform.destroy().await.success();
    assert!(!secret_in(&world, "KUBECONFIG").await);
}
