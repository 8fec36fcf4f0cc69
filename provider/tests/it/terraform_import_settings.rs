//! An import states what the connection was made with, read back from the
//! world: the `access` blocks from its Hub RBAC bindings, and the agent's
//! pinned version and extra values from release `agent`. A configuration
//! that says the same plans no change after `terraform import`; one that
//! also sets what nothing records (`agent.timeout`) plans an update that
//! promises no new token and no upgrade, and apply makes none.

use testkit::access::new_group;
use testkit::registry::chart_versions;
use testkit::terraform::{BASIC_CONNECTION, TerraformDir};
use testkit::world::World;

/// The connection `this` with a pinned agent, extra values and two grants;
/// `TIMEOUT` stands for an optional `timeout` line.
const SETTINGS: &str = r#"
terraform {
  required_providers {
    upbound = {
      source  = "upbound-connect/upbound"
      version = "0.1.0"
    }
  }
}

variable "organization" { type = string }
variable "namespace" { type = string }
variable "space" { type = string }
variable "agent_version" { type = string }
variable "group" { type = string }

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space     = var.space
  namespace = var.namespace

  agent {
    version = var.agent_version
    TIMEOUT
    values = yamlencode({
      billing   = { enabled = false }
      logLevel  = "debug"
      resources = { limits = { memory = "256Mi" } }
    })
  }

  access {
    subject = "upbound:org-role:member"
    level   = "edit"
    group   = var.group
  }

  access {
    subject = "upbound:user:alice"
    level   = "view"
  }
}
"#;

#[tokio::test]
async fn import_reads_access_and_the_agent_so_the_plan_is_empty() {
    let world = World::new().await;
    let group = new_group(&world.kube).await;
    let version = chart_versions()[0].clone();
    let directory = |timeout: &str| {
        TerraformDir::for_world(&world, &SETTINGS.replace("TIMEOUT", timeout))
            .env("TF_VAR_space", "settled")
            .env("TF_VAR_agent_version", &version)
            .env("TF_VAR_group", &group)
    };
    let original = directory("");
    original.init().await;
    original.apply(&[]).await.success();
    let applied = original.state_values(BASIC_CONNECTION).await;

    let adopter = directory("");
    adopter.init().await;
    let id = format!("{}/settled", world.organization);
    adopter.import(BASIC_CONNECTION, &id).await.success();
    let imported = adopter.state_values(BASIC_CONNECTION).await;
    assert_eq!(
        imported["access"], applied["access"],
        "the grants are read back"
    );
    assert_eq!(
        imported["agent"], applied["agent"],
        "the agent's version and values are read back"
    );
    assert_eq!(imported, applied, "the import finds what apply made");
    let plan = adopter.plan(&[]).await;
    assert_eq!(plan.code, 0, "the plan after import is empty:\n{plan}");

    // A setting nothing records: an update of the state alone.
    let adopter = adopter_with_timeout(adopter);
    let change = adopter.planned_change(BASIC_CONNECTION).await;
    assert_eq!(change["actions"], serde_json::json!(["update"]), "{change}");
    assert_eq!(change["after"]["agent"]["timeout"], "2m", "{change}");
    for kept in ["token_id", "robot_id", "release_revision", "agent_version"] {
        assert_eq!(
            change["after"][kept], change["before"][kept],
            "the plan promises the same {kept}: {change}"
        );
    }
    let tokens = world.minted_tokens();
    adopter.apply(&[]).await.success();
    let after = adopter.state_values(BASIC_CONNECTION).await;
    assert_eq!(world.minted_tokens(), tokens, "no token was minted");
    assert_eq!(
        after["release_revision"], applied["release_revision"],
        "no upgrade"
    );
    world.assert_one_robot_one_token().await;
    let plan = adopter.plan(&[]).await;
    assert_eq!(plan.code, 0, "and then nothing is left to do:\n{plan}");
}

/// The same directory (its state kept) with `timeout = "2m"` in the block.
fn adopter_with_timeout(adopter: TerraformDir) -> TerraformDir {
    adopter.write("main.tf", &SETTINGS.replace("TIMEOUT", r#"timeout = "2m""#));
    adopter
}
