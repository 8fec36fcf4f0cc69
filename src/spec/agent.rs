//! The Connect agent's part of a connection: which chart, which values, how
//! long to wait. The defaults are the seed's `helm upgrade --install agent
//! oci://xpkg.upbound.io/spaces-artifacts/agent --version 0.0.0-441.g68777b9
//! --set …` line, with the registry host taken from the connection's
//! `registry` (so a mirror serves the chart and the images alike).

use std::path::PathBuf;
use std::time::Duration;

use crate::cluster::PULL_SECRET;
use crate::helm::values::{Values, parse_yaml};

use super::{AgentField, ChartReference, Field, Problems};

/// The agent chart's repository path in the registry.
pub const AGENT_CHART_PATH: &str = "spaces-artifacts/agent";
/// The agent image's repository path in the registry.
pub const AGENT_IMAGE_PATH: &str = "spaces-artifacts/agent";
/// The registration init-container image's repository path in the registry.
pub const REGISTRATION_IMAGE_PATH: &str = "spaces-artifacts/register-init";
/// The chart version installed when none is given: the seed's.
pub const DEFAULT_AGENT_VERSION: &str = "0.0.0-441.g68777b9";
/// The Helm release the agent is installed as (the seed's `agent`, which
/// `helm delete -n upbound-system agent` removes).
pub const AGENT_RELEASE: &str = "agent";
/// How long to wait for the agent to be ready when no timeout is given
/// (Helm's `--timeout` default).
pub const DEFAULT_AGENT_TIMEOUT: Duration = Duration::from_secs(300);

/// Where the agent chart comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChartSource {
    /// An OCI registry, pulled with the licence credentials.
    Registry(ChartReference),
    /// A chart directory or `.tgz` on this machine (air-gapped installs).
    Local(PathBuf),
}

/// The agent, validated. Built by [`ConnectionInput::validate`](super::ConnectionInput::validate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentSpec {
    /// The chart to install.
    pub chart: ChartSource,
    /// Extra values, applied over the chart's defaults and under the values
    /// the connection sets (space, organization, token Secret, images).
    pub values: Values,
    /// The agent image repository (`image.repository`).
    pub image_repository: String,
    /// The registration image repository (`registration.image.repository`).
    pub registration_image_repository: String,
    /// Image pull Secrets (`imagePullSecrets[*].name`).
    pub image_pull_secrets: Vec<String>,
    /// Whether the agent registers the Space itself (`registration.enabled`).
    pub registration_enabled: bool,
    /// Wait for the agent's objects to be ready.
    pub wait: bool,
    /// How long install, upgrade and uninstall may take.
    pub timeout: Duration,
    /// Take over fields and objects another field manager or release owns.
    pub take_ownership: bool,
    /// Roll a failed upgrade back to the last successful revision, and
    /// uninstall a failed first install, as Helm's `--atomic` (which
    /// implies `wait`).
    pub atomic: bool,
}

/// The agent as a person or a face wrote it; every field optional.
#[derive(Clone, Debug, Default)]
pub struct AgentInput {
    /// `oci://HOST/PATH/NAME` or a local chart directory or `.tgz`.
    /// Default `oci://<registry>/spaces-artifacts/agent`.
    pub chart: Option<String>,
    /// Default [`DEFAULT_AGENT_VERSION`] (ignored for a local chart).
    pub version: Option<String>,
    /// Extra values as YAML (or JSON).
    pub values_yaml: Option<String>,
    /// Default `<registry>/spaces-artifacts/agent`.
    pub image_repository: Option<String>,
    /// Default `<registry>/spaces-artifacts/register-init`.
    pub registration_image_repository: Option<String>,
    /// Default: [`PULL_SECRET`] when a licence is given, else none.
    pub image_pull_secrets: Option<Vec<String>>,
    /// Default: true when the agent creates the Space record.
    pub registration_enabled: Option<bool>,
    /// Default true.
    pub wait: Option<bool>,
    /// Default [`DEFAULT_AGENT_TIMEOUT`].
    pub timeout: Option<Duration>,
    /// Default false.
    pub take_ownership: bool,
    /// Default false.
    pub atomic: bool,
}

