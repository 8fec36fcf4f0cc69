//! The nested blocks of `upbound_space_connection`, declared as its
//! top-level attributes are: `agent` (the agent's Helm release) and
//! `access` (Hub RBAC grants), and `cluster`, whose settings are the
//! provider's `kubernetes` block's ([`cluster_block`]).

use upbound_connect::spec::{AgentField, Field, GrantPart};

use super::{Declared, Kind, declared};
use crate::provider::schema::cluster_block;
use crate::schema::{Block, Mode, NestedBlock, Nesting};

/// A nested block, declared once: its name (the root of its attribute
/// paths), how it nests, what it means, and its attributes.
#[derive(Clone, Copy, Debug)]
pub struct DeclaredBlock {
    /// Its name.
    pub name: &'static str,
    /// One block, or a list of them.
    pub nesting: Nesting,
    /// What it means (Markdown).
    pub description: &'static str,
    /// Its attributes, in the schema's order.
    pub attributes: &'static [Declared],
}

impl DeclaredBlock {
    /// The schema's nested block.
    pub fn schema(&self) -> NestedBlock {
        NestedBlock {
            name: self.name,
            nesting: self.nesting,
            block: Block {
                description: self.description,
                attributes: self.attributes.iter().map(Declared::schema).collect(),
                blocks: Vec::new(),
            },
        }
    }

    /// The attribute that sets `field`, if this block has it.
    pub fn setting(&self, field: Field) -> Option<&'static Declared> {
        self.attributes
            .iter()
            .find(|declared| declared.field == Some(field))
    }
}

use super::OnChange::Updates;
use Kind::{Bool, String as Text, Strings};
use Mode::{Optional, Required};

/// The `agent` block: every attribute optional, with the engine's defaults.
pub const AGENT: DeclaredBlock = DeclaredBlock {
    name: "agent",
    nesting: Nesting::Single,
    description: "The Connect agent's Helm release `agent` in `namespace`. Optional: without it the agent \
is installed with every default below. Changing anything here upgrades the release in place (a new \
`release_revision`); it never replaces the connection.",
    attributes: &AGENT_ATTRIBUTES,
};

const AGENT_ATTRIBUTES: [Declared; 11] = [
    declared(
        "chart",
        Text,
        Optional,
        Updates,
        "The chart: `oci://HOST/PATH/NAME`, or the path of a chart directory or `.tgz` on the machine \
running Terraform (air-gapped installs). Defaults to `oci://<registry host>/spaces-artifacts/agent`, the registry \
host being the provider's `registry.host` (default `xpkg.upbound.io`).",
    )
    .sets(Field::Agent(AgentField::Chart)),
    declared(
        "version",
        Text,
        Optional,
        Updates,
        "The exact chart version. Defaults to `0.0.0-441.g68777b9`, the version Upbound's manual \
connect instructions install. Ignored for a local chart.",
    )
    .sets(Field::Agent(AgentField::Version)),
    declared(
        "values",
        Text,
        Optional,
        Updates,
        "Extra chart values as a YAML (or JSON) mapping, e.g. `yamlencode({ billing = { enabled = false } })`. \
They go over the chart's defaults; the values this resource sets (Space, organization, token Secret, images, \
pull secrets, registration) go over them.",
    )
    .sets(Field::Agent(AgentField::Values)),
    declared(
        "image_repository",
        Text,
        Optional,
        Updates,
        "The agent image repository (`image.repository`), without tag or digest. \
Defaults to `<registry host>/spaces-artifacts/agent`.",
    )
    .sets(Field::Agent(AgentField::ImageRepository)),
    declared(
        "registration_image_repository",
        Text,
        Optional,
        Updates,
        "The registration image repository (`registration.image.repository`). \
Defaults to `<registry host>/spaces-artifacts/register-init`.",
    )
    .sets(Field::Agent(AgentField::RegistrationImageRepository)),
    declared(
        "image_pull_secrets",
        Strings,
        Optional,
        Updates,
        "Names of Secrets in `namespace` the agent's images are pulled with (`imagePullSecrets`). \
Defaults to `[\"upbound-pull-secret\"]` (kept by this resource) when the provider has registry credentials, \
else none.",
    )
    .sets(Field::Agent(AgentField::ImagePullSecrets)),
    declared(
        "registration_enabled",
        Bool,
        Optional,
        Updates,
        "Whether the agent registers the Space in Upbound itself (`registration.enabled`). \
Defaults to `true` when `space_record = \"agent\"`, `false` when `space_record = \"engine\"`.",
    )
    .sets(Field::Agent(AgentField::RegistrationEnabled)),
    declared(
        "timeout",
        Text,
        Optional,
        Updates,
        "How long installing, upgrading or uninstalling the agent may take, as Helm's `--timeout` \
writes it (`90s`, `5m`, `1h30m`). Defaults to `5m`.",
    )
    .sets(Field::Agent(AgentField::Timeout)),
    declared(
        "wait",
        Bool,
        Optional,
        Updates,
        "Wait until the agent's Deployments are ready, as `helm --wait` does. Defaults to `true`.",
    )
    .sets(Field::Agent(AgentField::Wait)),
    declared(
        "take_ownership",
        Bool,
        Optional,
        Updates,
        "Take over objects and fields that another Helm release or field manager owns, as \
`helm --take-ownership` does. Defaults to `false`: such objects are refused with an error.",
    )
    .sets(Field::Agent(AgentField::TakeOwnership)),
    declared(
        "atomic",
        Bool,
        Optional,
        Updates,
        "Roll a failed upgrade of the agent back to its last successful revision (and uninstall a failed \
first install), as `helm --atomic` does; implies `wait`. Defaults to `false`: the failed revision is left in place.",
    )
    .sets(Field::Agent(AgentField::Atomic)),
];

