//! Installing the test agent chart with the installer: the chart rendered by
//! the harness's real helm (`helm template`), split per `# Source:` file and
//! sorted; Deployments marked ready by writing their status, as envtest
//! users do (the test apiserver runs no controllers); a client that counts
//! the writes it sends.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::{Value, json};
use tempfile::TempDir;
use upbound_connect::cluster::Cluster;
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::install::{Installer, ReleaseRequest};
use upbound_connect::helm::manifest::{self, Manifest, SortedManifests};
use upbound_connect::helm::release::{Release, ReleaseStore};
use upbound_connect::helm::values::Values;

use crate::helm::helm_output;
use crate::registry::{agent_chart, puller};
use crate::world::{FAST_RETRY, FIRST_CLUSTER, World, admin_access};

/// A release record without annotations.
static NO_ANNOTATIONS: std::collections::BTreeMap<String, String> =
    std::collections::BTreeMap::new();

/// The release name the tests use.
pub const RELEASE: &str = "agent";

/// The test agent chart directory (the older, top-level values interface).
pub fn agent_chart_dir() -> PathBuf {
    crate::repo_path("tests/charts/agent")
}

/// The agent chart at `version` from the harness registry (pushed there
/// by real helm), pulled into `cache`: its `.tgz`.
pub async fn pulled_chart(cache: &Path, version: &str) -> PathBuf {
    puller(cache)
        .pull(&agent_chart(version))
        .await
        .expect("chart pulled")
        .archive
}

/// A chart rendered for one release: what an install request needs.
pub struct Rendered {
    /// The loaded chart.
    pub chart: Chart,
    /// The user values.
    pub config: Values,
    /// The rendered documents.
    pub rendered: SortedManifests,
}

impl Rendered {
    /// Renders `chart` (a directory or `.tgz`) as release [`RELEASE`] in
    /// `namespace` with real `helm template`, the user values given as
    /// `--set` pairs of strings.
    pub fn new(home: &Path, chart: &Path, namespace: &str, sets: &[(&str, &str)]) -> Self {
        let set = sets
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(",");
        let chart_path = chart.to_str().expect("UTF-8 path");
        let mut args = vec!["template", RELEASE, chart_path, "--namespace", namespace];
        if !set.is_empty() {
            args.extend(["--set", &set]);
        }
        let out = helm_output(home, &args);
        assert!(
            out.status.success(),
            "helm template: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let mut config = Values::new();
        for (key, value) in sets {
            insert_dotted(&mut config, key, value);
        }
        Self {
            chart: Chart::load(chart).expect("chart loads"),
            config,
            rendered: manifest::sort(&split_sources(&text)).expect("sorted"),
        }
    }

    /// A request for these, waiting up to `timeout` when `wait`.
    pub fn request(&self, wait: bool, timeout: Duration) -> ReleaseRequest<'_> {
        ReleaseRequest {
            name: RELEASE,
            chart: &self.chart,
            config: &self.config,
            rendered: &self.rendered,
            notes: "",
            wait,
            timeout,
            take_ownership: false,
            atomic: false,
            annotations: &NO_ANNOTATIONS,
        }
    }
}

/// `helm template` output split into files by its `# Source:` lines.
fn split_sources(text: &str) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for block in text.split("# Source: ").skip(1) {
        let (source, document) = block.split_once('\n').expect("a source line");
        let document = document.trim_end().trim_end_matches("---");
        let file = files.entry(source.trim().to_owned()).or_default();
        file.push_str("\n---\n");
        file.push_str(document);
    }
    files
}

/// Sets `a.b.c` = `value` (a string) in `values`, as `--set` would.
fn insert_dotted(values: &mut Values, key: &str, value: &str) {
    match key.split_once('.') {
        None => {
            values.insert(key.to_owned(), json!(value));
        }
        Some((head, rest)) => {
            let child = values.entry(head.to_owned()).or_insert_with(|| json!({}));
            let Value::Object(child) = child else {
                panic!("{head} is not a map")
            };
            insert_dotted(child, rest, value);
        }
    }
}

