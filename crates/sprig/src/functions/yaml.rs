//! YAML: Helm's `toYaml`, `toYamlPretty`, `fromYaml` and `fromYamlArray`
//! (Helm v3.21 has no `mustToYaml`).
//!
//! `toYaml` is `sigs.k8s.io/yaml`: the value goes through JSON, is read
//! back by go-yaml v2 (so JSON numbers become YAML ints or floats) and is
//! written by go-yaml v2's encoder: keys in go-yaml's order, a string
//! plain exactly when go-yaml v2 reads it back as the same string, `|`
//! blocks for multi-line strings, else double quotes; [`crate::emitter`]
//! lays it out.
//!
//! `toYamlPretty` is go-yaml v3's encoder with an indent of 2: it writes
//! the value directly (no JSON step), indents sequences and never folds
//! long lines; its quoting matches v2's.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::dates::as_time;
use super::encoding::base64_encode;
use super::json;
use super::{Table, Value, fail, str_arg};
use crate::emitter::{Flavor, Node, Style, emit};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["toYaml"], Exact(1), |a| {
        Ok(to_yaml(&a[0]).unwrap_or_default().into())
    });
    table.add(&["toYamlPretty"], Exact(1), |a| {
        Ok(to_yaml_pretty(&a[0]).unwrap_or_default().into())
    });
    table.add(&["fromYaml"], Exact(1), |a| {
        // The values reader types keys as Helm does (`n:` is `"false"`).
        Ok(match crate::goyaml::read_map(str_arg(a, 0)?.as_bytes()) {
            Ok(map) => json::from_json(&serde_json::Value::Object(map)),
            Err(error) => error_map(&error.to_string()),
        })
    });
    table.add(&["fromYamlArray"], Exact(1), |a| {
        Ok(match from_yaml(str_arg(a, 0)?) {
            Ok(value @ Value::List(_)) => value,
            Ok(Value::Nil) => Value::list(Vec::new()),
            Ok(other) => Value::list(vec![
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
                    json_kind(&other)
                )
                .into(),
            ]),
            Err(error) => Value::list(vec![error.into()]),
        })
    });
}

fn error_map(message: &str) -> Value {
    Value::map(BTreeMap::from([("Error".to_owned(), message.into())]))
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Float(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        _ => "object",
    }
}

/// YAML text → a value as `sigs.k8s.io/yaml` decodes it (through JSON, so
/// numbers are float64; go-yaml v2 underneath reads the first document and
/// lets a repeated key replace the earlier one).
fn from_yaml(text: &str) -> Result<Value, String> {
    let json: serde_json::Value =
        crate::goyaml::from_str(text).map_err(|error| error.to_string())?;
    Ok(json::from_json(&json))
}

/// `toYaml`: go-yaml v2's output, without its final newline.
fn to_yaml(value: &Value) -> Result<String, FuncError> {
    // The JSON step fails where Go's does (NaN, infinities, functions);
    // go-yaml then refuses control characters JSON leaves unescaped.
    let text = json::encode(value, json::Style::Compact)?;
    if let Some(c) = text.chars().find(|&c| !readable(c)) {
        return Err(fail(format!(
            "error converting JSON to YAML: yaml: control characters are not allowed (U+{:04X})",
            u32::from(c)
        )));
    }
    let out = emit(&Node::from_json_model(value), Flavor::GoYamlV2);
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_owned())
}

/// `toYamlPretty`: go-yaml v3 with an indent of 2.
fn to_yaml_pretty(value: &Value) -> Result<String, FuncError> {
    let out = emit(&Node::from_value(value)?, Flavor::GoYamlV3);
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_owned())
}

/// A scalar that reads back as a non-string (numbers, bools, null):
/// always plain.
fn plain(text: impl Into<String>) -> Node {
    Node::Scalar(text.into(), Style::Plain)
}

/// A string, quoted or not as go-yaml's rules say.
fn string(text: &str) -> Node {
    Node::Scalar(text.to_owned(), encoder_style(text))
}

