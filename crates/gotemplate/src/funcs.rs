//! Functions: the type a template function has, the handle it gets to call
//! back into its template set, and Go's builtins (`and or not len index
//! slice eq ne lt le gt ge print printf println html js urlquery call`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::value::Value;
use super::{TemplateError, TemplateSet, compare, escape, exec, format};

/// A template function. It gets the [`Call`] handle (to run other
/// templates of the set, as Helm's `include` and `tpl` do) and its
/// evaluated arguments; a piped value comes last.
pub type Function = Arc<dyn Fn(&Call<'_>, &[Value]) -> Result<Value, FuncError> + Send + Sync>;

/// How many arguments a function takes; checked before it is called,
/// with Go's "wrong number of args" error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arity {
    /// Exactly this many.
    Exact(usize),
    /// This many or more (a Go variadic function).
    AtLeast(usize),
}

/// Why a function failed.
#[derive(Debug)]
pub enum FuncError {
    /// A failure the function reports; Go prints it as
    /// `error calling NAME: MESSAGE`.
    Message(String),
    /// An argument of the wrong type, worded as Go's own argument check
    /// and reported at that argument.
    WrongType {
        /// Which argument (the piped value counts last).
        index: usize,
        /// The Go type the function takes.
        expected: &'static str,
        /// The Go type it was given.
        got: &'static str,
    },
    /// The wrong number of arguments, for functions that check their own
    /// (function values called as methods); worded as Go's check.
    ArgCount {
        /// How many it takes.
        want: usize,
        /// How many it was given.
        got: usize,
    },
    /// A template the function ran failed (Helm's `include`, `tpl`).
    Template(Box<TemplateError>),
}

impl FuncError {
    /// A failure with this message.
    pub fn message(message: impl Into<String>) -> FuncError {
        FuncError::Message(message.into())
    }

    /// Checks that there are exactly `want` arguments.
    pub fn expect_args(args: &[Value], want: usize) -> Result<(), FuncError> {
        match args.len() {
            got if got == want => Ok(()),
            got => Err(FuncError::ArgCount { want, got }),
        }
    }

    /// Argument `index` as a string, checked as Go checks an argument of
    /// a function taking `string`.
    pub fn string_arg(args: &[Value], index: usize) -> Result<&str, FuncError> {
        let value = args.get(index).unwrap_or(&Value::Nil);
        value.as_str().ok_or(FuncError::WrongType {
            index,
            expected: "string",
            got: value.type_name(),
        })
    }
}

impl fmt::Display for FuncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FuncError::Message(message) => f.write_str(message),
            FuncError::WrongType { expected, got, .. } => {
                write!(f, "wrong type for value; expected {expected}; got {got}")
            }
            FuncError::ArgCount { want, got } => {
                write!(f, "wrong number of args: want {want} got {got}")
            }
            FuncError::Template(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FuncError {}

impl From<TemplateError> for FuncError {
    fn from(error: TemplateError) -> FuncError {
        FuncError::Template(Box::new(error))
    }
}

/// What a function sees of the execution that calls it.
pub struct Call<'a> {
    pub(super) set: &'a TemplateSet,
    pub(super) depth: usize,
}

impl<'a> Call<'a> {
    /// The template set being executed.
    pub fn set(&self) -> &'a TemplateSet {
        self.set
    }

    /// Executes the named template of this set with `data` as dot (Helm's
    /// `include`), one level deeper.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, TemplateError> {
        self.execute_in(self.set, name, data)
    }

    /// Executes a template of another set (Helm's `tpl` parses into a
    /// clone of the set), one level deeper.
    pub fn execute_in(
        &self,
        set: &TemplateSet,
        name: &str,
        data: &Value,
    ) -> Result<String, TemplateError> {
        exec::execute(set, name, data, self.depth + 1)
    }
}

/// Builtins that need the executor: lazy `and`/`or`, and `call`, which
/// names its callee in errors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Special {
    And,
    Or,
    Call,
}