/// The `--set` pairs for the older chart interface, connecting `space`.
pub fn agent_values(space: &str) -> Vec<(&str, &str)> {
    vec![
        ("space", space),
        ("organization", "acme"),
        ("tokenSecret", "connect-token"),
    ]
}

/// An installer for the world's namespace, as cluster-admin.
pub async fn installer(world: &World) -> Installer<'static> {
    Installer::new(world.cluster_as(&world.admin_access()).await)
}

/// The test agent chart rendered by real helm for `space` in the world's
/// namespace, with the helm home it was rendered in.
pub struct AgentChart {
    /// Real helm's home (its config and cache), for later helm commands.
    pub home: TempDir,
    /// What `helm template` made of the chart.
    pub rendered: Rendered,
}

impl AgentChart {
    /// Renders the chart in [`agent_chart_dir`] with [`agent_values`]`(space)`.
    pub fn new(world: &World, space: &str) -> Self {
        let home = tempfile::tempdir().expect("helm home");
        let rendered = Rendered::new(
            home.path(),
            &agent_chart_dir(),
            &world.namespace,
            &agent_values(space),
        );
        Self { home, rendered }
    }

    /// The request most tests make: no readiness wait, 10 s for the rest.
    pub fn request(&self) -> ReleaseRequest<'_> {
        self.rendered.request(false, Duration::from_secs(10))
    }
}

/// The agent chart for `space` installed without waiting, as release
/// [`RELEASE`] in the world's namespace (how most installer tests start),
/// and the installer that did it.
pub async fn installed(world: &World, space: &str) -> (AgentChart, Installer<'static>) {
    let chart = AgentChart::new(world, space);
    let installer = installer(world).await;
    installer
        .upgrade_install(&chart.request())
        .await
        .expect("the agent chart installs");
    (chart, installer)
}

/// Requests of a [`counting_cluster`]: `METHOD path` → count. Writes are
/// what is not a GET nor a dry run (which writes nothing).
#[derive(Clone, Default)]
pub struct Writes(Arc<Mutex<BTreeMap<(String, bool), usize>>>);

impl Writes {
    /// The writes so far.
    pub fn get(&self) -> BTreeMap<String, usize> {
        self.requests(|method, dry_run| method != "GET" && !dry_run)
    }

    /// The dry-run writes so far (a drift check's server-side applies).
    pub fn dry_runs(&self) -> BTreeMap<String, usize> {
        self.requests(|_, dry_run| dry_run)
    }

    /// The GETs so far.
    pub fn reads(&self) -> BTreeMap<String, usize> {
        self.requests(|method, _| method == "GET")
    }

    fn requests(&self, keep: impl Fn(&str, bool) -> bool) -> BTreeMap<String, usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|((request, dry_run), _)| {
                keep(request.split(' ').next().unwrap_or_default(), *dry_run)
            })
            .map(|((request, _), count)| (request.clone(), *count))
            .collect()
    }

    /// Counts `request`.
    pub(crate) fn count<B>(&self, request: &http::Request<B>) {
        let dry_run = request
            .uri()
            .query()
            .is_some_and(|query| query.contains("dryRun=All"));
        let key = format!("{} {}", request.method(), request.uri().path());
        *self
            .0
            .lock()
            .expect("not poisoned")
            .entry((key, dry_run))
            .or_default() += 1;
    }

    /// The writes so far that change something: without the run's own
    /// Lease (taken and released around any change) and the access
    /// reviews that check its permissions first.
    pub fn changes(&self) -> BTreeMap<String, usize> {
        self.get()
            .into_iter()
            .filter(|(request, _)| {
                !request.contains("/apis/coordination.k8s.io/")
                    && !request.ends_with("/selfsubjectaccessreviews")
            })
            .collect()
    }

    /// Forgets the writes so far.
    pub fn reset(&self) {
        self.0.lock().expect("not poisoned").clear();
    }
}

/// An installer whose every request passes a counter of writes.
pub async fn counting_installer(world: &World) -> (Installer<'static>, Writes) {
    let (cluster, writes) = counting_cluster(world).await;
    (Installer::new(cluster), writes)
}

