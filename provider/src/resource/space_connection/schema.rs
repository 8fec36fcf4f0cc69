//! The schema of `upbound_space_connection`.

use crate::schema::{Attribute, Block, Mode, Schema};

/// The resource type's name.
pub const TYPE_NAME: &str = "upbound_space_connection";

/// The state schema version (bump it with an upgrade step in `upgrade`).
pub const VERSION: i64 = 0;

/// The schema.
pub fn schema() -> Schema {
    use Mode::{Computed, Optional, OptionalComputed, Required};
    Schema {
        version: VERSION,
        block: Block {
            description: "Connects a self-hosted Upbound Space to the Upbound Console: an Upbound robot, a robot token \
stored in the Kubernetes Secret `token_secret_name` in `namespace`, and (with `space_record = \"engine\"`) the Space's \
record in Upbound. Destroying the resource disconnects the Space: the Secret is deleted, the robot's tokens are revoked \
and the robot is deleted.\n\n\
The token itself never enters Terraform's plan or state; only its ID does.\n\n\
Import with the ID `<organization>/<space>`.",
            attributes: vec![
                Attribute::string(
                    "id",
                    Computed,
                    "`<organization>/<space>`: the connection's ID, also the import ID.",
                ),
                Attribute::string(
                    "space",
                    Required,
                    "The Space's name in Upbound: a DNS label (lowercase letters, digits and `-`). \
Changing it replaces the connection.",
                ),
                Attribute::string(
                    "organization",
                    OptionalComputed,
                    "The Upbound organization's account name. Defaults to the provider's `upbound.organization` \
(or `UPBOUND_ORGANIZATION`). Changing it replaces the connection.",
                ),
                Attribute::string(
                    "namespace",
                    OptionalComputed,
                    "The namespace of the token Secret and the agent. Defaults to `upbound-system`. \
Changing it replaces the connection.",
                ),
                Attribute::string(
                    "token_secret_name",
                    OptionalComputed,
                    "The Secret the agent reads its robot token from (key `token`). Defaults to `connect-token`. \
Changing it replaces the connection.",
                ),
                Attribute::string(
                    "robot_name",
                    OptionalComputed,
                    "The name of the Upbound robot the agent authenticates as. Defaults to `space`. \
Changing it replaces the connection (and its robot).",
                ),
                Attribute::string(
                    "robot_description",
                    OptionalComputed,
                    "The robot's description. Defaults to `Robot used for authenticating Space \"<space>\" with Upbound Connect`. \
Changing it replaces the connection (and its robot).",
                ),
                Attribute::string(
                    "space_record",
                    OptionalComputed,
                    "Who creates the Space's record in Upbound: `agent` (default; the agent registers the Space, \
as the manual Helm instructions do) or `engine` (this resource creates the record, as `up space connect` does, \
and deletes it on destroy).",
                ),
                Attribute::string(
                    "token_rotation",
                    Optional,
                    "A rotation trigger: any change mints a new robot token, stores it in the Secret and revokes \
the old one (for example `time_rotating.token.id`).",
                ),
                Attribute::bool(
                    "skip_space_check",
                    OptionalComputed,
                    "Skip the check that Upbound Spaces is installed in the cluster for this organization. \
Defaults to `false`.",
                ),
                Attribute::bool(
                    "cloud_only_destroy",
                    OptionalComputed,
                    "When the cluster cannot be reached, let destroy (and refresh) go on: the robot and its tokens \
are still removed from Upbound, the Secret stays behind. Defaults to `false`.",
                ),
                Attribute::string(
                    "robot_id",
                    Computed,
                    "The ID of the Upbound robot the agent authenticates as.",
                ),
                Attribute::string(
                    "token_id",
                    Computed,
                    "The ID of the robot token in the Secret (the token itself is never stored). \
Unknown in a plan that will mint a new token or repair drift.",
                ),
            ],
            blocks: Vec::new(),
        },
    }
}
