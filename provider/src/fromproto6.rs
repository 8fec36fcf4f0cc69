//! tfplugin6 messages → our types. A value Terraform sends that does not
//! decode becomes an error diagnostic, never a panic.

use crate::cty::{Type, Value, json, msgpack};
use crate::diagnostics::Diagnostics;
use crate::proto::tfplugin6 as proto;
use crate::resource::space_connection::{self as resource, ApplyRequest, plan, read, validate};

/// The resource's cty type.
pub fn resource_type() -> Type {
    resource::schema::schema().block.ty()
}

/// The provider block's cty type.
pub fn provider_type() -> Type {
    crate::provider::schema::schema().block.ty()
}

/// The provider configuration of ValidateProviderConfig and
/// ConfigureProvider.
pub fn provider_config(config: Option<&proto::DynamicValue>) -> Result<Value, Diagnostics> {
    dynamic_value(config, &provider_type(), "provider configuration")
}

/// ValidateResourceConfig's request.
pub fn validate_request(
    request: &proto::validate_resource_config::Request,
) -> Result<validate::ValidateRequest, Diagnostics> {
    Ok(validate::ValidateRequest {
        config: resource_value(
            &request.type_name,
            request.config.as_ref(),
            "resource configuration",
        )?,
    })
}

/// ReadResource's request.
pub fn read_request(
    request: &proto::read_resource::Request,
) -> Result<read::ReadRequest, Diagnostics> {
    Ok(read::ReadRequest {
        current_state: resource_value(
            &request.type_name,
            request.current_state.as_ref(),
            "current state",
        )?,
    })
}

/// PlanResourceChange's request.
pub fn plan_request(
    request: &proto::plan_resource_change::Request,
) -> Result<plan::PlanRequest, Diagnostics> {
    let ty = resource_type();
    Ok(plan::PlanRequest {
        prior_state: resource_value(
            &request.type_name,
            request.prior_state.as_ref(),
            "prior state",
        )?,
        proposed_new_state: dynamic_value(
            request.proposed_new_state.as_ref(),
            &ty,
            "proposed new state",
        )?,
        config: dynamic_value(request.config.as_ref(), &ty, "configuration")?,
    })
}

/// ApplyResourceChange's request.
pub fn apply_request(
    request: &proto::apply_resource_change::Request,
) -> Result<ApplyRequest, Diagnostics> {
    Ok(ApplyRequest {
        prior_state: resource_value(
            &request.type_name,
            request.prior_state.as_ref(),
            "prior state",
        )?,
        planned_state: dynamic_value(
            request.planned_state.as_ref(),
            &resource_type(),
            "planned state",
        )?,
    })
}

/// Checks the type name, then decodes a value of the resource's type.
fn resource_value(
    type_name: &str,
    value: Option<&proto::DynamicValue>,
    what: &str,
) -> Result<Value, Diagnostics> {
    resource_type_name(type_name)?;
    dynamic_value(value, &resource_type(), what)
}

/// An error unless `type_name` is the resource's.
pub fn resource_type_name(type_name: &str) -> Result<(), Diagnostics> {
    if type_name == resource::schema::TYPE_NAME {
        return Ok(());
    }
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Unknown resource type",
        format!(
            "This provider has no resource type {type_name:?}; it has `{}`.",
            resource::schema::TYPE_NAME
        ),
        None,
    );
    Err(diagnostics)
}

/// A `DynamicValue` of type `ty`: msgpack when present, else JSON; a
/// missing or empty value is null (as in Terraform's own decoder).
pub fn dynamic_value(
    value: Option<&proto::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    let Some(value) = value else {
        return Ok(Value::Null);
    };
    let decoded = if !value.msgpack.is_empty() {
        msgpack::decode(&value.msgpack, ty).map_err(|error| error.to_string())
    } else {
        json::decode_value(&value.json, ty).map_err(|error| error.to_string())
    };
    decoded.map_err(|problem| undecodable(what, &problem))
}

/// Stored state (`raw_state.json`) read with the current type.
pub fn raw_state(raw: Option<&proto::RawState>, ty: &Type) -> Result<Value, Diagnostics> {
    let Some(raw) = raw else {
        return Ok(Value::Null);
    };
    if raw.json.is_empty() && !raw.flatmap.is_empty() {
        return Err(undecodable(
            "stored state",
            "it is in the legacy flatmap format, which this provider never wrote",
        ));
    }
    json::decode_value(&raw.json, ty)
        .map_err(|error| undecodable("stored state", &error.to_string()))
}

fn undecodable(what: &str, problem: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        format!("Cannot decode the {what}"),
        format!("Terraform sent a value the provider cannot read: {problem}."),
        None,
    );
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_value_is_null_and_json_is_a_fallback() {
        assert_eq!(
            dynamic_value(None, &Type::String, "x").unwrap(),
            Value::Null
        );
        let json = proto::DynamicValue {
            msgpack: Vec::new(),
            json: br#""text""#.to_vec(),
        };
        assert_eq!(
            dynamic_value(Some(&json), &Type::String, "x").unwrap(),
            Value::String("text".to_owned())
        );
    }

    #[test]
    fn undecodable_values_are_diagnostics() {
        let broken = proto::DynamicValue {
            msgpack: vec![0xa5, b'a'],
            json: Vec::new(),
        };
        let diagnostics = dynamic_value(Some(&broken), &Type::String, "configuration").unwrap_err();
        assert_eq!(diagnostics.0[0].summary, "Cannot decode the configuration");
        let flatmap = proto::RawState {
            json: Vec::new(),
            flatmap: [("id".to_owned(), "x".to_owned())].into(),
        };
        assert!(raw_state(Some(&flatmap), &Type::String).is_err());
    }
}
