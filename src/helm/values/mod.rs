//! Chart values as Helm computes them: user sources merged in Helm's fixed
//! order ([`UserValues`]), the `--set` grammar ([`set`]), coalescing over the
//! chart's defaults and its subcharts' ([`coalesce`]), and
//! `values.schema.json` validation ([`schema`]). The reference is Helm
//! v3.21 (the harness's helm), checked against real `helm template`.
//!
//! ## Numbers
//! Values are [`serde_json::Value`]s, and a number's representation carries
//! its Go type so rendering can print it as Helm would:
//! - numbers from YAML (`values.yaml`, `-f` files) and from `--set-json` are
//!   stored as **f64** (`Number::is_f64`): Helm reads them through JSON into
//!   Go `float64`, so `12345678` later prints as `1.2345678e+07`;
//! - integers typed by `--set` are stored as **i64** (`Number::is_i64`),
//!   Go's `int64`.
//!
//! Every function here keeps that convention; compare numbers by value
//! (`as_f64`), not with `==`, when the source does not matter.
//!
//! YAML is read with `serde-saphyr` (already in the tree through kube),
//! configured like Helm's `go-yaml` v2: YAML 1.1 booleans (`yes`, `on`) and
//! legacy octal (`0755`) are accepted.

pub mod coalesce;
pub mod schema;
pub mod set;
mod yaml;

use serde_json::{Map, Value};

pub use coalesce::coalesce;
pub use set::SetError;

/// A values tree: a JSON object (see the module docs for numbers).
pub type Values = Map<String, Value>;

/// Values could not be read or merged.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// A YAML document does not parse.
    #[error("invalid YAML: {detail}")]
    Yaml {
        /// The parser's message, with line and column.
        detail: String,
    },
    /// A YAML document parses, but not to a map.
    #[error("values must be a YAML map of keys to values, not {found}")]
    NotAMap {
        /// What it is instead.
        found: &'static str,
    },
    /// A `--set`-style expression is malformed.
    #[error(transparent)]
    Set(#[from] SetError),
    /// Values destined for a subchart are not a map.
    #[error("values for subchart {subchart} must be a map, not {found}")]
    SubchartNotAMap {
        /// The subchart's name.
        subchart: String,
        /// The value's type.
        found: &'static str,
    },
}

/// What the user supplied, by source; merged in Helm's order, whatever the
/// order on a command line: each file, then `--set-json`, `--set`,
/// `--set-string`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserValues {
    /// `-f` files, already parsed ([`parse_yaml`]), in order.
    pub files: Vec<Values>,
    /// `--set-json` expressions (`path=<JSON>`).
    pub set_json: Vec<String>,
    /// `--set` expressions, typed (`a=1` is an int64, `b=true` a bool).
    pub set: Vec<String>,
    /// `--set-string` expressions (every value a string).
    pub set_string: Vec<String>,
}

impl UserValues {
    /// The merged user values: what a release records as its `config`.
    pub fn merge(&self) -> Result<Values, ValuesError> {
        let mut base = Values::new();
        for file in &self.files {
            merge_maps(&mut base, file.clone());
        }
        for (expressions, mode) in [
            (&self.set_json, set::Mode::Json),
            (&self.set, set::Mode::Typed),
            (&self.set_string, set::Mode::Strings),
        ] {
            for expression in expressions {
                set::parse_into(expression, &mut base, mode)?;
            }
        }
        Ok(base)
    }
}

/// Merges `overlay` into `base` as Helm merges `-f` files: maps merge
/// recursively, everything else (nulls included) replaces.
fn merge_maps(base: &mut Values, overlay: Values) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge_maps(existing, value),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Parses a values YAML document (empty = no values), numbers as f64; a
/// repeated key replaces the earlier one, as go-yaml v2 under Helm's
/// `sigs.k8s.io/yaml` does.
pub fn parse_yaml(yaml: &[u8]) -> Result<Values, ValuesError> {
    let text = std::str::from_utf8(yaml).map_err(|error| ValuesError::Yaml {
        detail: format!("not UTF-8: {error}"),
    })?;
    let options = serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    };
    let yaml::GoYaml(value) =
        serde_saphyr::from_str_with_options(text, options).map_err(|error| ValuesError::Yaml {
            detail: error.to_string(),
        })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Values::new()),
        other => Err(ValuesError::NotAMap {
            found: type_name(&other),
        }),
    }
}

/// A value's type, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_numbers_are_float64_and_yaml_1_1_scalars_are_read_as_go_yaml_does() {
        let values = parse_yaml(b"a: 1\nb: yes\nc: 0755\nd: '1'\ne:\nn: x\n'y': x\n").unwrap();
        assert!(values.contains_key("false") && values.contains_key("y"));
        assert!(values["a"].is_f64());
        assert_eq!(values["b"], Value::Bool(true));
        assert_eq!(values["c"].as_f64(), Some(493.0));
        assert_eq!(values["d"], Value::String("1".into()));
        assert_eq!(values["e"], Value::Null);
        assert!(parse_yaml(b"").unwrap().is_empty());
        assert!(parse_yaml(b"- a").is_err());
    }

    #[test]
    fn a_repeated_key_takes_the_last_value() {
        let values = parse_yaml(b"a: {x: 1}\nb: 2\na: {z: 3}\n").unwrap();
        assert_eq!(values["a"], serde_json::json!({"z": 3.0}));
    }

    #[test]
    fn sources_merge_in_helms_order_not_the_given_one() {
        let user = UserValues {
            files: vec![parse_yaml(b"a: {x: 1, z: 2}\nl: [1]").unwrap()],
            set_json: vec![],
            set: vec!["a.x=3".into()],
            set_string: vec!["a.x=4".into()],
        };
        let merged = user.merge().unwrap();
        assert_eq!(merged["a"]["x"], Value::String("4".into()));
        assert_eq!(merged["a"]["z"].as_f64(), Some(2.0));
    }
}
