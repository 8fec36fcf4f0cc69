//! cty's msgpack encoding, as go-cty marshals it: null is nil, unknown is
//! an extension (Terraform sends code 0, or 12 for a refined unknown; every
//! code decodes as unknown), objects are maps holding every attribute,
//! numbers are an integer when exact, else a float when exact, else text.

use std::collections::BTreeMap;

use rmpv::Value as Msgpack;

use super::{Number, Type, Value, json};

/// A value that does not fit its type, or bytes that are not msgpack.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The bytes are not msgpack.
    #[error("malformed msgpack: {0}")]
    Malformed(String),
    /// The value does not have the shape its type needs.
    #[error("{path}: expected {expected}")]
    Mismatch {
        /// Where, as `.attribute[index]`.
        path: String,
        /// What the type needs there.
        expected: &'static str,
    },
    /// An object has an attribute its type does not.
    #[error("{path}: unsupported attribute {name:?}")]
    UnsupportedAttribute {
        /// The object's path.
        path: String,
        /// The attribute's name.
        name: String,
    },
    /// A dynamic value's type is not a cty type.
    #[error("{path}: invalid dynamic type: {problem}")]
    DynamicType {
        /// Where.
        path: String,
        /// What is wrong with the type.
        problem: String,
    },
    /// Values of dynamic type are never produced by this provider.
    #[error("{path}: encoding values of dynamic type is not supported")]
    DynamicUnsupported {
        /// Where.
        path: String,
    },
}

/// The extension go-cty writes for an unknown value: code 0, one zero byte.
fn unknown() -> Msgpack {
    Msgpack::Ext(0, vec![0])
}

/// Decodes `bytes` as a value of type `ty`. Empty bytes are null, as in
/// Terraform's own decoder.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut reader = bytes;
    let raw = rmpv::decode::read_value(&mut reader)
        .map_err(|error| CodecError::Malformed(error.to_string()))?;
    if !reader.is_empty() {
        return Err(CodecError::Malformed(format!(
            "{} bytes after the value",
            reader.len()
        )));
    }
    from_msgpack(raw, ty, "")
}

/// Encodes `value` of type `ty`.
pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    let raw = to_msgpack(value, ty, "")?;
    let mut bytes = Vec::new();
    rmpv::encode::write_value(&mut bytes, &raw)
        .map_err(|error| CodecError::Malformed(error.to_string()))?;
    Ok(bytes)
}

fn mismatch(path: &str, expected: &'static str) -> CodecError {
    CodecError::Mismatch {
        path: if path.is_empty() {
            ".".to_owned()
        } else {
            path.to_owned()
        },
        expected,
    }
}

