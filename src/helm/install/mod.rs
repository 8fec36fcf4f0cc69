//! `helm upgrade --install --wait`, `helm uninstall` and a drift check for
//! one release, without helm: rendered manifests in, objects and Helm v3
//! release records out, readable and changeable by real helm.
//!
//! - Objects are server-side applied under [`FIELD_MANAGER`](crate::cluster::FIELD_MANAGER),
//!   each stamped with Helm's ownership label and annotations (not in the
//!   recorded manifest). An existing object the release would newly take is
//!   refused unless it carries matching ownership or `take_ownership` is set.
//! - Field conflicts: fields last written imperatively (`Update` managers,
//!   e.g. `kubectl edit`) are out-of-band edits and are taken back, as
//!   `helm upgrade` would; a conflict with another *applier* is an error
//!   naming it, unless `take_ownership`. Fields Helm 3 wrote (field manager
//!   `helm`, client-side apply) are first made ours, as Helm 4 migrates
//!   client-side to server-side apply, so fields that left the chart go.
//! - Records follow Helm v3: `pending-install`/`pending-upgrade` during the
//!   run, then `deployed` (the previous deployed revision `superseded`) or
//!   `failed` with the error; history trimmed to [`HISTORY_MAX`].
//! - A re-run that would change nothing (same chart version, values,
//!   manifest, hooks and notes, last revision deployed, every object live
//!   and a server-side dry-run apply of it a no-op) writes nothing. The
//!   deployed revision's record keeps each object's version as its rollout
//!   left it (`ledger`): an object still at it is not dry-run.
//! - An interrupted operation (last revision `pending-*`; the engine's lease
//!   rules out a live one) is marked `failed` and the run goes on as over a
//!   failed release: an upgrade whose base is the last deployed revision
//!   (objects of the interrupted revision that left the manifest are deleted
//!   too), or an upgrade from nothing when no revision was ever deployed.
//!   This rolls forward to the requested state rather than rolling back
//!   first, so one run writes one new revision.
//!
//! - With `atomic` (Helm's `--atomic`, which implies `wait`), a failed
//!   upgrade is rolled back to the last successful revision as `helm
//!   rollback` does, and a failed first install is uninstalled (see
//!   [`rollback`](self#atomic)).
//!
//! Test hooks are recorded in the release as Helm records them and never
//! run: only `helm test` runs them, and there is no test operation.
//!
//! # Atomic
//! As Helm's `Upgrade.failRelease`: the failed revision is recorded
//! `failed`, then a new revision copies the last `deployed` or
//! `superseded` one (chart, values, manifest, hooks, notes) with the
//! description `Rollback to N`; its pre-rollback hooks run, its objects are
//! applied and those only the failed revision had are deleted, it is
//! waited for (always, within a fresh `timeout`), its post-rollback hooks
//! run, and it is recorded `deployed`, the previously deployed revision
//! `superseded`. The failed revision stays `failed`.

mod error;
mod hooks;
mod ledger;
mod object;
mod record;
mod rollback;
mod wait;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use kube::api::DynamicObject;
use serde_json::Value;
use tokio::time::Instant;

pub use error::InstallError;

/// How long `install_crds` waits for new CRDs to be served (Helm's 60 s).
const CRD_WAIT: Duration = Duration::from_secs(60);
pub use object::ObjectRef;

use hooks::HookRecord;
use ledger::Ledger;
use object::{Object, Objects, ownership_problems};
use record::{chart_record, now, recorded_manifests};

use crate::cluster::{Cluster, ClusterError};
use crate::helm::chart::Chart;
use crate::helm::manifest::{self, SortedManifests, release_manifest};
use crate::helm::release::{HISTORY_MAX, Info, NEVER, Release, ReleaseStore, Status};
use crate::helm::values::Values;

