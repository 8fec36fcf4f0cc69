//! tfplugin6 messages → our types. A value Terraform sends that does not
//! decode becomes an error diagnostic, never a panic.

use crate::cty::{Type, Value, json, msgpack};
use crate::diagnostics::Diagnostics;
use crate::proto::tfplugin6 as proto;

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
