//! What a connection is made of once it exists: the IDs recorded the moment
//! they are known (in the token Secret's annotations, and in Terraform
//! state), so a run that died half-way is resumed, never duplicated.

/// A connection as recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Connection {
    /// The organization's account name.
    pub organization: String,
    /// The Space's name.
    pub space: String,
    /// The robot the agent authenticates as.
    pub robot_id: Option<String>,
    /// The robot token in the Secret.
    pub token_id: Option<String>,
    /// The rotation trigger the token was minted for.
    pub token_rotation: Option<String>,
    /// The revision of Helm release `agent`, when it is installed.
    pub release_revision: Option<u32>,
    /// The agent chart's version, when the release is as the spec wants it.
    pub agent_version: Option<String>,
    /// The digest of the agent chart's OCI manifest, when the release is
    /// as the spec wants it and the chart came from a registry.
    pub chart_digest: Option<String>,
}

impl Connection {
    /// `organization/space`, the connection's ID.
    pub fn id(&self) -> String {
        format!("{}/{}", self.organization, self.space)
    }
}
