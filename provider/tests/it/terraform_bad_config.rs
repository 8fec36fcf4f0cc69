//! A configuration the engine would refuse fails at plan time, before
//! anything is created, with an error pointing at each attribute at fault.

use testkit::terraform::TerraformDir;
use testkit::world::World;

const BAD: &str = r#"
terraform {
  required_providers {
    upbound = { source = "upbound-connect/upbound" }
  }
}

variable "organization" { type = string }
variable "namespace" { type = string }

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space             = "My_Space"
  namespace         = var.namespace
  token_secret_name = "Not a Secret name"
}
"#;

#[tokio::test]
async fn bad_attributes_fail_the_plan_and_create_nothing() {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BAD);
    terraform.init().await;

    for run in [terraform.plan(&[]).await, terraform.apply(&[]).await] {
        assert_eq!(run.code, 1, "the configuration is refused:\n{run}");
        // Terraform quotes the configuration line of an error's attribute path.
        for line in [
            r#"space             = "My_Space""#,
            r#"token_secret_name = "Not a Secret name""#,
        ] {
            assert!(
                run.stderr.contains(line),
                "an error points at `{line}`:\n{run}"
            );
        }
    }
    assert_eq!(
        world.writes(),
        Default::default(),
        "nothing was written to Upbound"
    );
    assert_eq!(world.double.robots(), vec![]);
    assert_eq!(world.secret_version("connect-token").await, None);
}
