# Connects one self-hosted Space to the Upbound Console.
#
# The provider reads what it needs to reach both sides from the environment,
# as the kubernetes and helm providers do:
#   UPBOUND_TOKEN       an Upbound personal access token (or robot token)
#   UPBOUND_ENDPOINT    the Upbound API, if not https://api.upbound.io
#   KUBE_CONFIG_PATH    a kubeconfig for the cluster that runs the Space
#   UPBOUND_REGISTRY_ACCESS_ID, UPBOUND_REGISTRY_TOKEN
#                       your licence's registry credentials: the Connect agent's
#                       chart (installed with its defaults, as Helm release
#                       `agent`) is pulled with them
#   UPBOUND_REGISTRY    a mirror of xpkg.upbound.io, if you use one
#
#   terraform init && terraform apply -var organization=acme -var space=my-space
# connects (robot, token Secret, agent); `terraform destroy` disconnects (the
# agent, the robot and its token go).

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
  default     = "sandbox"
}

variable "namespace" {
  description = "The namespace Spaces is installed in."
  type        = string
  default     = "upbound-system"
}

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "this" {
  space     = var.space
  namespace = var.namespace
}

output "id" {
  description = "The connection, as <organization>/<space>."
  value       = upbound_space_connection.this.id
}

output "robot_id" {
  description = "The Upbound robot that acts for the Space."
  value       = upbound_space_connection.this.robot_id
}

output "token_id" {
  description = "The robot token's ID (the token itself stays in the Space's Secret)."
  value       = upbound_space_connection.this.token_id
}
