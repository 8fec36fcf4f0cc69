//! cty, Terraform's type system, as far as the provider needs it: types,
//! values (with unknown and null), and their wire encodings.
//!
//! - `msgpack`: the `DynamicValue` encoding Terraform sends and expects.
//! - `json`: JSON type constraints (schemas) and JSON values (stored state).
//! - `path`: attribute paths, which point diagnostics at configuration.
//! - `yaml`: values written as Terraform's `yamlencode` writes them.

pub mod json;
pub mod msgpack;
pub mod path;
pub mod yaml;

use std::collections::BTreeMap;

pub use path::AttributePath;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `bool`.
    Bool,
    /// `number`: arbitrary precision in cty.
    Number,
    /// `string`.
    String,
    /// `dynamic`: the type travels with the value.
    Dynamic,
    /// `list(T)`.
    List(Box<Type>),
    /// `set(T)`.
    Set(Box<Type>),
    /// `map(T)`.
    Map(Box<Type>),
    /// `object({...})` with every attribute's type.
    Object(BTreeMap<String, Type>),
    /// `tuple([...])`.
    Tuple(Vec<Type>),
}

/// A cty number as it travels: an integer when it is one, else a float
/// when that is exact, else its decimal text (cty numbers are big floats).
#[derive(Clone, Debug, PartialEq)]
pub enum Number {
    /// An integer that fits in 64 bits.
    Int(i64),
    /// A float that is not an integer.
    Float(f64),
    /// Any other number, as decimal text.
    Big(String),
}

/// A cty value. Collections and objects hold values of their type.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// Not known until apply.
    Unknown,
    /// No value.
    #[default]
    Null,
    /// A bool.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// A list or tuple's elements.
    List(Vec<Value>),
    /// A set's elements.
    Set(Vec<Value>),
    /// A map's elements.
    Map(BTreeMap<String, Value>),
    /// An object's attributes: every attribute of its type is present.
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// Whether this value is null.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// Whether this value or anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Self::Unknown => false,
            Self::List(items) | Self::Set(items) => items.iter().all(Self::is_wholly_known),
            Self::Map(items) | Self::Object(items) => items.values().all(Self::is_wholly_known),
            _ => true,
        }
    }

    /// The attribute `name` of an object (`Null` for anything else or a
    /// missing attribute).
    pub fn attribute(&self, name: &str) -> &Value {
        match self {
            Self::Object(attributes) => attributes.get(name).unwrap_or(&Value::Null),
            _ => &Value::Null,
        }
    }

    /// A string value, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// A bool value, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A string value, or null for `None`.
    pub fn string_or_null(text: Option<impl Into<String>>) -> Self {
        text.map_or(Self::Null, |text| Self::String(text.into()))
    }
}
