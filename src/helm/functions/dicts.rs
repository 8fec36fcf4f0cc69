//! Dictionary functions: `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`,
//! `keys`, `pick`, `omit`, `values`, `dig`, `deepCopy` and `merge`/
//! `mergeOverwrite` with `mergo`'s rules. Go's map order is random, so
//! `keys` and `values` come in key order here (one of Go's orders).

use std::collections::BTreeMap;

use super::{Dict, Table, Value, fail, is_empty, map_arg, str_arg, string_list, strval};
use crate::helm::template::{Arity, FuncError};

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
        Ok(entries
            .get(str_arg(a, 1)?)
            .cloned()
            .unwrap_or_else(|| "".into()))
    });
    table.add(&["set"], Exact(3), |a| {
        let mut entries = (*map_arg(a, 0)?).clone();
        entries.insert(str_arg(a, 1)?.to_owned(), a[2].clone());
        Ok(Value::map(entries))
    });
    table.add(&["unset"], Exact(2), |a| {
        let mut entries = (*map_arg(a, 0)?).clone();
        entries.remove(str_arg(a, 1)?);
        Ok(Value::map(entries))
    });
    table.add(&["hasKey"], Exact(2), |a| {
        Ok(map_arg(a, 0)?.contains_key(str_arg(a, 1)?).into())
    });
    table.add(&["pluck"], AtLeast(1), |a| {
        let key = str_arg(a, 0)?;
        let mut found = Vec::new();
        for i in 1..a.len() {
            found.extend(map_arg(a, i)?.get(key).cloned());
        }
        Ok(Value::list(found))
    });
    table.add(&["keys"], AtLeast(0), |a| {
        let mut keys = Vec::new();
        for i in 0..a.len() {
            keys.extend(map_arg(a, i)?.keys().cloned());
        }
        Ok(string_list(keys))
    });
    table.add(&["pick"], AtLeast(1), |a| {
        let entries = map_arg(a, 0)?;
        let mut picked = BTreeMap::new();
        for i in 1..a.len() {
            let key = str_arg(a, i)?;
            if let Some(value) = entries.get(key) {
                picked.insert(key.to_owned(), value.clone());
            }
        }
        Ok(Value::map(picked))
    });
    table.add(&["omit"], AtLeast(1), |a| {
        let mut entries = (*map_arg(a, 0)?).clone();
        for i in 1..a.len() {
            entries.remove(str_arg(a, i)?);
        }
        Ok(Value::map(entries))
    });
    table.add(&["values"], Exact(1), |a| {
        Ok(Value::list(map_arg(a, 0)?.values().cloned().collect()))
    });
    table.add(
        &["deepCopy", "mustDeepCopy"],
        Exact(1),
        |a| Ok(a[0].clone()),
    );
    table.add(&["dig"], AtLeast(3), dig);
    table.add(&["merge", "mustMerge"], AtLeast(1), |a| merge(a, false));
    table.add(&["mergeOverwrite", "mustMergeOverwrite"], AtLeast(1), |a| {
        merge(a, true)
    });
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
        let Some(step) = entries.get(*key) else {
            return Ok(default.clone());
        };
        if i + 1 == keys.len() {
            return Ok(step.clone());
        }
        current = step.clone();
    }
    Ok(default.clone())
}

/// `mergo.Merge` (or `MergeWithOverwrite`) of each source into the first
/// map: maps merge recursively; a value fills a missing or empty
/// destination, or, overwriting, replaces it (nil included).
fn merge(args: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    let mut destination = (*map_arg(args, 0)?).clone();
    for i in 1..args.len() {
        merge_into(&mut destination, &map_arg(args, i)?, overwrite);
    }
    Ok(Value::map(destination))
}

fn merge_into(destination: &mut BTreeMap<String, Value>, source: &Dict, overwrite: bool) {
    for (key, value) in source.iter() {
        if matches!(value, Value::Nil) && !overwrite {
            continue;
        }
        let existing = destination.get(key);
        if let (Some(Value::Map(inner)), Value::Map(from)) = (existing, value) {
            let mut inner = (**inner).clone();
            merge_into(&mut inner, from, overwrite);
            destination.insert(key.clone(), Value::map(inner));
            continue;
        }
        if overwrite || existing.is_none_or(is_empty) {
            destination.insert(key.clone(), value.clone());
        }
    }
}