/// What the agent's defaults depend on in the rest of the connection.
pub(super) struct AgentContext<'a> {
    pub registry: &'a str,
    pub has_license: bool,
    pub agent_registers: bool,
}

impl AgentInput {
    /// Checks the agent's fields, adding problems under `agent.*` names.
    pub(super) fn validate(
        self,
        context: &AgentContext<'_>,
        problems: &mut Problems,
    ) -> Option<AgentSpec> {
        let registry = context.registry;
        let chart = problems
            .optional(Field::Agent(AgentField::Chart), self.chart)
            .unwrap_or_else(|| format!("oci://{registry}/{AGENT_CHART_PATH}"));
        let version = problems
            .optional(Field::Agent(AgentField::Version), self.version)
            .unwrap_or_else(|| DEFAULT_AGENT_VERSION.to_owned());
        let chart = if chart.starts_with("oci://") {
            if let Err(error) = sprig::semver::Version::parse(&version) {
                problems.add(
                    Field::Agent(AgentField::Version),
                    format!("{version:?} is not a chart version ({error})"),
                    format!("give an exact SemVer version, e.g. {DEFAULT_AGENT_VERSION:?}"),
                );
                None
            } else {
                ChartReference::parse(&chart, &version)
                    .map_err(|error| {
                        problems.add(
                            Field::Agent(AgentField::Chart),
                            error.to_string(),
                            "give oci://HOST/PATH/NAME (its tag, if any, equal to the version), or a local chart directory or .tgz",
                        );
                    })
                    .ok()
                    .map(ChartSource::Registry)
            }
        } else {
            let path = PathBuf::from(&chart);
            if path.exists() {
                Some(ChartSource::Local(path))
            } else {
                problems.add(
                    Field::Agent(AgentField::Chart),
                    format!("{chart:?} is neither an oci:// reference nor an existing path"),
                    "give oci://HOST/PATH/NAME, or the path of a chart directory or .tgz",
                );
                None
            }
        };

        let values = match self.values_yaml.filter(|yaml| !yaml.trim().is_empty()) {
            None => Some(Values::new()),
            Some(yaml) => match parse_yaml(yaml.as_bytes()) {
                Ok(values) => Some(values),
                Err(error) => {
                    // The message's first line says where; the excerpt
                    // under it would echo values, which may hold secrets.
                    let message = error.to_string();
                    problems.add(
                        Field::Agent(AgentField::Values),
                        message.lines().next().unwrap_or_default().trim_end(),
                        "give a YAML mapping of chart values, e.g. \"billing:\\n  enabled: false\"",
                    );
                    None
                }
            },
        };

        let image_repository = repository_or_default(
            self.image_repository,
            Field::Agent(AgentField::ImageRepository),
            format!("{registry}/{AGENT_IMAGE_PATH}"),
            problems,
        );
        let registration_image_repository = repository_or_default(
            self.registration_image_repository,
            Field::Agent(AgentField::RegistrationImageRepository),
            format!("{registry}/{REGISTRATION_IMAGE_PATH}"),
            problems,
        );

        let image_pull_secrets = match self.image_pull_secrets {
            Some(names) => names,
            None if context.has_license => vec![PULL_SECRET.to_owned()],
            None => Vec::new(),
        };
        for name in &image_pull_secrets {
            if let Some(problem) = super::dns_subdomain_problem(name) {
                problems.add(
                    Field::Agent(AgentField::ImagePullSecrets),
                    format!("{name:?} {problem}"),
                    "give the names of Secrets in the Space namespace",
                );
            }
        }

        let timeout = self.timeout.unwrap_or(DEFAULT_AGENT_TIMEOUT);
        if timeout.is_zero() {
            problems.add(
                Field::Agent(AgentField::Timeout),
                "is zero",
                "use a positive duration such as 5m",
            );
        }

        Some(AgentSpec {
            chart: chart?,
            values: values?,
            image_repository,
            registration_image_repository,
            image_pull_secrets,
            registration_enabled: self.registration_enabled.unwrap_or(context.agent_registers),
            wait: self.wait.unwrap_or(true),
            timeout,
            take_ownership: self.take_ownership,
            atomic: self.atomic,
        })
    }
}

