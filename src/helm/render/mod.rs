//! Rendering a chart as `helm template` / `helm install` do (Helm v3.21):
//! from a loaded chart and the user's values to Helm's map of rendered
//! files, ready for [`manifest::sort`](crate::helm::manifest::sort).
//!
//! The steps, in Helm's order:
//! 0. every dependency `Chart.yaml` lists present in `charts/` (Helm's
//!    `CheckDependencies`, which `install`, `upgrade` and `template` run);
//! 1. subcharts enabled by `condition`/`tags`, renamed by `alias`, their
//!    values imported by `import-values` ([`dependencies`]);
//! 2. user values coalesced over every chart's defaults, `global`
//!    propagated, and each `values.schema.json` checked
//!    ([`values`](crate::helm::values));
//! 3. the chart's `kubeVersion` checked against [`Capabilities`];
//! 4. every template of the chart and its subcharts parsed into one set
//!    (Helm's order: deepest paths first, then reverse lexical, so for a
//!    `define` met twice the parent's and the lexically smaller file's
//!    wins), with `missingkey=zero` (Helm's `Strict` is only set by
//!    `helm lint --strict`), the function library, and Helm's engine
//!    functions on top ([`context`]: `include`, `tpl`, `lookup`, and
//!    `required`/`fail` marked so errors read `execution error at (…)`);
//! 5. each non-partial template executed with its chart's objects
//!    ([`objects`]); `<no value>` removed; `NOTES.txt` set apart.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use upbound_connect::helm::chart::Chart;
//! use upbound_connect::helm::manifest;
//! use upbound_connect::helm::render::{RenderOptions, Renderer};
//! use upbound_connect::helm::values::Values;
//!
//! let chart = Chart::load(std::path::Path::new("tests/charts/agent"))?;
//! let options = RenderOptions::template("agent", "upbound-system");
//! let rendered = Renderer::new().render(&chart, &Values::new(), &options)?;
//! let sorted = manifest::sort(&rendered.files)?;
//! # Ok(()) }
//! ```
//!
//! For an install, take [`Capabilities::discover`] and a [`ClusterLookup`]
//! instead of the `helm template` defaults; rendering is synchronous and a
//! live `lookup` blocks on the runtime, so render in
//! `tokio::task::spawn_blocking` on a multi-threaded runtime.
//!
//! Not done: Helm's `--strict` (`missingkey=error`, a `helm lint` option),
//! `--post-renderer`, `--render-subchart-notes`, CRD files (the installer
//! reads `crds/` itself), and DNS (`getHostByName` comes from the function
//! set).

mod capabilities;
mod context;
mod dependencies;
mod files;
mod lookup;
mod objects;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use capabilities::{
    Capabilities, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, HELM_VERSION, HelmVersion,
    KubeVersion,
};
pub use lookup::{ClusterLookup, Lookup, LookupError, OfflineLookup};

use crate::helm::chart::Chart;
use crate::helm::values::schema::{self, SchemaError};
use crate::helm::values::{self, Values, ValuesError};
use context::{WARN_END, WARN_START};
use gotemplate::{MissingKey, TemplateError, TemplateSet};
use objects::Shared;
use sprig::semver;

/// `chart` as Helm prepares it for `values` before it installs anything
/// (`chartutil.ProcessDependenciesWithMerge`): subcharts a `condition` or
/// `tags` disables removed, the others aliased and their values imported.
/// What `helm install` lists CRDs of ([`Chart::crd_files`]); rendering
/// does it itself.
pub fn process_dependencies(chart: &Chart, values: &Values) -> Result<Chart, ValuesError> {
    dependencies::process(chart, values)
}

/// The base name of a chart's notes template.
const NOTES: &str = "NOTES.txt";

