//! The Connect agent's values, as the seed's manual install sets them:
//!
//! ```text
//! helm upgrade --install agent oci://xpkg.upbound.io/spaces-artifacts/agent \
//!   --set image.repository=… --set registration.image.repository=… \
//!   --set imagePullSecrets[0].name=upbound-pull-secret \
//!   --set registration.enabled=true \
//!   --set space=… --set organization=… --set tokenSecret=connect-token
//! ```
//!
//! Older charts (e.g. `0.0.0-441.g68777b9`) take `space`, `organization` and
//! `tokenSecret` at the top level; newer ones under `global.*`. Which one a
//! chart wants is read from its own `values.yaml`: a `global.space` default
//! means the newer interface.
//!
//! One deliberate difference from `--set`: names are always strings (a
//! Space named `123` stays `"123"`, where `--set space=123` would make it a
//! number).

use serde_json::{Map, Value, json};

use crate::helm::values::Values;

/// What the agent's values are made from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentValuesInput {
    /// The Space's name.
    pub space: String,
    /// The Upbound organization's account name.
    pub organization: String,
    /// The Secret holding the robot token (key `token`).
    pub token_secret: String,
    /// Image pull Secrets for the agent's images, e.g. `upbound-pull-secret`.
    pub pull_secrets: Vec<String>,
    /// Whether the agent registers the Space itself (`registration.enabled`).
    pub registration: bool,
    /// The agent image repository.
    pub image_repository: String,
    /// The registration init-container image repository.
    pub registration_image_repository: String,
    /// `connect.url`, when not the chart's default.
    pub connect_url: Option<String>,
}

/// Where a chart reads the Space, organization and token Secret from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interface {
    /// `space`, `organization`, `tokenSecret` (older charts).
    TopLevel,
    /// `global.space`, `global.organization`, `global.tokenSecret`.
    Global,
}

impl Interface {
    /// The interface a chart's default values (its `values.yaml`) declare.
    pub fn of(chart_values: &Values) -> Self {
        let declares_global_space = chart_values
            .get("global")
            .and_then(Value::as_object)
            .is_some_and(|global| global.contains_key("space"));
        if declares_global_space {
            Self::Global
        } else {
            Self::TopLevel
        }
    }
}

/// The user values (a release's `config`) for the agent chart whose default
/// values are `chart_values`.
pub fn agent_values(chart_values: &Values, input: &AgentValuesInput) -> Values {
    let identity: Values = [
        ("space", &input.space),
        ("organization", &input.organization),
        ("tokenSecret", &input.token_secret),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_owned(), Value::String(value.clone())))
    .collect();
    let mut values = Map::new();
    values.insert(
        "image".to_owned(),
        json!({ "repository": input.image_repository }),
    );
    values.insert(
        "registration".to_owned(),
        json!({
            "enabled": input.registration,
            "image": { "repository": input.registration_image_repository },
        }),
    );
    if !input.pull_secrets.is_empty() {
        let secrets = input
            .pull_secrets
            .iter()
            .map(|name| json!({ "name": name }))
            .collect();
        values.insert("imagePullSecrets".to_owned(), Value::Array(secrets));
    }
    if let Some(url) = &input.connect_url {
        values.insert("connect".to_owned(), json!({ "url": url }));
    }
    match Interface::of(chart_values) {
        Interface::Global => {
            values.insert("global".to_owned(), Value::Object(identity));
        }
        Interface::TopLevel => values.extend(identity),
    }
    values
}
