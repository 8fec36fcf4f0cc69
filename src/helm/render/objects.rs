//! The objects each template sees, built as Helm's `recAllTpls` builds
//! them: per chart `.Chart` (metadata under Go's field names, plus
//! `IsRoot`, printed and encoded as the Go struct), `.Files`, `.Values` (a
//! subchart's own sub-tree, with `chartutil.Values`' methods),
//! `.Subcharts`, and the shared `.Release` and `.Capabilities`;
//! `.Template` is set per file when it is rendered.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value as Json;

use super::capabilities::map;
use super::files::{TO_YAML_TEMPLATE, files_value};
use crate::helm::chart::{Chart, Metadata};
use gotemplate::{Call, Dict, Field, FuncError, Function, Methods, Value};

/// A template file to render, with the objects it sees.
pub(super) struct Template {
    /// Its full name, e.g. `app/charts/db/templates/service.yaml`.
    pub name: String,
    /// Its text.
    pub text: String,
    /// `<chart path>/templates`.
    pub base_path: String,
    /// Whether its output is wanted (not a partial `_*`).
    pub emit: bool,
    /// The chart's objects (without `.Template`).
    pub objects: Value,
}

/// What every chart shares: `.Release` and `.Capabilities`.
pub(super) struct Shared {
    pub release: Value,
    pub capabilities: Value,
}

/// Collects the templates of `chart` and its subcharts, each with its
/// objects; returns the chart's objects (its `.Subcharts` entry).
pub(super) fn collect(
    chart: &Chart,
    path: &str,
    values: Value,
    is_root: bool,
    shared: &Shared,
    templates: &mut Vec<Template>,
) -> Value {
    let mut subcharts = BTreeMap::new();
    for sub in &chart.subcharts {
        let sub_values = match &values {
            Value::Map(entries) => match entries.get(sub.name()) {
                Some(table @ Value::Map(_)) => table.clone(),
                _ => Value::map(BTreeMap::new()),
            },
            _ => Value::map(BTreeMap::new()),
        };
        let sub_path = format!("{path}/charts/{}", sub.name());
        let objects = collect(sub, &sub_path, sub_values, false, shared, templates);
        subcharts.insert(sub.name().to_owned(), objects);
    }
    let objects = map([
        ("Chart", chart_value(&chart.metadata, is_root)),
        ("Files", files_value(&chart.files)),
        ("Release", shared.release.clone()),
        ("Capabilities", shared.capabilities.clone()),
        ("Values", values_value(&values)),
        ("Subcharts", Value::map(subcharts)),
    ]);
    let library = chart.metadata.is_library();
    for file in &chart.templates {
        let partial = file
            .name
            .rsplit('/')
            .next()
            .is_some_and(|base| base.starts_with('_'));
        // A library chart contributes only its partials.
        if library && !partial {
            continue;
        }
        templates.push(Template {
            name: format!("{path}/{}", file.name),
            text: String::from_utf8_lossy(&file.data).into_owned(),
            base_path: format!("{path}/templates"),
            emit: !partial,
            objects: objects.clone(),
        });
    }
    objects
}

/// The objects of one template: its chart's, with `.Template` set to this
/// one. As in Helm's render loop, the chart's objects are one map that
/// every template of the chart gets, `.Template` written into it in
/// place: so a change a template makes to `$` (`set $ "Values" …`) is seen
/// by the templates rendered after it.
pub(super) fn with_template(template: &Template) -> Value {
    let Value::Map(objects) = &template.objects else {
        unreachable!("objects are a map")
    };
    objects.insert(
        "Template".to_owned(),
        values_value(&map([
            ("Name", template.name.as_str().into()),
            ("BasePath", template.base_path.as_str().into()),
        ])),
    );
    template.objects.clone()
}

/// `.Release`.
pub(super) fn release_value(name: &str, namespace: &str, revision: i64, is_upgrade: bool) -> Value {
    map([
        ("Name", name.into()),
        ("Namespace", namespace.into()),
        ("IsUpgrade", is_upgrade.into()),
        ("IsInstall", (!is_upgrade).into()),
        ("Revision", Value::Int(revision)),
        ("Service", "Helm".into()),
    ])
}

