//! What one run is asked to do, whichever face wrote it: the command, how to
//! reach Upbound and the cluster, and the connection. Both faces fill a
//! [`Request`]; [`Request::validate`] checks all of it at once, before
//! anything is contacted, and names each problem's input in the face's words.

use std::fmt;
use std::path::PathBuf;

use upbound_connect::cluster::ClusterAccess;
use upbound_connect::spec::{
    AgentField, ConnectionInput, ConnectionSpec, Field, FieldError, InvalidInput, UpboundAccess,
    UpboundInput,
};

/// What to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// Make the connection exist.
    Connect,
    /// Remove the connection.
    Disconnect,
    /// Show the connection and its drift.
    Status,
    /// Show what connect would change.
    Plan,
}

/// A run as written; checked by [`Request::validate`].
#[derive(Debug, Default)]
pub struct Request {
    /// How to reach Upbound.
    pub upbound: UpboundInput,
    /// The connection.
    pub connection: ConnectionInput,
    /// Where the cluster's kubeconfig files are (empty: infer).
    pub kubeconfig: Vec<PathBuf>,
    /// The kubeconfig context (the current one when `None`).
    pub context: Option<String>,
    /// Problems the face found while reading its inputs (a file it could
    /// not read, a malformed duration or boolean), reported with the rest.
    pub problems: Vec<FieldError>,
}

/// A request whose every input passed the checks.
#[derive(Debug)]
pub struct Valid {
    /// How to reach Upbound.
    pub upbound: UpboundAccess,
    /// The connection.
    pub spec: ConnectionSpec,
    /// How to reach the cluster.
    pub cluster: ClusterAccess,
}

impl Request {
    /// Checks everything at once: all problems are reported together.
    pub fn validate(self) -> Result<Valid, InvalidInput> {
        let upbound = self.upbound.validate();
        let spec = self.connection.validate();
        let mut problems = self.problems;
        if let Err(invalid) = &upbound {
            problems.extend(invalid.0.iter().cloned());
        }
        if let Err(invalid) = &spec {
            problems.extend(invalid.0.iter().cloned());
        }
        match (upbound, spec) {
            (Ok(upbound), Ok(spec)) if problems.is_empty() => Ok(Valid {
                upbound,
                spec,
                cluster: cluster_access(self.kubeconfig, self.context),
            }),
            _ => Err(InvalidInput(problems)),
        }
    }
}

/// Kubeconfig files and a context as [`ClusterAccess`]: the files when
/// given, else the usual inference (which honours `KUBECONFIG`).
fn cluster_access(kubeconfig: Vec<PathBuf>, context: Option<String>) -> ClusterAccess {
    if kubeconfig.is_empty() && context.is_none() {
        ClusterAccess::Infer
    } else {
        ClusterAccess::Kubeconfig {
            paths: if kubeconfig.is_empty() {
                default_kubeconfig()
            } else {
                kubeconfig
            },
            context,
        }
    }
}

/// `~/.kube/config`, where kubectl looks when `KUBECONFIG` is unset.
fn default_kubeconfig() -> Vec<PathBuf> {
    std::env::var_os("HOME")
        .map(|home| vec![PathBuf::from(home).join(".kube").join("config")])
        .unwrap_or_default()
}

/// Splits a `KUBECONFIG`-style list (`a:b`) into paths.
pub fn kubeconfig_paths(list: &str) -> Vec<PathBuf> {
    std::env::split_paths(list)
        .filter(|path| !path.as_os_str().is_empty())
        .collect()
}

/// An input only the Action has (the engine knows nothing of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionInput {
    /// `mode`.
    Mode,
    /// `disconnect-on-exit`.
    DisconnectOnExit,
}

impl fmt::Display for ActionInput {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Mode => "mode",
            Self::DisconnectOnExit => "disconnect-on-exit",
        })
    }
}

/// How each face spells an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    /// Command-line flags (and their environment variables).
    Cli,
    /// `action.yml` inputs.
    Action,
}

impl Face {
    /// The engine's field as this face's input is called. Settings a face
    /// has no input for (they keep their defaults there) are described in
    /// words, so a message never names another face's input.
    pub fn name(self, field: Field) -> String {
        let (flag, input): (&str, &str) = match field {
            Field::Space => ("--space", "space"),
            Field::Organization => ("--organization", "organization"),
            Field::Namespace => ("--namespace", "namespace"),
            Field::Token => ("--token", "api-token"),
            Field::Endpoint => ("--endpoint", "api-endpoint"),
            Field::Kubeconfig => ("--kubeconfig", "kubeconfig"),
            Field::KubeContext => ("--context", "kube-context"),
            Field::License => ("--license", "license"),
            Field::Registry => ("--registry", "registry"),
            Field::TokenRotation => ("--token-rotation", "token-rotation"),
            Field::Agent(AgentField::Version) => ("--agent-version", "agent-version"),
            Field::Agent(AgentField::Values) => ("--agent-values", "agent-values"),
            Field::Agent(AgentField::Timeout) => ("--timeout", "timeout"),
            Field::Agent(AgentField::Wait) => ("--wait", "wait"),
            Field::CloudOnly => ("--cloud-only", "cloud-only-disconnect"),
            Field::Access => ("--grant", "access"),
            Field::Grant(index, part) => {
                return match self {
                    Self::Cli => format!("--grant #{} ({})", index + 1, part.name()),
                    Self::Action => format!("access[{index}].{}", part.name()),
                };
            }
            // The chart is pulled from the registry given.
            Field::Agent(AgentField::Chart) => ("--registry", "registry"),
            // Settings these faces keep at their defaults.
            Field::TokenSecretName => return "the token Secret's name".to_owned(),
            Field::RobotName => return "the robot's name (the space's)".to_owned(),
            Field::RobotDescription => return "the robot's description".to_owned(),
            Field::SpaceRecord => return "the Space record's creator (the agent)".to_owned(),
            Field::SkipSpaceCheck => ("--skip-space-check", "skip-space-check"),
            Field::AdoptRobot => return "adopting another tool's robot".to_owned(),
            Field::Agent(AgentField::ImageRepository) => {
                return "the agent image (from the registry)".to_owned();
            }
            Field::Agent(AgentField::RegistrationImageRepository) => {
                return "the registration image (from the registry)".to_owned();
            }
            Field::Agent(AgentField::ImagePullSecrets) => {
                return "the image pull Secrets (from the licence)".to_owned();
            }
            Field::Agent(AgentField::RegistrationEnabled) => {
                return "the agent's registration".to_owned();
            }
            Field::Agent(AgentField::TakeOwnership) => ("--take-ownership", "take-ownership"),
            Field::Agent(AgentField::Atomic) => ("--atomic", "atomic"),
            Field::RequestTimeout => return "the request timeout".to_owned(),
            Field::ClusterHost => return "the cluster's API server".to_owned(),
            Field::InCluster => return "the in-cluster service account".to_owned(),
        };
        match self {
            Self::Cli => flag.to_owned(),
            Self::Action => input.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upbound_connect::spec::GrantPart;

    #[test]
    fn grant_fields_are_named_as_each_face_takes_them() {
        let level = Field::Grant(1, GrantPart::Level);
        assert_eq!(Face::Cli.name(level), "--grant #2 (level)");
        assert_eq!(Face::Action.name(level), "access[1].level");
        assert_eq!(Face::Cli.name(Field::Access), "--grant");
        assert_eq!(Face::Action.name(Field::Access), "access");
    }
}
