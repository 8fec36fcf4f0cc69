//! Dictionary functions: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`,
//! `keys`, `pick`, `omit`, `values`, `dig`, `deepCopy` and `merge`/
//! `mergeOverwrite` with `mergo`'s rules. As in Go, `set`, `unset` and
//! the merges change their first map in place (everyone holding it sees
//! the change) and return it; the others build new maps. Go's map order
//! is random, so `keys` and `values` come in key order here (one of Go's
//! orders).

use std::collections::BTreeMap;

use super::{Dict, Table, Value, fail, is_empty, map_arg, str_arg, string_list, strval};
use gotemplate::{Arity, FuncError};

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::{AtLeast, Exact};
    table.add(&["dict"], AtLeast(0), |a| {
        let mut entries = BTreeMap::new();
        for pair in a.chunks(2) {
            let value = pair.get(1).cloned().unwrap_or_else(|| "".into());
            entries.insert(strval(&pair[0]), value);
        }
        Ok(Value::map(entries))
    });
    table.add(&["get"], Exact(2), |a| {
        let entries = map_arg(a, 0)?;
        Ok(entries.get(str_arg(a, 1)?).unwrap_or_else(|| "".into()))
    });
    table.add(&["set"], Exact(3), |a| {
        if matches!(a[0], Value::Nil) {
            return Err(fail("assignment to entry in nil map"));
        }
        let entries = map_arg(a, 0)?;
        entries.insert(str_arg(a, 1)?.to_owned(), a[2].clone());
        Ok(Value::Map(entries))
    });
    table.add(&["unset"], Exact(2), |a| {
        let entries = map_arg(a, 0)?;
        entries.remove(str_arg(a, 1)?);
        Ok(Value::Map(entries))
    });
    table.add(&["hasKey"], Exact(2), |a| {
        Ok(map_arg(a, 0)?.contains_key(str_arg(a, 1)?).into())
    });
    table.add(&["pluck"], AtLeast(1), |a| {
        let key = str_arg(a, 0)?;
        let mut found = Vec::new();
        for i in 1..a.len() {
            found.extend(map_arg(a, i)?.get(key));
        }
        Ok(Value::list(found))
    });
    table.add(&["keys"], AtLeast(0), |a| {
        let mut keys = Vec::new();
        for i in 0..a.len() {
            keys.extend(map_arg(a, i)?.entries().into_keys());
        }
        Ok(string_list(keys))
    });
    table.add(&["pick"], AtLeast(1), |a| {
        let entries = map_arg(a, 0)?;
        let mut picked = BTreeMap::new();
        for i in 1..a.len() {
            let key = str_arg(a, i)?;
            if let Some(value) = entries.get(key) {
                picked.insert(key.to_owned(), value);
            }
        }
        Ok(Value::map(picked))
    });
    table.add(&["omit"], AtLeast(1), |a| {
        let mut entries = map_arg(a, 0)?.entries();
        for i in 1..a.len() {
            entries.remove(str_arg(a, i)?);
        }
        Ok(Value::map(entries))
    });
    table.add(&["values"], Exact(1), |a| {
        Ok(Value::list(
            map_arg(a, 0)?.entries().into_values().collect(),
        ))
    });
    table.add(&["deepCopy", "mustDeepCopy"], Exact(1), |a| {
        Ok(deep_copy(&a[0]))
    });
    table.add(&["dig"], AtLeast(3), dig);
    table.add(&["merge", "mustMerge"], AtLeast(1), |a| merge(a, false));
    table.add(&["mergeOverwrite", "mustMergeOverwrite"], AtLeast(1), |a| {
        merge(a, true)
    });
}

/// A copy sharing no map with the original.
fn deep_copy(value: &Value) -> Value {
    match value {
        Value::Map(entries) => Value::map(
            entries
                .entries()
                .iter()
                .map(|(k, v)| (k.clone(), deep_copy(v)))
                .collect(),
        ),
        Value::List(items) => Value::list(items.iter().map(deep_copy).collect()),
        other => other.clone(),
    }
}

/// `dig KEY... DEFAULT DICT`: the value at the key path, or the default
/// when a key is missing. Non-map steps fail as sprig's type assertions do.
fn dig(args: &[Value]) -> Result<Value, FuncError> {
    let (dict, rest) = args.split_last().expect("arity checked");
    let (default, keys) = rest.split_last().expect("arity checked");
    let assertion = |value: &Value, want: &str| {
        fail(format!(
            "interface conversion: interface {{}} is {}, not {want}",
            match value {
                Value::Nil => "nil",
                other => other.type_name(),
            }
        ))
    };
    let keys = keys
        .iter()
        .map(|k| k.as_str().ok_or_else(|| assertion(k, "string")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut current = dict.clone();
    for (i, key) in keys.iter().enumerate() {
        let Value::Map(entries) = &current else {
            return Err(assertion(&current, "map[string]interface {}"));
        };
        let Some(step) = entries.get(key) else {
            return Ok(default.clone());
        };
        if i + 1 == keys.len() {
            return Ok(step);
        }
        current = step;
    }
    Ok(default.clone())
}

/// `mergo.Merge` (or `MergeWithOverwrite`) of each source into the first
/// map, in place: maps merge recursively (into the destination's own
/// inner maps); a value fills a missing or empty destination, or,
/// overwriting, replaces it (nil included).
fn merge(args: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let destination = map_arg(args, 0)?;
    for i in 1..args.len() {
        merge_into(&destination, &map_arg(args, i)?, overwrite);
    }
    Ok(Value::Map(destination))
}

fn merge_into(destination: &Dict, source: &Dict, overwrite: bool) {
    for (key, value) in source.entries() {
        if matches!(value, Value::Nil) && !overwrite {
            continue;
        }
        let existing = destination.get(&key);
        if let (Some(Value::Map(inner)), Value::Map(from)) = (&existing, &value) {
            merge_into(inner, from, overwrite);
            continue;
        }
        if overwrite || existing.as_ref().is_none_or(is_empty) {
            destination.insert(key, value);
        }
    }
}
