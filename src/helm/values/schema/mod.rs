//! `values.schema.json` validation, as Helm v3.21's
//! `ValidateAgainstSchema`: the chart's schema against its final values,
//! then each subchart's schema against its own sub-tree. Remote `$ref`s
//! (http/https) are not fetched, unlike Helm: charts are validated offline.
//!
//! Violations are reported as Helm's validator (santhosh-tekuri/jsonschema
//! v6) words them, for its common keywords (`type`, `enum`, `const`,
//! `required`, `additionalProperties`, bounds, lengths, `pattern`,
//! `multipleOf`, `uniqueItems`), with its English number format
//! ([`english`]), and like it a schema node whose `type`, `const`, `enum`
//! or `format` fails reports only that: v6 stops there. They are laid out
//! as v6 lays them out ([`report`]): several failures of one value nested
//! under "validation failed", in v6's keyword order.

mod english;
mod report;

use serde_json::Value;

use super::Values;
use crate::helm::chart::Chart;

/// One failed schema rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The chart whose schema failed (`agent`, or a subchart's name).
    pub chart: String,
    /// JSON pointer into that chart's values, e.g. `/replicaCount` (empty
    /// for the root).
    pub path: String,
    /// What the rule demands.
    pub message: String,
}

/// Values that do not meet their charts' schemas.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A `values.schema.json` is not valid JSON or not a valid schema.
    #[error("values.schema.json of chart {chart} is invalid: {detail}")]
    InvalidSchema {
        /// The chart.
        chart: String,
        /// What is wrong.
        detail: String,
    },
    /// The values break the schema.
    #[error(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
    )]
    Violations {
        /// Each failed rule.
        violations: Vec<Violation>,
        /// Helm's text for them: each chart's name, then its failures.
        report: String,
    },
}

impl SchemaError {
    /// The rules the values break (empty when the schema itself is invalid).
    pub fn violations(&self) -> &[Violation] {
        match self {
            Self::Violations { violations, .. } => violations,
            Self::InvalidSchema { .. } => &[],
        }
    }
}

/// Checks `values` (the chart's final values) against every schema.
pub fn validate(chart: &Chart, values: &Values) -> Result<(), SchemaError> {
    let mut violations = Vec::new();
    let mut reports = Vec::new();
    collect(chart, values, &mut violations, &mut reports)?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError::Violations {
            violations,
            report: reports.join("\n"),
        })
    }
}

/// Adds the failures of `chart` and its subcharts to `violations`, and
/// each failing chart's part of Helm's text to `reports`.
fn collect(
    chart: &Chart,
    values: &Values,
    violations: &mut Vec<Violation>,
    reports: &mut Vec<String>,
) -> Result<(), SchemaError> {
    if let Some(schema) = &chart.schema {
        let invalid = |detail: String| SchemaError::InvalidSchema {
            chart: chart.name().to_owned(),
            detail,
        };
        let schema: Value =
            serde_json::from_slice(schema).map_err(|error| invalid(error.to_string()))?;
        let validator =
            jsonschema::validator_for(&schema).map_err(|error| invalid(error.to_string()))?;
        let instance = Value::Object(values.clone());
        let failures: Vec<Failure> = validator
            .iter_errors(&instance)
            .map(|error| Failure::new(&error))
            .collect();
        let failures = as_helm_reports(failures);
        if !failures.is_empty() {
            let leaves: Vec<report::Leaf<'_>> = failures
                .iter()
                .map(|failure| report::Leaf {
                    instance: &failure.path,
                    keyword_path: &failure.keyword_path,
                    message: &failure.message,
                })
                .collect();
            let mut text = format!("{}:", chart.name());
            for line in report::lines(&leaves, quote) {
                text.push('\n');
                text.push_str(&line);
            }
            reports.push(text);
        }
        violations.extend(failures.into_iter().map(|failure| Violation {
            chart: chart.name().to_owned(),
            path: failure.path,
            message: failure.message,
        }));
    }
    for subchart in &chart.subcharts {
        match values.get(subchart.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(sub_values)) => {
                collect(subchart, sub_values, violations, reports)?;
            }
            Some(other) => {
                let message = format!(
                    "invalid type for values: expected a map, got {}",
                    super::type_name(other)
                );
                reports.push(format!("{}:\n{message}", subchart.name()));
                violations.push(Violation {
                    chart: subchart.name().to_owned(),
                    path: String::new(),
                    message,
                });
            }
        }
    }
    Ok(())
}

