//! Subcharts as Helm v3.21 prepares them before rendering
//! (`chartutil.ProcessDependenciesWithMerge`): each `dependencies` entry of
//! `Chart.yaml` picks the loaded subchart of its name whose version meets
//! its `version` constraint (renamed to its `alias`, if any); `tags` and
//! then `condition` (the first of its paths that holds a bool) disable
//! entries, and disabled subcharts are removed; finally `import-values`
//! copies child values into the parent's defaults, under the parent's own.
//! Subcharts that no entry names stay as loaded.

use serde_json::{Map, Value};

use crate::helm::chart::Chart;
use crate::helm::values::{self, Values, ValuesError, coalesce::coalesce_tables_into};
use sprig::semver::is_compatible_range;

/// The chart with its subcharts enabled, aliased and their values imported
/// for these user values.
pub(super) fn process(chart: &Chart, user: &Values) -> Result<Chart, ValuesError> {
    let mut chart = chart.clone();
    enable(&mut chart, user, "")?;
    import_values(&mut chart)?;
    Ok(chart)
}

/// Helm's `processDependencyEnabled`. `parent_values` is what the caller
/// coalesced (at the top, the user's values); `path` is this chart's
/// prefix in them (`sub.` for a subchart).
fn enable(chart: &mut Chart, parent_values: &Values, path: &str) -> Result<(), ValuesError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let loaded = std::mem::take(&mut chart.subcharts);
    let named = |sub: &Chart| {
        chart.metadata.dependencies.iter().any(|dependency| {
            dependency.name == sub.name()
                && is_compatible_range(&dependency.version, &sub.metadata.version)
        })
    };
    let mut subcharts: Vec<Chart> = loaded.iter().filter(|sub| !named(sub)).cloned().collect();
    for dependency in &mut chart.metadata.dependencies {
        let chosen = loaded.iter().find(|sub| {
            sub.name() == dependency.name
                && is_compatible_range(&dependency.version, &sub.metadata.version)
        });
        if let Some(sub) = chosen {
            let mut sub = sub.clone();
            if !dependency.alias.is_empty() {
                sub.metadata.name = dependency.alias.clone();
            }
            subcharts.push(sub);
        }
        if !dependency.alias.is_empty() {
            dependency.name = dependency.alias.clone();
        }
        dependency.enabled = true;
    }
    chart.subcharts = subcharts;

    let values = values::coalesce(chart, parent_values)?;
    let tags = values.get("tags").and_then(Value::as_object);
    for dependency in &mut chart.metadata.dependencies {
        if let Some(tags) = tags {
            let set: Vec<bool> = dependency
                .tags
                .iter()
                .filter_map(|tag| tags.get(tag).and_then(Value::as_bool))
                .collect();
            dependency.enabled = set.contains(&true) || set.is_empty();
        }
        let conditions = dependency.condition.trim();
        let condition = conditions
            .split(',')
            .filter(|condition| !condition.is_empty())
            .find_map(|condition| path_value(&values, &format!("{path}{condition}"))?.as_bool());
        if let Some(enabled) = condition {
            dependency.enabled = enabled;
        }
    }
    let disabled: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|dependency| !dependency.enabled)
        .map(|dependency| dependency.name.clone())
        .collect();
    chart
        .subcharts
        .retain(|sub| !disabled.contains(&sub.metadata.name));
    chart
        .metadata
        .dependencies
        .retain(|dependency| !disabled.contains(&dependency.name));
    for sub in &mut chart.subcharts {
        let sub_path = format!("{path}{}.", sub.metadata.name);
        enable(sub, &values, &sub_path)?;
    }
    Ok(())
}

/// Helm's `Values.PathValue`: the non-map value at a dotted path.
fn path_value<'v>(values: &'v Values, path: &str) -> Option<&'v Value> {
    let (tables, key) = match path.rsplit_once('.') {
        Some((tables, key)) => (Some(tables), key),
        None => (None, path),
    };
    let table = match tables {
        Some(tables) => table(values, tables)?,
        None => values,
    };
    table.get(key).filter(|value| !value.is_object())
}

/// Helm's `Values.Table`: the map at a dotted path.
fn table<'v>(values: &'v Values, path: &str) -> Option<&'v Values> {
    path.split('.')
        .try_fold(values, |table, key| table.get(key)?.as_object())
}

/// Helm's `processDependencyImportValues` (merging, nulls kept): children
/// first, then this chart.
fn import_values(chart: &mut Chart) -> Result<(), ValuesError> {
    for sub in &mut chart.subcharts {
        import_values(sub)?;
    }
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let values = values::coalesce::merge(chart, &Values::new())?;
    let mut imported = Values::new();
    for dependency in &mut chart.metadata.dependencies {
        let mut rewritten = Vec::new();
        for import in &dependency.import_values {
            let (child, parent) = match import {
                Value::Object(import) => (
                    go_string(import.get("child")),
                    go_string(import.get("parent")),
                ),
                Value::String(export) => (format!("exports.{export}"), ".".to_owned()),
                _ => continue,
            };
            rewritten.push(serde_json::json!({"child": child, "parent": parent}));
            let Some(found) = table(&values, &format!("{}.{child}", dependency.name)) else {
                continue;
            };
            coalesce_tables_into(&mut imported, path_to_map(&parent, found.clone()), true);
        }
        dependency.import_values = rewritten;
    }
    let mut values = values;
    coalesce_tables_into(&mut values, imported, true);
    chart.values = values;
    Ok(())
}

/// A value as Go's `fmt.Sprintf("%v")` prints the strings Helm expects
/// here (an absent key prints `<nil>`).
fn go_string(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "<nil>".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// Helm's `pathToMap`: `data` nested under the dotted `path` (`.` = as is).
fn path_to_map(path: &str, data: Values) -> Values {
    if path == "." {
        return data;
    }
    path.rsplit('.').fold(data, |inner, key| {
        Map::from_iter([(key.to_owned(), Value::Object(inner))])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_subcharts_bring_no_crds() {
        let chart = Chart::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/charts/with-optional-crds"),
        )
        .unwrap();
        let crds = |values: serde_json::Value| -> Vec<String> {
            let Value::Object(values) = values else {
                unreachable!()
            };
            process(&chart, &values)
                .unwrap()
                .crd_files()
                .iter()
                .map(|file| file.name.clone())
                .collect()
        };
        assert!(
            crds(serde_json::json!({})).is_empty(),
            "both disabled by default"
        );
        assert_eq!(
            crds(serde_json::json!({"gadgets": {"enabled": true}})),
            ["crds/gadgets.yaml"],
            "a condition enables"
        );
        assert_eq!(
            crds(serde_json::json!({"tags": {"extras": true}})),
            ["crds/sprockets.yaml"],
            "a tag enables"
        );
        assert_eq!(chart.crd_files().len(), 2, "unprocessed, every subchart's");
    }

    #[test]
    fn paths_walk_maps_and_stop_at_values() {
        let values: Values = serde_json::from_str(r#"{"a": {"b": {"c": true}}, "d": 1}"#).unwrap();
        assert_eq!(path_value(&values, "a.b.c"), Some(&Value::Bool(true)));
        assert_eq!(path_value(&values, "a.b"), None);
        assert_eq!(path_value(&values, "d"), values.get("d"));
        assert_eq!(
            Value::Object(path_to_map("x.y", values.clone())),
            serde_json::json!({"x": {"y": values}})
        );
    }
}
