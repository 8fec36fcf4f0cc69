//! `atomic` as `helm --atomic` (v3.21): the same chart and the same steps
//! are taken by the installer in one namespace and by real helm in another,
//! and what each leaves is compared. An upgrade whose post-upgrade hook
//! fails is rolled back (`Rollback to 1`, its rollback hooks run by weight
//! and delete policy, the object it added deleted), or without `atomic`
//! left `failed`; a first install whose post-install hook fails is
//! uninstalled (its pre-delete hook run). Test hooks never run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::ListParams;
use serde_json::{Value, json};
use tempfile::TempDir;
use upbound_connect::helm::install::{InstallError, Installer};
use upbound_connect::helm::release::ReleaseStore;

use testkit::helm::{helm_in_cluster, helm_in_cluster_output, releases};
use testkit::hook_pods::{FailingPods, default_service_account};
use testkit::install::{RELEASE, Rendered, installer};
use testkit::world::World;

/// The timeout of every install, upgrade and rollback here.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The values of the upgrade (or install) whose hook fails.
const FAILING: &[(&str, &str)] = &[("version", "2"), ("extra", "true"), ("failHook", "true")];

/// The installer in the world's namespace, real helm in `theirs`.
struct Sides {
    world: World,
    theirs: String,
    home: TempDir,
    chart: PathBuf,
    installer: Installer<'static>,
    _failer: FailingPods,
}

impl Sides {
    async fn new() -> Self {
        let world = World::new().await;
        let theirs = world.spaces_namespace("helm-atomic").await;
        for namespace in [&world.namespace, &theirs] {
            default_service_account(&world.kube, namespace).await;
        }
        let failer = FailingPods::start(world.kube.clone());
        Self {
            installer: installer(&world).await,
            world,
            theirs,
            home: tempfile::tempdir().expect("helm home"),
            chart: testkit::repo_path("tests/charts/atomic"),
            _failer: failer,
        }
    }

    /// The chart rendered by real helm with `sets`, for our namespace.
    fn rendered(&self, sets: &[(&str, &str)]) -> Rendered {
        Rendered::new(self.home.path(), &self.chart, &self.world.namespace, sets)
    }

