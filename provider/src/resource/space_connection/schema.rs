//! The schema of `upbound_space_connection`.

use super::attributes::{ATTRIBUTES, Declared};
use crate::provider::schema::cluster_block;
use crate::schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};

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
            blocks: vec![agent(), access(), cluster()],
        },
    }
}

/// The `cluster` block: this connection's cluster, overriding the
/// provider's `kubernetes` block.
fn cluster() -> NestedBlock {
    cluster_block(
        "cluster",
        "The cluster this connection's Space runs in, overriding the provider's `kubernetes` block, \
with the same settings: one configuration can connect Spaces across many clusters (e.g. with `for_each`), and a \
cluster made in the same apply can be given here (its address or credentials unknown until then: the plan \
says what it cannot know yet). Changing it changes how the cluster is reached, never the connection; the \
settings are kept in state (the token and key as sensitive values): prefer `config_path` or an `exec` plugin \
to long-lived credentials.",
    )
}

/// The `agent` block: every attribute optional, with the engine's defaults.
fn agent() -> NestedBlock {
    use Mode::Optional;
    NestedBlock {
        name: "agent",
        nesting: Nesting::Single,
        block: Block {
            description: "The Connect agent's Helm release `agent` in `namespace`. Optional: without it the agent \
is installed with every default below. Changing anything here upgrades the release in place (a new \
`release_revision`); it never replaces the connection.",
            attributes: vec![
                Attribute::string(
                    "chart",
                    Optional,
                    "The chart: `oci://HOST/PATH/NAME`, or the path of a chart directory or `.tgz` on the machine \
running Terraform (air-gapped installs). Defaults to `oci://<registry host>/spaces-artifacts/agent`, the registry \
host being the provider's `registry.host` (default `xpkg.upbound.io`).",
                ),
                Attribute::string(
                    "version",
                    Optional,
                    "The exact chart version. Defaults to `0.0.0-441.g68777b9`, the version Upbound's manual \
connect instructions install. Ignored for a local chart.",
                ),
                Attribute::string(
                    "values",
                    Optional,
                    "Extra chart values as a YAML (or JSON) mapping, e.g. `yamlencode({ billing = { enabled = false } })`. \
They go over the chart's defaults; the values this resource sets (Space, organization, token Secret, images, \
pull secrets, registration) go over them.",
                ),
                Attribute::string(
                    "image_repository",
                    Optional,
                    "The agent image repository (`image.repository`), without tag or digest. \
Defaults to `<registry host>/spaces-artifacts/agent`.",
                ),
                Attribute::string(
                    "registration_image_repository",
                    Optional,
                    "The registration image repository (`registration.image.repository`). \
Defaults to `<registry host>/spaces-artifacts/register-init`.",
                ),
                Attribute::strings(
                    "image_pull_secrets",
                    Optional,
                    "Names of Secrets in `namespace` the agent's images are pulled with (`imagePullSecrets`). \
Defaults to `[\"upbound-pull-secret\"]` (kept by this resource) when the provider has registry credentials, \
else none.",
                ),
                Attribute::bool(
                    "registration_enabled",
                    Optional,
                    "Whether the agent registers the Space in Upbound itself (`registration.enabled`). \
Defaults to `true` when `space_record = \"agent\"`, `false` when `space_record = \"engine\"`.",
                ),
                Attribute::string(
                    "timeout",
                    Optional,
                    "How long installing, upgrading or uninstalling the agent may take, as Helm's `--timeout` \
writes it (`90s`, `5m`, `1h30m`). Defaults to `5m`.",
                ),
                Attribute::bool(
                    "wait",
                    Optional,
                    "Wait until the agent's Deployments are ready, as `helm --wait` does. Defaults to `true`.",
                ),
                Attribute::bool(
                    "take_ownership",
                    Optional,
                    "Take over objects and fields that another Helm release or field manager owns, as \
`helm --take-ownership` does. Defaults to `false`: such objects are refused with an error.",
                ),
            ],
            blocks: Vec::new(),
        },
    }
}

/// The `access` block: one Hub RBAC grant per block, in order.
fn access() -> NestedBlock {
    use Mode::{Optional, Required};
    NestedBlock {
        name: "access",
        nesting: Nesting::List,
        block: Block {
            description: "A Hub RBAC grant: `subject` may use the Space's control planes at `level`, in every \
control-plane group or only in `group`. Repeat the block for each grant. The connection holds exactly these grants: \
a block removed is a grant revoked, and without any `access` block no grant made by this resource remains. Each \
grant is a ClusterRoleBinding (or a RoleBinding in `group`) to a ClusterRole per level, labelled as this \
connection's; RBAC objects this resource did not make are never touched. Refresh shows a grant whose objects were \
deleted or changed as missing, so the plan adds it back.",
            attributes: vec![
                Attribute::string(
                    "subject",
                    Required,
                    "Who is granted access, as Upbound identities reach the Space: `upbound:user:<name>` (an \
Upbound user) or `upbound:robot:<name>` (a robot), bound as a Kubernetes `User`; `upbound:team:<uuid>` or \
`upbound:team:<name>` (a team, by its ID, or by its name, looked up in the organization's teams) or `upbound:org-role:admin` / `upbound:org-role:member` (everyone with that organization role), bound as a \
Kubernetes `Group`. A subject may appear once per group.",
                ),
                Attribute::string(
                    "level",
                    Required,
                    "The control-plane access level: `view`, `edit` or `admin`, the special verb granted on \
`controlplanes/k8s` in `spaces.upbound.io`. Every level may also `get`, `list` and `watch` `controlplanes`.",
                ),
                Attribute::string(
                    "group",
                    Optional,
                    "The control-plane group the grant is limited to: a group is a namespace of the Space's \
cluster, and must exist. Unset: every group in the Space.",
                ),
            ],
            blocks: Vec::new(),
        },
    }
}