/// How to render: the release, and what the cluster offers.
#[derive(Clone)]
pub struct RenderOptions {
    /// `.Release.Name`.
    pub release_name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// `.Release.Revision` (1 on a first install).
    pub revision: i64,
    /// `.Release.IsUpgrade` (and `IsInstall` its opposite).
    pub is_upgrade: bool,
    /// `.Capabilities`.
    pub capabilities: Capabilities,
    /// Where `lookup` reads from.
    pub lookup: Arc<dyn Lookup>,
    /// Skips `values.schema.json` checks (`--skip-schema-validation`).
    pub skip_schema_validation: bool,
}

impl RenderOptions {
    /// As `helm template NAME CHART -n NAMESPACE`: a first install, Helm's
    /// default capabilities, no cluster for `lookup`.
    pub fn template(release_name: &str, namespace: &str) -> RenderOptions {
        RenderOptions {
            release_name: release_name.to_owned(),
            namespace: namespace.to_owned(),
            revision: 1,
            is_upgrade: false,
            capabilities: Capabilities::helm_template_default(),
            lookup: Arc::new(OfflineLookup),
            skip_schema_validation: false,
        }
    }
}

/// What rendering produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// Each rendered template by full name (`app/templates/x.yaml`,
    /// `app/charts/db/templates/y.yaml`); partials and `NOTES.txt` left out.
    pub files: BTreeMap<String, String>,
    /// The top chart's rendered `NOTES.txt` (empty without one).
    pub notes: String,
    /// The final values of the top chart (what `.Values` was).
    pub values: Values,
}

/// Why a chart did not render.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A library chart was asked to render on its own.
    #[error(
        "library charts are not installable: {chart} has type library; install a chart that depends on it"
    )]
    NotInstallable {
        /// The chart.
        chart: String,
    },
    /// `Chart.yaml` lists dependencies that are not in `charts/`.
    #[error(
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        .missing.join(", ")
    )]
    MissingDependencies {
        /// The dependencies' names, in `Chart.yaml`'s order.
        missing: Vec<String>,
    },
    /// The values could not be coalesced.
    #[error(transparent)]
    Values(#[from] ValuesError),
    /// The values break a chart's `values.schema.json`.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The cluster's version is outside the chart's `kubeVersion`.
    #[error(
        "chart requires kubeVersion: {required} which is incompatible with Kubernetes {actual}"
    )]
    KubeVersion {
        /// The chart's constraint.
        required: String,
        /// The cluster's version.
        actual: String,
    },
    /// A template does not parse (`parse error at (NAME:LINE): …`).
    #[error("{0}")]
    Parse(String),
    /// A template failed while executing (`execution error at
    /// (NAME:LINE:COL): …` for `required`/`fail`, else Go's message).
    #[error("{0}")]
    Execute(String),
}

/// Renders charts with one function set, built once.
#[derive(Clone)]
pub struct Renderer {
    base: TemplateSet,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer::new()
    }
}

impl Renderer {
    /// A renderer with Helm's function library ([`sprig`]).
    pub fn new() -> Renderer {
        let mut base = TemplateSet::new();
        sprig::register(&mut base);
        Renderer::with_functions(base)
    }

    /// A renderer over `base`, an empty set with the template functions
    /// registered (Helm's own functions are added on top).
    pub fn with_functions(base: TemplateSet) -> Renderer {
        Renderer { base }
    }

