//! JSON: sprig's `toJson`, `toPrettyJson`, `toRawJson` (and `must`
//! forms) with Go's `encoding/json` output (keys sorted, `<>&` escaped
//! except in `toRawJson`, floats as Go prints them), and Helm's
//! `fromJson`/`fromJsonArray` (a parse error becomes an `Error` entry).
//! A `[]byte` (`.Files.GetBytes`) is written as base64, as Go writes it.

use std::collections::BTreeMap;

use super::dates::as_time;
use super::encoding::base64_encode;
use super::{Table, Value, fail, str_arg};
use gotemplate::{Arity, Dict, Field, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["toJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Compact).unwrap_or_default().into())
    });
    table.add(&["mustToJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Compact)?.into())
    });
    table.add(&["toPrettyJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Pretty).unwrap_or_default().into())
    });
    table.add(&["mustToPrettyJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Pretty)?.into())
    });
    table.add(&["toRawJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Raw).unwrap_or_default().into())
    });
    table.add(&["mustToRawJson"], Exact(1), |a| {
        Ok(encode(&a[0], Style::Raw)?.into())
    });
    table.add(&["fromJson"], Exact(1), |a| {
        Ok(match decode(str_arg(a, 0)?) {
            Ok(value @ Value::Map(_)) => value,
            Ok(Value::Nil) => Value::map(BTreeMap::new()),
            Ok(other) => error_map(&unmarshal_type_error(&other, "map[string]interface {}")),
            Err(error) => error_map(&error),
        })
    });
    table.add(&["mustFromJson"], Exact(1), |a| {
        decode(str_arg(a, 0)?).map_err(fail)
    });
    table.add(&["fromJsonArray"], Exact(1), |a| {
        Ok(match decode(str_arg(a, 0)?) {
            Ok(value @ Value::List(_)) => value,
            Ok(Value::Nil) => Value::list(Vec::new()),
            Ok(other) => Value::list(vec![unmarshal_type_error(&other, "[]interface {}").into()]),
            Err(error) => Value::list(vec![error.into()]),
        })
    });
}

/// How to lay the JSON out.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Style {
    /// `json.Marshal`.
    Compact,
    /// `json.MarshalIndent(v, "", "  ")`.
    Pretty,
    /// An encoder without HTML escaping.
    Raw,
}

fn error_map(message: &str) -> Value {
    Value::map(BTreeMap::from([("Error".to_owned(), message.into())]))
}

fn unmarshal_type_error(value: &Value, into: &str) -> String {
    let kind = match value {
        Value::Bool(_) => "bool",
        Value::Float(_) | Value::Int(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    };
    format!("json: cannot unmarshal {kind} into Go value of type {into}")
}

/// JSON text → a value as Go's `encoding/json` decodes into `interface{}`.
pub(super) fn decode(text: &str) -> Result<Value, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|error| go_json_error(&error))?;
    Ok(from_json(&json))
}

/// A JSON syntax error in Go's `encoding/json` words where the cause is the
/// same: input that ends inside a value is Go's `unexpected end of JSON
/// input` whatever was open. Other syntax errors keep serde_json's words:
/// it does not say which of Go's scanner states (`looking for beginning of
/// value`, `after object key`, …) it was in.
fn go_json_error(error: &serde_json::Error) -> String {
    match error.classify() {
        serde_json::error::Category::Eof => "unexpected end of JSON input".to_owned(),
        _ => error.to_string(),
    }
}

/// A JSON value as a template value, as Go's `encoding/json` decodes it
/// into `interface{}`: every number becomes a `float64`.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

/// A value → JSON text as Go's `encoding/json` writes it.
pub(super) fn encode(value: &Value, style: Style) -> Result<String, FuncError> {
    let mut out = String::new();
    write(&mut out, value, style, 0)?;
    Ok(out)
}