/// Kinds in the order Helm uninstalls them (its own list, not the install
/// order reversed); unknown kinds come after these, alphabetically.
const UNINSTALL_ORDER: &[&str] = &[
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// What to install: a rendered chart and how to roll it out.
#[derive(Clone, Copy, Debug)]
pub struct ReleaseRequest<'a> {
    /// The release name (e.g. `agent`); its namespace is the cluster's.
    pub name: &'a str,
    /// The chart, as recorded in the release.
    pub chart: &'a Chart,
    /// The user-supplied values (Helm's `config`, `helm get values`); the
    /// final values are the chart's defaults coalesced with these.
    pub config: &'a Values,
    /// The rendered documents (see [`manifest::sort`](crate::helm::manifest::sort)).
    pub rendered: &'a SortedManifests,
    /// The rendered `NOTES.txt`.
    pub notes: &'a str,
    /// Wait for workloads to be ready (Helm's `--wait`).
    pub wait: bool,
    /// Bounds hooks and the wait (Helm's `--timeout`).
    pub timeout: Duration,
    /// Adopt objects owned by something else and take over fields another
    /// applier set (Helm's `--take-ownership` plus `--force-conflicts`).
    pub take_ownership: bool,
    /// Helm's `--atomic` (implies `wait`): a failed upgrade is rolled back
    /// to the last successful revision, a failed first install uninstalled.
    pub atomic: bool,
    /// Kept with the new revision's record (see [`Release::annotations`]).
    pub annotations: &'a BTreeMap<String, String>,
}

/// The result of [`Installer::upgrade_install`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstallOutcome {
    /// The deployed revision.
    pub revision: u32,
    /// Whether anything was written (`false`: already as requested).
    pub changed: bool,
}

/// The result of [`Installer::uninstall`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UninstallOutcome {
    /// The release was uninstalled and its records deleted.
    Uninstalled {
        /// Its last revision.
        revision: u32,
        /// Objects left in place: `helm.sh/resource-policy: keep`, or not
        /// owned by the release.
        kept: Vec<ObjectRef>,
    },
    /// There was no such release.
    AlreadyGone,
}

/// How a release stands against what is recorded (and, if given, desired).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseState {
    /// No revision is recorded.
    Missing,
    /// Deployed, and everything matches.
    Deployed {
        /// The deployed revision.
        revision: u32,
    },
    /// Recorded, but something differs.
    Drifted {
        /// The last revision.
        revision: u32,
        /// What differs.
        drift: Vec<Drift>,
    },
}

/// One way a release differs from what it should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// The last revision is not `deployed` (failed, pending-*, …).
    Status(Status),
    /// Another chart (or version) is recorded.
    Chart {
        /// `name-version` recorded.
        recorded: String,
        /// `name-version` desired.
        desired: String,
    },
    /// Other user values are recorded.
    Values,
    /// The rendered manifest, hooks or notes differ from the recorded ones.
    Manifest,
    /// An object of the release is gone.
    ObjectMissing(ObjectRef),
    /// An object of the release was changed out of band (applying the
    /// release would change it, or it lost its ownership metadata).
    ObjectEdited(ObjectRef),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Status(status) => write!(f, "the last revision is {}", status.as_str()),
            Self::Chart { recorded, desired } => {
                write!(f, "chart {recorded} is installed, {desired} is wanted")
            }
            Self::Values => f.write_str("other values are installed"),
            Self::Manifest => f.write_str("the chart renders differently from what is installed"),
            Self::ObjectMissing(object) => write!(f, "{object} is missing"),
            Self::ObjectEdited(object) => write!(f, "{object} was changed out of band"),
        }
    }
}

/// Installs, upgrades, uninstalls and observes releases in one namespace.
pub struct Installer<'p> {
    cluster: Cluster,
    store: ReleaseStore,
    progress: Option<WaitProgress<'p>>,
}

/// Told every few seconds while the installer waits for an object to be
/// ready: which object, and how long the install has taken so far.
pub type WaitProgress<'p> = &'p (dyn Fn(&ObjectRef, Duration) + Sync);

