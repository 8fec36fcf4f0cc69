//! Go's comparison builtins `eq ne lt le gt ge`, with its rules: only basic
//! kinds compare, `int` and `float64` never compare with each other, `eq`
//! is true when the first argument equals any later one, and nil compares
//! unequal (without error) to anything but nil.

use std::cmp::Ordering;

use super::funcs::FuncError;
use super::value::Value;

fn bad_type() -> FuncError {
    FuncError::message("invalid type for comparison")
}

fn incompatible(a: &Value, b: &Value) -> FuncError {
    FuncError::message(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

fn is_basic(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::String(_)
    )
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// `eq arg1 arg2...`.
pub(super) fn eq(args: &[Value]) -> Result<Value, FuncError> {
    let (first, rest) = args.split_first().expect("arity checked");
    if rest.is_empty() {
        return Err(FuncError::message("missing argument for comparison"));
    }
    for other in rest {
        if !same_kind(first, other) {
            if !matches!(first, Value::Nil) && !matches!(other, Value::Nil) {
                return Err(incompatible(first, other));
            }
            continue;
        }
        if !is_basic(first) && !matches!(first, Value::Nil) {
            return Err(FuncError::message(format!(
                "non-comparable type {}: {}",
                super::format::sprint(std::slice::from_ref(first)),
                first.type_name()
            )));
        }
        if first == other {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

/// `ne a b`.
pub(super) fn ne(args: &[Value]) -> Result<Value, FuncError> {
    let equal = eq(args)?.is_true();
    Ok(Value::Bool(!equal))
}

fn order(a: &Value, b: &Value) -> Result<Ordering, FuncError> {
    if !is_basic(a) || !is_basic(b) {
        return Err(bad_type());
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => Ok(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Bool(_), Value::Bool(_)) => Err(bad_type()),
        _ => Err(incompatible(a, b)),
    }
}

fn less(args: &[Value]) -> Result<bool, FuncError> {
    let (a, b) = (&args[0], &args[1]);
    let ordering = order(a, b)?;
    // NaN: Go's `<` is false both ways.
    let nan = matches!((a, b), (Value::Float(x), Value::Float(y)) if x.is_nan() || y.is_nan());
    Ok(!nan && ordering == Ordering::Less)
}

fn less_or_equal(args: &[Value]) -> Result<bool, FuncError> {
    Ok(less(args)? || eq(args)?.is_true())
}

/// `lt a b`.
pub(super) fn lt(args: &[Value]) -> Result<Value, FuncError> {
    less(args).map(Value::Bool)
}

/// `le a b`.
pub(super) fn le(args: &[Value]) -> Result<Value, FuncError> {
    less_or_equal(args).map(Value::Bool)
}

/// `gt a b`.
pub(super) fn gt(args: &[Value]) -> Result<Value, FuncError> {
    less_or_equal(args).map(|le| Value::Bool(!le))
}

/// `ge a b`.
pub(super) fn ge(args: &[Value]) -> Result<Value, FuncError> {
    less(args).map(|lt| Value::Bool(!lt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_matches_any_later_argument() {
        let args = [Value::Int(1), Value::Int(2), Value::Int(1)];
        assert!(eq(&args).unwrap().is_true());
        assert!(
            eq(&[Value::Int(1), Value::Int(1), "a".into()])
                .unwrap()
                .is_true()
        );
    }

    #[test]
    fn int_and_float_do_not_compare() {
        let err = eq(&[Value::Float(2.0), Value::Int(2)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "incompatible types for comparison: float64 and int"
        );
        assert!(lt(&[Value::Int(1), Value::Float(2.0)]).is_err());
    }

    #[test]
    fn nil_is_unequal_without_error() {
        assert!(!eq(&[Value::Nil, "a".into()]).unwrap().is_true());
        assert!(eq(&[Value::Nil, Value::Nil]).unwrap().is_true());
        assert!(lt(&[Value::Nil, Value::Int(1)]).is_err());
    }

    #[test]
    fn ordering() {
        assert!(gt(&["b".into(), "a".into()]).unwrap().is_true());
        assert!(le(&[Value::Int(2), Value::Int(2)]).unwrap().is_true());
        assert!(lt(&[Value::Bool(true), Value::Bool(false)]).is_err());
    }
}