/// One failed keyword, worded as Helm's validator words it.
struct Failure {
    /// JSON pointer into the values.
    path: String,
    /// JSON pointer into the schema, ending with the keyword.
    keyword_path: String,
    /// For `type`, `const`, `enum`, `format`: their order in v6, which
    /// stops at the first that fails.
    stops_at: Option<u8>,
    /// A `required` failure's missing property (v6 lists them together).
    missing: Option<String>,
    message: String,
}

impl Failure {
    fn new(error: &jsonschema::ValidationError<'_>) -> Failure {
        use jsonschema::error::ValidationErrorKind as Kind;
        let instance = error.instance();
        let (stops_at, missing, message) = match error.kind() {
            Kind::Type { kind } => {
                let wanted: Vec<String> = match kind {
                    jsonschema::error::TypeKind::Single(one) => vec![one.to_string()],
                    jsonschema::error::TypeKind::Multiple(set) => {
                        set.iter().map(|one| one.to_string()).collect()
                    }
                };
                let order = [
                    "null", "boolean", "number", "integer", "string", "array", "object",
                ];
                let want: Vec<&str> = order
                    .into_iter()
                    .filter(|name| wanted.iter().any(|w| w == name))
                    .collect();
                let got = json_type(instance);
                (
                    Some(0),
                    None,
                    format!("got {got}, want {}", want.join(" or ")),
                )
            }
            Kind::Constant { expected_value } => (
                Some(1),
                None,
                display(expected_value).map_or("'const' failed".to_owned(), |want| {
                    format!("value must be {want}")
                }),
            ),
            Kind::Enum { options } => {
                let options = options.as_array().cloned().unwrap_or_default();
                let shown: Option<Vec<String>> = options.iter().map(display).collect();
                let message = match shown {
                    Some(one) if one.len() == 1 => format!("value must be {}", one[0]),
                    Some(many) => format!("value must be one of {}", many.join(", ")),
                    None => "'enum' failed".to_owned(),
                };
                (Some(2), None, message)
            }
            Kind::Format { .. } => (Some(3), None, error.to_string()),
            Kind::Required { property } => {
                let name = property.as_str().unwrap_or_default().to_owned();
                (
                    None,
                    Some(name.clone()),
                    format!("missing property {}", quote(&name)),
                )
            }
            Kind::AdditionalProperties { unexpected } => {
                let names: Vec<String> = unexpected.iter().map(|name| quote(name)).collect();
                (
                    None,
                    None,
                    format!("additional properties {} not allowed", names.join(", ")),
                )
            }
            Kind::Minimum { limit } => (None, None, bound("minimum", instance, limit)),
            Kind::Maximum { limit } => (None, None, bound("maximum", instance, limit)),
            Kind::ExclusiveMinimum { limit } => {
                (None, None, bound("exclusiveMinimum", instance, limit))
            }
            Kind::ExclusiveMaximum { limit } => {
                (None, None, bound("exclusiveMaximum", instance, limit))
            }
            Kind::MinLength { limit } | Kind::MaxLength { limit } => {
                let word = if matches!(error.kind(), Kind::MinLength { .. }) {
                    "minLength"
                } else {
                    "maxLength"
                };
                let got = instance.as_str().map_or(0, |text| text.chars().count());
                (None, None, count(word, got, *limit))
            }
            Kind::MinItems { limit } | Kind::MaxItems { limit } => {
                let word = if matches!(error.kind(), Kind::MinItems { .. }) {
                    "minItems"
                } else {
                    "maxItems"
                };
                let got = instance.as_array().map_or(0, Vec::len);
                (None, None, count(word, got, *limit))
            }
            Kind::MinProperties { limit } | Kind::MaxProperties { limit } => {
                let word = if matches!(error.kind(), Kind::MinProperties { .. }) {
                    "minProperties"
                } else {
                    "maxProperties"
                };
                let got = instance.as_object().map_or(0, serde_json::Map::len);
                (None, None, count(word, got, *limit))
            }
            Kind::MultipleOf { multiple_of } => {
                let got = instance.as_f64().unwrap_or_default();
                let message = format!(
                    "multipleOf: got {}, want {}",
                    english::float(got),
                    english::float(*multiple_of)
                );
                (None, None, message)
            }
            Kind::Pattern { pattern } => {
                let got = instance.as_str().unwrap_or_default();
                let message = format!("{} does not match pattern {}", quote(got), quote(pattern));
                (None, None, message)
            }
            Kind::UniqueItems => {
                let items = instance.as_array().map_or(&[][..], Vec::as_slice);
                let (first, second) = first_duplicates(items);
                (
                    None,
                    None,
                    format!("items at {first} and {second} are equal"),
                )
            }
            _ => (None, None, error.to_string()),
        };
        Failure {
            path: error.instance_path().to_string(),
            keyword_path: error.schema_path().to_string(),
            stops_at,
            missing,
            message,
        }
    }