impl<'p> Installer<'p> {
    /// An installer for releases in `cluster`'s namespace.
    pub fn new(cluster: Cluster) -> Self {
        Self {
            store: ReleaseStore::new(cluster.clone()),
            cluster,
            progress: None,
        }
    }

    /// The same installer, telling `progress` how its readiness waits go.
    pub fn with_progress(mut self, progress: WaitProgress<'p>) -> Self {
        self.progress = Some(progress);
        self
    }

    /// What `helm install` does with the chart's `crds/` (and its enabled
    /// subcharts') before it renders anything: creates each
    /// CustomResourceDefinition that does not exist yet (one that does is
    /// left as it is), waits until the API server serves the new ones, and
    /// makes the cluster discover again, so the render sees their APIs.
    /// They are not part of the release: an upgrade never runs this, and
    /// uninstall leaves them, as Helm 3 does. `chart` is as Helm has it
    /// then: its dependencies processed for the release's values
    /// ([`process_dependencies`](crate::helm::render::process_dependencies)),
    /// so a subchart they disable brings no CRDs. The definitions created.
    pub async fn install_crds(&self, chart: &Chart) -> Result<Vec<ObjectRef>, InstallError> {
        let mut objects = Objects::new(self.cluster.clone());
        let mut created = Vec::new();
        for file in chart.crd_files() {
            let text = String::from_utf8_lossy(&file.data);
            let documents =
                manifest::documents(&file.name, &text).map_err(|error| InstallError::Manifest {
                    source_file: error.source_file,
                    problem: error.problem,
                })?;
            for document in documents
                .iter()
                .filter(|document| !document.kind.is_empty())
            {
                let object = objects.resolve(document).await?;
                if objects.create(&object).await? {
                    created.push(object);
                }
            }
        }
        let deadline = Instant::now() + CRD_WAIT;
        for object in &created {
            wait::wait_one(&objects, object, wait::crd_established, deadline, CRD_WAIT).await?;
        }
        if !created.is_empty() {
            self.cluster.forget_served().await;
        }
        Ok(created.into_iter().map(|object| object.reference).collect())
    }

