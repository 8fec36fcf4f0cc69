//! Reading YAML the way Helm's `sigs.k8s.io/yaml` does: the one place the
//! project configures its YAML parser for chart input (values files,
//! `Chart.yaml`, `fromYaml`, rendered manifests).
//!
//! - [`from_str`]: the first document of a text into any type, as go-yaml's
//!   `Unmarshal` reads it.
//! - [`read_map`]: a values map through a typed YAML tree to JSON, so every
//!   number becomes a float64 and a map key that YAML types as a
//!   non-string (`n`, `1`, `true`) becomes that value's string (`"false"`,
//!   `"1"`, `"true"`).
//!
//! The parser is `serde-saphyr`, configured like Helm's go-yaml v2
//! ([`options`]): YAML 1.1 booleans (`yes`, `on`) and legacy octal (`0755`)
//! are accepted, a repeated key replaces the earlier one, and there is no
//! limit go-yaml does not have (comments, documents, nodes, sizes), only
//! its guard against alias bombs and a nesting bound.

mod problem;

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A YAML document could not be read as a map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    /// The document does not parse (worded as `sigs.k8s.io/yaml` words
    /// go-yaml's refusal).
    #[error("error converting YAML to JSON: {detail}")]
    Invalid {
        /// go-yaml's message (`yaml: line N: PROBLEM`), or our parser's
        /// where the problem is not a syntax error.
        detail: String,
    },
    /// The document parses, but not to a map (worded as Helm's
    /// `sigs.k8s.io/yaml` words it).
    #[error(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {found} into Go value of type map[string]interface {{}}"
    )]
    NotAMap {
        /// What it is instead, in `encoding/json`'s words (`array`,
        /// `string`, `number`, `bool`).
        found: &'static str,
    },
}

/// How deep collections may nest. go-yaml stops at 10,000 levels, but the
/// deserializer recurses with large frames (an unoptimised build overflows
/// a 2 MiB thread stack near 100 levels of flow collections); 64 is
/// serde-saphyr's own bound and deeper than the schemas of real CRDs.
pub const MAX_DEPTH: usize = 64;

/// serde-saphyr configured as go-yaml v2 reads YAML for Helm.
///
/// serde-saphyr's defaults are budgets for untrusted input that go-yaml
/// does not have: its parser keeps comments and refuses more than 32 of
/// them while it looks ahead ("too many buffered comments"), which long
/// commented-out blocks in real values files hit; and it caps documents,
/// nodes, events, scalar and comment bytes and nesting (64). Comments are
/// not kept here (nothing reads them), the caps are lifted, nesting is
/// bounded by [`MAX_DEPTH`], and the alias-bomb guard stays, as go-yaml
/// has one.
pub fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: None,
            max_events: usize::MAX,
            max_nodes: usize::MAX,
            max_documents: usize::MAX,
            max_total_scalar_bytes: usize::MAX,
            max_total_comment_bytes: usize::MAX,
            max_merge_keys: usize::MAX,
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
        },
        emit_comments: false,
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
    }
}

/// Deserializes the first YAML document of `text`, as go-yaml's
/// `Unmarshal` (under `sigs.k8s.io/yaml`) does: later documents are
/// ignored, and an empty first document is null.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let document = first_document(text);
    let invalid = |problem: problem::Problem| YamlError::Invalid {
        detail: problem.to_string(),
    };
    match serde_saphyr::from_str_with_options(document, options()) {
        // go-yaml refuses tabs our parser reads as whitespace.
        Ok(value) => match problem::tab_problem(document) {
            Some(tab) => Err(invalid(tab)),
            None => Ok(value),
        },
        // A refused tab before our parser's error is what go-yaml meets first.
        Err(error) => Err(match problem::tab_problem(document) {
            Some(tab) => invalid(tab),
            None => match problem::from_error(document, document.len() < text.len(), &error) {
                Some(problem) => invalid(problem),
                // Not a syntax error: our parser's words, without the
                // source lines it quotes (values can hold credentials).
                None => YamlError::Invalid {
                    detail: error.without_snippet().to_string(),
                },
            },
        }),
    }
}