fn newline(out: &mut String, style: Style, depth: usize) {
    if style == Style::Pretty {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
}

fn write(out: &mut String, value: &Value, style: Style, depth: usize) -> Result<(), FuncError> {
    // `encoding/json` writes a `[]byte` as its base64 text, a time as
    // RFC 3339.
    if let Some(bytes) = value.as_bytes() {
        string(out, &base64_encode(&bytes), style != Style::Raw);
        return Ok(());
    }
    if let Some(time) = as_time(value) {
        string(out, &time.rfc3339_nano(), style != Style::Raw);
        return Ok(());
    }
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float(*f)?),
        Value::String(s) => string(out, s, style != Style::Raw),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                write(out, item, style, depth + 1)?;
            }
            if !items.is_empty() {
                newline(out, style, depth);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            let entries =
                struct_entries(value).unwrap_or_else(|| entries.entries().into_iter().collect());
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, style, depth + 1);
                string(out, key, style != Style::Raw);
                out.push(':');
                if style == Style::Pretty {
                    out.push(' ');
                }
                write(out, item, style, depth + 1)?;
            }
            if !entries.is_empty() {
                newline(out, style, depth);
            }
            out.push('}');
        }
        Value::Func(_) => {
            return Err(fail("json: unsupported type: func(...)"));
        }
    }
    Ok(())
}

/// The entries `encoding/json` writes for a Go struct (a map carrying its
/// [`Field`]s): the fields in order under their JSON keys, `omitempty`
/// ones left out when empty, an embedded struct's fields promoted. `None`
/// for other values.
pub(super) fn struct_entries(value: &Value) -> Option<Vec<(String, Value)>> {
    let Value::Map(entries) = value else {
        return None;
    };
    let fields = entries.methods()?.field_layout()?;
    let mut out = Vec::new();
    push_fields(entries, fields, &mut out);
    Some(out)
}

fn push_fields(entries: &Dict, fields: &[Field], out: &mut Vec<(String, Value)>) {
    for field in fields {
        match field {
            Field::Named {
                name,
                json,
                omit_empty,
            } => {
                let item = entries.get(name).unwrap_or_default();
                if *omit_empty && super::is_empty(&item) {
                    continue;
                }
                let key = if json.is_empty() { name } else { json };
                out.push(((*key).to_owned(), item));
            }
            Field::Embedded { fields, .. } => push_fields(entries, fields, out),
        }
    }
}

/// Go's JSON number for a float64: `%f`-like unless the exponent is
/// below -6 or from 21, then `%e` with a short exponent (`1e-07`→`1e-7`).
pub(super) fn float(f: f64) -> Result<String, FuncError> {
    if !f.is_finite() {
        return Err(fail(format!(
            "json: unsupported value: {}",
            gotemplate::sprint(&[Value::Float(f)])
        )));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        let (mantissa, exponent) = text.split_once('e').expect("{:e} has an exponent");
        let exponent: i32 = exponent.parse().expect("{:e} exponent is a number");
        let sign = if exponent < 0 { '-' } else { '+' };
        return Ok(format!("{mantissa}e{sign}{:02}", exponent.abs())
            .replace("e-0", "e-")
            .replace("e+0", "e+"));
    }
    Ok(format!("{f}"))
}

/// A JSON string as Go writes it.
fn string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_that_ends_inside_a_value_fails_with_go_words() {
        for text in ["{", "[1,", "{\"a\": \"b", ""] {
            assert_eq!(decode(text).unwrap_err(), "unexpected end of JSON input");
        }
        assert!(decode("{\"a\": 1}").is_ok());
    }

    #[test]
    fn floats_like_go() {
        assert_eq!(float(1.0).unwrap(), "1");
        assert_eq!(float(1.5).unwrap(), "1.5");
        assert_eq!(float(1e21).unwrap(), "1e+21");
        assert_eq!(float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(float(0.0000001).unwrap(), "1e-7");
        assert_eq!(float(-0.000001).unwrap(), "-0.000001");
    }

    #[test]
    fn json_numbers_are_float64() {
        let Value::Map(m) = from_json(&serde_json::json!({"n": 3})) else {
            panic!("map")
        };
        assert_eq!(m.get("n"), Some(Value::Float(3.0)));
    }
}
