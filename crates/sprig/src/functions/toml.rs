//! TOML: Helm's `toToml` (BurntSushi/toml's encoder: plain keys first,
//! then tables, each level indented by two spaces, floats always with a
//! decimal point, nils left out; an encoding error is the result text) and
//! `fromToml` (integers as int64, a parse error as an `Error` entry).

use std::collections::BTreeMap;

use super::{Table, Value, str_arg};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["toToml"], Exact(1), |a| {
        Ok(to_toml(&a[0]).unwrap_or_else(|error| error).into())
    });
    table.add(&["fromToml"], Exact(1), |a| {
        let entries = match str_arg(a, 0)?.parse::<toml::Table>() {
            Ok(parsed) => parsed
                .iter()
                .map(|(k, v)| (k.clone(), from_toml(v)))
                .collect(),
            Err(error) => BTreeMap::from([(
                "Error".to_owned(),
                Value::from(format!("toml: {}", error.message())),
            )]),
        };
        Ok(Value::map(entries))
    });
}

fn from_toml(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => s.as_str().into(),
        toml::Value::Integer(i) => Value::Int(*i),
        toml::Value::Float(f) => Value::Float(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(items) => Value::list(items.iter().map(from_toml).collect()),
        toml::Value::Table(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_toml(v)))
                .collect(),
        ),
    }
}

/// The encoder's output for a value: a map is a document; anything else
/// is written as a bare TOML value.
fn to_toml(value: &Value) -> Result<String, String> {
    let mut encoder = Encoder::default();
    match value {
        Value::Map(entries) => encoder.table(&[], &entries.entries())?,
        other => encoder.element(other)?,
    }
    Ok(encoder.out)
}

#[derive(Default)]
struct Encoder {
    out: String,
}

/// A list every item of which is a map: TOML's array of tables.
fn is_table_array(value: &Value) -> bool {
    matches!(value, Value::List(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Map(_))))
}

fn is_table(value: &Value) -> bool {
    matches!(value, Value::Map(_)) || is_table_array(value)
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn indent(path: &[String]) -> String {
        "  ".repeat(path.len().saturating_sub(1))
    }

    fn header(path: &[String]) -> String {
        path.iter().map(|k| key(k)).collect::<Vec<_>>().join(".")
    }

    /// A map's entries under `path`: plain values, then tables.
    fn table(&mut self, path: &[String], entries: &BTreeMap<String, Value>) -> Result<(), String> {
        let (subs, direct): (Vec<_>, Vec<_>) = entries.iter().partition(|(_, v)| is_table(v));
        for (name, value) in direct.into_iter().chain(subs) {
            if matches!(value, Value::Nil) {
                continue;
            }
            let mut child = path.to_vec();
            child.push(name.clone());
            match value {
                Value::Map(inner) => {
                    if child.len() == 1 {
                        self.newline();
                    }
                    self.out.push_str(&format!(
                        "{}[{}]",
                        Self::indent(&child),
                        Self::header(&child)
                    ));
                    self.newline();
                    self.table(&child, &inner.entries())?;
                }
                Value::List(items) if is_table_array(value) => {
                    for item in items.iter() {
                        let Value::Map(inner) = item else { continue };
                        self.newline();
                        self.out.push_str(&format!(
                            "{}[[{}]]",
                            Self::indent(&child),
                            Self::header(&child)
                        ));
                        self.newline();
                        self.table(&child, &inner.entries())?;
                    }
                }
                other => {
                    self.out
                        .push_str(&format!("{}{} = ", Self::indent(&child), key(name)));
                    self.element(other)?;
                    self.newline();
                }
            }
        }
        Ok(())
    }

    /// A value in place (`1`, `"s"`, `[1, 2]`, `{a = 1}`).
    fn element(&mut self, value: &Value) -> Result<(), String> {
        match value {
            Value::Nil => return Err("toml: cannot encode a nil value".into()),
            Value::Bool(b) => self.out.push_str(&b.to_string()),
            Value::Int(i) => self.out.push_str(&i.to_string()),
            Value::Float(f) => self.out.push_str(&float(*f)),
            Value::String(s) => self.out.push_str(&quote(s)),
            Value::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.element(item)?;
                }
                self.out.push(']');
            }
            Value::Map(entries) => {
                self.out.push('{');
                for (i, (name, item)) in entries.entries().iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(&format!("{} = ", key(name)));
                    self.element(item)?;
                }
                self.out.push('}');
            }
            Value::Func(_) => return Err("toml: cannot encode a function".into()),
        }
        Ok(())
    }
}

/// A float as the encoder writes it: no exponent, always a decimal point.
fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let text = format!("{f}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// A key, bare when TOML allows, else quoted.
fn key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { name.to_owned() } else { quote(name) }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
