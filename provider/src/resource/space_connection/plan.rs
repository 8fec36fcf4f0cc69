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
//! - The Space, organization, namespace, Secret and robot cannot change in
//!   place: changing them replaces the connection.

use std::collections::BTreeMap;

use upbound_connect::Secret;

use super::model::{missing_organization, mode_name};
use super::validate::{Known, check};
use crate::cty::{AttributePath, Value};
use crate::diagnostics::Diagnostics;

/// Inputs whose change replaces the connection.
const REPLACE_ON_CHANGE: [&str; 6] = [
    "space",
    "organization",
    "namespace",
    "token_secret_name",
    "robot_name",
    "robot_description",
];

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

/// Plans a change. `organization` is the provider's default;
/// `license_json` the provider's registry credentials.
pub fn plan(
    request: PlanRequest,
    organization: &Known<Option<String>>,
    license_json: Option<Secret>,
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
    let (checked, diagnostics) = check(config, organization, license_json);
    let Some(checked) = checked.filter(|_| !diagnostics.has_errors()) else {
        return PlanResponse {
            planned_state: Value::Object(planned),
            requires_replace: Vec::new(),
            diagnostics,
        };
    };
    let spec = &checked.spec;

    let text = |known: bool, value: &str| {
        if known {
            Value::String(value.to_owned())
        } else {
            Value::Unknown
        }
    };
    let defaults = [
        (
            "organization",
            text(checked.organization_known, &spec.organization),
        ),
        ("namespace", Value::String(spec.namespace.clone())),
        (
            "token_secret_name",
            Value::String(spec.token_secret_name.clone()),
        ),
        ("robot_name", text(checked.space_known, &spec.robot_name)),
        (
            "robot_description",
            text(checked.space_known, &spec.robot_description),
        ),
        (
            "space_record",
            Value::String(mode_name(spec.space_record).to_owned()),
        ),
        ("skip_space_check", Value::Bool(spec.skip_space_check)),
        ("cloud_only_destroy", Value::Bool(false)),
    ];
    for (name, default) in defaults {
        if config.attribute(name).is_null() {
            planned.insert(name.to_owned(), default);
        }
    }
    let id = match (planned.get("organization"), planned.get("space")) {
        (Some(Value::String(organization)), Some(Value::String(space))) => {
            Value::String(format!("{}/{}", organization.trim(), space.trim()))
        }
        _ => Value::Unknown,
    };
    planned.insert("id".to_owned(), id);

    let prior = &request.prior_state;
    let requires_replace = if prior.is_null() {
        Vec::new()
    } else {
        REPLACE_ON_CHANGE
            .iter()
            .filter(|name| planned.get(**name).unwrap_or(&Value::Null) != prior.attribute(name))
            .map(|name| AttributePath::root(name))
            .collect()
    };
    let (robot_id, token_id) = kept_ids(&planned, prior, !requires_replace.is_empty());
    planned.insert("robot_id".to_owned(), robot_id);
    planned.insert("token_id".to_owned(), token_id);

    PlanResponse {
        planned_state: Value::Object(planned),
        requires_replace,
        diagnostics,
    }
}

/// The robot and token IDs the plan can promise: the prior ones, unless
/// apply will make new ones.
fn kept_ids(planned: &BTreeMap<String, Value>, prior: &Value, replacing: bool) -> (Value, Value) {
    let known = |value: &Value| value.as_str().is_some();
    if prior.is_null() || replacing {
        return (Value::Unknown, Value::Unknown);
    }
    let robot_id = prior.attribute("robot_id");
    let token_id = prior.attribute("token_id");
    let rotation_kept =
        planned.get("token_rotation").unwrap_or(&Value::Null) == prior.attribute("token_rotation");
    let robot_id = if known(robot_id) {
        robot_id.clone()
    } else {
        Value::Unknown
    };
    let token_id = if known(token_id) && known(&robot_id) && rotation_kept {
        token_id.clone()
    } else {
        Value::Unknown
    };
    (robot_id, token_id)
}
