//! PlanResourceChange: what apply will do, with every value that can be
//! known now known, and nothing changed yet.
//!
//! - Inputs are validated here (with the provider's organization), so a
//!   bad configuration fails at plan time, naming the attribute.
//! - Unset inputs get their defaults; `id` is `<organization>/<space>`.
//! - `robot_id` and `token_id` keep their state values (as the framework's
//!   UseStateForUnknown does) unless apply will change them: a new
//!   `token_rotation` means a new token, and a null ID in state (Read's
//!   mark for drift) means apply will repair it.
//! - `release_revision`, `agent_version` and `chart_digest` keep their
//!   state values unless apply will install or upgrade the agent: an
//!   `agent` block that asks for another release (`same_release`: not a
//!   reformatted `values` or a new `timeout`), or a null
//!   `release_revision` in state (Read's mark for agent drift). Agent
//!   changes are upgrades in place, never replacements.
//! - `access` blocks are planned as written: a grant added or removed (or
//!   one Read found missing) is an update in place that keeps every ID.
//! - The Space, organization, namespace, Secret and robot cannot change in
//!   place: changing them replaces the connection.

use std::collections::BTreeMap;

use super::agent::same_release;
use super::attributes::{DependsOn, Planned, computed, defaulted_attributes, replacing};
use super::model::missing_organization;
use super::validate::{Known, check};
use crate::cty::{AttributePath, Value};
use crate::diagnostics::Diagnostics;
use crate::provider::config::Registry;

/// PlanResourceChange's request.
pub struct PlanRequest {
    /// The state now (null on create).
    pub prior_state: Value,
    /// Terraform's proposal: configuration merged with prior state (null
    /// on destroy).
    pub proposed_new_state: Value,
    /// The configuration (null on destroy).
    pub config: Value,
}

/// The plan.
pub struct PlanResponse {
    /// The planned state; unknown where apply decides.
    pub planned_state: Value,
    /// Attributes whose change replaces the connection.
    pub requires_replace: Vec<AttributePath>,
    /// Problems found.
    pub diagnostics: Diagnostics,
}

/// Plans a change. `organization` is the provider's default; `registry`
/// the provider's registry settings.
pub fn plan(
    request: PlanRequest,
    organization: &Known<Option<String>>,
    registry: &Registry,
) -> PlanResponse {
    let Value::Object(mut planned) = request.proposed_new_state else {
        // Destroy: nothing to plan beyond it.
        return PlanResponse {
            planned_state: request.proposed_new_state,
            requires_replace: Vec::new(),
            diagnostics: Diagnostics::default(),
        };
    };
    let config = &request.config;
    if config.attribute("organization").is_null() && *organization == Known::Value(None) {
        return PlanResponse {
            planned_state: Value::Object(planned),
            requires_replace: Vec::new(),
            diagnostics: missing_organization(),
        };
    }
    let (checked, diagnostics) = check(config, organization, registry);
    let Some(checked) = checked.filter(|_| !diagnostics.has_errors()) else {
        return PlanResponse {
            planned_state: Value::Object(planned),
            requires_replace: Vec::new(),
            diagnostics,
        };
    };
    let spec = &checked.spec;

    for (name, default) in defaulted_attributes() {
        if config.attribute(name).is_null() {
            let known = match default.depends_on {
                DependsOn::Nothing => true,
                DependsOn::Space => checked.space_known,
                DependsOn::Organization => checked.organization_known,
            };
            let value = if known {
                (default.value)(spec)
            } else {
                Value::Unknown
            };
            planned.insert(name.to_owned(), value);
        }
    }
    let prior = &request.prior_state;
    let requires_replace: Vec<AttributePath> = if prior.is_null() {
        Vec::new()
    } else {
        replacing()
            .filter(|declared| {
                planned.get(declared.name).unwrap_or(&Value::Null) != prior.attribute(declared.name)
            })
            .map(|declared| AttributePath::root(declared.name))
            .collect()
    };
    let kept = Kept::new(&planned, prior, !requires_replace.is_empty());
    for (name, rule) in computed() {
        let value = kept.value(name, rule, &planned);
        planned.insert(name.to_owned(), value);
    }

    PlanResponse {
        planned_state: Value::Object(planned),
        requires_replace,
        diagnostics,
    }
}