fn from_msgpack(raw: Msgpack, ty: &Type, path: &str) -> Result<Value, CodecError> {
    match (raw, ty) {
        (Msgpack::Ext(..), _) => Ok(Value::Unknown),
        (Msgpack::Nil, _) => Ok(Value::Null),
        (Msgpack::Boolean(value), Type::Bool) => Ok(Value::Bool(value)),
        (raw, Type::Number) => number(raw, path).map(Value::Number),
        (Msgpack::String(text), Type::String) => text
            .into_str()
            .map(Value::String)
            .ok_or_else(|| mismatch(path, "a UTF-8 string")),
        (Msgpack::Array(items), Type::List(element) | Type::Set(element)) => {
            let items = items
                .into_iter()
                .enumerate()
                .map(|(index, item)| from_msgpack(item, element, &format!("{path}[{index}]")))
                .collect::<Result<_, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::Set(items)
            } else {
                Value::List(items)
            })
        }
        (Msgpack::Array(items), Type::Tuple(types)) if items.len() == types.len() => items
            .into_iter()
            .zip(types)
            .enumerate()
            .map(|(index, (item, ty))| from_msgpack(item, ty, &format!("{path}[{index}]")))
            .collect::<Result<_, _>>()
            .map(Value::List),
        (Msgpack::Map(entries), Type::Map(element)) => {
            let mut map = BTreeMap::new();
            for (key, item) in entries {
                let key = string_key(key, path)?;
                let item = from_msgpack(item, element, &format!("{path}[{key:?}]"))?;
                map.insert(key, item);
            }
            Ok(Value::Map(map))
        }
        (Msgpack::Map(entries), Type::Object(attributes)) => {
            let mut object: BTreeMap<String, Value> = attributes
                .keys()
                .map(|name| (name.clone(), Value::Null))
                .collect();
            for (key, item) in entries {
                let name = string_key(key, path)?;
                let Some(ty) = attributes.get(&name) else {
                    return Err(CodecError::UnsupportedAttribute {
                        path: path.to_owned(),
                        name,
                    });
                };
                let item = from_msgpack(item, ty, &format!("{path}.{name}"))?;
                object.insert(name, item);
            }
            Ok(Value::Object(object))
        }
        (Msgpack::Array(pair), Type::Dynamic) if pair.len() == 2 => {
            let mut pair = pair.into_iter();
            let (Some(type_json), Some(item)) = (pair.next(), pair.next()) else {
                return Err(mismatch(path, "a [type, value] pair"));
            };
            let type_json = match type_json {
                Msgpack::Binary(bytes) => bytes,
                Msgpack::String(text) => text.into_bytes(),
                _ => return Err(mismatch(path, "a JSON type")),
            };
            let ty = json::parse_type(&type_json).map_err(|problem| CodecError::DynamicType {
                path: path.to_owned(),
                problem: problem.to_string(),
            })?;
            from_msgpack(item, &ty, path)
        }
        (_, Type::Bool) => Err(mismatch(path, "a bool")),
        (_, Type::String) => Err(mismatch(path, "a string")),
        (_, Type::List(_) | Type::Set(_) | Type::Tuple(_)) => Err(mismatch(path, "an array")),
        (_, Type::Map(_) | Type::Object(_)) => Err(mismatch(path, "a map")),
        (_, Type::Dynamic) => Err(mismatch(path, "a [type, value] pair")),
    }
}

fn string_key(key: Msgpack, path: &str) -> Result<String, CodecError> {
    match key {
        Msgpack::String(text) => text.into_str().ok_or_else(|| mismatch(path, "UTF-8 keys")),
        _ => Err(mismatch(path, "string keys")),
    }
}

/// A number from any of the forms cty writes: int, uint, float or text.
fn number(raw: Msgpack, path: &str) -> Result<Number, CodecError> {
    match raw {
        Msgpack::Integer(integer) => Ok(match integer.as_i64() {
            Some(value) => Number::Int(value),
            None => Number::Big(integer.to_string()),
        }),
        Msgpack::F64(value) => Ok(Number::from_f64(value)),
        Msgpack::F32(value) => Ok(Number::from_f64(f64::from(value))),
        Msgpack::String(text) => {
            let text = text.into_str().ok_or_else(|| mismatch(path, "a number"))?;
            Number::parse(&text).ok_or_else(|| mismatch(path, "a number"))
        }
        _ => Err(mismatch(path, "a number")),
    }
}

impl Number {
    /// The canonical form of a float: an integer when it is one.
    pub fn from_f64(value: f64) -> Self {
        // i64's bounds as floats, both exact: -2^63 and 2^63.
        const I64_RANGE: std::ops::Range<f64> =
            -9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0;
        if value.fract() == 0.0 && I64_RANGE.contains(&value) {
            Number::Int(value as i64)
        } else {
            Number::Float(value)
        }
    }

    /// A number from decimal text, or `None` if it is not one. Text that is
    /// not an integer stays text: cty sends text only for numbers a float
    /// cannot hold exactly, so converting would lose digits.
    pub fn parse(text: &str) -> Option<Self> {
        if let Ok(value) = text.parse::<i64>() {
            return Some(Number::Int(value));
        }
        let float: f64 = text.parse().ok()?;
        float.is_finite().then(|| Number::Big(text.to_owned()))
    }
}

