//! `agent { atomic = true }` through real Terraform: an apply whose agent
//! upgrade fails (its post-upgrade hook Pod fails) rolls the release back
//! as `helm upgrade --atomic` does, and says so; real helm's history shows
//! the failed upgrade and then `Rollback to 1`, and the object the failed
//! revision added is gone.

use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use serde_json::Value;

use testkit::helm::helm_in_cluster;
use testkit::hook_pods::{FailingPods, default_service_account};
use testkit::terraform::TerraformDir;
use testkit::world::World;

/// The connection with the local chart `tests/charts/atomic` and `values`.
const ATOMIC: &str = r#"
terraform {
  required_providers {
    upbound = { source = "upbound-connect/upbound" }
  }
}

variable "organization" { type = string }
variable "namespace" { type = string }
variable "chart" { type = string }
variable "values" { type = string }

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space     = "alpha"
  namespace = var.namespace
  agent {
    chart   = var.chart
    values  = var.values
    atomic  = true
    timeout = "30s"
  }
}
"#;

#[tokio::test]
async fn a_failed_agent_upgrade_is_rolled_back() {
    let world = World::new().await;
    default_service_account(&world.kube, &world.namespace).await;
    let _failing = FailingPods::start(world.kube.clone());
    let chart = testkit::repo_path("tests/charts/atomic");
    let terraform = TerraformDir::for_world(&world, ATOMIC)
        .env("TF_VAR_chart", chart.to_str().expect("UTF-8"))
        .env("TF_VAR_values", "version: \"1\"\n");
    terraform.init().await.success();
    terraform.apply(&[]).await.success();

    let terraform = terraform.env(
        "TF_VAR_values",
        "version: \"2\"\nextra: true\nfailHook: true\n",
    );
    let run = terraform.apply(&[]).await;
    assert_eq!(run.code, 1, "the upgrade fails:\n{run}");
    assert!(
        run.says("release agent failed, and has been rolled back due to atomic being set"),
        "{run}"
    );

    let home = tempfile::tempdir().expect("helm home");
    let listed = helm_in_cluster(
        home.path(),
        &world.namespace,
        &["history", "agent", "-o", "json"],
    );
    let listed: Vec<Value> = serde_json::from_str(&listed).expect("helm history JSON");
    let history: Vec<(String, String)> = listed
        .iter()
        .map(|revision| {
            let text = |key: &str| revision[key].as_str().unwrap_or_default().to_owned();
            let description = text("description");
            let description = description
                .split_once(" failed: ")
                .map_or(description.clone(), |(what, _)| format!("{what} failed"));
            (text("status"), description)
        })
        .collect();
    let pair = |status: &str, description: &str| (status.to_owned(), description.to_owned());
    assert_eq!(
        history,
        [
            pair("superseded", "Install complete"),
            pair("failed", "Upgrade \"agent\" failed"),
            pair("deployed", "Rollback to 1"),
        ]
    );
    let config_maps: Api<ConfigMap> = Api::namespaced(world.kube.clone(), &world.namespace);
    assert!(
        config_maps
            .get_opt("agent-extra")
            .await
            .expect("read")
            .is_none(),
        "the failed revision's object is deleted"
    );
    let base = config_maps.get("agent-base").await.expect("base");
    assert_eq!(
        base.data
            .unwrap_or_default()
            .get("version")
            .map(String::as_str),
        Some("1"),
        "the first revision's object is back"
    );
}
