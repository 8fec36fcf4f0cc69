//! What one run is asked to do, whichever face wrote it: the command, how to
//! reach Upbound and the cluster, and the connection. Both faces fill a
//! [`Request`]; [`Request::validate`] checks all of it at once, before
//! anything is contacted, and names each problem's input in the face's words.

use std::path::PathBuf;
use std::time::Duration;

use upbound_connect::cluster::ClusterAccess;
use upbound_connect::spec::{
    ConnectionInput, ConnectionSpec, FieldError, InvalidInput, UpboundAccess, UpboundInput,
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

/// A problem with one input, found by a face.
pub fn problem(
    field: &'static str,
    problem: impl Into<String>,
    fix: impl Into<String>,
) -> FieldError {
    FieldError {
        field: field.into(),
        problem: problem.into(),
        fix: fix.into(),
    }
}

/// Parses a duration such as `300`, `90s`, `5m` or `1h30m` (Go's and
/// Helm's spelling; a bare number is seconds).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let mut total = Duration::ZERO;
    let mut number = String::new();
    for character in text.chars() {
        if character.is_ascii_digit() {
            number.push(character);
            continue;
        }
        let unit = match character {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return None,
        };
        let value: u64 = std::mem::take(&mut number).parse().ok()?;
        total += Duration::from_secs(value.checked_mul(unit)?);
    }
    (number.is_empty() && !text.is_empty()).then_some(total)
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
    /// The engine's field name as this face's input is called.
    pub fn name(self, field: &str) -> String {
        if let Some(name) = self.grant_name(field) {
            return name;
        }
        let (flag, input) = match field {
            "space" => ("--space", "space"),
            "organization" => ("--organization / UPBOUND_ORGANIZATION", "organization"),
            "namespace" => ("--namespace", "namespace"),
            "token" => ("--token / UPBOUND_TOKEN", "api-token"),
            "endpoint" => ("--endpoint / UPBOUND_ENDPOINT", "api-endpoint"),
            "kubeconfig" => ("--kubeconfig / KUBECONFIG", "kubeconfig"),
            "kube_context" => ("--context", "kube-context"),
            "license" => ("--license", "license"),
            "registry" => ("--registry", "registry"),
            "token_rotation" => ("--token-rotation", "token-rotation"),
            "agent.chart" => ("--agent-version", "agent-version"),
            "agent.values" => ("--agent-values", "agent-values"),
            "agent.timeout" => ("--timeout", "timeout"),
            "agent.wait" => ("--wait", "wait"),
            "cloud_only" => ("--cloud-only", "cloud-only-disconnect"),
            "disconnect_on_exit" => ("", "disconnect-on-exit"),
            "mode" => ("", "mode"),
            other => (other, other),
        };
        match self {
            Self::Cli => flag.to_owned(),
            Self::Action => input.to_owned(),
        }
    }

    /// A grant's field as this face names it: `access[1].level` is the
    /// CLI's second `--grant` (its level), and the Action's `access` list
    /// item `[1].level`.
    fn grant_name(self, field: &str) -> Option<String> {
        let rest = field.strip_prefix("access")?;
        if rest.is_empty() {
            return Some(
                match self {
                    Self::Cli => "--grant",
                    Self::Action => "access",
                }
                .to_owned(),
            );
        }
        let (index, part) = rest.strip_prefix('[')?.split_once("].")?;
        let index: usize = index.parse().ok()?;
        Some(match self {
            Self::Cli => format!("--grant #{} ({part})", index + 1),
            Self::Action => field.to_owned(),
        })
    }

    /// One problem, worded with this face's input name.
    pub fn describe(self, error: &FieldError) -> String {
        format!(
            "`{}` {}; {}",
            self.name(&error.field),
            error.problem,
            error.fix
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_and_helm_write_them() {
        assert_eq!(parse_duration("300"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        for bad in ["", "m", "5x", "1.5m", "5m3", "-5s"] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn grant_fields_are_named_as_each_face_takes_them() {
        assert_eq!(Face::Cli.name("access[1].level"), "--grant #2 (level)");
        assert_eq!(Face::Action.name("access[1].level"), "access[1].level");
        assert_eq!(Face::Cli.name("access"), "--grant");
        assert_eq!(Face::Action.name("access"), "access");
        assert_eq!(Face::Cli.name("accessible"), "accessible");
    }
}
