# Connects a Space with its Connect agent pinned and tuned: the chart
# version, extra values, how long to wait. Changing anything in `agent`
# upgrades the Helm release `agent` in place (`release_revision` goes up);
# `terraform destroy` uninstalls it and disconnects the Space.
#
# Besides what examples/terraform/basic needs (UPBOUND_TOKEN,
# KUBE_CONFIG_PATH), the agent chart is pulled with your licence:
#   UPBOUND_REGISTRY_ACCESS_ID and UPBOUND_REGISTRY_TOKEN (or the provider's
#   `registry` block, or UPBOUND_LICENSE_FILE), and UPBOUND_REGISTRY for a
#   mirror of xpkg.upbound.io.
#
#   terraform init && terraform apply -var organization=acme -var agent_version=0.0.0-441.g68777b9

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
  default     = "agent"
}

variable "namespace" {
  description = "The namespace Spaces is installed in."
  type        = string
  default     = "upbound-system"
}

variable "agent_version" {
  description = "The agent chart version to install."
  type        = string
}

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
    timeout = "2m"
    values = yamlencode({
      billing = { enabled = false }
    })
  }
}

output "release_revision" {
  description = "The revision of the Helm release `agent`."
  value       = upbound_space_connection.this.release_revision
}

output "agent_version" {
  description = "The installed agent chart version."
  value       = upbound_space_connection.this.agent_version
}
