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
//! YAML is read as Helm's `sigs.k8s.io/yaml` reads it, by
//! [`sprig::goyaml`] (the reader `fromYaml` uses too).

pub mod coalesce;
pub mod schema;
pub mod set;

use serde_json::{Map, Value};
use sprig::goyaml::{self, YamlError};

pub use coalesce::coalesce;
pub use set::SetError;

/// A values tree: a JSON object (see the module docs for numbers).
pub type Values = Map<String, Value>;

/// Values could not be read or merged.
#[derive(Debug, thiserror::Error)]
pub enum ValuesError {
    /// A YAML document does not parse, or not to a map.
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// A `--set`-style expression is malformed.
    #[error(transparent)]
    Set(#[from] SetError),
    /// Values destined for a subchart are not a map (worded as Helm's
    /// `coalesceDeps` words it, with Go's complaint about its `%t`).
    #[error("type mismatch on {subchart}: {}", gotemplate::sprintf("%t", &[sprig::from_json(.found)]))]
    SubchartNotAMap {
        /// The subchart's name.
        subchart: String,
        /// The value found instead.
        found: Value,
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
    Ok(goyaml::read_map(yaml)?)
}

// A value's type in words, for messages, as the YAML reader words it.
pub(crate) use goyaml::type_name;

#[cfg(test)]
mod tests {
    use super::*;

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