/// A cluster adapter for the world's namespace, as cluster-admin, whose
/// every request passes a counter of writes.
pub async fn counting_cluster(world: &World) -> (Cluster, Writes) {
    let (client, writes) = counting_client(FIRST_CLUSTER).await;
    (
        Cluster::with_client(client, &world.namespace, FAST_RETRY),
        writes,
    )
}

/// A cluster-admin client of the harness cluster whose admin kubeconfig
/// the harness variable `kubeconfig` names, whose every request passes a
/// counter.
pub async fn counting_client(kubeconfig: &str) -> (kube::Client, Writes) {
    let writes = Writes::default();
    let counter = writes.clone();
    let config = admin_access(kubeconfig)
        .config(Duration::from_secs(10))
        .await
        .expect("kube config");
    let layer =
        tower::util::MapRequestLayer::new(move |request: http::Request<kube::client::Body>| {
            counter.count(&request);
            request
        });
    let client = kube::client::ClientBuilder::try_from(config)
        .expect("client builder")
        .with_layer(&layer)
        .build();
    (client, writes)
}

/// Marks every Deployment in `namespace` ready, again whenever one changes
/// (a watch), until the returned task is aborted (envtest practice: no
/// controllers).
pub fn mark_deployments_ready(kube: kube::Client, namespace: &str) -> ReadyMarker {
    use futures::StreamExt;
    use kube::runtime::{WatchStreamExt, watcher};

    let deployments: Api<Deployment> = Api::namespaced(kube, namespace);
    let task = tokio::spawn(async move {
        let mut changes = watcher(deployments.clone(), watcher::Config::default())
            .default_backoff()
            .applied_objects()
            .boxed();
        while let Some(change) = changes.next().await {
            if let Ok(deployment) = change {
                mark_ready(&deployments, &deployment).await;
            }
        }
    });
    ReadyMarker { task }
}

/// The background task of [`mark_deployments_ready`]; stops when dropped.
pub struct ReadyMarker {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ReadyMarker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn mark_ready(deployments: &Api<Deployment>, deployment: &Deployment) {
    let generation = deployment.metadata.generation.unwrap_or(0);
    let status = deployment.status.clone().unwrap_or_default();
    if status.observed_generation == Some(generation) {
        return;
    }
    let replicas = deployment
        .spec
        .as_ref()
        .and_then(|spec| spec.replicas)
        .unwrap_or(1);
    let name = deployment.metadata.name.clone().unwrap_or_default();
    let patch = json!({"status": {
        "observedGeneration": generation,
        "replicas": replicas,
        "updatedReplicas": replicas,
        "readyReplicas": replicas,
        "availableReplicas": replicas,
    }});
    let _ = deployments
        .patch_status(&name, &PatchParams::default(), &Patch::Merge(&patch))
        .await;
}

/// Every recorded revision of [`RELEASE`] in the world's namespace.
pub async fn history(world: &World) -> Vec<Release> {
    ReleaseStore::new(world.cluster_as(&world.admin_access()).await)
        .history(RELEASE)
        .await
        .expect("release records readable")
}

/// A document added to a rendering, as a template `<name>.yaml` would
/// emit it; `body` goes under `metadata.name`, indented by the caller.
pub fn extra_document(api_version: &str, kind: &str, name: &str, body: &str) -> Manifest {
    Manifest {
        source: format!("agent/templates/{name}.yaml"),
        kind: kind.to_owned(),
        name: name.to_owned(),
        content: format!(
            "apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: {name}\n{body}"
        )
        .trim_end()
        .to_owned(),
    }
}

/// Sets Deployment `agent`'s replicas in `namespace` as `kubectl edit`
/// would (an imperative update under its own field manager): an edit out
/// of band that the release's next apply takes back.
pub async fn edit_agent_replicas(kube: &kube::Client, namespace: &str, replicas: i32) {
    let deployments: Api<Deployment> = Api::namespaced(kube.clone(), namespace);
    let edit = PatchParams {
        field_manager: Some("kubectl-edit".to_owned()),
        ..PatchParams::default()
    };
    deployments
        .patch(
            "agent",
            &edit,
            &Patch::Merge(json!({"spec": {"replicas": replicas}})),
        )
        .await
        .expect("Deployment agent edited");
}
