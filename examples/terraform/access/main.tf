# Connects a Space and says who may use its control planes (Hub RBAC): each
# `access` block grants one Upbound identity a level, in every control-plane
# group or in one group (a namespace of the Space's cluster). The blocks are
# the whole truth: remove one and apply revokes it; `terraform destroy`
# removes every grant with the connection.
#
# Subjects: upbound:user:<name>, upbound:robot:<name>, upbound:team:<uuid or name>,
# upbound:org-role:admin, upbound:org-role:member. Levels: view, edit, admin.
#
# Needs what examples/terraform/basic needs (UPBOUND_TOKEN, KUBE_CONFIG_PATH,
# the registry credentials).
#
#   terraform init && terraform apply -var organization=acme -var group=team-a

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
  default     = "shared"
}

variable "namespace" {
  description = "The namespace Spaces is installed in."
  type        = string
  default     = "upbound-system"
}

variable "group" {
  description = "The control-plane group (namespace) the organization's members may edit."
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

  # alice may view every control plane in the Space.
  access {
    subject = "upbound:user:alice"
    level   = "view"
  }

  # Every member of the organization may edit the control planes of one group.
  access {
    subject = "upbound:org-role:member"
    level   = "edit"
    group   = var.group
  }
}
