//! cty's JSON forms: type constraints (`"string"`, `["list","string"]`,
//! `["object",{"a":"bool"}]`), which schemas carry, and values, which is how
//! Terraform hands back stored state (`UpgradeResourceState.raw_state`).

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::{Number, Type, Value};

/// JSON that is not a cty type or not a value of the expected type.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all.
    #[error("malformed JSON: {0}")]
    Malformed(#[from] serde_json::Error),
    /// JSON, but not a cty type constraint.
    #[error("not a cty type: {0}")]
    NotAType(String),
    /// A value whose shape does not fit its type.
    #[error("{path}: expected {expected}")]
    Mismatch {
        /// Where.
        path: String,
        /// What the type needs there.
        expected: &'static str,
    },
}

/// The JSON type constraint for `ty`, as schemas carry it.
pub fn type_json(ty: &Type) -> Json {
    match ty {
        Type::Bool => json!("bool"),
        Type::Number => json!("number"),
        Type::String => json!("string"),
        Type::Dynamic => json!("dynamic"),
        Type::List(element) => json!(["list", type_json(element)]),
        Type::Set(element) => json!(["set", type_json(element)]),
        Type::Map(element) => json!(["map", type_json(element)]),
        Type::Object(attributes) => {
            let attributes: serde_json::Map<String, Json> = attributes
                .iter()
                .map(|(name, ty)| (name.clone(), type_json(ty)))
                .collect();
            json!(["object", attributes])
        }
        Type::Tuple(elements) => {
            json!(["tuple", elements.iter().map(type_json).collect::<Vec<_>>()])
        }
    }
}

/// Parses a JSON type constraint.
pub fn parse_type(bytes: &[u8]) -> Result<Type, JsonError> {
    type_from_json(&serde_json::from_slice(bytes)?)
}

fn type_from_json(json: &Json) -> Result<Type, JsonError> {
    let not_a_type = || JsonError::NotAType(json.to_string());
    match json {
        Json::String(name) => match name.as_str() {
            "bool" => Ok(Type::Bool),
            "number" => Ok(Type::Number),
            "string" => Ok(Type::String),
            "dynamic" => Ok(Type::Dynamic),
            _ => Err(not_a_type()),
        },
        Json::Array(parts) => match (parts.first().and_then(Json::as_str), parts.get(1)) {
            (Some("list"), Some(element)) => Ok(Type::List(Box::new(type_from_json(element)?))),
            (Some("set"), Some(element)) => Ok(Type::Set(Box::new(type_from_json(element)?))),
            (Some("map"), Some(element)) => Ok(Type::Map(Box::new(type_from_json(element)?))),
            (Some("object"), Some(Json::Object(attributes))) => attributes
                .iter()
                .map(|(name, ty)| Ok((name.clone(), type_from_json(ty)?)))
                .collect::<Result<_, JsonError>>()
                .map(Type::Object),
            (Some("tuple"), Some(Json::Array(elements))) => elements
                .iter()
                .map(type_from_json)
                .collect::<Result<_, _>>()
                .map(Type::Tuple),
            _ => Err(not_a_type()),
        },
        _ => Err(not_a_type()),
    }
}

/// Decodes a JSON value of type `ty`. Object attributes missing from the
/// JSON are null (stored state from an older schema lacks new ones);
/// attributes the type lacks are dropped (they were removed).
pub fn decode_value(bytes: &[u8], ty: &Type) -> Result<Value, JsonError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    value_from_json(&serde_json::from_slice(bytes)?, ty, "")
}

fn mismatch(path: &str, expected: &'static str) -> JsonError {
    JsonError::Mismatch {
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        },
        expected,
    }
}

