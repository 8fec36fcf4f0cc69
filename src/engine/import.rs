//! Import: an existing connection found, with the settings it was made
//! with read back from what records them — the grants from its Hub RBAC
//! bindings, the agent's chart version and values from release `agent` —
//! so a face can state them and the next plan is empty.
//!
//! Only what the world records is read back. Helm records no wait, timeout
//! or ownership setting, and a registry chart's URL is not in its record:
//! those stay unset (their defaults).

use serde_json::Value;

use crate::cluster::RbacObject;
use crate::helm::HelmError;
use crate::helm::release::ReleaseStore;
use crate::helm::values::Values;
use crate::spec::{
    AGENT_RELEASE, AccessLevel, AgentSpec, ChartSource, ConnectionSpec, Grant, Subject,
};

use super::access::{grant_objects, role_name, selector};
use super::agent::desired_config;
use super::{Engine, EngineError, Observation};

/// An existing connection and the settings it was made with.
#[derive(Clone, Debug)]
pub struct Imported {
    /// What exists, as [`Engine::read`] reports it.
    pub observation: Observation,
    /// The grants its RBAC bindings carry, sorted by subject, level and
    /// group.
    pub access: Vec<Grant>,
    /// How release `agent` differs from the defaults (all unset when it
    /// does not, or is not installed).
    pub agent: InstalledAgent,
}

/// The agent settings a release records that differ from the defaults of
/// the spec it was imported with; `None` (or empty values) where they
/// match, so a configuration that leaves them unset plans no change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InstalledAgent {
    /// The chart version, when not the default.
    pub version: Option<String>,
    /// The values given beside the connection's own (those the connection
    /// sets — Space, organization, token Secret, images — removed).
    pub values: Values,
    /// `image.repository`, when not the default.
    pub image_repository: Option<String>,
    /// `registration.image.repository`, when not the default.
    pub registration_image_repository: Option<String>,
    /// `imagePullSecrets[*].name`, when not the default.
    pub image_pull_secrets: Option<Vec<String>>,
    /// `registration.enabled`, when not the default.
    pub registration_enabled: Option<bool>,
}

impl InstalledAgent {
    /// Whether every setting is the default.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Engine {
    /// The existing connection of `spec.space` (for Terraform import), with
    /// its grants and agent settings: an error if there is no robot or
    /// token Secret to import, or the namespace's token Secret is another
    /// Space's.
    pub async fn import(&self, spec: &ConnectionSpec) -> Result<Imported, EngineError> {
        let observation = self.find_existing(spec).await?;
        let (access, agent) =
            futures::try_join!(self.granted(&spec.namespace), self.installed_agent(spec))?;
        Ok(Imported {
            observation,
            access,
            agent,
        })
    }

    /// The grants the connection's bindings in `connection` (its
    /// namespace) carry. A binding whose name or role is not the one its
    /// grant would get is no grant of ours.
    async fn granted(&self, connection: &str) -> Result<Vec<Grant>, EngineError> {
        let mut grants: Vec<Grant> = self
            .cluster
            .list_rbac(&selector(connection))
            .await?
            .iter()
            .filter_map(|object| grant_of(connection, object))
            .collect();
        grants.sort_by(|a, b| {
            (a.subject.to_string(), a.level, &a.group).cmp(&(
                b.subject.to_string(),
                b.level,
                &b.group,
            ))
        });
        Ok(grants)
    }

    /// How release `agent` differs from `spec`'s agent defaults.
    async fn installed_agent(&self, spec: &ConnectionSpec) -> Result<InstalledAgent, EngineError> {
        let Some(defaults) = &spec.agent else {
            return Ok(InstalledAgent::default());
        };
        let history = ReleaseStore::new(self.cluster.clone())
            .history(AGENT_RELEASE)
            .await
            .map_err(HelmError::from)?;
        let Some(last) = history.last() else {
            return Ok(InstalledAgent::default());
        };
        let version = last
            .chart
            .metadata
            .get("version")
            .and_then(Value::as_str)
            .filter(|version| match &defaults.chart {
                ChartSource::Registry(reference) => *version != reference.version,
                ChartSource::Local(_) => false,
            })
            .map(str::to_owned);
        settings_of(spec, defaults, &last.chart.values, &last.config).map(|settings| {
            InstalledAgent {
                version,
                ..settings
            }
        })
    }
}

