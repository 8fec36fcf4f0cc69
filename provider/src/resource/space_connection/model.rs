//! The resource's values as typed fields, and how they become the
//! engine's inputs. Used where values are known (apply, read, import);
//! planning works on cty values because they may be unknown.

use std::collections::BTreeMap;

use upbound_connect::cluster::ClusterAccess;
use upbound_connect::spec::{ConnectionInput, ConnectionSpec, SpaceRecordMode};
use upbound_connect::state::Connection;

use super::access::{Access, BLOCK as ACCESS};
use super::agent::Agent;
use super::attributes::blocks::CLUSTER;
use super::attributes::defaulted_attributes;
use crate::cty::{AttributePath, Number, Value};
use crate::diagnostics::Diagnostics;
use crate::provider::config::Registry;
use crate::provider::config::{cluster_access, process_environment};

/// One `upbound_space_connection`, known.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpaceConnection {
    /// `organization/space`.
    pub id: Option<String>,
    /// The Space.
    pub space: String,
    /// The organization.
    pub organization: Option<String>,
    /// The namespace.
    pub namespace: Option<String>,
    /// The token Secret's name.
    pub token_secret_name: Option<String>,
    /// The robot's name.
    pub robot_name: Option<String>,
    /// The robot's description.
    pub robot_description: Option<String>,
    /// `agent` or `engine`.
    pub space_record: Option<String>,
    /// The rotation trigger.
    pub token_rotation: Option<String>,
    /// Skip the Spaces pre-flight check.
    pub skip_space_check: Option<bool>,
    /// Destroy even when the cluster is gone.
    pub cloud_only_destroy: Option<bool>,
    /// The robot's ID.
    pub robot_id: Option<String>,
    /// The token's ID.
    pub token_id: Option<String>,
    /// The `agent` block (`None`: the agent with its defaults).
    pub agent: Option<Agent>,
    /// Helm release `agent`'s revision.
    pub release_revision: Option<u32>,
    /// The installed agent chart's version.
    pub agent_version: Option<String>,
    /// The installed agent chart's OCI manifest digest.
    pub chart_digest: Option<String>,
    /// The `access` blocks: every Hub RBAC grant of the connection.
    pub access: Vec<Access>,
    /// The `cluster` block as written (null: the provider's cluster).
    pub cluster: Value,
    /// The repairs due that no other attribute shows (empty: none).
    pub repairs: Vec<String>,
}

/// The names of the `space_record` modes.
pub const SPACE_RECORD_MODES: [(&str, SpaceRecordMode); 2] = [
    ("agent", SpaceRecordMode::Agent),
    ("engine", SpaceRecordMode::Engine),
];

/// The mode named `name`, or a diagnostic on `space_record`.
pub fn space_record_mode(name: &str) -> Result<SpaceRecordMode, Diagnostics> {
    SPACE_RECORD_MODES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, mode)| *mode)
        .ok_or_else(|| {
            let mut diagnostics = Diagnostics::default();
            diagnostics.error(
                "Invalid space_record",
                format!("{name:?} is not a mode: use \"agent\" (the agent registers the Space) or \"engine\" (this resource creates the record)."),
                Some(AttributePath::root("space_record")),
            );
            diagnostics
        })
}

/// The name of `mode`, as `space_record` spells it.
pub fn mode_name(mode: SpaceRecordMode) -> &'static str {
    SPACE_RECORD_MODES
        .iter()
        .find(|(_, known)| *known == mode)
        .map_or("agent", |(name, _)| name)
}