    /// `helm <command> agent <chart> --set <sets> --timeout 30s <extra…>`
    /// in their namespace: whether it succeeded, and its stderr.
    fn helm(&self, command: &str, sets: &[(&str, &str)], extra: &[&str]) -> (bool, String) {
        let set = sets
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(",");
        let chart = self.chart.display().to_string();
        let mut args = vec![command, RELEASE, &chart, "--timeout", "30s"];
        if !set.is_empty() {
            args.extend(["--set", &set]);
        }
        args.extend_from_slice(extra);
        let out = helm_in_cluster_output(self.home.path(), &self.theirs, &args);
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Revision 1 installed on both sides.
    async fn install_first(&self) {
        self.installer
            .upgrade_install(&self.rendered(&[]).request(true, TIMEOUT))
            .await
            .expect("our install");
        let (installed, stderr) = self.helm("install", &[], &["--wait"]);
        assert!(installed, "helm install: {stderr}");
    }

    /// `helm history` of both sides, as real helm prints it.
    fn histories(&self) -> (Vec<Revision>, Vec<Revision>) {
        (
            history(self.home.path(), &self.world.namespace),
            history(self.home.path(), &self.theirs),
        )
    }

    /// The release's ConfigMaps (objects and hooks) on both sides.
    async fn config_maps(&self) -> (Objects, Objects) {
        (
            config_maps(&self.world.kube, &self.world.namespace).await,
            config_maps(&self.world.kube, &self.theirs).await,
        )
    }
}

/// Name → data of the ConfigMaps named `agent-…`.
type Objects = BTreeMap<String, Value>;

async fn config_maps(kube: &kube::Client, namespace: &str) -> Objects {
    let api: Api<ConfigMap> = Api::namespaced(kube.clone(), namespace);
    api.list(&ListParams::default())
        .await
        .expect("ConfigMaps")
        .items
        .into_iter()
        .filter_map(|config_map| {
            let name = config_map.metadata.name?;
            let data = serde_json::to_value(config_map.data).expect("JSON");
            name.starts_with("agent-").then_some((name, data))
        })
        .collect()
}

/// One line of `helm history`: revision, status, chart, app version and
/// description, a failure's message cut after `… failed: ` (the two
/// implementations word their errors differently).
#[derive(Debug, PartialEq, Eq)]
struct Revision(u64, String, String, String, String);

fn history(home: &Path, namespace: &str) -> Vec<Revision> {
    let listed = helm_in_cluster(home, namespace, &["history", RELEASE, "-o", "json"]);
    let listed: Vec<Value> = serde_json::from_str(&listed).expect("helm history JSON");
    listed
        .iter()
        .map(|revision| {
            let text = |key: &str| revision[key].as_str().unwrap_or_default().to_owned();
            let description = text("description");
            let description = match description.split_once(" failed: ") {
                Some((what, _)) => format!("{what} failed: …"),
                None => description,
            };
            Revision(
                revision["revision"].as_u64().unwrap_or_default(),
                text("status"),
                text("chart"),
                text("app_version"),
                description,
            )
        })
        .collect()
}

/// (name, last run's phase) of each hook of `revision`, by name; and the
/// start times by name.
async fn hook_runs(
    namespace: &str,
    revision: u32,
) -> (Vec<(String, String)>, BTreeMap<String, String>) {
    let store = ReleaseStore::new(testkit::admin_cluster(namespace).await);
    let history = store.history(RELEASE).await.expect("records");
    let record = history
        .iter()
        .find(|release| release.version == revision)
        .expect("the revision");
    let mut runs: Vec<(String, String)> = record
        .hooks
        .iter()
        .map(|hook| {
            (
                hook["name"].as_str().unwrap_or_default().to_owned(),
                hook["last_run"]["phase"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    runs.sort();
    let started = record
        .hooks
        .iter()
        .map(|hook| {
            (
                hook["name"].as_str().unwrap_or_default().to_owned(),
                hook["last_run"]["started_at"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    (runs, started)
}

/// Marks every Pod named `…-fail` failed, in every namespace, until
/// dropped (the test apiserver runs no kubelet).
fn s(text: &str) -> String {
    text.to_owned()
}

#[tokio::test]
async fn a_failed_upgrade_with_atomic_is_rolled_back_as_helm_rolls_it_back() {
    let sides = Sides::new().await;
    sides.install_first().await;

    let failing = sides.rendered(FAILING);
    let mut request = failing.request(false, TIMEOUT);
    request.atomic = true;
    let error = sides
        .installer
        .upgrade_install(&request)
        .await
        .expect_err("the post-upgrade hook fails");
    let (upgraded, stderr) = sides.helm("upgrade", FAILING, &["--atomic"]);

    assert!(!upgraded, "helm's upgrade failed too");
    let words = "release agent failed, and has been rolled back due to atomic being set: ";
    assert!(stderr.contains(words), "{stderr}");
    assert!(error.to_string().starts_with(words), "{error}");
    let InstallError::RolledBack { cause, .. } = &error else {
        panic!("not rolled back: {error}");
    };
    assert!(
        matches!(**cause, InstallError::Hook { ref event, .. } if event == "post-upgrade"),
        "{cause}"
    );
    assert!(
        std::ptr::eq(error.cause(), &**cause),
        "the cause is the hook"
    );

    let (ours, theirs) = sides.histories();
    assert_eq!(ours, theirs, "helm history");
    let chart = || s("atomic-0.1.0");
    assert_eq!(
        ours,
        [
            Revision(1, s("superseded"), chart(), s("1.0"), s("Install complete")),
            Revision(
                2,
                s("failed"),
                chart(),
                s("1.0"),
                s("Upgrade \"agent\" failed: …")
            ),
            Revision(3, s("deployed"), chart(), s("1.0"), s("Rollback to 1")),
        ]
    );

    let (ours, theirs) = sides.config_maps().await;
    assert_eq!(ours, theirs, "the objects and hooks left");
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        [
            "agent-base",
            "agent-post-rollback",
            "agent-pre-rollback-first"
        ],
        "revision 1's object is back, the one revision 2 added gone, the \
         rollback hooks ran (the hook-succeeded one deleted), the test hook never"
    );
    assert_eq!(ours["agent-base"], json!({"version": "1"}));
    assert_eq!(ours["agent-post-rollback"], json!({"revision": "1"}));

    let (our_runs, started) = hook_runs(&sides.world.namespace, 3).await;
    let (their_runs, _) = hook_runs(&sides.theirs, 3).await;
    assert_eq!(our_runs, their_runs, "the rollback revision's hook runs");
    assert_eq!(
        our_runs,
        [
            (s("agent-post-rollback"), s("Succeeded")),
            (s("agent-pre-delete"), s("")),
            (s("agent-pre-rollback-cleaned"), s("Succeeded")),
            (s("agent-pre-rollback-first"), s("Succeeded")),
            (s("agent-test"), s("")),
        ]
    );
    assert!(
        started["agent-pre-rollback-first"] < started["agent-pre-rollback-cleaned"],
        "weight -1 runs before weight 1"
    );
}

#[tokio::test]
async fn a_failed_upgrade_without_atomic_stays_failed_as_with_helm() {
    let sides = Sides::new().await;
    sides.install_first().await;

    let failing = sides.rendered(FAILING);
    let error = sides
        .installer
        .upgrade_install(&failing.request(false, TIMEOUT))
        .await
        .expect_err("the post-upgrade hook fails");
    let (upgraded, stderr) = sides.helm("upgrade", FAILING, &[]);

    assert!(!upgraded, "helm's upgrade failed too");
    assert!(!stderr.contains("rolled back"), "{stderr}");
    assert!(
        matches!(&error, InstallError::Hook { event, .. } if event == "post-upgrade"),
        "{error}"
    );

    let (ours, theirs) = sides.histories();
    assert_eq!(ours, theirs, "helm history");
    let chart = || s("atomic-0.1.0");
    assert_eq!(
        ours,
        [
            Revision(1, s("deployed"), chart(), s("1.0"), s("Install complete")),
            Revision(
                2,
                s("failed"),
                chart(),
                s("1.0"),
                s("Upgrade \"agent\" failed: …")
            ),
        ]
    );
    let (ours, theirs) = sides.config_maps().await;
    assert_eq!(ours, theirs, "the objects left");
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        ["agent-base", "agent-extra"],
        "nothing rolled back, no rollback hook run"
    );
    assert_eq!(ours["agent-base"], json!({"version": "2"}));
}

#[tokio::test]
async fn a_failed_first_install_with_atomic_is_uninstalled_as_helm_uninstalls_it() {
    let sides = Sides::new().await;

    let failing = sides.rendered(FAILING);
    let mut request = failing.request(false, TIMEOUT);
    request.atomic = true;
    let error = sides
        .installer
        .upgrade_install(&request)
        .await
        .expect_err("the post-install hook fails");
    let (installed, stderr) = sides.helm("upgrade", FAILING, &["--install", "--atomic"]);

    assert!(!installed, "helm's install failed too");
    let words = "release agent failed, and has been uninstalled due to atomic being set: ";
    assert!(stderr.contains(words), "{stderr}");
    assert!(error.to_string().starts_with(words), "{error}");
    assert!(
        matches!(error.cause(), InstallError::Hook { event, .. } if event == "post-install"),
        "{error}"
    );

    assert!(
        releases(&sides.world.namespace).is_empty(),
        "no release left"
    );
    assert!(releases(&sides.theirs).is_empty(), "no release left");
    let (ours, theirs) = sides.config_maps().await;
    assert_eq!(ours, theirs, "the objects left");
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        ["agent-pre-delete"],
        "the objects uninstalled, the pre-delete hook run"
    );
}