/// An image repository, or its default; a repository is `host/path`
/// without a digest.
fn repository_or_default(
    value: Option<String>,
    field: Field,
    default: String,
    problems: &mut Problems,
) -> String {
    let repository = problems
        .optional(field, value)
        .unwrap_or_else(|| default.clone());
    if repository.contains(char::is_whitespace) || repository.contains('@') {
        problems.add(
            field,
            format!("{repository:?} is not an image repository"),
            format!("give HOST/PATH without tag or digest, e.g. {default}"),
        );
    }
    repository
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::ConnectionInput;

    fn input(agent: AgentInput) -> ConnectionInput {
        ConnectionInput {
            space: "my-space".to_owned(),
            organization: "acme".to_owned(),
            agent: Some(agent),
            ..ConnectionInput::default()
        }
    }

    #[test]
    fn defaults_follow_the_seed_and_the_registry() {
        let spec = ConnectionInput {
            registry: Some("mirror.example:5000".to_owned()),
            ..input(AgentInput::default())
        }
        .validate()
        .unwrap();
        let agent = spec.agent.unwrap();
        assert_eq!(
            agent.chart,
            ChartSource::Registry(ChartReference {
                registry: "mirror.example:5000".to_owned(),
                repository: AGENT_CHART_PATH.to_owned(),
                version: DEFAULT_AGENT_VERSION.to_owned(),
            })
        );
        assert_eq!(
            agent.image_repository,
            "mirror.example:5000/spaces-artifacts/agent"
        );
        assert!(agent.registration_enabled && agent.wait);
        assert!(agent.image_pull_secrets.is_empty());
        assert_eq!(agent.timeout, DEFAULT_AGENT_TIMEOUT);
    }

    #[test]
    fn bad_agent_fields_are_named() {
        let invalid = input(AgentInput {
            chart: Some("/no/such/chart".to_owned()),
            values_yaml: Some("a: [".to_owned()),
            image_pull_secrets: Some(vec!["Bad_Name".to_owned()]),
            timeout: Some(Duration::ZERO),
            image_repository: Some("repo@sha256:abc".to_owned()),
            ..AgentInput::default()
        })
        .validate()
        .unwrap_err();
        for field in [
            AgentField::Chart,
            AgentField::Values,
            AgentField::ImagePullSecrets,
            AgentField::Timeout,
            AgentField::ImageRepository,
        ] {
            assert!(
                invalid.field(Field::Agent(field)).is_some(),
                "{field:?}: {invalid}"
            );
        }
    }

    #[test]
    fn a_version_that_is_not_semver_is_the_versions_problem() {
        for version in ["latest please", "latest!!", "v1.2.3.4"] {
            let invalid = input(AgentInput {
                version: Some(version.to_owned()),
                ..AgentInput::default()
            })
            .validate()
            .unwrap_err();
            let error = invalid.field(Field::Agent(AgentField::Version));
            assert!(error.is_some(), "{version:?}: {invalid}");
            assert!(
                invalid.field(Field::Agent(AgentField::Chart)).is_none(),
                "{invalid}"
            );
        }
    }

    #[test]
    fn image_examples_name_the_registry_in_use() {
        let invalid = ConnectionInput {
            registry: Some("mirror.example:5000".to_owned()),
            ..input(AgentInput {
                image_repository: Some("repo@sha256:abc".to_owned()),
                ..AgentInput::default()
            })
        }
        .validate()
        .unwrap_err();
        let error = invalid
            .field(Field::Agent(AgentField::ImageRepository))
            .unwrap();
        assert!(error.fix.contains("mirror.example:5000/"), "{error}");
        assert!(!error.fix.contains("xpkg.upbound.io"), "{error}");
    }

    #[test]
    fn values_that_are_no_mapping_are_refused_without_quoting_them() {
        for yaml in ["s3cret-value", "- s3cret-value", "password: [s3cret-value"] {
            let invalid = input(AgentInput {
                values_yaml: Some(yaml.to_owned()),
                ..AgentInput::default()
            })
            .validate()
            .unwrap_err();
            let error = invalid.field(Field::Agent(AgentField::Values)).unwrap();
            assert!(!error.to_string().contains("s3cret"), "{yaml:?}: {error}");
        }
    }
}