    /// `helm upgrade --install`: installs the release, or upgrades it when
    /// anything differs, writing nothing when nothing does.
    pub async fn upgrade_install(
        &self,
        request: &ReleaseRequest<'_>,
    ) -> Result<InstallOutcome, InstallError> {
        let started = Instant::now();
        let namespace = self.cluster.namespace().to_owned();
        let mut history = self.store.history(request.name).await?;
        self.resolve_interrupted(&mut history).await?;
        let mut objects = Objects::new(self.cluster.clone());
        let mut targets = Vec::new();
        for manifest in &request.rendered.manifests {
            let mut object = objects.resolve(manifest).await?;
            object.stamp_ownership(request.name, &namespace);
            targets.push(object);
        }
        let manifest = release_manifest(&request.rendered.manifests);
        let mut hooks = hooks::records(&request.rendered.hooks);

        if let Some(last) = history.last()
            && last.info.status == Status::Deployed
            && release_drift(last, request, &manifest, &hooks).is_empty()
            && object_drift(&objects, &targets, &Ledger::of(last))
                .await?
                .is_empty()
        {
            return Ok(InstallOutcome {
                revision: last.version,
                changed: false,
            });
        }

        let previous = self.previous_objects(&mut objects, &history).await?;
        let lives = self
            .live_objects(&objects, &targets, &previous, request)
            .await?;

        let is_install = history.is_empty();
        if !is_install {
            self.store.trim(request.name, HISTORY_MAX - 1).await?;
        }
        let mut release = Release {
            name: request.name.to_owned(),
            info: Info {
                first_deployed: history
                    .first()
                    .map_or_else(now, |first| first.info.first_deployed.clone()),
                last_deployed: now(),
                deleted: NEVER.to_owned(),
                description: if is_install {
                    "Initial install underway"
                } else {
                    "Preparing upgrade"
                }
                .to_owned(),
                status: if is_install {
                    Status::PendingInstall
                } else {
                    Status::PendingUpgrade
                },
                notes: request.notes.to_owned(),
            },
            chart: chart_record(request.chart),
            config: request.config.clone(),
            manifest,
            hooks: hook_values(&hooks),
            version: history.last().map_or(1, |last| last.version + 1),
            namespace: namespace.clone(),
            annotations: request.annotations.clone(),
        };
        self.store.create(&release).await?;

        let deployed = self
            .deploy(
                &mut objects,
                request,
                &targets,
                &lives,
                &previous,
                &mut hooks,
                is_install,
                started,
            )
            .await;
        release.hooks = hook_values(&hooks);
        match deployed {
            Err(error) if is_install && request.atomic => {
                Err(self.uninstall_failed_install(request, error).await)
            }
            Ok(()) => {
                for old in history
                    .iter_mut()
                    .filter(|old| old.info.status == Status::Deployed)
                {
                    // Helm changes the status only: the description
                    // stays what that revision's operation wrote.
                    old.info.status = Status::Superseded;
                    self.store.update(old).await?;
                }
                // Best effort: without it the next check is a full one.
                if let Ok(ledger) = left_at(&objects, &targets).await {
                    release
                        .annotations
                        .insert(ledger::ANNOTATION.to_owned(), ledger.annotation());
                }
                release.info.status = Status::Deployed;
                release.info.description = if is_install {
                    "Install complete"
                } else {
                    "Upgrade complete"
                }
                .to_owned();
                self.store.update(&release).await?;
                Ok(InstallOutcome {
                    revision: release.version,
                    changed: true,
                })
            }
            Err(error) => {
                release.info.status = Status::Failed;
                let operation = if is_install { "Release" } else { "Upgrade" };
                release.info.description =
                    format!("{operation} {:?} failed: {error}", request.name);
                // The rollout's error is the one to report; a record left
                // pending because this write failed too is resolved by the
                // next run (see the module notes).
                let _ = self.store.update(&release).await;
                if request.atomic {
                    return Err(self.roll_back_failed_upgrade(request, error).await);
                }
                Err(error)
            }
        }
    }

    /// Marks an interrupted last revision (`pending-*`) `failed`, so the
    /// run upgrades over it (see the module notes).
    async fn resolve_interrupted(&self, history: &mut [Release]) -> Result<(), InstallError> {
        if let Some(last) = history.last_mut()
            && last.info.status.is_pending()
        {
            last.info.description = format!(
                "{} was interrupted; upgraded over by upbound-connect",
                last.info.status.as_str()
            );
            last.info.status = Status::Failed;
            self.store.update(last).await?;
        }
        Ok(())
    }

    /// The objects the release may already have: those of the last deployed
    /// revision and of every revision after it (failed or interrupted ones
    /// may have created objects); all revisions when none was deployed.
    /// Objects whose kind the cluster no longer serves are gone already.
    async fn previous_objects(
        &self,
        objects: &mut Objects,
        history: &[Release],
    ) -> Result<Vec<Object>, InstallError> {
        let base = history
            .iter()
            .rposition(|release| release.info.status == Status::Deployed)
            .unwrap_or(0);
        let mut previous: Vec<Object> = Vec::new();
        for release in history.get(base..).unwrap_or_default() {
            for object in recorded_objects(objects, &release.manifest).await? {
                if !previous.iter().any(|o| o.reference == object.reference) {
                    previous.push(object);
                }
            }
        }
        Ok(previous)
    }

