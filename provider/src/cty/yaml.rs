//! Terraform's `yamlencode`, byte for byte: go-cty-yaml hands libyaml's
//! emitter every string double-quoted (a literal `|` block when it holds a
//! line break), numbers, booleans and null plain, and object keys in
//! sorted order. A value the provider reads back from the world (the
//! agent's values on import) is written this way, so it equals what a
//! configuration that wrote the same values with `yamlencode` holds.
//!
//! The encoder's choices are ported from go-cty-yaml v1.1.0
//! (`encode.go`); the layout is `sprig::emitter`'s libyaml port.

use serde_json::Value;
use upbound_connect::helm::sprig::emitter::{Flavor, Node, Style, emit};

/// `value` as Terraform's `yamlencode(value)` writes it.
pub fn yamlencode(value: &Value) -> String {
    emit(&node(value), Flavor::CtyYaml)
}

/// The node go-cty-yaml builds for `value`.
fn node(value: &Value) -> Node {
    match value {
        Value::Null => Node::Scalar("null".to_owned(), Style::Plain),
        Value::Bool(flag) => Node::Scalar(flag.to_string(), Style::Plain),
        // cty's `Text('f', -1)`: the shortest decimal, never an exponent.
        Value::Number(number) => Node::Scalar(
            match number.as_f64() {
                Some(float) if !number.is_i64() && !number.is_u64() => float.to_string(),
                _ => number.to_string(),
            },
            Style::Plain,
        ),
        Value::String(text) => Node::Scalar(text.clone(), string_style(text)),
        Value::Array(items) => Node::Seq(items.iter().map(node).collect()),
        // serde_json's map iterates in key order, as cty's objects do.
        Value::Object(entries) => Node::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), string_style(key), node(value)))
                .collect(),
        ),
    }
}

/// go-cty-yaml's style for a string: literal when it holds a line feed.
fn string_style(text: &str) -> Style {
    if text.contains('\n') {
        Style::Literal
    } else {
        Style::Double
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_examples() {
        // Terraform's documentation of yamlencode.
        assert_eq!(
            yamlencode(&json!({"a": "b", "c": "d"})),
            "\"a\": \"b\"\n\"c\": \"d\"\n"
        );
        assert_eq!(
            yamlencode(&json!({"foo": [1, 2, 3], "bar": "baz"})),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
        );
    }
}