/// The text of the first document of a YAML stream: everything before the
/// marker (`---` or `...` at the start of a line, then a space or the line's
/// end) that ends it. A `---` before any content starts the first document
/// instead; comments, blank lines and directives are not content. YAML
/// forbids these markers inside scalars, so a line-wise scan suffices.
pub fn first_document(text: &str) -> &str {
    let mut started = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let marker = |mark: &str| {
            body.strip_prefix(mark)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if marker("...") {
            return &text[..offset];
        }
        if marker("---") {
            if started {
                return &text[..offset];
            }
            started = true;
        } else {
            let content = body.trim_start();
            let directive = !started && body.starts_with('%');
            if !(content.is_empty() || content.starts_with('#') || directive) {
                started = true;
            }
        }
        offset += line.len();
    }
    text
}

/// Reads the first YAML document of `text` as `sigs.k8s.io/yaml` turns it
/// into JSON: Helm's typing rules, an empty document null.
pub fn read_value(text: &str) -> Result<Value, YamlError> {
    let GoYaml(value) = from_str(text)?;
    Ok(value)
}

/// Reads a YAML document into a map as `sigs.k8s.io/yaml` unmarshals into
/// `map[string]interface{}`: only the first document counts, an empty
/// document is an empty map, numbers are f64, a repeated key replaces the
/// earlier one.
pub fn read_map(yaml: &[u8]) -> Result<Map<String, Value>, YamlError> {
    let text = std::str::from_utf8(yaml).map_err(|error| YamlError::Invalid {
        detail: format!("not UTF-8: {error}"),
    })?;
    let GoYaml(value) = from_str(text)?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError::NotAMap {
            found: json_kind(&other),
        }),
    }
}

/// A JSON value's type as Go's `encoding/json` names it in errors.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
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
            YamlError::NotAMap { found: "array" }
        );
    }

    #[test]
    fn only_the_first_document_counts_as_go_yaml_unmarshal_reads_it() {
        assert_eq!(first_document("a: 1\n---\nb: 2\n"), "a: 1\n");
        assert_eq!(
            first_document("# c\n---\na: 1\n--- \nb\n"),
            "# c\n---\na: 1\n"
        );
        assert_eq!(
            first_document("%YAML 1.1\n---\na: 1\n...\nb\n"),
            "%YAML 1.1\n---\na: 1\n"
        );
        assert_eq!(
            first_document("---\n# only a comment\n---\na: 1\n"),
            "---\n# only a comment\n"
        );
        assert_eq!(
            first_document("a: |\n  ---\n---x: 1\n"),
            "a: |\n  ---\n---x: 1\n"
        );
        let values = read_map(b"a: 1\n---\nb: [unclosed\n").unwrap();
        assert_eq!(
            values,
            serde_json::json!({"a": 1.0}).as_object().unwrap().clone()
        );
        assert!(read_map(b"---\n---\na: 1\n").unwrap().is_empty());
    }

    #[test]
    fn long_comment_blocks_and_deep_nesting_are_read() {
        let comments = "# a commented-out value\n".repeat(500);
        let text = format!("a:\n{comments}  b: 1\n{comments}c:\n{comments}- 1\n");
        let values = read_map(text.as_bytes()).unwrap();
        assert_eq!(values["a"]["b"].as_f64(), Some(1.0));
        let deep = |depth: usize| format!("a: {}1{}", "[".repeat(depth - 1), "]".repeat(depth - 1));
        assert!(read_map(deep(MAX_DEPTH).as_bytes()).is_ok());
        assert!(read_map(deep(MAX_DEPTH + 1).as_bytes()).is_err());
    }

    #[test]
    fn a_repeated_key_takes_the_last_value() {
        let values = read_map(b"a: {x: 1}\nb: 2\na: {z: 3}\n").unwrap();
        assert_eq!(values["a"], serde_json::json!({"z": 3.0}));
    }
}
