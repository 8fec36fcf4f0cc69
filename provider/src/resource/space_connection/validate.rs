//! ValidateResourceConfig: the input rules (names, modes, grants), checked on the
//! configuration alone before anything is planned or changed. Values not
//! known yet are checked later, at plan or apply.

use upbound_connect::Secret;
use upbound_connect::engine::EngineError;
use upbound_connect::spec::{ConnectionInput, ConnectionSpec};

use super::access::{self, BLOCK as ACCESS};
use super::agent::Agent;
use super::engine_diagnostics;
use super::model::{CLUSTER, space_record_mode};
use crate::cty::Value;
use crate::diagnostics::Diagnostics;
use crate::provider::config::check_cluster_block;

/// A valid stand-in for a name that is not known yet: it passes every
/// rule, so only known values can fail.
const NOT_YET_KNOWN: &str = "not-yet-known";

/// ValidateResourceConfig's request.
pub struct ValidateRequest {
    /// The configuration (may hold unknowns).
    pub config: Value,
}

/// What validation found.
pub struct ValidateResponse {
    /// Problems, each on its attribute.
    pub diagnostics: Diagnostics,
}

/// Checks the configuration.
pub fn validate(request: ValidateRequest) -> ValidateResponse {
    let (_, mut diagnostics) = check(&request.config, &Known::Value(None), &Registry::default());
    check_cluster_block(request.config.attribute(CLUSTER), CLUSTER, &mut diagnostics);
    ValidateResponse { diagnostics }
}

/// A value that may not be known yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Known<T> {
    /// Known (possibly absent).
    Value(T),
    /// Known only after apply.
    Unknown,
}

/// The configuration checked: the spec with defaults (stand-ins where
/// names are unknown) and which names were known.
pub struct Checked {
    /// The spec.
    pub spec: ConnectionSpec,
    /// Whether `space` was known (the robot's defaults derive from it).
    pub space_known: bool,
    /// Whether the organization was known.
    pub organization_known: bool,
}

/// The provider's registry settings, as far as they are known.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// The licence `token.json`.
    pub license_json: Option<Secret>,
    /// The registry host.
    pub host: Option<String>,
}

/// Checks `config` with `organization` standing in when the resource sets
/// none (the provider's, or `Value(None)` when that is not checked here).
pub fn check(
    config: &Value,
    organization: &Known<Option<String>>,
    registry: &Registry,
) -> (Option<Checked>, Diagnostics) {
    let text = |name: &str| match config.attribute(name) {
        Value::String(text) => Known::Value(Some(text.clone())),
        Value::Unknown => Known::Unknown,
        _ => Known::Value(None),
    };
    let known_or_default = |name: &str| match text(name) {
        Known::Value(value) => value,
        Known::Unknown => None,
    };
    let mut diagnostics = Diagnostics::default();

    let (space, space_known) = match text("space") {
        Known::Value(Some(space)) => (space, true),
        _ => (NOT_YET_KNOWN.to_owned(), false),
    };
    let (organization, organization_known) = match (text("organization"), organization) {
        (Known::Value(Some(organization)), _) => (organization, true),
        (Known::Value(None), Known::Value(Some(organization))) => (organization.clone(), true),
        _ => (NOT_YET_KNOWN.to_owned(), false),
    };
    let space_record = match text("space_record") {
        Known::Value(Some(name)) => match space_record_mode(&name) {
            Ok(mode) => mode,
            Err(problems) => {
                diagnostics.extend(problems);
                Default::default()
            }
        },
        _ => Default::default(),
    };
    let (agent, problems) = Agent::from_value(config.attribute("agent"))
        .unwrap_or_default()
        .input();
    diagnostics.extend(problems);
    let input = ConnectionInput {
        space,
        organization,
        namespace: known_or_default("namespace"),
        token_secret_name: known_or_default("token_secret_name"),
        robot_name: known_or_default("robot_name"),
        robot_description: known_or_default("robot_description"),
        license_json: registry.license_json.clone(),
        registry: registry.host.clone(),
        token_rotation: known_or_default("token_rotation"),
        space_record,
        skip_space_check: config
            .attribute("skip_space_check")
            .as_bool()
            .unwrap_or(false),
        adopt_robot: false,
        agent: Some(agent),
        access: access::checkable(config.attribute(ACCESS)),
    };
    match input.validate() {
        Ok(spec) => (
            Some(Checked {
                spec,
                space_known,
                organization_known,
            }),
            diagnostics,
        ),
        Err(invalid) => {
            diagnostics.extend(engine_diagnostics(
                "Invalid connection",
                &EngineError::Input(invalid),
            ));
            (None, diagnostics)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::cty::AttributePath;

    fn config(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn bad_names_point_at_their_attributes() {
        let config = config(&[
            ("space", Value::String("My_Space".to_owned())),
            ("namespace", Value::String("-bad".to_owned())),
            ("space_record", Value::String("cloud".to_owned())),
        ]);
        let response = validate(ValidateRequest { config });
        let paths: Vec<_> = response
            .diagnostics
            .0
            .iter()
            .filter_map(|diagnostic| diagnostic.attribute.clone())
            .collect();
        assert!(paths.contains(&AttributePath::root("space")), "{paths:?}");
        assert!(
            paths.contains(&AttributePath::root("namespace")),
            "{paths:?}"
        );
        assert!(
            paths.contains(&AttributePath::root("space_record")),
            "{paths:?}"
        );
    }

    #[test]
    fn bad_agent_settings_point_into_the_agent_block() {
        let agent = config(&[
            ("values", Value::String("a: [".to_owned())),
            (
                "image_pull_secrets",
                Value::List(vec![Value::String("Bad_Name".to_owned())]),
            ),
        ]);
        let config = config(&[("space", Value::String("dev".to_owned())), ("agent", agent)]);
        let paths: Vec<_> = validate(ValidateRequest { config })
            .diagnostics
            .0
            .into_iter()
            .filter_map(|diagnostic| diagnostic.attribute)
            .collect();
        for name in ["values", "image_pull_secrets"] {
            let path = AttributePath::root("agent").attribute(name);
            assert!(paths.contains(&path), "{path}: {paths:?}");
        }
    }

    #[test]
    fn unknown_values_are_not_judged_yet() {
        let config = config(&[("space", Value::Unknown), ("robot_name", Value::Unknown)]);
        assert!(
            !validate(ValidateRequest { config })
                .diagnostics
                .has_errors()
        );
    }
}
