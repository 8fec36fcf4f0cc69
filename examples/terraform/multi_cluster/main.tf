# Connects one Space per cluster from one configuration: each connection
# reaches its own cluster through its `cluster` block (the same settings as
# the provider's `kubernetes` block: a kubeconfig, or `host` with a token,
# client certificate or an `exec` credential plugin such as
# `aws eks get-token`). A cluster made in the same apply works too: give
# its outputs here, and the plan says what it cannot know yet.
#
#   terraform apply -var organization=acme \
#     -var 'clusters={east = {kubeconfig = "~/.kube/east"}, west = {kubeconfig = "~/.kube/west"}}'
# connects the Spaces `east` and `west`; `terraform destroy` disconnects both.

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

variable "namespace" {
  description = "The namespace Spaces is installed in, in every cluster."
  type        = string
  default     = "upbound-system"
}

variable "clusters" {
  description = "Each Space's name, and the kubeconfig that reaches its cluster."
  type = map(object({
    kubeconfig = string
  }))
}

provider "upbound" {
  upbound {
    organization = var.organization
  }
}

resource "upbound_space_connection" "space" {
  for_each = var.clusters

  space     = each.key
  namespace = var.namespace

  cluster {
    config_path = each.value.kubeconfig
  }
}

output "robot_ids" {
  description = "The robot of each Space's connection."
  value       = { for space, connection in upbound_space_connection.space : space => connection.robot_id }
}
