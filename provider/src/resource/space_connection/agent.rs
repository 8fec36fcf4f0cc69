//! The `agent` block: the Connect agent's Helm release as written, and how
//! it becomes the engine's [`AgentInput`]. An absent block is the agent
//! with every default, never "no agent": a connected Space needs it.

use std::collections::BTreeMap;

use upbound_connect::helm::values::parse_yaml;
use upbound_connect::spec::{AgentField, AgentInput, DEFAULT_AGENT_VERSION, Field, parse_duration};

use crate::cty::Value;
use crate::diagnostics::Diagnostics;

/// The `agent` block's values; unset (or not yet known) fields are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agent {
    /// `oci://HOST/PATH/NAME`, or a local chart directory or `.tgz`.
    pub chart: Option<String>,
    /// The chart version.
    pub version: Option<String>,
    /// Extra chart values as YAML.
    pub values: Option<String>,
    /// `image.repository`.
    pub image_repository: Option<String>,
    /// `registration.image.repository`.
    pub registration_image_repository: Option<String>,
    /// `imagePullSecrets`.
    pub image_pull_secrets: Option<Vec<String>>,
    /// `registration.enabled`.
    pub registration_enabled: Option<bool>,
    /// How long install and upgrade may take, as a duration string.
    pub timeout: Option<String>,
    /// Wait for the agent to be ready.
    pub wait: Option<bool>,
    /// Take over objects and fields others own.
    pub take_ownership: Option<bool>,
    /// Roll a failed upgrade back, as `helm --atomic`.
    pub atomic: Option<bool>,
}

impl Agent {
    /// Reads the block (`None` when it is absent); values not known yet
    /// read as unset, so they are judged only once known.
    pub fn from_value(value: &Value) -> Option<Self> {
        if !matches!(value, Value::Object(_)) {
            return None;
        }
        let text = |name: &str| value.attribute(name).as_str().map(str::to_owned);
        let flag = |name: &str| value.attribute(name).as_bool();
        let image_pull_secrets = match value.attribute("image_pull_secrets") {
            Value::List(names) => Some(
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect(),
            ),
            _ => None,
        };
        Some(Self {
            chart: text("chart"),
            version: text("version"),
            values: text("values"),
            image_repository: text("image_repository"),
            registration_image_repository: text("registration_image_repository"),
            image_pull_secrets,
            registration_enabled: flag("registration_enabled"),
            timeout: text("timeout"),
            wait: flag("wait"),
            take_ownership: flag("take_ownership"),
            atomic: flag("atomic"),
        })
    }

