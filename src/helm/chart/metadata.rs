//! `Chart.yaml`: the chart's metadata, with Helm's field names (they also
//! name the fields of a release record's `chart.metadata`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ChartError;

/// `Chart.yaml`, as Helm's `chart.Metadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    /// `v2`, or `v1` for charts written for Helm 2 (the default when absent).
    pub api_version: String,
    /// The chart's name.
    pub name: String,
    /// The chart's SemVer version.
    pub version: String,
    /// The version of the app the chart installs.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_version: String,
    /// A SemVer constraint on the cluster's Kubernetes version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kube_version: String,
    /// `application` (or empty), or `library` (renders nothing itself).
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub chart_type: String,
    /// One-line description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The project's home page.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub home: String,
    /// Source code URLs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Search keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// The people who maintain the chart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub maintainers: Vec<Maintainer>,
    /// URL of an icon.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub icon: String,
    /// Whether the chart is deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Free-form annotations.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Declared dependencies (subcharts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
}

/// A chart maintainer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Maintainer {
    /// Name.
    pub name: String,
    /// E-mail address.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    /// URL.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// A `dependencies[]` entry of `Chart.yaml` (or `requirements.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Dependency {
    /// The subchart's name.
    pub name: String,
    /// A version or constraint.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Where the subchart comes from.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub repository: String,
    /// Dotted value path(s) that enable the subchart.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub condition: String,
    /// Tags that enable the subchart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Whether the subchart is enabled (set while processing conditions).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enabled: bool,
    /// Values to copy from the child into the parent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub import_values: Vec<serde_json::Value>,
    /// Another name for the subchart.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub alias: String,
}

/// Just the `dependencies` of a v1 chart's `requirements.yaml`.
#[derive(Deserialize)]
struct Requirements {
    #[serde(default)]
    dependencies: Vec<Dependency>,
}

impl Metadata {
    /// Parses `Chart.yaml`; an absent `apiVersion` means `v1`, as in Helm.
    pub fn parse(yaml: &[u8]) -> Result<Self, ChartError> {
        let mut metadata: Self = parse_yaml(yaml, "Chart.yaml")?;
        if metadata.api_version.is_empty() {
            metadata.api_version = "v1".to_owned();
        }
        Ok(metadata)
    }

    /// Takes the dependencies of a v1 chart's `requirements.yaml`.
    pub(super) fn add_requirements(&mut self, yaml: &[u8]) -> Result<(), ChartError> {
        let requirements: Requirements = parse_yaml(yaml, "requirements.yaml")?;
        self.dependencies = requirements.dependencies;
        Ok(())
    }

    /// Helm's checks on metadata (`chart.Metadata.Validate`).
    pub fn validate(&self) -> Result<(), ChartError> {
        let invalid = |detail: String| Err(ChartError::Metadata { detail });
        if !matches!(self.api_version.as_str(), "v1" | "v2") {
            return invalid(format!(
                "apiVersion {:?} is not v2 (or v1)",
                self.api_version
            ));
        }
        if self.name.is_empty()
            || matches!(self.name.as_str(), "." | "..")
            || self.name.contains(['/', '\\'])
        {
            return invalid(format!("name {:?} is not a valid chart name", self.name));
        }
        if !is_semver(&self.version) {
            return invalid(format!(
                "version {:?} is not a SemVer version",
                self.version
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return invalid("type must be application or library".to_owned());
        }
        Ok(())
    }

    /// Whether this is a library chart (renders no objects of its own).
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }
}

fn parse_yaml<T: serde::de::DeserializeOwned>(yaml: &[u8], file: &str) -> Result<T, ChartError> {
    let text = std::str::from_utf8(yaml).map_err(|_| ChartError::Metadata {
        detail: format!("{file} is not UTF-8"),
    })?;
    sprig::goyaml::from_str(text).map_err(|error| ChartError::Metadata {
        detail: format!("cannot parse {file}: {error}"),
    })
}

/// Masterminds/semver `NewVersion` as Helm uses it: an optional `v`, one to
/// three numeric parts, then optional `-prerelease` and `+build`.
fn is_semver(version: &str) -> bool {
    let version = version.strip_prefix('v').unwrap_or(version);
    let (core, _build) = version.split_once('+').unwrap_or((version, ""));
    let (core, prerelease) = match core.split_once('-') {
        Some((core, prerelease)) => (core, Some(prerelease)),
        None => (core, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    (1..=3).contains(&parts.len())
        && parts.iter().all(numeric)
        && prerelease.is_none_or(|p| {
            !p.is_empty()
                && p.split('.').all(|id| {
                    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_as_helm_accepts_it() {
        for good in ["1.2.3", "v1.2", "0.0.0-441.g68777b9", "1.0.0+build.1", "1"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["", "1.2.3.4", "x", "1.2.3-", "1..2"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
