//! ValidateResourceConfig: the input rules (names, modes, grants), checked on the
//! configuration alone before anything is planned or changed. Values not
//! known yet are checked later, at plan or apply.

use upbound_connect::engine::EngineError;
use upbound_connect::spec::ConnectionSpec;

use super::access::{self, BLOCK as ACCESS};
use super::attributes::blocks::CLUSTER;
use super::engine_diagnostics;
use super::model::SpaceConnection;
use crate::cty::Value;
use crate::diagnostics::Diagnostics;
use crate::provider::config::{Registry, check_cluster_block};

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

/// Checks `config` with `organization` standing in when the resource sets
/// none (the provider's, or `Value(None)` when that is not checked here).
pub fn check(
    config: &Value,
    organization: &Known<Option<String>>,
    registry: &Registry,
) -> (Option<Checked>, Diagnostics) {
    let known = |name: &str| match config.attribute(name) {
        Value::String(text) => Some(text.clone()),
        _ => None,
    };
    let mut connection = SpaceConnection::from_value(config);
    // Unknown names stand in valid, so only known values can fail.
    let space_known = known("space").is_some();
    if !space_known {
        NOT_YET_KNOWN.clone_into(&mut connection.space);
    }
    let (organization, organization_known) = match (known("organization"), organization) {
        (Some(organization), _) => (organization, true),
        (None, Known::Value(Some(organization)))
            if !matches!(config.attribute("organization"), Value::Unknown) =>
        {
            (organization.clone(), true)
        }
        _ => (NOT_YET_KNOWN.to_owned(), false),
    };
    let (mut input, mut diagnostics) = connection.input(organization, registry);
    input.access = access::checkable(config.attribute(ACCESS));
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