    /// The live state of each target, refusing (as Helm's ownership check
    /// does) one that exists, was not in the release, and does not carry
    /// the release's ownership metadata, unless `take_ownership`.
    async fn live_objects(
        &self,
        objects: &Objects,
        targets: &[Object],
        previous: &[Object],
        request: &ReleaseRequest<'_>,
    ) -> Result<Vec<Option<DynamicObject>>, InstallError> {
        let mut lives = Vec::new();
        for target in targets {
            let live = objects.get(target).await?;
            let was_ours = previous.iter().any(|old| old.reference == target.reference);
            if let Some(live) = &live
                && !was_ours
                && !request.take_ownership
            {
                let problems = ownership_problems(live, request.name, self.cluster.namespace());
                if !problems.is_empty() {
                    return Err(InstallError::NotOwned {
                        object: target.reference.to_string(),
                        problems: problems.join("; "),
                    });
                }
            }
            lives.push(live);
        }
        Ok(lives)
    }

    /// The rollout of a new revision: hooks, apply, prune, wait, hooks.
    #[allow(clippy::too_many_arguments)]
    async fn deploy(
        &self,
        objects: &mut Objects,
        request: &ReleaseRequest<'_>,
        targets: &[Object],
        lives: &[Option<DynamicObject>],
        previous: &[Object],
        hooks: &mut [HookRecord],
        is_install: bool,
        started: Instant,
    ) -> Result<(), InstallError> {
        let deadline = started + request.timeout;
        let (pre, post) = if is_install {
            ("pre-install", "post-install")
        } else {
            ("pre-upgrade", "post-upgrade")
        };
        hooks::run(objects, hooks, pre, deadline, request.timeout).await?;
        self.apply_and_prune(objects, targets, lives, previous, request)
            .await?;
        if request.wait || request.atomic {
            wait::wait_ready(objects, targets, started, request.timeout, self.progress).await?;
        }
        hooks::run(objects, hooks, post, deadline, request.timeout).await
    }

    /// Applies `targets` (over their live state `lives`), then deletes the
    /// objects of `previous` that are no longer wanted, as Helm's update.
    async fn apply_and_prune(
        &self,
        objects: &Objects,
        targets: &[Object],
        lives: &[Option<DynamicObject>],
        previous: &[Object],
        request: &ReleaseRequest<'_>,
    ) -> Result<(), InstallError> {
        for (target, live) in targets.iter().zip(lives) {
            if let Some(live) = live {
                objects.take_over_helm_fields(target, live).await?;
            }
            objects
                .apply(target, live.as_ref(), request.take_ownership, false)
                .await?;
        }
        let wanted: BTreeSet<&ObjectRef> = targets.iter().map(|t| &t.reference).collect();
        for old in previous
            .iter()
            .filter(|old| !wanted.contains(&old.reference))
        {
            self.delete_if_ours(objects, old, request.name).await?;
        }
        Ok(())
    }

    /// Deletes `object` unless it is to be kept or is not the release's
    /// (then it is returned, as left in place); gone already is fine.
    async fn delete_if_ours(
        &self,
        objects: &Objects,
        object: &Object,
        release: &str,
    ) -> Result<Option<ObjectRef>, InstallError> {
        if object.keep() {
            return Ok(Some(object.reference.clone()));
        }
        let Some(live) = objects.get(object).await? else {
            return Ok(None);
        };
        if !ownership_problems(&live, release, self.cluster.namespace()).is_empty() {
            return Ok(Some(object.reference.clone()));
        }
        objects.delete(object).await?;
        Ok(None)
    }

