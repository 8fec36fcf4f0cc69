//! What Helm reads of a rendered document, decoded as Helm decodes it:
//! `sigs.k8s.io/yaml` turns the YAML into JSON (keys sorted, as Go
//! marshals a map), then `encoding/json` fills `releaseutil.SimpleHead`:
//!
//! ```go
//! type SimpleHead struct {
//!     Version  string `json:"apiVersion"`
//!     Kind     string `json:"kind,omitempty"`
//!     Metadata *struct {
//!         Name        string            `json:"name"`
//!         Annotations map[string]string `json:"annotations"`
//!     } `json:"metadata,omitempty"`
//! }
//! ```
//!
//! A key matches its field exactly or, failing that, without regard to
//! case; unknown keys are skipped; a null leaves a field at its zero value
//! (`annotations:` with nothing under it is no annotations); the first
//! value of the wrong type, in key order, is the error, in `encoding/json`'s
//! words as `sigs.k8s.io/yaml` wraps them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use sprig::goyaml::json_kind;

/// The Go type of `SimpleHead.Metadata`, as `reflect` prints it.
const METADATA_TYPE: &str = r#"struct { Name string "json:\"name\""; Annotations map[string]string "json:\"annotations\"" }"#;

/// The fields of a document Helm reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Head {
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.annotations` (a null value is the empty string).
    pub annotations: BTreeMap<String, String>,
}

/// Decodes `document` (the document as JSON) into Helm's head.
pub(crate) fn decode(document: &Value) -> Result<Head, String> {
    let mut head = Head::default();
    match document {
        Value::Null => return Ok(head),
        Value::Object(fields) => {
            for (key, value) in fields {
                match field(key, &["apiVersion", "kind", "metadata"]) {
                    Some("apiVersion") => {
                        string(value, "SimpleHead", "apiVersion")?;
                    }
                    Some("kind") => head.kind = string(value, "SimpleHead", "kind")?,
                    Some("metadata") => metadata(value, &mut head)?,
                    _ => {}
                }
            }
        }
        other => return Err(mismatch(other, None, "releaseutil.SimpleHead")),
    }
    Ok(head)
}

/// `SimpleHead.Metadata`.
fn metadata(value: &Value, head: &mut Head) -> Result<(), String> {
    let fields = match value {
        Value::Null => return Ok(()),
        Value::Object(fields) => fields,
        other => {
            return Err(mismatch(other, Some("SimpleHead.metadata"), METADATA_TYPE));
        }
    };
    for (key, value) in fields {
        match field(key, &["name", "annotations"]) {
            Some("name") => head.name = string(value, "", "metadata.name")?,
            Some("annotations") => head.annotations = annotations(value)?,
            _ => {}
        }
    }
    Ok(())
}

/// `Metadata.Annotations`, a `map[string]string` (map values add no field
/// to the error's path).
fn annotations(value: &Value) -> Result<BTreeMap<String, String>, String> {
    let entries: &Map<String, Value> = match value {
        Value::Null => return Ok(BTreeMap::new()),
        Value::Object(entries) => entries,
        other => {
            return Err(mismatch(
                other,
                Some(".metadata.annotations"),
                "map[string]string",
            ));
        }
    };
    entries
        .iter()
        .map(|(key, value)| Ok((key.clone(), string(value, "", "metadata.annotations")?)))
        .collect()
}

/// A string field of struct `owner` (`""` for an anonymous struct) at
/// `path`; null is the empty string.
fn string(value: &Value, owner: &str, path: &str) -> Result<String, String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::String(text) => Ok(text.clone()),
        other => Err(mismatch(other, Some(&format!("{owner}.{path}")), "string")),
    }
}

/// The field of `names` that `key` fills: its exact name, else the one
/// equal to it without regard to case.
fn field<'n>(key: &str, names: &[&'n str]) -> Option<&'n str> {
    names
        .iter()
        .find(|name| **name == key)
        .or_else(|| names.iter().find(|name| name.eq_ignore_ascii_case(key)))
        .copied()
}

/// `encoding/json`'s `UnmarshalTypeError` for `value` going into a Go
/// `target` type, at struct field `at` (none: the document itself).
fn mismatch(value: &Value, at: Option<&str>, target: &str) -> String {
    let into = match at {
        Some(field) => format!("Go struct field {field}"),
        None => "Go value".to_owned(),
    };
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into {into} of type {target}",
        json_kind(value)
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_match_without_regard_to_case_and_null_is_empty() {
        let head = decode(&json!({
            "Kind": "ConfigMap",
            "METADATA": {"name": "x", "annotations": {"a": null, "b": "c"}},
            "other": [1],
        }))
        .expect("a head");
        assert_eq!(head.kind, "ConfigMap");
        assert_eq!(head.name, "x");
        assert_eq!(
            head.annotations,
            BTreeMap::from([
                ("a".to_owned(), String::new()),
                ("b".to_owned(), "c".to_owned())
            ])
        );
        assert_eq!(decode(&Value::Null), Ok(Head::default()));
        assert_eq!(
            decode(&json!({"metadata": {"annotations": null}})),
            Ok(Head::default())
        );
    }

    #[test]
    fn the_first_wrongly_typed_value_in_key_order_is_the_error() {
        let error = decode(&json!({"metadata": 5, "kind": [1]})).unwrap_err();
        assert!(
            error.ends_with(
                "json: cannot unmarshal array into Go struct field SimpleHead.kind of type string"
            ),
            "{error}"
        );
        let error = decode(&json!({"metadata": {"annotations": {"a": true}}})).unwrap_err();
        assert!(
            error.ends_with(
                "cannot unmarshal bool into Go struct field .metadata.annotations of type string"
            ),
            "{error}"
        );
        let error = decode(&json!("text")).unwrap_err();
        assert!(
            error.ends_with("cannot unmarshal string into Go value of type releaseutil.SimpleHead"),
            "{error}"
        );
    }
}
