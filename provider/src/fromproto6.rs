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
