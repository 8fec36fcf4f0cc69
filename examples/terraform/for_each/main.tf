# Connects several self-hosted Spaces to the Upbound Console, one
# `upbound_space_connection` per entry of a map: the Space's name in the
# Console → the namespace Spaces is installed in. Each Space gets its own
# robot, token Secret and agent (Helm release `agent` in its namespace).
#
# The provider reaches the Upbound API and one cluster from the environment,
# as in examples/terraform/basic (UPBOUND_TOKEN, KUBE_CONFIG_PATH, and the
# licence's UPBOUND_REGISTRY_ACCESS_ID and UPBOUND_REGISTRY_TOKEN for the
# agent chart). Spaces in other clusters need a provider block each (an
# alias), and a resource per provider.
#
#   terraform init
#   terraform apply -parallelism=10 -var organization=acme \
#     -var 'spaces={"eu-1"="spaces-eu-1","us-1"="spaces-us-1"}'
# connects every Space in the map; removing an entry disconnects that Space
# alone, and `terraform destroy` disconnects them all.

terraform {
  required_providers {
    upbound = {
      source  = "upbound-connect/upbound"
      version = "0.1.0"
    }
  }
}

variable "organization" {
  description = "The Upbound organization the Spaces belong to."
  type        = string
}

variable "spaces" {
  description = "Each Space's name in the Upbound Console, mapped to the namespace Spaces is installed in."
  type        = map(string)
}

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

# Terraform plans, creates and destroys the instances independently, up to
# -parallelism at a time; each connection locks only its own namespace.
resource "upbound_space_connection" "this" {
  for_each = var.spaces

  space     = each.key
  namespace = each.value
}

output "ids" {
  description = "Each Space's connection, as <organization>/<space>."
  value       = { for space, connection in upbound_space_connection.this : space => connection.id }
}

output "robot_ids" {
  description = "The Upbound robot that acts for each Space."
  value       = { for space, connection in upbound_space_connection.this : space => connection.robot_id }
}

output "token_ids" {
  description = "Each robot token's ID (the tokens themselves stay in the Spaces' Secrets)."
  value       = { for space, connection in upbound_space_connection.this : space => connection.token_id }
}