/// What a function name runs.
#[derive(Clone)]
pub(super) enum Body {
    Func(Function),
    Special(Special),
}

/// A function in a set's registry.
#[derive(Clone)]
pub(super) struct Registered {
    pub arity: Arity,
    pub body: Body,
    /// A Go builtin (not a registered function of the same name).
    pub builtin: bool,
}

fn plain(f: impl Fn(&[Value]) -> Result<Value, FuncError> + Send + Sync + 'static) -> Body {
    Body::Func(Arc::new(move |_: &Call<'_>, args: &[Value]| f(args)))
}

/// Go's builtin functions.
pub(super) fn builtins() -> BTreeMap<String, Registered> {
    use Arity::{AtLeast, Exact};
    let table: Vec<(&str, Arity, Body)> = vec![
        ("and", AtLeast(1), Body::Special(Special::And)),
        ("or", AtLeast(1), Body::Special(Special::Or)),
        ("call", AtLeast(1), Body::Special(Special::Call)),
        ("not", Exact(1), plain(|a| Ok(Value::Bool(!a[0].is_true())))),
        ("len", Exact(1), plain(|a| length(&a[0]))),
        ("index", AtLeast(1), plain(index)),
        ("slice", AtLeast(1), plain(slice)),
        ("eq", AtLeast(1), plain(compare::eq)),
        ("ne", Exact(2), plain(compare::ne)),
        ("lt", Exact(2), plain(compare::lt)),
        ("le", Exact(2), plain(compare::le)),
        ("gt", Exact(2), plain(compare::gt)),
        ("ge", Exact(2), plain(compare::ge)),
        ("print", AtLeast(0), plain(|a| Ok(format::sprint(a).into()))),
        (
            "println",
            AtLeast(0),
            plain(|a| Ok(format::sprintln(a).into())),
        ),
        ("printf", AtLeast(1), plain(printf)),
        ("html", AtLeast(0), plain(|a| Ok(escape::html(a)))),
        ("js", AtLeast(0), plain(|a| Ok(escape::js(a)))),
        ("urlquery", AtLeast(0), plain(|a| Ok(escape::urlquery(a)))),
    ];
    table
        .into_iter()
        .map(|(name, arity, body)| {
            let registered = Registered {
                arity,
                body,
                builtin: true,
            };
            (name.to_owned(), registered)
        })
        .collect()
}

fn printf(args: &[Value]) -> Result<Value, FuncError> {
    let format = FuncError::string_arg(args, 0)?;
    Ok(format::sprintf(format, &args[1..]).into())
}

fn length(item: &Value) -> Result<Value, FuncError> {
    let len = match item {
        Value::String(s) => s.len(),
        Value::List(items) => items.len(),
        Value::Map(entries) => entries.len(),
        Value::Nil => return Err(FuncError::message("len of nil pointer")),
        other => {
            return Err(FuncError::message(format!(
                "len of type {}",
                other.type_name()
            )));
        }
    };
    Ok(Value::Int(len as i64))
}

/// An index into something of length `len`, as Go's `indexArg` checks it.
fn index_arg(index: &Value, len: usize) -> Result<usize, FuncError> {
    let x = match index {
        Value::Int(x) => *x,
        Value::Nil => return Err(FuncError::message("cannot index slice/array with nil")),
        other => {
            return Err(FuncError::message(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )));
        }
    };
    match usize::try_from(x) {
        Ok(x) if x <= len => Ok(x),
        _ => Err(FuncError::message(format!("index out of range: {x}"))),
    }
}

fn out_of_range() -> FuncError {
    FuncError::message("reflect: slice index out of range")
}

fn index(args: &[Value]) -> Result<Value, FuncError> {
    let (mut item, indexes) = match args.split_first() {
        Some((Value::Nil, _)) | None => return Err(FuncError::message("index of untyped nil")),
        Some((item, indexes)) => (item.clone(), indexes),
    };
    for index in indexes {
        item = match &item {
            Value::List(items) => {
                let x = index_arg(index, items.len())?;
                items.get(x).cloned().ok_or_else(out_of_range)?
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                Value::Int(i64::from(*s.as_bytes().get(x).ok_or_else(out_of_range)?))
            }
            Value::Map(entries) => match index {
                Value::String(key) => entries.get(key).unwrap_or_default(),
                Value::Nil => {
                    return Err(FuncError::message("value is nil; should be of type string"));
                }
                other => {
                    return Err(FuncError::message(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    )));
                }
            },
            Value::Nil => return Err(FuncError::message("index of nil pointer")),
            other => {
                return Err(FuncError::message(format!(
                    "can't index item of type {}",
                    other.type_name()
                )));
            }
        };
    }
    Ok(item)
}