impl SpaceConnection {
    /// Reads a (known) resource value; unknown or null fields are `None`.
    pub fn from_value(value: &Value) -> Self {
        let text = |name: &str| value.attribute(name).as_str().map(str::to_owned);
        let flag = |name: &str| value.attribute(name).as_bool();
        Self {
            id: text("id"),
            space: text("space").unwrap_or_default(),
            organization: text("organization"),
            namespace: text("namespace"),
            token_secret_name: text("token_secret_name"),
            robot_name: text("robot_name"),
            robot_description: text("robot_description"),
            space_record: text("space_record"),
            token_rotation: text("token_rotation"),
            skip_space_check: flag("skip_space_check"),
            cloud_only_destroy: flag("cloud_only_destroy"),
            robot_id: text("robot_id"),
            token_id: text("token_id"),
            agent: Agent::from_value(value.attribute("agent")),
            release_revision: match value.attribute("release_revision") {
                Value::Number(Number::Int(revision)) => u32::try_from(*revision).ok(),
                _ => None,
            },
            agent_version: text("agent_version"),
            chart_digest: text("chart_digest"),
            access: Access::list_from_value(value.attribute(ACCESS)),
            cluster: value.attribute(CLUSTER).clone(),
            repairs: match value.attribute("repairs") {
                Value::List(repairs) => repairs
                    .iter()
                    .filter_map(|repair| repair.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            },
        }
    }

    /// The resource value.
    pub fn to_value(&self) -> Value {
        let text = |value: &Option<String>| Value::string_or_null(value.clone());
        let flag = |value: Option<bool>| value.map_or(Value::Null, Value::Bool);
        let attributes: BTreeMap<String, Value> = [
            ("id", text(&self.id)),
            ("space", Value::String(self.space.clone())),
            ("organization", text(&self.organization)),
            ("namespace", text(&self.namespace)),
            ("token_secret_name", text(&self.token_secret_name)),
            ("robot_name", text(&self.robot_name)),
            ("robot_description", text(&self.robot_description)),
            ("space_record", text(&self.space_record)),
            ("token_rotation", text(&self.token_rotation)),
            ("skip_space_check", flag(self.skip_space_check)),
            ("cloud_only_destroy", flag(self.cloud_only_destroy)),
            ("robot_id", text(&self.robot_id)),
            ("token_id", text(&self.token_id)),
            (
                "agent",
                self.agent.as_ref().map_or(Value::Null, Agent::to_value),
            ),
            (
                "release_revision",
                self.release_revision.map_or(Value::Null, |revision| {
                    Value::Number(Number::Int(revision.into()))
                }),
            ),
            ("agent_version", text(&self.agent_version)),
            ("chart_digest", text(&self.chart_digest)),
            (ACCESS, Access::list_to_value(&self.access)),
            (CLUSTER, self.cluster.clone()),
            (
                "repairs",
                if self.repairs.is_empty() {
                    Value::Null
                } else {
                    Value::List(self.repairs.iter().cloned().map(Value::String).collect())
                },
            ),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        Value::Object(attributes)
    }

    /// The engine's inputs, with `organization` (the resource's, else the
    /// provider's) and the provider's `registry`; the problems found on the
    /// way (a bad `space_record`, a bad `agent.timeout`) come with them, so
    /// the engine still judges every other input.
    pub fn input(
        &self,
        organization: String,
        registry: &Registry,
    ) -> (ConnectionInput, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let space_record = match &self.space_record {
            Some(name) => space_record_mode(name).unwrap_or_else(|problems| {
                diagnostics.extend(problems);
                SpaceRecordMode::default()
            }),
            None => SpaceRecordMode::default(),
        };
        let (agent, problems) = self.agent.clone().unwrap_or_default().input();
        diagnostics.extend(problems);
        let input = ConnectionInput {
            space: self.space.clone(),
            organization,
            namespace: self.namespace.clone(),
            token_secret_name: self.token_secret_name.clone(),
            robot_name: self.robot_name.clone(),
            robot_description: self.robot_description.clone(),
            license_json: registry.license_json.clone(),
            registry: registry.host.clone(),
            token_rotation: self.token_rotation.clone(),
            space_record,
            skip_space_check: self.skip_space_check.unwrap_or(false),
            adopt_robot: false,
            agent: Some(agent),
            access: Some(self.access.iter().map(Access::input).collect()),
        };
        (input, diagnostics)
    }

    /// The same connection with every unset input filled in from `spec`
    /// (values set in configuration stay exactly as written), by the
    /// defaults `attributes` declares.
    pub fn with_defaults(self, spec: &ConnectionSpec) -> Self {
        let Value::Object(mut attributes) = self.to_value() else {
            return self;
        };
        for (name, default) in defaulted_attributes() {
            let value = attributes.entry(name.to_owned()).or_insert(Value::Null);
            if value.is_null() {
                *value = (default.value)(spec);
            }
        }
        Self::from_value(&Value::Object(attributes))
    }

    /// How to reach this connection's cluster: its `cluster` block, else
    /// the provider's.
    pub fn cluster_access(&self, provider: &ClusterAccess) -> ClusterAccess {
        if self.cluster.is_null() {
            provider.clone()
        } else {
            cluster_access(&self.cluster, &process_environment)
        }
    }

    /// The same connection with the IDs and the agent release `connection`
    /// records.
    pub fn with_connection(mut self, connection: &Connection) -> Self {
        self.id = Some(connection.id());
        self.robot_id = connection.robot_id.clone();
        self.token_id = connection.token_id.clone();
        self.release_revision = connection.release_revision;
        self.agent_version = connection.agent_version.clone();
        self.chart_digest = connection.chart_digest.clone();
        self
    }
}

/// The diagnostic for a connection without an organization.
pub fn missing_organization() -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "No organization",
        "Set `organization` on the resource, or `upbound.organization` in the provider block, or UPBOUND_ORGANIZATION.",
        Some(AttributePath::root("organization")),
    );
    diagnostics
}
