//! Defaults and flow control: `default`, `empty`, `coalesce`, `all`,
//! `any`, `ternary` (sprig, with its emptiness rule: nil, false, 0 and
//! empty strings, lists and maps) and Helm's `required` and `fail`.

use super::{Table, Value, bool_arg, fail, is_empty, str_arg};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::{AtLeast, Exact};
    table.add(&["default"], AtLeast(1), |a| {
        Ok(match a.get(1) {
            Some(given) if !is_empty(given) => given.clone(),
            _ => a[0].clone(),
        })
    });
    table.add(&["empty"], Exact(1), |a| Ok(is_empty(&a[0]).into()));
    table.add(&["coalesce"], AtLeast(0), |a| {
        Ok(a.iter().find(|v| !is_empty(v)).cloned().unwrap_or_default())
    });
    table.add(&["all"], AtLeast(0), |a| {
        Ok(a.iter().all(|v| !is_empty(v)).into())
    });
    table.add(&["any"], AtLeast(0), |a| {
        Ok(a.iter().any(|v| !is_empty(v)).into())
    });
    table.add(&["ternary"], Exact(3), |a| {
        Ok(if bool_arg(a, 2)? {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    table.add(&["required"], Exact(2), |a| {
        let message = str_arg(a, 0)?;
        match &a[1] {
            Value::Nil => Err(fail(message)),
            Value::String(s) if s.is_empty() => Err(fail(message)),
            value => Ok(value.clone()),
        }
    });
    table.add(&["fail"], Exact(1), |a| Err(fail(str_arg(a, 0)?)));
}
