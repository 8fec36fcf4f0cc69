//! Every input the engine knows, as a type. Engine and spec errors carry a
//! [`Field`], never a name: each face turns it into its own words (a
//! Terraform attribute path on the right block, a CLI flag, an Action input)
//! with an exhaustive `match`, so a field a face forgets does not compile.

use std::fmt;

/// One input of a connection, of how Upbound or the cluster is reached, or
/// of a disconnect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The Space's name.
    Space,
    /// The organization's account name.
    Organization,
    /// The namespace of Spaces, the token Secret and the agent.
    Namespace,
    /// The name of the token Secret.
    TokenSecretName,
    /// The robot's name.
    RobotName,
    /// The robot's description.
    RobotDescription,
    /// The licence `token.json` (registry credentials).
    License,
    /// The registry host of the chart and images.
    Registry,
    /// The value whose change mints a new token.
    TokenRotation,
    /// Who creates the Space record in Upbound.
    SpaceRecord,
    /// Skipping the check that Spaces is installed.
    SkipSpaceCheck,
    /// Adopting a robot this tool did not create.
    AdoptRobot,
    /// One setting of the agent.
    Agent(AgentField),
    /// The Hub RBAC grants as a whole.
    Access,
    /// One part of the grant at this index (0-based).
    Grant(usize, GrantPart),
    /// The Upbound API's URL.
    Endpoint,
    /// The Upbound token.
    Token,
    /// How long each Upbound request may take.
    RequestTimeout,
    /// The kubeconfig files.
    Kubeconfig,
    /// The kubeconfig context.
    KubeContext,
    /// An explicitly given cluster (API server URL and credentials).
    ClusterHost,
    /// Running inside the cluster with the pod's service account.
    InCluster,
    /// Disconnecting from Upbound alone when the cluster is out of reach.
    CloudOnly,
}

/// One setting of the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AgentField {
    /// The chart's `oci://` reference or local path.
    Chart,
    /// The chart version.
    Version,
    /// Extra chart values.
    Values,
    /// The agent image repository.
    ImageRepository,
    /// The registration image repository.
    RegistrationImageRepository,
    /// Image pull Secrets.
    ImagePullSecrets,
    /// Whether the agent registers the Space itself.
    RegistrationEnabled,
    /// Waiting for the agent to be ready.
    Wait,
    /// How long install, upgrade and uninstall may take.
    Timeout,
    /// Taking over objects and fields another owner holds.
    TakeOwnership,
    /// Rolling back a failed upgrade (uninstalling a failed first install).
    Atomic,
}

/// One part of a Hub RBAC grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GrantPart {
    /// Who is granted.
    Subject,
    /// The access level.
    Level,
    /// The control-plane group the grant is limited to.
    Group,
}

impl GrantPart {
    /// The part's name, the same in every face.
    pub fn name(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Level => "level",
            Self::Group => "group",
        }
    }
}

/// The engine's own spelling, for logs and library callers; faces name
/// fields in their own words.
impl fmt::Display for Field {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::Space => "space",
            Self::Organization => "organization",
            Self::Namespace => "namespace",
            Self::TokenSecretName => "token_secret_name",
            Self::RobotName => "robot_name",
            Self::RobotDescription => "robot_description",
            Self::License => "license",
            Self::Registry => "registry",
            Self::TokenRotation => "token_rotation",
            Self::SpaceRecord => "space_record",
            Self::SkipSpaceCheck => "skip_space_check",
            Self::AdoptRobot => "adopt_robot",
            Self::Agent(field) => return write!(formatter, "agent.{}", field.name()),
            Self::Access => "access",
            Self::Grant(index, part) => {
                return write!(formatter, "access[{index}].{}", part.name());
            }
            Self::Endpoint => "endpoint",
            Self::Token => "token",
            Self::RequestTimeout => "request_timeout",
            Self::Kubeconfig => "kubeconfig",
            Self::KubeContext => "kube_context",
            Self::ClusterHost => "host",
            Self::InCluster => "in_cluster",
            Self::CloudOnly => "cloud_only",
        };
        formatter.write_str(name)
    }
}

impl AgentField {
    /// The engine's spelling of the setting within the agent.
    pub fn name(self) -> &'static str {
        match self {
            Self::Chart => "chart",
            Self::Version => "version",
            Self::Values => "values",
            Self::ImageRepository => "image_repository",
            Self::RegistrationImageRepository => "registration_image_repository",
            Self::ImagePullSecrets => "image_pull_secrets",
            Self::RegistrationEnabled => "registration_enabled",
            Self::Wait => "wait",
            Self::Timeout => "timeout",
            Self::TakeOwnership => "take_ownership",
            Self::Atomic => "atomic",
        }
    }
}
