//! [`Value`]: the dynamic data a template sees, shaped like the values Go's
//! `text/template` gets from decoded JSON/YAML (`map[string]interface{}`),
//! plus Go `int` (number literals, `len`) and function values. A map or
//! list may carry the [`Methods`] of a Go named type (Helm's `.Files`,
//! `.Capabilities.APIVersions`).

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::funcs::Function;

/// A template value. Lists and maps are reference-counted, so handing a
/// large values tree to a template costs nothing.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's `nil` (an absent or null value).
    #[default]
    Nil,
    /// A Go `bool`.
    Bool(bool),
    /// A Go `int` (template number literals, results of `len`).
    Int(i64),
    /// A Go `float64` (every JSON/YAML number decoded as Go does).
    Float(f64),
    /// A Go `string`.
    String(String),
    /// A Go `[]interface{}`.
    List(List),
    /// A Go `map[string]interface{}`; keys are kept sorted, as Go prints
    /// and ranges over them. Shared like a Go map: a change made through
    /// one holder (sprig's `set`) is seen by all.
    Map(Dict),
    /// A function value; only `call` calls it (methods live in
    /// [`Methods`], not in values).
    Func(Function),
}

impl Value {
    /// Builds a list value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }

    /// Builds a map value.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Dict::new(entries))
    }

    /// Go's truth: false, 0, nil, and empty strings, lists and maps are
    /// false; everything else is true.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty() || m.methods().is_some_and(|m| m.is_struct),
            Value::Func(_) => true,
        }
    }

    /// The Go type name, as Go's error messages spell it.
    pub fn type_name(&self) -> &'static str {
        if let Some(methods) = self.methods() {
            return methods.type_name;
        }
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "[]interface {}",
            Value::Map(_) => "map[string]interface {}",
            Value::Func(_) => "func",
        }
    }

    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A Go `[]byte`: a list of its bytes as ints (so it prints, ranges
    /// and counts as Go's does), typed `[]uint8`. The ints are made only
    /// when the items are first read: a chart's `.Files` holds megabytes
    /// that templates mostly reach through methods on the bytes.
    pub fn bytes(data: impl Into<Arc<[u8]>>) -> Value {
        Value::List(List {
            items: Arc::new(Items::Bytes {
                bytes: data.into(),
                values: OnceLock::new(),
            }),
            methods: Some(Arc::new(Methods::new(BYTES_TYPE))),
        })
    }

    /// The bytes of a Go `[]byte` made by [`Value::bytes`].
    pub fn as_bytes(&self) -> Option<Vec<u8>> {
        match self {
            Value::List(list) if list.methods().is_some_and(|m| m.type_name == BYTES_TYPE) => {
                match list.items.as_ref() {
                    Items::Bytes { bytes, .. } => Some(bytes.to_vec()),
                    Items::Values(items) => items
                        .iter()
                        .map(|item| match item {
                            Value::Int(b) => u8::try_from(*b).ok(),
                            _ => None,
                        })
                        .collect(),
                }
            }
            _ => None,
        }
    }

    /// The methods of its Go type, if it has any.
    pub fn methods(&self) -> Option<&Methods> {
        match self {
            Value::Map(dict) => dict.methods(),
            Value::List(list) => list.methods(),
            _ => None,
        }
    }
}

/// The Go type of [`Value::bytes`].
const BYTES_TYPE: &str = "[]uint8";

/// The methods of a Go named type (Helm's `engine.files`,
/// `chartutil.VersionSet`): a map or list value carries them. As in Go,
/// field syntax (`.Files.Get`) finds a method before an entry of the same
/// name, while `range`, `len`, `index` and functions see only the entries.
/// A Go struct (or pointer to one) stands here as a map of its fields
/// carrying its type's methods; a `[]byte` as a list typed without methods.
#[derive(Clone)]
pub struct Methods {
    type_name: &'static str,
    table: BTreeMap<String, Function>,
    string: Option<String>,
    pointer_string: Option<String>,
    is_struct: bool,
    fields: Option<&'static [Field]>,
    payload: Option<Arc<dyn Any + Send + Sync>>,
}