impl Node {
    /// The node go-yaml v2 builds from a value's JSON: integers that fit
    /// 64 bits are ints, other numbers floats; keys in go-yaml's order.
    fn from_json_model(value: &Value) -> Node {
        if let Some(bytes) = value.as_bytes() {
            return string(&base64_encode(&bytes));
        }
        if let Some(time) = as_time(value) {
            return string(&time.rfc3339_nano());
        }
        match value {
            Value::Nil | Value::Func(_) => plain("null"),
            Value::Bool(b) => plain(b.to_string()),
            Value::Int(i) => plain(i.to_string()),
            Value::Float(f) => {
                let text = json::float(*f).unwrap_or_default();
                if text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok() {
                    // `-0` reads back as the int 0.
                    plain(if text == "-0" { "0".into() } else { text })
                } else {
                    plain(go_float(*f))
                }
            }
            Value::String(s) => string(s),
            Value::List(items) => Node::Seq(items.iter().map(Node::from_json_model).collect()),
            Value::Map(entries) => {
                let mut entries: Vec<(String, Value)> = json::struct_entries(value)
                    .unwrap_or_else(|| entries.entries().into_iter().collect());
                entries.sort_by(|(a, _), (b, _)| v2_key_order(a, b));
                Node::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| {
                            let style = encoder_style(&k);
                            (k, style, Node::from_json_model(&v))
                        })
                        .collect(),
                )
            }
        }
    }

    /// The node go-yaml v3 builds from a value directly.
    fn from_value(value: &Value) -> Result<Node, FuncError> {
        if let Some(time) = as_time(value) {
            return Ok(plain(time.rfc3339_nano()));
        }
        Ok(match value {
            Value::Nil => plain("null"),
            Value::Bool(b) => plain(b.to_string()),
            Value::Int(i) => plain(i.to_string()),
            Value::Float(f) => plain(match go_float(*f).as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                other => other.to_owned(),
            }),
            Value::String(s) => string(s),
            Value::List(items) => Node::Seq(
                items
                    .iter()
                    .map(Node::from_value)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(entries) => Node::Map(
                entries
                    .entries()
                    .into_iter()
                    .map(|(k, v)| {
                        let style = encoder_style(&k);
                        Ok((k, style, Node::from_value(&v)?))
                    })
                    .collect::<Result<_, FuncError>>()?,
            ),
            Value::Func(_) => return Err(fail("cannot marshal type: func")),
        })
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`.
fn go_float(f: f64) -> String {
    gotemplate::sprint(&[Value::Float(f)])
}

/// go-yaml v2's key order (`sorter.go`): letters after other characters,
/// runs of digits compared as numbers.
fn v2_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let less = |x: bool| if x { Ordering::Less } else { Ordering::Greater };
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return less(bl);
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return less(an < bn);
        }
        if ai != bi {
            return less(ai < bi);
        }
        return less(ar[i] < br[i]);
    }
    ar.len().cmp(&br.len())
}

/// What go-yaml's reader accepts in its input.
fn readable(c: char) -> bool {
    let u = u32::from(c);
    matches!(u, 0x09 | 0x0a | 0x0d | 0x20..=0x7e | 0x85 | 0xa0..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
}

/// The style the encoder asks for a string: a block for multi-line text,
/// plain when it reads back as the same string, else double quotes.
fn encoder_style(s: &str) -> Style {
    if s.contains('\n') {
        return Style::Literal;
    }
    if resolves_to_string_v2(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

static BASE60_FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$").expect("valid regex")
});
static YAML_FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").expect("valid regex")
});
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2}))",
        r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$"
    ))
    .expect("valid regex")
});

fn is_base60_float(s: &str) -> bool {
    BASE60_FLOAT.is_match(s)
}

/// go-yaml v2's `resolve`: whether a plain scalar reads back as a string.
fn resolves_to_string_v2(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match s.as_bytes()[0] {
        b'.' => super::conversion::parse_go_float(s).is_none() || s.len() == 1,
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            let is_int = super::conversion::parse_go_int(&plain).is_some()
                || parse_uint(&plain)
                || YAML_FLOAT.is_match(&plain)
                || binary(&plain);
            !is_int
        }
        _ => true,
    }
}

fn parse_uint(s: &str) -> bool {
    !s.starts_with(['-', '+'])
        && !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u64>().is_ok()
}

fn binary(s: &str) -> bool {
    let digits = s.strip_prefix("-").unwrap_or(s);
    digits
        .strip_prefix("0b")
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b == b'0' || b == b'1'))
}

fn is_timestamp(s: &str) -> bool {
    let Some(caps) = TIMESTAMP.captures(s) else {
        return false;
    };
    let number = |i: usize| caps.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let (year, month, day) = (
        number(1).unwrap_or(0),
        number(2).unwrap_or(0),
        number(3).unwrap_or(0),
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days {
        return false;
    }
    let time_ok = |h: Option<u32>, m: Option<u32>, s: Option<u32>| match (h, m, s) {
        (Some(h), Some(m), Some(s)) => h < 24 && m < 60 && s < 60,
        _ => true,
    };
    time_ok(number(4), number(5), number(6)) && time_ok(number(7), number(8), number(9))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(json: serde_json::Value) -> String {
        to_yaml(&json::from_json(&json)).unwrap()
    }

    #[test]
    fn block_style_like_go_yaml_v2() {
        assert_eq!(
            yaml(serde_json::json!({"b": [1, "x", {"c": null}], "a": {"d": [], "e": {}}})),
            "a:\n  d: []\n  e: {}\nb:\n- 1\n- x\n- c: null"
        );
        assert_eq!(
            yaml(serde_json::json!([
                "true", "", "1.5", "a: b", "- x", "x\ny"
            ])),
            "- \"true\"\n- \"\"\n- \"1.5\"\n- 'a: b'\n- '- x'\n- |-\n  x\n  y"
        );
    }

    #[test]
    fn keys_in_go_yaml_order() {
        let mut keys = vec!["a10", "a9", "B", "a", "_x", "1"];
        keys.sort_by(|a, b| v2_key_order(a, b));
        assert_eq!(keys, ["_x", "1", "B", "a", "a9", "a10"]);
    }
}
