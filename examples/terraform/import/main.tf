# Brings a Space that is already connected (by the CLI, the GitHub Action or
# another Terraform configuration) under this configuration's management,
# with a config-driven `import` block (Terraform 1.6 or later, since the ID
# uses variables). `terraform plan` shows "1 to import, 0 to add, 0 to
# change, 0 to destroy"; `terraform apply` records the robot and token that
# exist (nothing new is minted), and the plans after it are empty.
#
# The import ID is `<organization>/<space>/<namespace>`; in the namespace
# `upbound-system`, `<organization>/<space>` is enough.
#
# The provider is set up from the environment as in examples/terraform/basic
# (UPBOUND_TOKEN, KUBE_CONFIG_PATH, the registry credentials).
#
#   terraform init && terraform apply -var organization=acme -var space=my-space

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

import {
  to = upbound_space_connection.this
  id = "${var.organization}/${var.space}/${var.namespace}"
}

resource "upbound_space_connection" "this" {
  space     = var.space
  namespace = var.namespace
}

output "robot_id" {
  description = "The Upbound robot that acts for the Space (the one found, not a new one)."
  value       = upbound_space_connection.this.robot_id
}
