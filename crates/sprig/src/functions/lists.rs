//! List functions. sprig's plain versions panic where the `must` ones
//! return errors, and a template sees both as errors, so each pair shares
//! one implementation. Lists are never changed in place: every function
//! returns a new one, as sprig copies.

use super::conversion::{strslice, to_int64};
use super::{Table, Value, fail, int_arg, is_empty, kind_name, string_list, strval};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::{AtLeast, Exact};
    table.add(&["list", "tuple"], AtLeast(0), |a| {
        Ok(Value::list(a.to_vec()))
    });
    table.add(
        &["append", "push", "mustAppend", "mustPush"],
        Exact(2),
        |a| {
            let mut items = items(&a[0], "push")?;
            items.push(a[1].clone());
            Ok(Value::list(items))
        },
    );
    table.add(&["prepend", "mustPrepend"], Exact(2), |a| {
        let mut items = items(&a[0], "prepend")?;
        items.insert(0, a[1].clone());
        Ok(Value::list(items))
    });
    table.add(&["first", "mustFirst"], Exact(1), |a| {
        Ok(items(&a[0], "find first")?
            .first()
            .cloned()
            .unwrap_or_default())
    });
    table.add(&["last", "mustLast"], Exact(1), |a| {
        Ok(items(&a[0], "find last")?
            .last()
            .cloned()
            .unwrap_or_default())
    });
    table.add(&["rest", "mustRest"], Exact(1), |a| {
        let items = items(&a[0], "find rest")?;
        Ok(Value::list(items.get(1..).unwrap_or_default().to_vec()))
    });
    table.add(&["initial", "mustInitial"], Exact(1), |a| {
        let items = items(&a[0], "find initial")?;
        let end = items.len().saturating_sub(1);
        Ok(Value::list(items[..end].to_vec()))
    });
    table.add(&["reverse", "mustReverse"], Exact(1), |a| {
        let mut items = items(&a[0], "find reverse")?;
        items.reverse();
        Ok(Value::list(items))
    });
    table.add(&["compact", "mustCompact"], Exact(1), |a| {
        let items = items(&a[0], "compact")?;
        Ok(Value::list(
            items.into_iter().filter(|v| !is_empty(v)).collect(),
        ))
    });
    table.add(&["uniq", "mustUniq"], Exact(1), |a| {
        let mut unique: Vec<Value> = Vec::new();
        for item in items(&a[0], "find uniq")? {
            if !unique.contains(&item) {
                unique.push(item);
            }
        }
        Ok(Value::list(unique))
    });
    table.add(&["without", "mustWithout"], AtLeast(1), |a| {
        let omit = &a[1..];
        let items = items(&a[0], "find without")?;
        Ok(Value::list(
            items.into_iter().filter(|v| !omit.contains(v)).collect(),
        ))
    });
    table.add(&["has", "mustHas"], Exact(2), |a| {
        Ok(Value::Bool(items(&a[1], "find has")?.contains(&a[0])))
    });
    table.add(&["slice", "mustSlice"], AtLeast(1), slice);
    table.add(&["concat"], AtLeast(0), |a| {
        let mut all = Vec::new();
        for list in a {
            match list {
                Value::List(items) => all.extend(items.iter().cloned()),
                other => {
                    return Err(fail(format!(
                        "Cannot concat type {} as list",
                        kind_name(other)
                    )));
                }
            }
        }
        Ok(Value::list(all))
    });
    table.add(&["chunk", "mustChunk"], Exact(2), |a| {
        let size = int_arg(a, 0)?;
        let items = items(&a[1], "chunk")?;
        let size = usize::try_from(size)
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| fail("runtime error: integer divide by zero"))?;
        Ok(Value::list(
            items
                .chunks(size)
                .map(|c| Value::list(c.to_vec()))
                .collect(),
        ))
    });
    table.add(&["sortAlpha"], Exact(1), |a| {
        let mut strings = match &a[0] {
            Value::List(_) => strslice(&a[0]),
            other => vec![strval(other)],
        };
        strings.sort();
        Ok(string_list(strings))
    });
    table.add(&["until"], Exact(1), |a| {
        let count = int_arg(a, 0)?;
        Ok(ints(until_step(0, count, if count < 0 { -1 } else { 1 })))
    });
    table.add(&["untilStep"], Exact(3), |a| {
        Ok(ints(until_step(
            int_arg(a, 0)?,
            int_arg(a, 1)?,
            int_arg(a, 2)?,
        )))
    });
    table.add(&["seq"], AtLeast(0), seq);
}

/// The items of a list argument, or sprig's "Cannot VERB on type KIND".
fn items(value: &Value, verb: &str) -> Result<Vec<Value>, FuncError> {
    match value {
        Value::List(items) => Ok(items.to_vec()),
        other => Err(fail(format!("Cannot {verb} on type {}", kind_name(other)))),
    }
}

fn ints(values: Vec<i64>) -> Value {
    Value::list(values.into_iter().map(Value::Int).collect())
}

/// sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`;
/// empty when the step goes the wrong way.
fn until_step(start: i64, stop: i64, step: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut i = start;
    if stop < start {
        if step >= 0 {
            return out;
        }
        while i > stop {
            out.push(i);
            i += step;
        }
        return out;
    }
    if step <= 0 {
        return out;
    }
    while i < stop {
        out.push(i);
        i += step;
    }
    out
}

fn slice(args: &[Value]) -> Result<Value, FuncError> {
    let items = match &args[0] {
        Value::List(items) => items,
        other => {
            return Err(fail(format!(
                "list should be type of slice or array but {}",
                kind_name(other)
            )));
        }
    };
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let start = args.get(1).map_or(0, to_int64);
    let end = args.get(2).map_or(items.len() as i64, to_int64);
    match (usize::try_from(start), usize::try_from(end)) {
        (Ok(start), Ok(end)) if start <= end && end <= items.len() => {
            Ok(Value::list(items[start..end].to_vec()))
        }
        _ => Err(fail("reflect: slice index out of range")),
    }
}

/// sprig's `seq`, like the Unix command: `seq END`, `seq START END`,
/// `seq START STEP END`, as a space-separated string.
fn seq(args: &[Value]) -> Result<Value, FuncError> {
    let params = (0..args.len())
        .map(|i| int_arg(args, i))
        .collect::<Result<Vec<_>, _>>()?;
    let numbers = match params[..] {
        [end] => {
            let increment = if end < 1 { -1 } else { 1 };
            until_step(1, end + increment, increment)
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(start, end + step, step)
        }
        [start, step, end] => {
            let increment = if end < start { -1 } else { 1 };
            if end < start && step > 0 {
                Vec::new()
            } else {
                until_step(start, end + increment, step)
            }
        }
        _ => Vec::new(),
    };
    let words: Vec<String> = numbers.iter().map(i64::to_string).collect();
    Ok(words.join(" ").into())
}