fn value_from_json(json: &Json, ty: &Type, path: &str) -> Result<Value, JsonError> {
    match (json, ty) {
        (Json::Null, _) => Ok(Value::Null),
        (Json::Bool(value), Type::Bool) => Ok(Value::Bool(*value)),
        (Json::Number(number), Type::Number) => Ok(Value::Number(match number.as_i64() {
            Some(value) => Number::Int(value),
            None => number
                .as_f64()
                .map(Number::from_f64)
                .ok_or_else(|| mismatch(path, "a number"))?,
        })),
        (Json::String(text), Type::Number) => Number::parse(text)
            .map(Value::Number)
            .ok_or_else(|| mismatch(path, "a number")),
        (Json::String(text), Type::String) => Ok(Value::String(text.clone())),
        (Json::Array(items), Type::List(element) | Type::Set(element)) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(index, item)| value_from_json(item, element, &format!("{path}[{index}]")))
                .collect::<Result<_, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(items)
            } else {
                Value::List(items)
            })
        }
        (Json::Array(items), Type::Tuple(types)) if items.len() == types.len() => items
            .iter()
            .zip(types)
            .enumerate()
            .map(|(index, (item, ty))| value_from_json(item, ty, &format!("{path}[{index}]")))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (Json::Object(items), Type::Map(element)) => items
            .iter()
            .map(|(key, item)| {
                Ok((
                    key.clone(),
                    value_from_json(item, element, &format!("{path}[{key:?}]"))?,
                ))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()
            .map(Value::Map),
        (Json::Object(items), Type::Object(attributes)) => attributes
            .iter()
            .map(|(name, ty)| {
                let item = items.get(name).unwrap_or(&Json::Null);
                Ok((
                    name.clone(),
                    value_from_json(item, ty, &format!("{path}.{name}"))?,
                ))
            })
            .collect::<Result<BTreeMap<_, _>, _>>()
            .map(Value::Object),
        (Json::Object(wrapped), Type::Dynamic) => {
            let ty = type_from_json(wrapped.get("type").unwrap_or(&Json::Null))?;
            value_from_json(wrapped.get("value").unwrap_or(&Json::Null), &ty, path)
        }
        (_, Type::Bool) => Err(mismatch(path, "a bool")),
        (_, Type::Number) => Err(mismatch(path, "a number")),
        (_, Type::String) => Err(mismatch(path, "a string")),
        (_, Type::List(_) | Type::Set(_) | Type::Tuple(_)) => Err(mismatch(path, "an array")),
        (_, Type::Map(_) | Type::Object(_)) => Err(mismatch(path, "an object")),
        (_, Type::Dynamic) => Err(mismatch(path, "{\"value\", \"type\"}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_written_as_terraform_reads_them() {
        let ty = Type::Object(
            [
                ("name".to_owned(), Type::String),
                ("paths".to_owned(), Type::List(Box::new(Type::String))),
            ]
            .into(),
        );
        assert_eq!(type_json(&Type::String).to_string(), r#""string""#);
        assert_eq!(
            type_json(&ty).to_string(),
            r#"["object",{"name":"string","paths":["list","string"]}]"#
        );
        assert_eq!(
            parse_type(type_json(&ty).to_string().as_bytes()).unwrap(),
            ty
        );
        assert!(parse_type(br#"["list"]"#).is_err());
    }

    #[test]
    fn stored_state_fills_new_attributes_and_drops_removed_ones() {
        let ty = Type::Object(
            [
                ("space".to_owned(), Type::String),
                ("skip".to_owned(), Type::Bool),
                ("count".to_owned(), Type::Number),
            ]
            .into(),
        );
        let value = decode_value(br#"{"space":"s","count":2,"gone":true}"#, &ty).unwrap();
        assert_eq!(value.attribute("space"), &Value::String("s".to_owned()));
        assert_eq!(value.attribute("count"), &Value::Number(Number::Int(2)));
        assert_eq!(value.attribute("skip"), &Value::Null);
        assert_eq!(value.attribute("gone"), &Value::Null);
        assert!(decode_value(br#"{"space":1}"#, &ty).is_err());
    }
}