    /// `helm uninstall`: marks the release `uninstalling`, runs pre-delete
    /// hooks, deletes its objects in Helm's uninstall order (sparing `keep`
    /// ones and ones not owned by the release), runs post-delete hooks and
    /// deletes every release record. No release is success.
    pub async fn uninstall(
        &self,
        name: &str,
        timeout: Duration,
    ) -> Result<UninstallOutcome, InstallError> {
        let started = Instant::now();
        let history = self.store.history(name).await?;
        let Some(mut release) = history.last().cloned() else {
            return Ok(UninstallOutcome::AlreadyGone);
        };
        release.info.status = Status::Uninstalling;
        release.info.deleted = now();
        release.info.description = "Deletion in progress (or silence)".to_owned();
        self.store.update(&release).await?;

        let mut objects = Objects::new(self.cluster.clone());
        let mut hooks = hooks::recorded(&release);
        let deadline = started + timeout;
        hooks::run(&mut objects, &mut hooks, "pre-delete", deadline, timeout).await?;
        let mut manifests = recorded_manifests(&release.manifest)?;
        manifests.sort_by(|a, b| uninstall_rank(&a.kind).cmp(&uninstall_rank(&b.kind)));
        let mut kept = Vec::new();
        for manifest in &manifests {
            let object = match objects.resolve(manifest).await {
                Ok(object) => object,
                Err(InstallError::UnknownKind { .. }) => continue,
                Err(error) => return Err(error),
            };
            kept.extend(self.delete_if_ours(&objects, &object, name).await?);
        }
        hooks::run(&mut objects, &mut hooks, "post-delete", deadline, timeout).await?;
        for revision in &history {
            self.store.delete(name, revision.version).await?;
        }
        Ok(UninstallOutcome::Uninstalled {
            revision: release.version,
            kept,
        })
    }

    /// How release `name` stands: its last revision's status, every object
    /// of its recorded manifest (present, not edited out of band), and, when
    /// `desired` is given, whether chart, values and manifest still match.
    /// Reads only (edits are found by server-side dry-run applies).
    pub async fn observe(
        &self,
        name: &str,
        desired: Option<&ReleaseRequest<'_>>,
    ) -> Result<ReleaseState, InstallError> {
        let history = self.store.history(name).await?;
        match history.last() {
            Some(last) => self.observe_revision(last, desired).await,
            None => Ok(ReleaseState::Missing),
        }
    }

    /// [`observe`](Self::observe) with the release's last revision read.
    pub async fn observe_revision(
        &self,
        last: &Release,
        desired: Option<&ReleaseRequest<'_>>,
    ) -> Result<ReleaseState, InstallError> {
        let name = last.name.as_str();
        let mut drift = Vec::new();
        if last.info.status != Status::Deployed {
            drift.push(Drift::Status(last.info.status));
        }
        if let Some(desired) = desired {
            let manifest = release_manifest(&desired.rendered.manifests);
            let hooks = hooks::records(&desired.rendered.hooks);
            drift.extend(release_drift(last, desired, &manifest, &hooks));
        }
        let mut objects = Objects::new(self.cluster.clone());
        let mut recorded = recorded_objects(&mut objects, &last.manifest).await?;
        for object in &mut recorded {
            object.stamp_ownership(name, self.cluster.namespace());
        }
        drift.extend(object_drift(&objects, &recorded, &Ledger::of(last)).await?);
        Ok(if drift.is_empty() {
            ReleaseState::Deployed {
                revision: last.version,
            }
        } else {
            ReleaseState::Drifted {
                revision: last.version,
                drift,
            }
        })
    }
}