    /// The block's value.
    pub fn to_value(&self) -> Value {
        let text = |value: &Option<String>| Value::string_or_null(value.clone());
        let flag = |value: Option<bool>| value.map_or(Value::Null, Value::Bool);
        let image_pull_secrets = self
            .image_pull_secrets
            .as_ref()
            .map_or(Value::Null, |names| {
                Value::List(names.iter().cloned().map(Value::String).collect())
            });
        let attributes: BTreeMap<String, Value> = [
            ("chart", text(&self.chart)),
            ("version", text(&self.version)),
            ("values", text(&self.values)),
            ("image_repository", text(&self.image_repository)),
            (
                "registration_image_repository",
                text(&self.registration_image_repository),
            ),
            ("image_pull_secrets", image_pull_secrets),
            ("registration_enabled", flag(self.registration_enabled)),
            ("timeout", text(&self.timeout)),
            ("wait", flag(self.wait)),
            ("take_ownership", flag(self.take_ownership)),
            ("atomic", flag(self.atomic)),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        Value::Object(attributes)
    }

    /// The engine's input, and an error on `agent.timeout` when it is not
    /// a duration (the input then has the default timeout, so the engine
    /// still judges every other field).
    pub fn input(&self) -> (AgentInput, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let timeout = self.timeout.as_deref().and_then(|text| {
            parse_duration(Field::Agent(AgentField::Timeout), text)
                .map_err(|problem| super::field_diagnostic(&mut diagnostics, &problem))
                .ok()
        });
        let input = AgentInput {
            chart: self.chart.clone(),
            version: self.version.clone(),
            values_yaml: self.values.clone(),
            image_repository: self.image_repository.clone(),
            registration_image_repository: self.registration_image_repository.clone(),
            image_pull_secrets: self.image_pull_secrets.clone(),
            registration_enabled: self.registration_enabled,
            wait: self.wait,
            timeout,
            take_ownership: self.take_ownership.unwrap_or(false),
            atomic: self.atomic.unwrap_or(false),
        };
        (input, diagnostics)
    }
}

/// Whether two `agent` block values (either may be null, none may hold
/// unknowns) ask for the same release: the same chart, version, values
/// (compared as read, so formatting them otherwise changes nothing),
/// images, pull Secrets and registration; an unset version is the
/// default one. `wait`, `timeout`, `atomic` and
/// `take_ownership` say how apply installs, never what: changing only
/// them upgrades nothing.
pub fn same_release(one: &Value, other: &Value) -> bool {
    if one == other {
        return true;
    }
    if !one.is_wholly_known() || !other.is_wholly_known() {
        return false;
    }
    let release = |value: &Value| {
        let agent = Agent::from_value(value).unwrap_or_default();
        let values = agent
            .values
            .as_deref()
            .map(|yaml| parse_yaml(yaml.as_bytes()).map_err(|_| yaml.to_owned()))
            .filter(|values| values.as_ref().map_or(true, |values| !values.is_empty()));
        (
            agent.chart,
            agent
                .version
                .unwrap_or_else(|| DEFAULT_AGENT_VERSION.to_owned()),
            values,
            agent.image_repository,
            agent.registration_image_repository,
            agent.image_pull_secrets,
            agent.registration_enabled,
        )
    };
    release(one) == release(other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::AttributePath;

    #[test]
    fn a_bad_timeout_points_at_agent_timeout() {
        let agent = Agent {
            timeout: Some("soon".to_owned()),
            ..Agent::default()
        };
        let (_, diagnostics) = agent.input();
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("agent").attribute("timeout"))
        );
    }

    #[test]
    fn only_what_the_release_is_made_of_changes_it() {
        let agent = |agent: Agent| agent.to_value();
        let pinned = Agent {
            version: Some("1.2.3".to_owned()),
            values: Some("a:\n  b: 1\n".to_owned()),
            ..Agent::default()
        };
        let reformatted = Agent {
            values: Some("\"a\": {\"b\": 1}".to_owned()),
            timeout: Some("2m".to_owned()),
            wait: Some(false),
            ..pinned.clone()
        };
        assert!(same_release(&agent(pinned.clone()), &agent(reformatted)));
        assert!(same_release(&Value::Null, &agent(Agent::default())));
        assert!(same_release(
            &Value::Null,
            &agent(Agent {
                version: Some(DEFAULT_AGENT_VERSION.to_owned()),
                ..Agent::default()
            })
        ));
        assert!(same_release(
            &Value::Null,
            &agent(Agent {
                values: Some("{}".to_owned()),
                ..Agent::default()
            })
        ));
        for changed in [
            Agent {
                version: Some("1.2.4".to_owned()),
                ..pinned.clone()
            },
            Agent {
                values: Some("a:\n  b: 2\n".to_owned()),
                ..pinned.clone()
            },
            Agent {
                registration_enabled: Some(false),
                ..pinned.clone()
            },
        ] {
            assert!(!same_release(&agent(pinned.clone()), &agent(changed)));
        }
        assert!(!same_release(&agent(pinned), &Value::Unknown));
    }

    #[test]
    fn the_block_round_trips() {
        let agent = Agent {
            version: Some("1.2.3".to_owned()),
            image_pull_secrets: Some(vec!["pull".to_owned()]),
            wait: Some(false),
            ..Agent::default()
        };
        assert_eq!(Agent::from_value(&agent.to_value()), Some(agent));
        assert_eq!(Agent::from_value(&Value::Null), None);
    }
}
