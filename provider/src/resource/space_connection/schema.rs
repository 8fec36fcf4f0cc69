//! The schema of `upbound_space_connection`.

use super::attributes::blocks::{ACCESS, AGENT, cluster};
use super::attributes::{ATTRIBUTES, Declared};
use crate::schema::{Block, Schema};

/// The resource type's name.
pub const TYPE_NAME: &str = "upbound_space_connection";

/// The state schema version (bump it with an upgrade step in `upgrade`).
pub const VERSION: i64 = 0;

/// The schema.
pub fn schema() -> Schema {
    Schema {
        version: VERSION,
        block: Block {
            description: "Connects a self-hosted Upbound Space to the Upbound Console: an Upbound robot, a robot token \
stored in the Kubernetes Secret `token_secret_name` in `namespace`, the Connect agent installed as the Helm release \
`agent` in `namespace` (as `helm upgrade --install --wait` would; real `helm list` shows it), and (with \
`space_record = \"engine\"`) the Space's record in Upbound. Destroying the resource disconnects the Space: the agent \
is uninstalled, the Secret is deleted, the robot's tokens are revoked and the robot is deleted.\n\n\
The agent is always installed: without an `agent` block it gets the defaults described there. Its chart is pulled \
with the provider's `registry` credentials.\n\n\
Who may use the Space's control planes is set with `access` blocks (Hub RBAC): the connection holds exactly \
the grants written, and none without any `access` block.\n\n\
The token itself never enters Terraform's plan or state; only its ID does.\n\n\
Import with the ID `<organization>/<space>` (in namespace `upbound-system`) or \
`<organization>/<space>/<namespace>`.",
            attributes: ATTRIBUTES.iter().map(Declared::schema).collect(),
            blocks: vec![AGENT.schema(), ACCESS.schema(), cluster()],
        },
    }
}