    /// The schema node the keyword belongs to.
    fn node(&self) -> &str {
        self.keyword_path
            .rsplit_once('/')
            .map_or("", |(node, _)| node)
    }
}

/// Failures as v6 reports them: at a node whose `type` (then `const`,
/// `enum`, `format`) fails, only that failure, nothing below it; one
/// `required` failure per node naming every missing property.
fn as_helm_reports(failures: Vec<Failure>) -> Vec<Failure> {
    let stopped: Vec<(String, u8)> = failures
        .iter()
        .filter_map(|failure| Some((failure.node().to_owned(), failure.stops_at?)))
        .collect();
    let first_stop = |node: &str| {
        stopped
            .iter()
            .filter(|(at, _)| at == node)
            .map(|(_, rank)| *rank)
            .min()
    };
    let mut reports: Vec<Failure> = Vec::new();
    for failure in failures {
        let node = failure.node().to_owned();
        let shadowed = stopped.iter().any(|(at, rank)| {
            let below = node.starts_with(&format!("{at}/"));
            let same = *at == node && failure.stops_at != Some(*rank);
            (below || same) && first_stop(at) == Some(*rank)
        });
        if shadowed {
            continue;
        }
        if let Some(missing) = &failure.missing
            && let Some(earlier) = reports
                .iter_mut()
                .find(|report| report.missing.is_some() && report.node() == node)
        {
            let names = earlier.message.trim_start_matches("missing property ");
            let names = names.trim_start_matches("missing properties ");
            earlier.message = format!("missing properties {names}, {}", quote(missing));
            continue;
        }
        reports.push(failure);
    }
    reports
}

/// A JSON type's name as v6 prints it (every number is a `number`: Helm
/// passes values as float64).
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A primitive as v6's `display` shows it (`None` for lists and maps).
fn display(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(quote(text)),
        Value::Array(_) | Value::Object(_) => None,
        Value::Number(number) => Some(go_number(number)),
        other => Some(other.to_string()),
    }
}

/// `minimum: got 0, want 1` and the like (v6 prints both as float64s).
fn bound(word: &str, instance: &Value, limit: &Value) -> String {
    let number = |value: &Value| match value.as_f64() {
        Some(float) => english::float(float),
        None => value.to_string(),
    };
    format!("{word}: got {}, want {}", number(instance), number(limit))
}

/// `minLength: got 2, want 3` and the like (v6 prints both as `%d`).
fn count(word: &str, got: usize, limit: u64) -> String {
    format!(
        "{word}: got {}, want {}",
        english::integer(got as u64),
        english::integer(limit)
    )
}

/// The first two equal items, as v6 finds them: the earliest item equal
/// to one before it, and that one.
fn first_duplicates(items: &[Value]) -> (usize, usize) {
    (1..items.len())
        .find_map(|later| {
            (0..later)
                .find(|&earlier| same_json(&items[earlier], &items[later]))
                .map(|earlier| (earlier, later))
        })
        .unwrap_or((0, 0))
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        (a, b) => a == b,
    }
}

/// A number as Go's `%v` prints a float64 (`1`, `1.5`).
fn go_number(number: &serde_json::Number) -> String {
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 1e21 => format!("{float:.0}"),
        Some(float) => float.to_string(),
        None => number.to_string(),
    }
}

/// v6's `quote`: Go's `%q` with single quotes.
fn quote(text: &str) -> String {
    let mut quoted = String::from("'");
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("\\'"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}