fn to_msgpack(value: &Value, ty: &Type, path: &str) -> Result<Msgpack, CodecError> {
    match (value, ty) {
        (Value::Unknown, _) => Ok(unknown()),
        (Value::Null, _) => Ok(Msgpack::Nil),
        (_, Type::Dynamic) => Err(CodecError::DynamicUnsupported {
            path: path.to_owned(),
        }),
        (Value::Bool(value), Type::Bool) => Ok(Msgpack::Boolean(*value)),
        (Value::Number(number), Type::Number) => Ok(match number {
            Number::Int(value) => Msgpack::from(*value),
            Number::Float(value) => Msgpack::F64(*value),
            Number::Big(text) => Msgpack::from(text.as_str()),
        }),
        (Value::String(text), Type::String) => Ok(Msgpack::from(text.as_str())),
        (Value::List(items) | Value::Set(items), Type::List(element) | Type::Set(element)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| to_msgpack(item, element, &format!("{path}[{index}]")))
            .collect::<Result<_, _>>()
            .map(Msgpack::Array),
        (Value::List(items), Type::Tuple(types)) if items.len() == types.len() => items
            .iter()
            .zip(types)
            .enumerate()
            .map(|(index, (item, ty))| to_msgpack(item, ty, &format!("{path}[{index}]")))
            .collect::<Result<_, _>>()
            .map(Msgpack::Array),
        (Value::Map(items), Type::Map(element)) => items
            .iter()
            .map(|(key, item)| {
                Ok((
                    Msgpack::from(key.as_str()),
                    to_msgpack(item, element, &format!("{path}[{key:?}]"))?,
                ))
            })
            .collect::<Result<_, _>>()
            .map(Msgpack::Map),
        (Value::Object(object), Type::Object(attributes)) => {
            if let Some(name) = object.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(CodecError::UnsupportedAttribute {
                    path: path.to_owned(),
                    name: name.clone(),
                });
            }
            attributes
                .iter()
                .map(|(name, ty)| {
                    let item = object.get(name).unwrap_or(&Value::Null);
                    Ok((
                        Msgpack::from(name.as_str()),
                        to_msgpack(item, ty, &format!("{path}.{name}"))?,
                    ))
                })
                .collect::<Result<_, _>>()
                .map(Msgpack::Map)
        }
        (_, Type::Bool) => Err(mismatch(path, "a bool")),
        (_, Type::Number) => Err(mismatch(path, "a number")),
        (_, Type::String) => Err(mismatch(path, "a string")),
        (_, Type::List(_) | Type::Set(_) | Type::Tuple(_)) => Err(mismatch(path, "a list")),
        (_, Type::Map(_)) => Err(mismatch(path, "a map")),
        (_, Type::Object(_)) => Err(mismatch(path, "an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object_type(attributes: &[(&str, Type)]) -> Type {
        Type::Object(
            attributes
                .iter()
                .map(|(name, ty)| ((*name).to_owned(), ty.clone()))
                .collect(),
        )
    }

    fn raw(value: &Msgpack) -> Vec<u8> {
        let mut bytes = Vec::new();
        rmpv::encode::write_value(&mut bytes, value).expect("encodes");
        bytes
    }

    #[test]
    fn unknown_and_null_are_written_as_go_cty_writes_them() {
        assert_eq!(
            encode(&Value::Unknown, &Type::String).unwrap(),
            [0xd4, 0, 0]
        );
        assert_eq!(encode(&Value::Null, &Type::String).unwrap(), [0xc0]);
    }

    #[test]
    fn every_extension_decodes_as_unknown() {
        // A refined unknown (code 12) with a "not null" refinement.
        let refined = raw(&Msgpack::Ext(12, vec![0x81, 0x01, 0xc3]));
        assert_eq!(decode(&refined, &Type::String).unwrap(), Value::Unknown);
        assert_eq!(decode(&[0xd4, 0, 0], &Type::Bool).unwrap(), Value::Unknown);
    }

    #[test]
    fn empty_bytes_are_null() {
        assert_eq!(decode(&[], &object_type(&[])).unwrap(), Value::Null);
    }

    #[test]
    fn objects_carry_every_attribute() {
        let ty = object_type(&[("a", Type::String), ("b", Type::Bool)]);
        let value = Value::Object([("a".to_owned(), Value::String("x".to_owned()))].into());
        let bytes = encode(&value, &ty).unwrap();
        let Msgpack::Map(entries) = rmpv::decode::read_value(&mut bytes.as_slice()).unwrap() else {
            panic!("an object is a map");
        };
        assert_eq!(entries.len(), 2);
        let decoded = decode(&bytes, &ty).unwrap();
        assert_eq!(decoded.attribute("a"), &Value::String("x".to_owned()));
        assert_eq!(decoded.attribute("b"), &Value::Null);
    }

    #[test]
    fn an_attribute_the_type_lacks_is_refused() {
        let ty = object_type(&[("a", Type::String)]);
        let bytes = raw(&Msgpack::Map(vec![(Msgpack::from("z"), Msgpack::Nil)]));
        assert!(matches!(
            decode(&bytes, &ty),
            Err(CodecError::UnsupportedAttribute { name, .. }) if name == "z"
        ));
        let value = Value::Object([("z".to_owned(), Value::Null)].into());
        assert!(encode(&value, &ty).is_err());
    }

    #[test]
    fn numbers_take_every_form_cty_writes() {
        let cases = [
            (Msgpack::from(42), Number::Int(42)),
            (Msgpack::from(u64::MAX), Number::Big(u64::MAX.to_string())),
            (Msgpack::F64(1.5), Number::Float(1.5)),
            (Msgpack::F64(3.0), Number::Int(3)),
            (Msgpack::from("0.1"), Number::Big("0.1".to_owned())),
            (Msgpack::from("12"), Number::Int(12)),
        ];
        for (wire, expected) in cases {
            let decoded = decode(&raw(&wire), &Type::Number).unwrap();
            assert_eq!(decoded, Value::Number(expected.clone()), "{wire}");
            let again = decode(&encode(&decoded, &Type::Number).unwrap(), &Type::Number).unwrap();
            assert_eq!(again, decoded, "{wire} survives a round trip");
        }
        assert!(decode(&raw(&Msgpack::from("ten")), &Type::Number).is_err());
    }

    #[test]
    fn collections_round_trip() {
        let ty = object_type(&[
            ("list", Type::List(Box::new(Type::String))),
            ("set", Type::Set(Box::new(Type::Number))),
            ("map", Type::Map(Box::new(Type::Bool))),
            ("tuple", Type::Tuple(vec![Type::String, Type::Bool])),
        ]);
        let value = Value::Object(
            [
                (
                    "list".to_owned(),
                    Value::List(vec![Value::String("a".to_owned()), Value::Unknown]),
                ),
                (
                    "set".to_owned(),
                    Value::Set(vec![Value::Number(Number::Int(1))]),
                ),
                (
                    "map".to_owned(),
                    Value::Map([("k".to_owned(), Value::Bool(true))].into()),
                ),
                (
                    "tuple".to_owned(),
                    Value::List(vec![Value::String("t".to_owned()), Value::Null]),
                ),
            ]
            .into(),
        );
        let decoded = decode(&encode(&value, &ty).unwrap(), &ty).unwrap();
        assert_eq!(decoded, value);
        assert!(!decoded.is_wholly_known());
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let bytes = raw(&Msgpack::Array(vec![
            Msgpack::Binary(br#"["list","string"]"#.to_vec()),
            Msgpack::Array(vec![Msgpack::from("a")]),
        ]));
        assert_eq!(
            decode(&bytes, &Type::Dynamic).unwrap(),
            Value::List(vec![Value::String("a".to_owned())])
        );
    }

    #[test]
    fn a_mismatch_names_the_path() {
        let ty = object_type(&[("list", Type::List(Box::new(Type::String)))]);
        let bytes = raw(&Msgpack::Map(vec![(
            Msgpack::from("list"),
            Msgpack::Array(vec![Msgpack::from(1)]),
        )]));
        let error = decode(&bytes, &ty).unwrap_err().to_string();
        assert_eq!(error, ".list[0]: expected a string");
    }
}