/// The grant `object` carries, if it is a binding of ours for the
/// connection in `connection`.
fn grant_of(connection: &str, object: &RbacObject) -> Option<Grant> {
    let (role_ref, subjects, group) = match object {
        RbacObject::ClusterRoleBinding(binding) => (&binding.role_ref, &binding.subjects, None),
        RbacObject::RoleBinding(binding) => (
            &binding.role_ref,
            &binding.subjects,
            binding.metadata.namespace.clone(),
        ),
        RbacObject::ClusterRole(_) => return None,
    };
    let [subject] = subjects.as_deref()? else {
        return None;
    };
    let level = role_ref
        .name
        .rsplit_once(':')
        .and_then(|(_, level)| AccessLevel::parse(level))?;
    let grant = Grant {
        subject: Subject::parse(&subject.name).ok()?,
        level,
        group,
    };
    let [binding, _] = grant_objects(connection, &grant);
    (binding.name == object.reference().name && role_ref.name == role_name(connection, level))
        .then_some(grant)
}

/// The settings that give release config `config` with `spec`: the
/// connection's own values read back into the agent settings that set
/// them, the rest as values. Checked by rebuilding the config from them;
/// when that does not give `config` back (values the connection's
/// settings cannot express), all of `config` is the values, which always
/// rebuilds it (the connection's values are applied over them).
fn settings_of(
    spec: &ConnectionSpec,
    defaults: &AgentSpec,
    chart_values: &Values,
    config: &Values,
) -> Result<InstalledAgent, EngineError> {
    let text = |path: &[&str]| {
        lookup(config, path)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let differs = |found: Option<String>, default: &str| found.filter(|found| found != default);
    let mut settings = InstalledAgent {
        image_repository: differs(text(&["image", "repository"]), &defaults.image_repository),
        registration_image_repository: differs(
            text(&["registration", "image", "repository"]),
            &defaults.registration_image_repository,
        ),
        registration_enabled: lookup(config, &["registration", "enabled"])
            .and_then(Value::as_bool)
            .filter(|enabled| *enabled != defaults.registration_enabled),
        image_pull_secrets: pull_secret_names(config)
            .filter(|names| *names != defaults.image_pull_secrets),
        ..InstalledAgent::default()
    };
    let agent = AgentSpec {
        image_repository: settings
            .image_repository
            .clone()
            .unwrap_or_else(|| defaults.image_repository.clone()),
        registration_image_repository: settings
            .registration_image_repository
            .clone()
            .unwrap_or_else(|| defaults.registration_image_repository.clone()),
        registration_enabled: settings
            .registration_enabled
            .unwrap_or(defaults.registration_enabled),
        image_pull_secrets: settings
            .image_pull_secrets
            .clone()
            .unwrap_or_else(|| defaults.image_pull_secrets.clone()),
        values: Values::new(),
        ..defaults.clone()
    };
    let own = desired_config(spec, &agent, chart_values)?;
    let mut values = config.clone();
    remove_same(&mut values, &own);
    let rebuilt = desired_config(
        spec,
        &AgentSpec {
            values: values.clone(),
            ..agent
        },
        chart_values,
    )?;
    if rebuilt == *config {
        settings.values = values;
    } else {
        settings = InstalledAgent {
            values: config.clone(),
            ..InstalledAgent::default()
        };
    }
    Ok(settings)
}

/// The value at `path` in `values`.
fn lookup<'a>(values: &'a Values, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(values.get(*first)?, |value, key| value.get(key))
}

/// The names `imagePullSecrets` lists, if it is a list of `{name: …}`.
fn pull_secret_names(config: &Values) -> Option<Vec<String>> {
    config
        .get("imagePullSecrets")?
        .as_array()?
        .iter()
        .map(|secret| secret.get("name")?.as_str().map(str::to_owned))
        .collect()
}

/// Removes from `values` every leaf `own` holds with the same value, and
/// the mappings that leaves empty.
fn remove_same(values: &mut Values, own: &Values) {
    for (key, theirs) in own {
        let Some(ours) = values.get_mut(key) else {
            continue;
        };
        match (ours, theirs) {
            (Value::Object(ours), Value::Object(theirs)) => {
                remove_same(ours, theirs);
                if ours.is_empty() {
                    values.remove(key);
                }
            }
            (ours, theirs) if ours == theirs => {
                values.remove(key);
            }
            _ => {}
        }
    }
}