/// A field of a Go struct type, in declaration order: what `fmt` prints
/// (`{a b}`, `{A:a B:b}`) and `encoding/json` writes (its tag's key,
/// `omitempty`, an embedded struct's fields promoted).
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// A named field: its Go name (the map entry holding its value), its
    /// JSON key (`""`: the Go name) and whether `omitempty` leaves it out
    /// of JSON when empty.
    Named {
        /// The Go field name.
        name: &'static str,
        /// The JSON key.
        json: &'static str,
        /// The tag's `omitempty`.
        omit_empty: bool,
    },
    /// An embedded struct (its fields are entries of the same map).
    Embedded {
        /// The embedded type's name (the field name `%+v` prints).
        name: &'static str,
        /// Its fields.
        fields: &'static [Field],
    },
}

impl Field {
    /// A field without a JSON tag.
    pub const fn plain(name: &'static str) -> Field {
        Field::Named {
            name,
            json: "",
            omit_empty: false,
        }
    }

    /// A field tagged `json:"key"` or `json:"key,omitempty"`.
    pub const fn json(name: &'static str, json: &'static str, omit_empty: bool) -> Field {
        Field::Named {
            name,
            json,
            omit_empty,
        }
    }
}

impl Methods {
    /// No methods yet, for the map or slice type `type_name` (as `typeOf`
    /// and errors name it).
    pub fn new(type_name: &'static str) -> Methods {
        Methods {
            type_name,
            table: BTreeMap::new(),
            string: None,
            pointer_string: None,
            is_struct: false,
            fields: None,
            payload: None,
        }
    }

    /// No methods yet, for the struct (or pointer) type `type_name`: its
    /// values are true even without fields, as Go's are.
    pub fn of_struct(type_name: &'static str) -> Methods {
        Methods {
            is_struct: true,
            ..Methods::new(type_name)
        }
    }

    /// Adds the method `name`; it gets the arguments of the call.
    pub fn method(mut self, name: &str, function: Function) -> Methods {
        self.table.insert(name.to_owned(), function);
        self
    }

    /// Adds a Go `String()` method returning `text`: `fmt` then prints the
    /// value as `text`, and `.String` returns it.
    pub fn string(mut self, text: impl Into<String>) -> Methods {
        let text = text.into();
        let returned = Value::String(text.clone());
        let function: Function = Arc::new(move |_, args| {
            super::FuncError::expect_args(args, 0)?;
            Ok(returned.clone())
        });
        self.string = Some(text);
        self.method("String", function)
    }

    /// Attaches the Rust data the value stands for (a Go `time.Time`'s
    /// instant and zone), for the functions that take such values.
    pub fn payload(mut self, data: impl Any + Send + Sync) -> Methods {
        self.payload = Some(Arc::new(data));
        self
    }

    /// The attached data, if it is a `T`.
    pub fn payload_of<T: Any>(&self) -> Option<&T> {
        self.payload.as_deref()?.downcast_ref()
    }

    /// Whether the type is a Go struct (see [`Methods::of_struct`]).
    pub fn is_struct(&self) -> bool {
        self.is_struct
    }

    /// Adds a Go `String()` method with a pointer receiver, returning
    /// `text`: a template printing the value itself (`{{ .Capabilities.KubeVersion }}`,
    /// an addressable field) prints `text`, but `fmt` given a copy of it (a
    /// function's argument: `print`, `quote`) prints the struct's fields.
    pub fn pointer_string(mut self, text: impl Into<String>) -> Methods {
        let text = text.into();
        let returned = Value::String(text.clone());
        let function: Function = Arc::new(move |_, args| {
            super::FuncError::expect_args(args, 0)?;
            Ok(returned.clone())
        });
        self.pointer_string = Some(text);
        self.method("String", function)
    }

    /// The struct's fields in declaration order, for `fmt` and JSON.
    pub fn fields(mut self, fields: &'static [Field]) -> Methods {
        self.fields = Some(fields);
        self
    }

    /// The struct's fields, if they were given.
    pub fn field_layout(&self) -> Option<&'static [Field]> {
        self.fields
    }

    /// What a pointer-receiver `String()` returns, if the type has one.
    pub fn pointer_string_form(&self) -> Option<&str> {
        self.pointer_string.as_deref()
    }

    /// The Go type name.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The method `name`.
    pub fn get(&self, name: &str) -> Option<&Function> {
        self.table.get(name)
    }

    /// What the type's `String()` method returns, if it has one.
    pub fn string_form(&self) -> Option<&str> {
        self.string.as_deref()
    }
}

/// A Go slice value: shared items, and the methods of its type if it is a
/// named one.
#[derive(Clone, Default)]
pub struct List {
    items: Arc<Items>,
    methods: Option<Arc<Methods>>,
}

