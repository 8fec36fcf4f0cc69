//! Reading YAML the way Helm's `sigs.k8s.io/yaml` does (values files and
//! `fromYaml`): through a typed YAML tree to JSON, so every number becomes
//! a float64 and a map key that YAML types as a non-string (`n`, `1`,
//! `true`) becomes that value's string (`"false"`, `"1"`, `"true"`).
//!
//! The parser is `serde-saphyr`, configured like Helm's go-yaml v2: YAML
//! 1.1 booleans (`yes`, `on`) and legacy octal (`0755`) are accepted, and a
//! repeated key replaces the earlier one.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A YAML document could not be read as a map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The document does not parse.
    #[error("invalid YAML: {detail}")]
    Invalid {
        /// The parser's message, with line and column.
        detail: String,
    },
    /// The document parses, but not to a map.
    #[error("values must be a YAML map of keys to values, not {found}")]
    NotAMap {
        /// What it is instead ([`type_name`]).
        found: &'static str,
    },
}

/// Reads a YAML document into a map as `sigs.k8s.io/yaml` unmarshals into
/// `map[string]interface{}`: an empty document is an empty map, numbers
/// are f64, a repeated key replaces the earlier one.
pub fn read_map(yaml: &[u8]) -> Result<Map<String, Value>, YamlError> {
    let text = std::str::from_utf8(yaml).map_err(|error| YamlError::Invalid {
        detail: format!("not UTF-8: {error}"),
    })?;
    let options = serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    let GoYaml(value) =
        serde_saphyr::from_str_with_options(text, options).map_err(|error| YamlError::Invalid {
            detail: error.to_string(),
        })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError::NotAMap {
            found: type_name(&other),
        }),
    }
}

/// A JSON value's type in words, for messages (`a map`, `a list`, …).
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// A values tree read with Helm's typing rules.
struct GoYaml(Value);

impl<'de> Deserialize<'de> for GoYaml {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(GoYaml)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a YAML value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Value, E> {
        self.visit_f64(value as f64)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Value, E> {
        Number::from_f64(value).map(Value::Number).ok_or_else(|| {
            E::custom(format!(
                "{value} cannot be a value: JSON has no NaN or infinity"
            ))
        })
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(GoYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut values = Map::new();
        while let Some((MapKey(key), GoYaml(value))) = map.next_entry()? {
            values.insert(key, value);
        }
        Ok(Value::Object(values))
    }
}

/// A map key as `sigs.k8s.io/yaml` writes it into JSON.
struct MapKey(String);

impl<'de> Deserialize<'de> for MapKey {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KeyVisitor).map(MapKey)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a scalar map key")
    }

    fn visit_bool<E>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_str<E>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_are_float64_and_yaml_1_1_scalars_are_read_as_go_yaml_does() {
        let values = read_map(b"a: 1\nb: yes\nc: 0755\nd: '1'\ne:\nn: x\n'y': x\n").unwrap();
        assert!(values.contains_key("false") && values.contains_key("y"));
        assert!(values["a"].is_f64());
        assert_eq!(values["b"], Value::Bool(true));
        assert_eq!(values["c"].as_f64(), Some(493.0));
        assert_eq!(values["d"], Value::String("1".into()));
        assert_eq!(values["e"], Value::Null);
        assert!(read_map(b"").unwrap().is_empty());
        assert_eq!(
            read_map(b"- a").unwrap_err(),
            YamlError::NotAMap { found: "a list" }
        );
    }

    #[test]
    fn a_repeated_key_takes_the_last_value() {
        let values = read_map(b"a: {x: 1}\nb: 2\na: {z: 3}\n").unwrap();
        assert_eq!(values["a"], serde_json::json!({"z": 3.0}));
    }
}
