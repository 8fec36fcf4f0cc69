//! The template functions, one module per family, each mirroring the Go
//! it stands for: Go's argument typing (a `float64` from values passed
//! where sprig takes `int` is an error, as in Helm), `spf13/cast`'s
//! coercions for the `interface{}` arguments, sprig's panics (errors here)
//! and its swallowed errors (zero values), and Go's printing of every
//! result. This module holds what the families share: [`register`] and
//! the argument helpers.

mod certificates;
mod conversion;
mod dates;
mod defaults;
mod dicts;
mod encoding;
mod encryption;
mod hashes;
mod json;
mod keys;
mod lists;
mod math;
mod passwords;
mod paths;
mod pem;
mod random;
mod reflection;
mod regex;
mod semver;
mod strings;
mod toml;
mod unsupported;
mod urls;
mod yaml;

use gotemplate::{Arity, Dict, FuncError, TemplateSet, Value};

pub use json::from_json;

/// Registers Helm's function library (sprig and Helm's own, without
/// `include`, `tpl` and `lookup`) on `set`. Call before parsing.
pub fn register(set: &mut TemplateSet) {
    let mut table = Table(set);
    strings::register(&mut table);
    conversion::register(&mut table);
    lists::register(&mut table);
    dicts::register(&mut table);
    math::register(&mut table);
    defaults::register(&mut table);
    encoding::register(&mut table);
    hashes::register(&mut table);
    regex::register(&mut table);
    semver::register(&mut table);
    json::register(&mut table);
    yaml::register(&mut table);
    toml::register(&mut table);
    paths::register(&mut table);
    passwords::register(&mut table);
    keys::register(&mut table);
    certificates::register(&mut table);
    encryption::register(&mut table);
    reflection::register(&mut table);
    urls::register(&mut table);
    random::register(&mut table);
    dates::register(&mut table);
    unsupported::register(&mut table);
}

/// What a library function is: its arguments in, a value or an error out.
type Func = fn(&[Value]) -> Result<Value, FuncError>;

/// The set being filled, with a shorter way to add plain functions.
struct Table<'a>(&'a mut TemplateSet);

impl Table<'_> {
    /// Adds `function` under each of `names`.
    fn add(&mut self, names: &[&str], arity: Arity, function: Func) {
        for name in names {
            self.0.func(name, arity, move |_, args| function(args));
        }
    }
}

/// Go's `%v` of one value (what sprig's `strval` gives for non-strings).
fn sprint(value: &Value) -> String {
    gotemplate::sprint(std::slice::from_ref(value))
}

/// sprig's `strval`: a string as is, a `[]byte` as its text, anything else
/// as `%v` prints it.
fn strval(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => match other.as_bytes() {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            None => sprint(other),
        },
    }
}

/// The error Go's template engine gives for an argument of the wrong type.
fn wrong_type(index: usize, expected: &'static str, value: &Value) -> FuncError {
    FuncError::WrongType {
        index,
        expected,
        got: value.type_name(),
    }
}

/// Argument `index`, which a Go function takes as `string`.
fn str_arg(args: &[Value], index: usize) -> Result<&str, FuncError> {
    FuncError::string_arg(args, index)
}

/// Argument `index`, which a Go function takes as `int`: only ints pass
/// (a float64 from values does not, as in Helm).
fn int_arg(args: &[Value], index: usize) -> Result<i64, FuncError> {
    match &args[index] {
        Value::Int(i) => Ok(*i),
        other => Err(wrong_type(index, "int", other)),
    }
}

/// Argument `index`, which a Go function takes as `bool`.
fn bool_arg(args: &[Value], index: usize) -> Result<bool, FuncError> {
    match &args[index] {
        Value::Bool(b) => Ok(*b),
        other => Err(wrong_type(index, "bool", other)),
    }
}

/// Argument `index`, which a Go function takes as `map[string]interface{}`
/// (nil gives a new empty map).
fn map_arg(args: &[Value], index: usize) -> Result<Dict, FuncError> {
    match &args[index] {
        Value::Map(entries) => Ok(entries.clone()),
        Value::Nil => Ok(Dict::default()),
        other => Err(wrong_type(index, "map[string]interface {}", other)),
    }
}

/// A list of strings (a Go `[]string` result).
fn string_list(items: impl IntoIterator<Item = String>) -> Value {
    Value::list(items.into_iter().map(Value::String).collect())
}

/// sprig's `empty`: the zero value of its type (nil, false, 0, and
/// empty strings, lists and maps).
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::List(items) => items.is_empty(),
        // A struct (a certificate, a time) is never empty.
        Value::Map(entries) => {
            entries.is_empty() && !entries.methods().is_some_and(|m| m.is_struct())
        }
        Value::Func(_) => false,
    }
}

/// A failure message in Go's words.
fn fail(message: impl Into<String>) -> FuncError {
    FuncError::message(message)
}

/// The Go `reflect.Kind` name of a value, as sprig's list errors print it.
fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "slice",
        Value::Map(_) if value.type_name().starts_with('*') => "ptr",
        Value::Map(_) if value.methods().is_some_and(|m| m.is_struct()) => "struct",
        Value::Map(_) => "map",
        Value::Func(_) => "func",
    }
}