/// `chart.Metadata`'s fields, in Go's order, with their JSON tags.
const METADATA_FIELDS: &[Field] = &[
    Field::json("Name", "name", true),
    Field::json("Home", "home", true),
    Field::json("Sources", "sources", true),
    Field::json("Version", "version", true),
    Field::json("Description", "description", true),
    Field::json("Keywords", "keywords", true),
    Field::json("Maintainers", "maintainers", true),
    Field::json("Icon", "icon", true),
    Field::json("APIVersion", "apiVersion", true),
    Field::json("Condition", "condition", true),
    Field::json("Tags", "tags", true),
    Field::json("AppVersion", "appVersion", true),
    Field::json("Deprecated", "deprecated", true),
    Field::json("Annotations", "annotations", true),
    Field::json("KubeVersion", "kubeVersion", true),
    Field::json("Dependencies", "dependencies", true),
    Field::json("Type", "type", true),
];

/// `.Chart`'s type in Helm's `recAllTpls`: the metadata embedded, and
/// `IsRoot`.
const CHART_FIELDS: &[Field] = &[
    Field::Embedded {
        name: "Metadata",
        fields: METADATA_FIELDS,
    },
    Field::plain("IsRoot"),
];

const MAINTAINER_FIELDS: &[Field] = &[
    Field::json("Name", "name", true),
    Field::json("Email", "email", true),
    Field::json("URL", "url", true),
];

const DEPENDENCY_FIELDS: &[Field] = &[
    Field::json("Name", "name", false),
    Field::json("Version", "version", true),
    Field::json("Repository", "repository", false),
    Field::json("Condition", "condition", true),
    Field::json("Tags", "tags", true),
    Field::json("Enabled", "enabled", true),
    Field::json("ImportValues", "import-values", true),
    Field::json("Alias", "alias", true),
];

/// A Go struct value: `entries` by field name, printed and encoded by
/// `fields`.
fn go_struct<const N: usize>(
    type_name: &'static str,
    fields: &'static [Field],
    entries: [(&str, Value); N],
) -> Value {
    let entries = entries
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    Value::Map(Dict::with_methods(
        entries,
        Methods::of_struct(type_name).fields(fields),
    ))
}

/// `.Chart`: Helm's `chart.Metadata` by Go field name, and `IsRoot`, as
/// the Go struct Helm passes (printed `{{name …} true}`, JSON by the
/// metadata's tags).
fn chart_value(metadata: &Metadata, is_root: bool) -> Value {
    let strings = |items: &[String]| Value::list(items.iter().map(|s| s.as_str().into()).collect());
    let maintainers = metadata
        .maintainers
        .iter()
        .map(|m| {
            go_struct(
                "*chart.Maintainer",
                MAINTAINER_FIELDS,
                [
                    ("Name", m.name.as_str().into()),
                    ("Email", m.email.as_str().into()),
                    ("URL", m.url.as_str().into()),
                ],
            )
        })
        .collect();
    let dependencies = metadata
        .dependencies
        .iter()
        .map(|d| {
            go_struct(
                "*chart.Dependency",
                DEPENDENCY_FIELDS,
                [
                    ("Name", d.name.as_str().into()),
                    ("Version", d.version.as_str().into()),
                    ("Repository", d.repository.as_str().into()),
                    ("Condition", d.condition.as_str().into()),
                    ("Tags", strings(&d.tags)),
                    ("Enabled", d.enabled.into()),
                    (
                        "ImportValues",
                        Value::list(d.import_values.iter().map(to_value).collect()),
                    ),
                    ("Alias", d.alias.as_str().into()),
                ],
            )
        })
        .collect();
    let annotations = metadata
        .annotations
        .iter()
        .map(|(key, value)| (key.clone(), value.as_str().into()))
        .collect();
    go_struct(
        "struct { chart.Metadata; IsRoot bool }",
        CHART_FIELDS,
        [
            ("Name", metadata.name.as_str().into()),
            ("Home", metadata.home.as_str().into()),
            ("Sources", strings(&metadata.sources)),
            ("Version", metadata.version.as_str().into()),
            ("Description", metadata.description.as_str().into()),
            ("Keywords", strings(&metadata.keywords)),
            ("Maintainers", Value::list(maintainers)),
            ("Icon", metadata.icon.as_str().into()),
            ("APIVersion", metadata.api_version.as_str().into()),
            ("Condition", "".into()),
            ("Tags", "".into()),
            ("AppVersion", metadata.app_version.as_str().into()),
            ("Deprecated", metadata.deprecated.into()),
            ("Annotations", Value::map(annotations)),
            ("KubeVersion", metadata.kube_version.as_str().into()),
            ("Dependencies", Value::list(dependencies)),
            ("Type", metadata.chart_type.as_str().into()),
            ("IsRoot", is_root.into()),
        ],
    )
}

