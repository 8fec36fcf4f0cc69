//! The Connect agent, as `helm upgrade --install agent … --wait` would make
//! it: the chart pulled with the licence (or loaded from disk), its values
//! built from the connection, rendered against the live cluster, and
//! installed as release [`AGENT_RELEASE`] in the Space namespace — or
//! uninstalled on disconnect.
//!
//! Each revision records the chart's OCI digest ([`CHART_DIGEST`] on its
//! record). A release deployed at the asked version with its digest
//! recorded, the asked values, and its objects as recorded is in place
//! without the chart: a read, a status or a no-op connect then makes no
//! registry request (and needs no registry credentials).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::helm::HelmError;
use crate::helm::chart::Chart;
use crate::helm::install::{
    InstallOutcome, Installer, ObjectRef, ReleaseRequest, ReleaseState, UninstallOutcome,
};
use crate::helm::manifest::{self, SortedManifests};
use crate::helm::oci::PullOptions;
use crate::helm::release::ReleaseStore;
use crate::helm::render::{
    Capabilities, ClusterLookup, RenderOptions, Renderer, process_dependencies,
};
use crate::helm::values::{UserValues, Values};
use crate::spec::{AGENT_RELEASE, AgentSpec, ChartSource, ConnectionSpec};
use gotemplate::TemplateSet;

use super::agent_values::{AgentValuesInput, agent_values};
use super::{Engine, EngineError, Observer, Step};

/// The annotation of a release record holding its chart's OCI manifest
/// digest.
pub const CHART_DIGEST: &str = "connect.upbound.io/chart-digest";

/// Bound on each registry request and on each `lookup` while rendering.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The agent chart as the spec wants it, with its values.
#[derive(Debug)]
pub(super) struct AgentChart {
    pub(super) chart: Chart,
    /// The release's user values (`helm get values agent`).
    config: Values,
    /// The digest of the pulled chart's OCI manifest (registry charts).
    pub(super) digest: Option<String>,
    /// What each revision's record keeps beside Helm's: the digest.
    record_annotations: BTreeMap<String, String>,
}

#[cfg(test)]
impl AgentChart {
    /// A chart that is only its version, for tables that plan.
    pub(super) fn of_version(version: &str) -> Self {
        let mut chart = crate::helm::chart::Chart {
            metadata: Default::default(),
            lock: None,
            values: Values::default(),
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            subcharts: Vec::new(),
        };
        chart.metadata.version = version.to_owned();
        Self {
            chart,
            config: Values::default(),
            digest: None,
            record_annotations: BTreeMap::new(),
        }
    }
}

/// The agent chart rendered for one revision of the release.
struct Desired {
    rendered: SortedManifests,
    notes: String,
}

/// How the agent release stands.
pub(super) struct AgentObservation {
    /// The last recorded revision, if any.
    pub(super) revision: Option<u32>,
    /// Missing, deployed as desired, or drifted.
    pub(super) state: ReleaseState,
}

impl Engine {
    /// Pulls (or loads) the agent chart and builds its values.
    pub(super) async fn agent_chart(
        &self,
        spec: &ConnectionSpec,
        agent: &AgentSpec,
    ) -> Result<AgentChart, EngineError> {
        let (chart, digest) = match &agent.chart {
            ChartSource::Registry(reference) => {
                let options = PullOptions {
                    license: spec.license.clone(),
                    cache_dir: self.chart_cache.clone(),
                    request_timeout: REQUEST_TIMEOUT,
                    retry: self.retry,
                };
                let pulled = self
                    .resolved_charts
                    .pull(reference, options)
                    .await
                    .map_err(HelmError::from)?;
                let chart = Chart::load(&pulled.archive).map_err(HelmError::from)?;
                (chart, Some(pulled.manifest_digest))
            }
            ChartSource::Local(path) => (Chart::load(path).map_err(HelmError::from)?, None),
        };
        let config = desired_config(spec, agent, &chart.values)?;
        let record_annotations = digest
            .iter()
            .map(|digest| (CHART_DIGEST.to_owned(), digest.clone()))
            .collect();
        Ok(AgentChart {
            chart,
            config,
            digest,
            record_annotations,
        })
    }

    /// How release `agent` stands against `chart` (reads only). The chart
    /// is rendered even when there is no release yet, so that template and
    /// schema errors stop a connect before it changes anything.
    pub(super) async fn observe_agent(
        &self,
        agent: &AgentSpec,
        chart: &AgentChart,
    ) -> Result<AgentObservation, EngineError> {
        let revision = self.agent_revision().await?;
        let desired = self.render_agent(chart, revision.unwrap_or(1)).await?;
        let Some(revision) = revision else {
            return Ok(AgentObservation {
                revision,
                state: ReleaseState::Missing,
            });
        };
        let request = release_request(agent, chart, &desired);
        let state = Installer::new(self.cluster.clone())
            .observe(AGENT_RELEASE, Some(&request))
            .await
            .map_err(HelmError::from)?;
        Ok(AgentObservation {
            revision: Some(revision),
            state,
        })
    }

    /// Installs or upgrades release `agent` to `chart` (the next revision).
    pub(super) async fn install_agent(
        &self,
        agent: &AgentSpec,
        chart: &AgentChart,
        observer: &dyn Observer,
    ) -> Result<InstallOutcome, EngineError> {
        let next = self.agent_revision().await?.map_or(1, |last| last + 1);
        if next == 1 {
            // A first install creates the CRDs of the chart and of the
            // subcharts its values enable before rendering.
            let enabled =
                process_dependencies(&chart.chart, &chart.config).map_err(HelmError::from)?;
            Installer::new(self.cluster.clone())
                .install_crds(&enabled)
                .await
                .map_err(HelmError::from)?;
        }
        let desired = self.render_agent(chart, next).await?;
        let request = release_request(agent, chart, &desired);
        let progress = |object: &ObjectRef, waited: Duration| {
            observer.step(Step::AgentWaiting {
                object: object.to_string(),
                waited,
            });
        };
        Ok(Installer::new(self.cluster.clone())
            .with_progress(&progress)
            .upgrade_install(&request)
            .await
            .map_err(HelmError::from)?)
    }