/// What apply will keep of the prior state.
struct Kept<'a> {
    prior: &'a Value,
    /// The robot: there is one, and the connection is not replaced.
    robot: bool,
    /// The token too: and `token_rotation` is the same.
    token: bool,
    /// The agent's release: the `agent` block asks for the same release
    /// and Read found no drift in it.
    release: bool,
}

impl<'a> Kept<'a> {
    fn new(planned: &BTreeMap<String, Value>, prior: &'a Value, replacing: bool) -> Self {
        let known = |name: &str| prior.attribute(name).as_str().is_some();
        let same = |name: &str| planned.get(name).unwrap_or(&Value::Null) == prior.attribute(name);
        let in_place = !prior.is_null() && !replacing;
        let robot = in_place && known("robot_id");
        Self {
            prior,
            robot,
            token: robot && known("token_id") && same("token_rotation"),
            release: in_place
                && same_release(
                    planned.get("agent").unwrap_or(&Value::Null),
                    prior.attribute("agent"),
                )
                && !prior.attribute("release_revision").is_null(),
        }
    }

    /// What the plan shows for computed attribute `name`.
    fn value(&self, name: &str, rule: Planned, planned: &BTreeMap<String, Value>) -> Value {
        let prior_if = |kept: bool| {
            if kept {
                self.prior.attribute(name).clone()
            } else {
                Value::Unknown
            }
        };
        match rule {
            Planned::Id => match (planned.get("organization"), planned.get("space")) {
                (Some(Value::String(organization)), Some(Value::String(space))) => {
                    Value::String(format!("{}/{}", organization.trim(), space.trim()))
                }
                _ => Value::Unknown,
            },
            Planned::UnlessReplaced => prior_if(self.robot),
            Planned::UnlessNewToken => prior_if(self.token),
            Planned::UnlessNewRelease => prior_if(self.release),
            Planned::Null => Value::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::space_connection::access::Access;
    use crate::resource::space_connection::agent::Agent;
    use crate::resource::space_connection::model::SpaceConnection;

    fn acme() -> Known<Option<String>> {
        Known::Value(Some("acme".to_owned()))
    }

    fn config(space: &str) -> SpaceConnection {
        SpaceConnection {
            space: space.to_owned(),
            ..SpaceConnection::default()
        }
    }

    /// Terraform's proposal: the configuration, with computed attributes
    /// the configuration leaves unset taken from the prior state.
    fn proposed(config: &SpaceConnection, prior: Option<&SpaceConnection>) -> Value {
        let mut proposed = config.clone();
        if let Some(prior) = prior {
            proposed.id = prior.id.clone();
            proposed.robot_id = prior.robot_id.clone();
            proposed.token_id = prior.token_id.clone();
            proposed.release_revision = prior.release_revision;
            proposed.agent_version = prior.agent_version.clone();
            proposed.chart_digest = prior.chart_digest.clone();
            let keep = |mine: &mut Option<String>, theirs: &Option<String>| {
                if mine.is_none() {
                    mine.clone_from(theirs);
                }
            };
            keep(&mut proposed.organization, &prior.organization);
            keep(&mut proposed.namespace, &prior.namespace);
            keep(&mut proposed.token_secret_name, &prior.token_secret_name);
            keep(&mut proposed.robot_name, &prior.robot_name);
            keep(&mut proposed.robot_description, &prior.robot_description);
            keep(&mut proposed.space_record, &prior.space_record);
            proposed.skip_space_check = proposed.skip_space_check.or(prior.skip_space_check);
            proposed.cloud_only_destroy = proposed.cloud_only_destroy.or(prior.cloud_only_destroy);
        }
        proposed.to_value()
    }

    fn run(config: &SpaceConnection, prior: Option<&SpaceConnection>) -> PlanResponse {
        plan(
            PlanRequest {
                prior_state: prior.map_or(Value::Null, SpaceConnection::to_value),
                proposed_new_state: proposed(config, prior),
                config: config.to_value(),
            },
            &acme(),
            &Registry::default(),
        )
    }

    /// The state a create of `config` leaves.
    fn created(config: &SpaceConnection) -> SpaceConnection {
        let planned = run(config, None).planned_state;
        let mut state = SpaceConnection::from_value(&planned);
        state.robot_id = Some("robot-1".to_owned());
        state.token_id = Some("token-1".to_owned());
        state.release_revision = Some(1);
        state.agent_version = Some("1.0.0".to_owned());
        state.chart_digest = Some("sha256:abc".to_owned());
        state
    }

    #[test]
    fn create_fills_defaults_and_leaves_ids_to_apply() {
        let response = run(&config("dev"), None);
        assert!(
            !response.diagnostics.has_errors(),
            "{:?}",
            response.diagnostics
        );
        let planned = &response.planned_state;
        assert_eq!(
            planned.attribute("id"),
            &Value::String("acme/dev".to_owned())
        );
        assert_eq!(
            planned.attribute("organization"),
            &Value::String("acme".to_owned())
        );
        assert_eq!(
            planned.attribute("namespace"),
            &Value::String("upbound-system".to_owned())
        );
        assert_eq!(
            planned.attribute("token_secret_name"),
            &Value::String("connect-token".to_owned())
        );
        assert_eq!(
            planned.attribute("robot_name"),
            &Value::String("dev".to_owned())
        );
        assert_eq!(
            planned.attribute("space_record"),
            &Value::String("agent".to_owned())
        );
        assert_eq!(planned.attribute("skip_space_check"), &Value::Bool(false));
        assert_eq!(planned.attribute("robot_id"), &Value::Unknown);
        assert_eq!(planned.attribute("token_id"), &Value::Unknown);
        assert!(response.requires_replace.is_empty());
    }

    #[test]
    fn an_unchanged_configuration_plans_the_prior_state() {
        let state = created(&config("dev"));
        let response = run(&config("dev"), Some(&state));
        assert_eq!(response.planned_state, state.to_value());
        assert!(response.requires_replace.is_empty());
    }

    #[test]
    fn a_new_rotation_trigger_plans_a_new_token_only() {
        let state = created(&config("dev"));
        let rotated = SpaceConnection {
            token_rotation: Some("2026-11".to_owned()),
            ..config("dev")
        };
        let planned = run(&rotated, Some(&state)).planned_state;
        assert_eq!(
            planned.attribute("robot_id"),
            &Value::String("robot-1".to_owned())
        );
        assert_eq!(planned.attribute("token_id"), &Value::Unknown);
    }

    #[test]
    fn drift_read_as_a_null_id_plans_a_repair() {
        let mut state = created(&config("dev"));
        state.token_id = None;
        let planned = run(&config("dev"), Some(&state)).planned_state;
        assert_eq!(planned.attribute("token_id"), &Value::Unknown);
        assert_ne!(planned, state.to_value());
    }

    #[test]
    fn a_new_agent_version_plans_an_upgrade_in_place() {
        let state = created(&config("dev"));
        let upgraded = SpaceConnection {
            agent: Some(Agent {
                version: Some("2.0.0".to_owned()),
                ..Agent::default()
            }),
            ..config("dev")
        };
        let response = run(&upgraded, Some(&state));
        assert!(response.requires_replace.is_empty());
        let planned = &response.planned_state;
        for name in ["release_revision", "agent_version", "chart_digest"] {
            assert_eq!(planned.attribute(name), &Value::Unknown, "{name}");
        }
        assert_eq!(
            planned.attribute("token_id"),
            &Value::String("token-1".to_owned())
        );
    }

    #[test]
    fn agent_drift_read_as_a_null_revision_plans_a_repair() {
        let mut state = created(&config("dev"));
        state.release_revision = None;
        let planned = run(&config("dev"), Some(&state)).planned_state;
        assert_eq!(planned.attribute("release_revision"), &Value::Unknown);
        assert_eq!(
            planned.attribute("token_id"),
            &Value::String("token-1".to_owned())
        );
    }

    #[test]
    fn a_bad_agent_timeout_fails_the_plan_on_its_attribute() {
        let bad = SpaceConnection {
            agent: Some(Agent {
                timeout: Some("forever".to_owned()),
                ..Agent::default()
            }),
            ..config("dev")
        };
        let response = run(&bad, None);
        assert_eq!(
            response.diagnostics.0[0].attribute,
            Some(AttributePath::root("agent").attribute("timeout"))
        );
    }

    #[test]
    fn a_new_grant_is_an_update_in_place_that_keeps_the_ids() {
        let state = created(&config("dev"));
        let granted = SpaceConnection {
            access: vec![Access {
                subject: "upbound:user:alice".to_owned(),
                level: "view".to_owned(),
                group: None,
            }],
            ..config("dev")
        };
        let response = run(&granted, Some(&state));
        assert!(!response.diagnostics.has_errors());
        assert!(response.requires_replace.is_empty());
        let planned = SpaceConnection::from_value(&response.planned_state);
        assert_eq!(planned.access, granted.access);
        assert_eq!(planned.token_id, state.token_id);
        assert_eq!(planned.release_revision, state.release_revision);
    }

    #[test]
    fn a_bad_grant_fails_the_plan_on_its_attribute() {
        let bad = SpaceConnection {
            access: vec![
                Access {
                    subject: "upbound:user:alice".to_owned(),
                    level: "view".to_owned(),
                    group: None,
                },
                Access {
                    subject: "alice".to_owned(),
                    level: "owner".to_owned(),
                    group: None,
                },
            ],
            ..config("dev")
        };
        let paths: Vec<_> = run(&bad, None)
            .diagnostics
            .0
            .into_iter()
            .filter_map(|diagnostic| diagnostic.attribute)
            .collect();
        let grant = AttributePath::root("access").index(1);
        assert_eq!(
            paths,
            [grant.clone().attribute("subject"), grant.attribute("level")]
        );
    }

    #[test]
    fn renaming_the_space_replaces_the_connection() {
        let state = created(&config("dev"));
        let response = run(&config("prod"), Some(&state));
        assert!(
            response
                .requires_replace
                .contains(&AttributePath::root("space"))
        );
        assert!(
            response
                .requires_replace
                .contains(&AttributePath::root("robot_name"))
        );
        assert_eq!(
            response.planned_state.attribute("robot_id"),
            &Value::Unknown
        );
    }

    #[test]
    fn unknown_space_leaves_what_derives_from_it_unknown() {
        let mut value = config("dev").to_value();
        if let Value::Object(attributes) = &mut value {
            attributes.insert("space".to_owned(), Value::Unknown);
        }
        let response = plan(
            PlanRequest {
                prior_state: Value::Null,
                proposed_new_state: value.clone(),
                config: value,
            },
            &acme(),
            &Registry::default(),
        );
        assert!(!response.diagnostics.has_errors());
        let planned = &response.planned_state;
        assert_eq!(planned.attribute("id"), &Value::Unknown);
        assert_eq!(planned.attribute("robot_name"), &Value::Unknown);
        assert_eq!(
            planned.attribute("namespace"),
            &Value::String("upbound-system".to_owned())
        );
    }

    #[test]
    fn no_organization_anywhere_is_an_error_on_organization() {
        let response = plan(
            PlanRequest {
                prior_state: Value::Null,
                proposed_new_state: config("dev").to_value(),
                config: config("dev").to_value(),
            },
            &Known::Value(None),
            &Registry::default(),
        );
        assert_eq!(
            response.diagnostics.0[0].attribute,
            Some(AttributePath::root("organization"))
        );
    }

    #[test]
    fn destroy_plans_null() {
        let state = created(&config("dev"));
        let response = plan(
            PlanRequest {
                prior_state: state.to_value(),
                proposed_new_state: Value::Null,
                config: Value::Null,
            },
            &acme(),
            &Registry::default(),
        );
        assert_eq!(response.planned_state, Value::Null);
    }
}
