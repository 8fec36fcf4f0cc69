//! Coalescing user values over a chart's defaults, ported from Helm
//! v3.21's `chartutil.CoalesceValues`:
//! - maps merge recursively; user scalars and lists replace defaults
//!   wholesale; on a map/non-map clash the user's value stays;
//! - a user `null` deletes the key (and the default under it); a `null`
//!   the user sets for a key the chart lacks is kept as `null`, and so are
//!   `null`s in the chart's own defaults;
//! - subchart `S`: `values[S]` is coalesced with S's defaults after the
//!   parent's `global` is merged into `values[S].global` (parent wins).
//!
//! Subchart conditions, tags and `import-values` are not processed here:
//! every loaded subchart counts (rendering prunes and aliases them first).
//!
//! [`merge`] is Helm's `MergeValues`, the same walk keeping every `null`:
//! Helm uses it while importing values from subcharts.

use serde_json::{Map, Value};

use super::{Values, ValuesError};
use crate::helm::chart::Chart;

const GLOBAL: &str = "global";

/// The chart's final values: `user` coalesced over the chart's (and its
/// subcharts') defaults.
pub fn coalesce(chart: &Chart, user: &Values) -> Result<Values, ValuesError> {
    let mut values = user.clone();
    coalesce_chart(chart, &mut values, false)?;
    Ok(values)
}

/// Helm's `MergeValues`: like [`coalesce`], but `null`s are kept (a user
/// `null` does not delete the default).
pub fn merge(chart: &Chart, user: &Values) -> Result<Values, ValuesError> {
    let mut values = user.clone();
    coalesce_chart(chart, &mut values, true)?;
    Ok(values)
}

/// Helm's `CoalesceTables` (`merge` false: a `null` in `dst` deletes the
/// key) and `MergeTables` (`merge` true: it stays): `src` under `dst`.
pub fn coalesce_tables_into(dst: &mut Values, src: Values, merge: bool) {
    coalesce_tables(dst, src, merge);
}

fn coalesce_chart(chart: &Chart, values: &mut Values, merge: bool) -> Result<(), ValuesError> {
    coalesce_defaults(chart, values, merge);
    for subchart in &chart.subcharts {
        let mut sub_values = match values.remove(subchart.name()) {
            None => Map::new(),
            Some(Value::Object(sub_values)) => sub_values,
            Some(other) => {
                return Err(ValuesError::SubchartNotAMap {
                    subchart: subchart.name().to_owned(),
                    found: other,
                });
            }
        };
        coalesce_globals(&mut sub_values, values);
        coalesce_chart(subchart, &mut sub_values, merge)?;
        values.insert(subchart.name().to_owned(), Value::Object(sub_values));
    }
    Ok(())
}

/// Helm's `coalesceValues`: the chart's defaults under the user's values.
fn coalesce_defaults(chart: &Chart, values: &mut Values, merge: bool) {
    for (key, default) in &chart.values {
        match values.get_mut(key) {
            None => {
                values.insert(key.clone(), default.clone());
            }
            Some(Value::Null) if !merge => {
                values.remove(key);
            }
            Some(Value::Object(user)) => {
                if let Value::Object(default) = default {
                    let merge = merge || chart.subcharts.iter().any(|sub| sub.name() == key);
                    coalesce_tables(user, default.clone(), merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// Helm's `coalesceTablesFullKey`: `src` under `dst` (dst wins). With
/// `merge`, nulls in `dst` are kept rather than deleting the key.
fn coalesce_tables(dst: &mut Map<String, Value>, mut src: Map<String, Value>, merge: bool) {
    let src_non_null: Vec<String> = src
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, _)| key.clone())
        .collect();
    for (key, value) in dst.iter() {
        if value.is_null() {
            src.insert(key.clone(), Value::Null);
        }
    }
    for (key, value) in src {
        match (dst.get_mut(&key), value) {
            (Some(Value::Null), _) if !merge && src_non_null.contains(&key) => {
                dst.remove(&key);
            }
            (None, value) => {
                dst.insert(key, value);
            }
            (Some(Value::Object(dst_table)), Value::Object(src_table)) => {
                coalesce_tables(dst_table, src_table, merge);
            }
            // Map/non-map clashes and scalars: the destination wins.
            _ => {}
        }
    }
}

/// Helm's `coalesceGlobals`: the parent's `global` merged into the
/// subchart's (the parent wins).
fn coalesce_globals(sub_values: &mut Values, parent: &Values) {
    let mut sub_global = match sub_values.get(GLOBAL) {
        None => Map::new(),
        Some(Value::Object(global)) => global.clone(),
        Some(_) => return,
    };
    let parent_global = match parent.get(GLOBAL) {
        None => Map::new(),
        Some(Value::Object(global)) => global.clone(),
        Some(_) => return,
    };
    for (key, value) in parent_global {
        match (value, sub_global.get(&key)) {
            (Value::Object(mut table), Some(Value::Object(existing))) => {
                coalesce_tables(&mut table, existing.clone(), true);
                sub_global.insert(key, Value::Object(table));
            }
            (Value::Object(_), Some(_)) | (_, Some(Value::Object(_))) => {}
            (value, _) => {
                sub_global.insert(key, value);
            }
        }
    }
    sub_values.insert(GLOBAL.to_owned(), Value::Object(sub_global));
}
