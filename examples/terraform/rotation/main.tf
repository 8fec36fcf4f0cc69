# Connects one self-hosted Space and rotates its robot token on demand.
#
# `token_rotation` is a trigger: whenever its value changes, apply mints a
# new robot token, writes it into the Space's Secret and revokes the old one,
# in place (the robot, the agent and the connection stay). Any string works:
# a month ("2026-11") for a monthly rotation, a ticket number, or
# `time_rotating.token.id` from the hashicorp/time provider for a rotation on
# a schedule. The token itself never enters the plan or the state; only its
# ID (`token_id`) does.
#
# The environment is the one examples/terraform/basic describes
# (UPBOUND_TOKEN, KUBE_CONFIG_PATH, UPBOUND_REGISTRY_ACCESS_ID and
# UPBOUND_REGISTRY_TOKEN for the agent's chart).
#
#   terraform apply -var organization=acme -var rotation=2026-11
#   terraform apply -var organization=acme -var rotation=2026-12   # rotates

terraform {
  required_providers {
    upbound = {
      source  = "upbound-connect/upbound"
      version = "0.1.0"
    }
  }
}

variable "organization" {
  description = "The Upbound organization the Space belongs to."
  type        = string
}

variable "space" {
  description = "The Space's name in the Upbound Console."
  type        = string
  default     = "rotated"
}

variable "namespace" {
  description = "The namespace Spaces is installed in."
  type        = string
  default     = "upbound-system"
}

variable "rotation" {
  description = "The rotation trigger: change it to rotate the robot token."
  type        = string
}

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space          = var.space
  namespace      = var.namespace
  token_rotation = var.rotation
}

output "token_id" {
  description = "The current robot token's ID (new after each rotation)."
  value       = upbound_space_connection.this.token_id
}
