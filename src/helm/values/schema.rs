//! `values.schema.json` validation, as Helm v3.21's
//! `ValidateAgainstSchema`: the chart's schema against its final values,
//! then each subchart's schema against its own sub-tree. Remote `$ref`s
//! (http/https) are not fetched, unlike Helm: charts are validated offline.

use std::fmt;

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
    #[error("values don't meet the specifications of the schema(s):\n{}", Violations(.0))]
    Violations(Vec<Violation>),
}

impl SchemaError {
    /// The rules the values break (empty when the schema itself is invalid).
    pub fn violations(&self) -> &[Violation] {
        match self {
            Self::Violations(violations) => violations,
            Self::InvalidSchema { .. } => &[],
        }
    }
}

struct Violations<'a>(&'a [Violation]);

impl fmt::Display for Violations<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for violation in self.0 {
            let path = if violation.path.is_empty() {
                "/"
            } else {
                &violation.path
            };
            writeln!(
                formatter,
                "- {}: at {path}: {}",
                violation.chart, violation.message
            )?;
        }
        Ok(())
    }
}

/// Checks `values` (the chart's final values) against every schema.
pub fn validate(chart: &Chart, values: &Values) -> Result<(), SchemaError> {
    let mut violations = Vec::new();
    collect(chart, values, &mut violations)?;
    if violations.is_empty() {
        Ok(())
    } else {
        Err(SchemaError::Violations(violations))
    }
}

fn collect(
    chart: &Chart,
    values: &Values,
    violations: &mut Vec<Violation>,
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
        violations.extend(validator.iter_errors(&instance).map(|error| Violation {
            chart: chart.name().to_owned(),
            path: error.instance_path().to_string(),
            message: error.to_string(),
        }));
    }
    for subchart in &chart.subcharts {
        match values.get(subchart.name()) {
            None | Some(Value::Null) => {}
            Some(Value::Object(sub_values)) => collect(subchart, sub_values, violations)?,
            Some(other) => violations.push(Violation {
                chart: subchart.name().to_owned(),
                path: String::new(),
                message: format!(
                    "invalid type for values: expected a map, got {}",
                    super::type_name(other)
                ),
            }),
        }
    }
    Ok(())
}