/// The `access` block: one Hub RBAC grant per block, in order.
pub const ACCESS: DeclaredBlock = DeclaredBlock {
    name: "access",
    nesting: Nesting::List,
    description: "A Hub RBAC grant: `subject` may use the Space's control planes at `level`, in every \
control-plane group or only in `group`. Repeat the block for each grant. The connection holds exactly these grants: \
a block removed is a grant revoked, and without any `access` block no grant made by this resource remains. Each \
grant is a ClusterRoleBinding (or a RoleBinding in `group`) to a ClusterRole per level, labelled as this \
connection's; RBAC objects this resource did not make are never touched. Refresh shows a grant whose objects were \
deleted or changed as missing, so the plan adds it back.",
    attributes: &ACCESS_ATTRIBUTES,
};

/// Each sets its part of the grant at the block's index (0 here).
const ACCESS_ATTRIBUTES: [Declared; 3] = [
    declared(
        "subject",
        Text,
        Required,
        Updates,
        "Who is granted access, as Upbound identities reach the Space: `upbound:user:<name>` (an \
Upbound user) or `upbound:robot:<name>` (a robot), bound as a Kubernetes `User`; `upbound:team:<uuid>` or \
`upbound:team:<name>` (a team, by its ID, or by its name, looked up in the organization's teams) or `upbound:org-role:admin` / `upbound:org-role:member` (everyone with that organization role), bound as a \
Kubernetes `Group`. A subject may appear once per group.",
    )
    .sets(Field::Grant(0, GrantPart::Subject)),
    declared(
        "level",
        Text,
        Required,
        Updates,
        "The control-plane access level: `view`, `edit` or `admin`, the special verb granted on \
`controlplanes/k8s` in `spaces.upbound.io`. Every level may also `get`, `list` and `watch` `controlplanes`.",
    )
    .sets(Field::Grant(0, GrantPart::Level)),
    declared(
        "group",
        Text,
        Optional,
        Updates,
        "The control-plane group the grant is limited to: a group is a namespace of the Space's \
cluster, and must exist. Unset: every group in the Space.",
    )
    .sets(Field::Grant(0, GrantPart::Group)),
];

/// The `cluster` block's name, the root of its attribute paths.
pub const CLUSTER: &str = "cluster";

/// The `cluster` block: this connection's cluster, overriding the
/// provider's `kubernetes` block.
pub fn cluster() -> NestedBlock {
    cluster_block(
        CLUSTER,
        "The cluster this connection's Space runs in, overriding the provider's `kubernetes` block, \
with the same settings: one configuration can connect Spaces across many clusters (e.g. with `for_each`), and a \
cluster made in the same apply can be given here (its address or credentials unknown until then: the plan \
says what it cannot know yet). Changing it changes how the cluster is reached, never the connection; the \
settings are kept in state (the token and key as sensitive values): prefer `config_path` or an `exec` plugin \
to long-lived credentials.",
    )
}