fn slice(args: &[Value]) -> Result<Value, FuncError> {
    let (item, indexes) = args.split_first().expect("arity checked");
    if indexes.len() > 3 {
        return Err(FuncError::message(format!(
            "too many slice indexes: {}",
            indexes.len()
        )));
    }
    let len = match item {
        Value::Nil => return Err(FuncError::message("slice of untyped nil")),
        Value::String(_) if indexes.len() == 3 => {
            return Err(FuncError::message("cannot 3-index slice a string"));
        }
        Value::String(s) => s.len(),
        Value::List(items) => items.len(),
        other => {
            return Err(FuncError::message(format!(
                "can't slice item of type {}",
                other.type_name()
            )));
        }
    };
    let mut bounds = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        bounds[i] = index_arg(index, len)?;
    }
    let checked = if indexes.len() == 3 { 2 } else { 1 };
    for i in 0..checked {
        if bounds[i] > bounds[i + 1] {
            return Err(FuncError::message(format!(
                "invalid slice index: {} > {}",
                bounds[i],
                bounds[i + 1]
            )));
        }
    }
    let (from, to) = (bounds[0], bounds[1]);
    Ok(match item {
        Value::String(s) => {
            Value::String(String::from_utf8_lossy(&s.as_bytes()[from..to]).into_owned())
        }
        Value::List(items) => Value::list(items[from..to].to_vec()),
        _ => unreachable!("checked above"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(items: &[f64]) -> Value {
        Value::list(items.iter().map(|&i| Value::Float(i)).collect())
    }

    #[test]
    fn index_walks_lists_maps_and_strings() {
        let inner = Value::map(BTreeMap::from([("b".to_owned(), "x".into())]));
        let data = Value::map(BTreeMap::from([(
            "a".to_owned(),
            Value::list(vec![Value::Float(10.0), inner]),
        )]));
        let got = index(&[data, "a".into(), Value::Int(1), "b".into()]).unwrap();
        assert_eq!(got, "x".into());
        assert_eq!(
            index(&["abc".into(), Value::Int(1)]).unwrap(),
            Value::Int(98)
        );
        let err = index(&[ints(&[1.0]), Value::Int(5)]).unwrap_err();
        assert_eq!(err.to_string(), "index out of range: 5");
        assert!(index(&[Value::Nil]).is_err());
    }

    #[test]
    fn slice_like_go() {
        let items = ints(&[1.0, 2.0, 3.0]);
        assert_eq!(
            slice(&[items.clone(), Value::Int(1)]).unwrap(),
            ints(&[2.0, 3.0])
        );
        assert_eq!(
            slice(&["hello".into(), Value::Int(1), Value::Int(3)]).unwrap(),
            "el".into()
        );
        assert!(slice(&[items, Value::Int(2), Value::Int(1)]).is_err());
    }

    #[test]
    fn len_of_values() {
        assert_eq!(length(&"héllo".into()).unwrap(), Value::Int(6));
        assert!(length(&Value::Float(1.0)).is_err());
    }
}