    /// Uninstalls release `agent`; no release is success.
    pub(super) async fn uninstall_agent(
        &self,
        agent: &AgentSpec,
    ) -> Result<UninstallOutcome, EngineError> {
        Ok(Installer::new(self.cluster.clone())
            .uninstall(AGENT_RELEASE, agent.timeout)
            .await
            .map_err(HelmError::from)?)
    }

    /// The revision and chart digest of release `agent` when it is in
    /// place judged from its record alone (see the module docs); `None`
    /// when that takes the chart (no release or another version, no digest
    /// recorded, other values, drift, a local chart).
    pub(super) async fn agent_in_place(
        &self,
        spec: &ConnectionSpec,
        agent: &AgentSpec,
    ) -> Result<Option<(u32, String)>, EngineError> {
        let ChartSource::Registry(reference) = &agent.chart else {
            return Ok(None);
        };
        let history = ReleaseStore::new(self.cluster.clone())
            .history(AGENT_RELEASE)
            .await
            .map_err(HelmError::from)?;
        let Some(last) = history.last() else {
            return Ok(None);
        };
        let version = last.chart.metadata.get("version").and_then(|v| v.as_str());
        let Some(digest) = last.annotations.get(CHART_DIGEST) else {
            return Ok(None);
        };
        if version != Some(reference.version.as_str())
            || last.config != desired_config(spec, agent, &last.chart.values)?
        {
            return Ok(None);
        }
        let state = Installer::new(self.cluster.clone())
            .observe_revision(last, None)
            .await
            .map_err(HelmError::from)?;
        Ok(match state {
            ReleaseState::Deployed { revision } => Some((revision, digest.clone())),
            _ => None,
        })
    }

    /// The last recorded revision of release `agent`.
    pub(super) async fn agent_revision(&self) -> Result<Option<u32>, EngineError> {
        let history = ReleaseStore::new(self.cluster.clone())
            .history(AGENT_RELEASE)
            .await
            .map_err(HelmError::from)?;
        Ok(history.last().map(|release| release.version))
    }

    /// Renders the chart as revision `revision` of the release would be,
    /// with the live cluster's capabilities and `lookup`.
    async fn render_agent(
        &self,
        chart: &AgentChart,
        revision: u32,
    ) -> Result<Desired, EngineError> {
        let client = self.cluster.client().clone();
        let capabilities = Capabilities::discover(&self.cluster).await?;
        let options = RenderOptions {
            release_name: AGENT_RELEASE.to_owned(),
            namespace: self.cluster.namespace().to_owned(),
            revision: i64::from(revision),
            is_upgrade: revision > 1,
            capabilities,
            lookup: Arc::new(ClusterLookup::new(
                client,
                tokio::runtime::Handle::current(),
                REQUEST_TIMEOUT,
                self.retry,
            )),
            skip_schema_validation: false,
        };
        let renderer = self.renderer.clone();
        let (chart_files, config) = (chart.chart.clone(), chart.config.clone());
        let rendered =
            tokio::task::spawn_blocking(move || renderer.render(&chart_files, &config, &options))
                .await
                .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()))
                .map_err(HelmError::from)?;
        let sorted = manifest::sort(&rendered.files).map_err(HelmError::from)?;
        Ok(Desired {
            rendered: sorted,
            notes: rendered.notes,
        })
    }
}

/// The release's user values (`config`) the spec asks for, with the agent
/// chart whose default values are `chart_values`: the user's values file,
/// then the connection's identity (Helm's order: `-f`, then `--set`).
pub(super) fn desired_config(
    spec: &ConnectionSpec,
    agent: &AgentSpec,
    chart_values: &Values,
) -> Result<Values, EngineError> {
    let identity = agent_values(
        chart_values,
        &AgentValuesInput {
            space: spec.space.clone(),
            organization: spec.organization.clone(),
            token_secret: spec.token_secret_name.clone(),
            pull_secrets: agent.image_pull_secrets.clone(),
            registration: agent.registration_enabled,
            image_repository: agent.image_repository.clone(),
            registration_image_repository: agent.registration_image_repository.clone(),
            connect_url: None,
        },
    );
    Ok(UserValues {
        files: vec![agent.values.clone(), identity],
        ..UserValues::default()
    }
    .merge()
    .map_err(HelmError::from)?)
}

/// The installer's request for `desired`.
fn release_request<'a>(
    agent: &AgentSpec,
    chart: &'a AgentChart,
    desired: &'a Desired,
) -> ReleaseRequest<'a> {
    ReleaseRequest {
        name: AGENT_RELEASE,
        chart: &chart.chart,
        config: &chart.config,
        rendered: &desired.rendered,
        notes: &desired.notes,
        wait: agent.wait,
        timeout: agent.timeout,
        take_ownership: agent.take_ownership,
        atomic: agent.atomic,
        annotations: &chart.record_annotations,
    }
}

/// A renderer with Helm's function library.
pub(super) fn renderer() -> Renderer {
    let mut functions = TemplateSet::new();
    sprig::register(&mut functions);
    Renderer::with_functions(functions)
}

/// Where charts are cached when the caller does not say:
/// `$XDG_CACHE_HOME/upbound-connect/charts`, else `~/.cache/…`, else the
/// temporary directory.
pub(super) fn default_chart_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("upbound-connect")
        .join("charts")
}