/// A values map as Helm's `chartutil.Values`: the same map (changes
/// through either are seen by both) with its methods `AsMap`, `YAML`,
/// `Table` and `PathValue` (pkg/chartutil/values.go). Not a map: as is.
fn values_value(values: &Value) -> Value {
    let Value::Map(plain) = values else {
        return values.clone();
    };
    let method = |arity: usize,
                  body: fn(&Dict, &Call<'_>, &[Value]) -> Result<Value, FuncError>|
     -> Function {
        let plain = plain.clone();
        Arc::new(move |call, args| {
            FuncError::expect_args(args, arity)?;
            body(&plain, call, args)
        })
    };
    let methods = Methods::new("chartutil.Values")
        .method(
            "AsMap",
            method(0, |plain, _, _| {
                Ok(if plain.is_empty() {
                    Value::map(BTreeMap::new())
                } else {
                    Value::Map(plain.clone())
                })
            }),
        )
        .method(
            "YAML",
            method(0, |plain, call, _| {
                let text = call.execute(TO_YAML_TEMPLATE, &Value::Map(plain.clone()))?;
                Ok(Value::String(format!("{text}\n")))
            }),
        )
        .method(
            "Table",
            method(1, |plain, _, args| {
                let name = FuncError::string_arg(args, 0)?;
                Ok(values_value(&Value::Map(table(plain, name)?)))
            }),
        )
        .method(
            "PathValue",
            method(1, |plain, _, args| {
                path_value(plain, FuncError::string_arg(args, 0)?)
            }),
        );
    Value::Map(plain.typed(methods))
}

/// `Values.Table`: the map at a dotted path.
fn table(values: &Dict, name: &str) -> Result<Dict, FuncError> {
    let mut table = values.clone();
    for key in name.split('.') {
        table = match table.get(key) {
            Some(Value::Map(inner)) => inner,
            _ => return Err(FuncError::message(format!("{key:?} is not a table"))),
        };
    }
    Ok(table)
}

/// `Values.PathValue`: the value (not a table) at a dotted path.
fn path_value(values: &Dict, path: &str) -> Result<Value, FuncError> {
    if path.is_empty() {
        return Err(FuncError::message("YAML path cannot be empty"));
    }
    let (tables, key) = match path.rsplit_once('.') {
        Some((tables, key)) => (Some(tables), key),
        None => (None, path),
    };
    let no_value = || FuncError::message(format!("{key:?} is not a value"));
    let table = match tables {
        Some(tables) => table(values, tables).map_err(|_| no_value())?,
        None => values.clone(),
    };
    match table.get(key) {
        Some(Value::Map(_)) | None => Err(no_value()),
        Some(value) => Ok(value),
    }
}

/// A values tree as templates see it: numbers keep their Go type (see
/// [`values`](crate::helm::values)): integers (from `--set`, or objects
/// the API server returns) are `int64`, the rest `float64`.
pub(super) fn to_value(json: &Json) -> Value {
    match json {
        Json::Number(number) => match number.as_i64() {
            Some(int) => Value::Int(int),
            None => Value::Float(number.as_f64().unwrap_or(f64::NAN)),
        },
        Json::Array(items) => Value::list(items.iter().map(to_value).collect()),
        Json::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), to_value(value)))
                .collect::<BTreeMap<_, _>>(),
        ),
        other => sprig::from_json(other),
    }
}