    /// Renders `chart` with the user's values (a release's `config`).
    pub fn render(
        &self,
        chart: &Chart,
        user_values: &Values,
        options: &RenderOptions,
    ) -> Result<Rendered, RenderError> {
        if chart.metadata.is_library() {
            return Err(RenderError::NotInstallable {
                chart: chart.name().to_owned(),
            });
        }
        let missing: Vec<String> = chart
            .metadata
            .dependencies
            .iter()
            .filter(|wanted| !chart.subcharts.iter().any(|sub| sub.name() == wanted.name))
            .map(|wanted| wanted.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(RenderError::MissingDependencies { missing });
        }
        let chart = dependencies::process(chart, user_values)?;
        let values = values::coalesce(&chart, user_values)?;
        if !options.skip_schema_validation {
            schema::validate(&chart, &values)?;
        }
        let kube_version = &options.capabilities.kube_version.version;
        let required = &chart.metadata.kube_version;
        if !required.is_empty() && !semver::is_compatible_range(required, kube_version) {
            return Err(RenderError::KubeVersion {
                required: required.clone(),
                actual: kube_version.clone(),
            });
        }

        let shared = Shared {
            release: objects::release_value(
                &options.release_name,
                &options.namespace,
                options.revision,
                options.is_upgrade,
            ),
            capabilities: options.capabilities.to_value(),
        };
        let mut templates = Vec::new();
        let top = objects::to_value(&serde_json::Value::Object(values.clone()));
        objects::collect(&chart, chart.name(), top, true, &shared, &mut templates);
        templates.sort_by(|a, b| parse_order(&a.name, &b.name));

        let mut set = self.base.clone();
        set.missing_key(MissingKey::Zero);
        context::register(&mut set, options.lookup.clone());
        set.parse(files::TO_YAML_TEMPLATE, files::TO_YAML_TEXT)
            .map_err(|error| RenderError::Parse(error.to_string()))?;
        for template in &templates {
            set.parse(&template.name, &template.text)
                .map_err(|error| parse_error(&template.name, &error))?;
        }

        let notes_name = format!("{}/templates/{NOTES}", chart.name());
        let mut rendered = Rendered {
            files: BTreeMap::new(),
            notes: String::new(),
            values,
        };
        for template in templates.iter().filter(|template| template.emit) {
            let out = set
                .execute(&template.name, &objects::with_template(template))
                .map_err(|error| execute_error(&template.name, &error))?
                .replace("<no value>", "");
            if template.name == notes_name {
                rendered.notes = out;
            } else if !template.name.ends_with(NOTES) {
                rendered.files.insert(template.name.clone(), out);
            }
        }
        Ok(rendered)
    }
}

/// Helm's `sortTemplates`: more `/` first, then reverse lexical.
fn parse_order(a: &str, b: &str) -> std::cmp::Ordering {
    let depth = |name: &str| name.matches('/').count();
    depth(b).cmp(&depth(a)).then_with(|| b.cmp(a))
}

/// Helm's `cleanupParseError`: `parse error at (NAME:LINE): MESSAGE`.
fn parse_error(name: &str, error: &TemplateError) -> RenderError {
    let text = error.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    RenderError::Parse(match tokens.as_slice() {
        [_] => format!("parse error in ({name}): {text}"),
        tokens => format!(
            "parse error at ({}): {}",
            tokens[1],
            tokens[tokens.len() - 1]
        ),
    })
}

/// Helm's `cleanupExecError`: a `required`/`fail` message is reported at
/// the outermost failing location; other errors as Go words them.
fn execute_error(name: &str, error: &TemplateError) -> RenderError {
    let text = error.to_string();
    if !matches!(error, TemplateError::Exec { .. }) {
        return RenderError::Execute(text);
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    let [_, location, rest] = tokens.as_slice() else {
        return RenderError::Execute(format!("execution error in ({name}): {text}"));
    };
    let warning = rest.find(WARN_START).and_then(|start| {
        let inner = &rest[start + WARN_START.len()..];
        inner.rfind(WARN_END).map(|end| &inner[..end])
    });
    RenderError::Execute(match warning {
        Some(message) => format!("execution error at ({location}): {message}"),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_deepest_first_then_reverse_lexical() {
        let mut names = vec![
            "a/templates/b.yaml",
            "a/charts/s/templates/x.yaml",
            "a/templates/a.yaml",
        ];
        names.sort_by(|a, b| parse_order(a, b));
        assert_eq!(
            names,
            [
                "a/charts/s/templates/x.yaml",
                "a/templates/b.yaml",
                "a/templates/a.yaml"
            ]
        );
    }
}