/// The objects of a recorded manifest, in install order; those whose kind
/// the cluster no longer serves are gone already, and left out.
async fn recorded_objects(
    objects: &mut Objects,
    manifest: &str,
) -> Result<Vec<Object>, InstallError> {
    let mut found = Vec::new();
    for manifest in recorded_manifests(manifest)? {
        match objects.resolve(&manifest).await {
            Ok(object) => found.push(object),
            Err(InstallError::UnknownKind { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(found)
}

/// How a recorded revision differs from a request: chart, values, and the
/// rendered manifest, hooks and notes.
fn release_drift(
    recorded: &Release,
    request: &ReleaseRequest<'_>,
    manifest: &str,
    hooks: &[HookRecord],
) -> Vec<Drift> {
    let mut drift = Vec::new();
    let chart_id = |name: Option<&str>, version: Option<&str>| {
        format!(
            "{}-{}",
            name.unwrap_or_default(),
            version.unwrap_or_default()
        )
    };
    let recorded_chart = chart_id(
        recorded.chart.metadata.get("name").and_then(Value::as_str),
        recorded
            .chart
            .metadata
            .get("version")
            .and_then(Value::as_str),
    );
    let desired_chart = chart_id(
        Some(&request.chart.metadata.name),
        Some(&request.chart.metadata.version),
    );
    if recorded_chart != desired_chart {
        drift.push(Drift::Chart {
            recorded: recorded_chart,
            desired: desired_chart,
        });
    }
    if &recorded.config != request.config {
        drift.push(Drift::Values);
    }
    let recorded_hooks: Vec<(String, String)> = hooks::recorded(recorded)
        .into_iter()
        .map(|hook| (hook.path, hook.manifest))
        .collect();
    let desired_hooks: Vec<(String, String)> = hooks
        .iter()
        .map(|hook| (hook.path.clone(), hook.manifest.clone()))
        .collect();
    if recorded.manifest != manifest
        || recorded_hooks != desired_hooks
        || recorded.info.notes != request.notes
    {
        drift.push(Drift::Manifest);
    }
    drift
}

/// Objects that are missing or that applying would change (a server-side
/// dry-run apply, so nothing is written; none for an object `ledger` says
/// is as the deployed revision left it), looked at concurrently.
async fn object_drift(
    objects: &Objects,
    targets: &[Object],
    ledger: &Ledger,
) -> Result<Vec<Drift>, InstallError> {
    let found = futures::future::try_join_all(
        targets
            .iter()
            .map(|target| one_object_drift(objects, target, ledger)),
    )
    .await?;
    Ok(found.into_iter().flatten().collect())
}

/// How `target` differs from its live object, if it does.
async fn one_object_drift(
    objects: &Objects,
    target: &Object,
    ledger: &Ledger,
) -> Result<Option<Drift>, InstallError> {
    let Some(live) = objects.get(target).await? else {
        return Ok(Some(Drift::ObjectMissing(target.reference.clone())));
    };
    if ledger.unchanged(target, &live) {
        return Ok(None);
    }
    let edited = match objects.apply(target, Some(&live), false, true).await {
        Ok(applied) => comparable(&applied) != comparable(&live),
        Err(InstallError::Conflict { .. }) => true,
        Err(error) => return Err(error),
    };
    Ok(edited.then(|| Drift::ObjectEdited(target.reference.clone())))
}

/// The ledger of `targets` as they are now, read concurrently.
async fn left_at(objects: &Objects, targets: &[Object]) -> Result<Ledger, ClusterError> {
    let lives =
        futures::future::try_join_all(targets.iter().map(|target| objects.get(target))).await?;
    let mut ledger = Ledger::default();
    for (target, live) in targets.iter().zip(lives) {
        if let Some(live) = live {
            ledger.record(target, &live);
        }
    }
    Ok(ledger)
}

/// An object as compared for drift.
fn comparable(object: &DynamicObject) -> Value {
    serde_json::to_value(object).unwrap_or_default()
}

/// Hook records as the release stores them.
fn hook_values(hooks: &[HookRecord]) -> Vec<Value> {
    hooks
        .iter()
        .filter_map(|hook| serde_json::to_value(hook).ok())
        .collect()
}

/// The uninstall position of `kind`.
fn uninstall_rank(kind: &str) -> (usize, &str) {
    match UNINSTALL_ORDER.iter().position(|known| *known == kind) {
        Some(position) => (position, ""),
        None => (UNINSTALL_ORDER.len(), kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninstall_order_is_helms_own_list() {
        let mut kinds = vec![
            "ServiceAccount",
            "Widget",
            "Deployment",
            "ClusterRole",
            "Service",
            "Gadget",
        ];
        kinds.sort_by_key(|kind| uninstall_rank(kind));
        assert_eq!(
            kinds,
            [
                "Service",
                "Deployment",
                "ClusterRole",
                "ServiceAccount",
                "Gadget",
                "Widget"
            ]
        );
    }
}