/// A slice's items: values, or a `[]byte`'s bytes, turned into int
/// values the first time they are read as items.
enum Items {
    Values(Vec<Value>),
    Bytes {
        bytes: Arc<[u8]>,
        values: OnceLock<Vec<Value>>,
    },
}

impl Default for Items {
    fn default() -> Self {
        Items::Values(Vec::new())
    }
}

impl Items {
    fn values(&self) -> &Vec<Value> {
        match self {
            Items::Values(values) => values,
            Items::Bytes { bytes, values } => {
                values.get_or_init(|| bytes.iter().map(|b| Value::Int(i64::from(*b))).collect())
            }
        }
    }
}

impl List {
    /// A plain `[]interface{}` of `items`.
    pub fn new(items: Vec<Value>) -> List {
        List {
            items: Arc::new(Items::Values(items)),
            methods: None,
        }
    }

    /// A slice of a named type with `methods`.
    pub fn with_methods(items: Vec<Value>, methods: Methods) -> List {
        List {
            items: Arc::new(Items::Values(items)),
            methods: Some(Arc::new(methods)),
        }
    }

    /// The methods of its type, if it has any.
    pub fn methods(&self) -> Option<&Methods> {
        self.methods.as_deref()
    }
}

impl Deref for List {
    type Target = Vec<Value>;

    fn deref(&self) -> &Vec<Value> {
        self.items.values()
    }
}

impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.items.values() == other.items.values()
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.items.values().iter()).finish()
    }
}

/// A Go map value: a reference to entries that templates may change in
/// place (sprig's `set`, `unset`, `merge`), as Go maps are references.
/// Readers get copies of values, never a borrow, so a template may change
/// a map while ranging over it, as Go allows.
/// A map of a named Go type also carries that type's [`Methods`].
#[derive(Clone, Default)]
pub struct Dict {
    entries: Arc<RwLock<BTreeMap<String, Value>>>,
    methods: Option<Arc<Methods>>,
}

impl Dict {
    /// A map holding `entries`.
    pub fn new(entries: BTreeMap<String, Value>) -> Dict {
        Dict {
            entries: Arc::new(RwLock::new(entries)),
            methods: None,
        }
    }

    /// A map of a named type with `methods`, holding `entries`.
    pub fn with_methods(entries: BTreeMap<String, Value>, methods: Methods) -> Dict {
        Dict {
            entries: Arc::new(RwLock::new(entries)),
            methods: Some(Arc::new(methods)),
        }
    }

    /// The methods of its type, if it has any.
    pub fn methods(&self) -> Option<&Methods> {
        self.methods.as_deref()
    }

    /// The same map (changes through either are seen by both) as a value
    /// of a named type with `methods`: how Go's `chartutil.Values(m)`
    /// converts a map without copying it.
    pub fn typed(&self, methods: Methods) -> Dict {
        Dict {
            entries: self.entries.clone(),
            methods: Some(Arc::new(methods)),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Value>> {
        // A panic elsewhere cannot leave the map half-changed: every
        // change is one `insert` or `remove`.
        self.entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Value>> {
        self.entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.read().get(key).cloned()
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.read().contains_key(key)
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// A copy of the entries as they are now (values are shared).
    pub fn entries(&self) -> BTreeMap<String, Value> {
        self.read().clone()
    }

    /// Sets `key` to `value`, in place.
    pub fn insert(&self, key: String, value: Value) {
        self.write().insert(key, value);
    }

    /// Removes `key`, in place.
    pub fn remove(&self, key: &str) {
        self.write().remove(key);
    }

    /// Whether both are the same map (not merely equal).
    pub fn same(&self, other: &Dict) -> bool {
        Arc::ptr_eq(&self.entries, &other.entries)
    }
}

impl PartialEq for Dict {
    fn eq(&self, other: &Dict) -> bool {
        self.same(other) || self.entries() == other.entries()
    }
}

impl fmt::Debug for Dict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries()).finish()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            Value::Func(_) => f.write_str("<func>"),
            other => f.write_str(&super::format::sprint(std::slice::from_ref(other))),
        }
    }
}

/// Go's `==` on the values `eq` may compare (basic kinds, and nil).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Func(a), Value::Func(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_follows_go() {
        assert!(!Value::Nil.is_true());
        assert!(!Value::Float(0.0).is_true());
        assert!(!Value::String(String::new()).is_true());
        assert!(!Value::list(vec![]).is_true());
        assert!(Value::Int(-1).is_true());
        assert!(Value::list(vec![Value::Nil]).is_true());
    }
}
