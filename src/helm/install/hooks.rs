//! Chart hooks, run as Helm runs them: for one event, by weight then name;
//! each deleted first per its delete policy (`before-hook-creation` when
//! none is given), created, waited for (Job complete, Pod succeeded),
//! recorded with its last run, and deleted after per `hook-succeeded` /
//! `hook-failed`. A failed hook stops the operation. Hooks are recorded in
//! the release's `hooks`, never in its manifest, and carry no ownership.

use std::time::Duration;

use kube::runtime::wait::{await_condition, conditions};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::object::Objects;
use super::wait::{hook_completion, wait_one};
use super::{InstallError, now};
use crate::helm::head;
use crate::helm::manifest::Manifest;
use crate::helm::release::Release;
use sprig::goyaml;

/// The annotation listing a hook's events.
const HOOK: &str = "helm.sh/hook";
/// The annotation ordering hooks of one event.
const HOOK_WEIGHT: &str = "helm.sh/hook-weight";
/// The annotation saying when a hook object is deleted.
const HOOK_DELETE_POLICY: &str = "helm.sh/hook-delete-policy";
/// The events Helm knows; a hook naming another one is dropped.
const EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
];

/// A hook as Helm records it in a release (`release.Hook`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct HookRecord {
    /// The object's name.
    pub name: String,
    /// The object's kind.
    pub kind: String,
    /// The template it came from.
    pub path: String,
    /// The document.
    pub manifest: String,
    /// The events it runs on.
    pub events: Vec<String>,
    /// Its last run.
    pub last_run: LastRun,
    /// Its weight.
    #[serde(default)]
    pub weight: i64,
    /// When it is deleted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delete_policies: Vec<String>,
}

/// When a hook last ran and how it ended (`release.HookExecution`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct LastRun {
    /// Start time, `""` before the first run.
    #[serde(default)]
    pub started_at: String,
    /// End time.
    #[serde(default)]
    pub completed_at: String,
    /// `""` before the first run, then `Running`, `Succeeded` or `Failed`.
    pub phase: String,
}

/// The hook records of rendered hook documents, as Helm builds them:
/// unknown events dropped, a hook with none left dropped.
pub(super) fn records(hooks: &[Manifest]) -> Vec<HookRecord> {
    hooks
        .iter()
        .filter_map(|hook| {
            let document = goyaml::read_value(&hook.content).ok()?;
            let annotations = head::decode(&document).ok()?.annotations;
            let list = |key: &str| -> Vec<String> {
                annotations
                    .get(key)
                    .map(|value| {
                        value
                            .split(',')
                            .map(|item| item.trim().to_owned())
                            .filter(|item| !item.is_empty())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let events: Vec<String> = list(HOOK)
                .into_iter()
                .filter(|event| EVENTS.contains(&event.as_str()))
                .collect();
            if events.is_empty() {
                return None;
            }
            Some(HookRecord {
                name: hook.name.clone(),
                kind: hook.kind.clone(),
                path: hook.source.clone(),
                manifest: hook.content.clone(),
                events,
                // Go's zero value: Helm's record of a hook never run.
                last_run: LastRun::default(),
                weight: annotations
                    .get(HOOK_WEIGHT)
                    .and_then(|weight| weight.trim().parse().ok())
                    .unwrap_or(0),
                delete_policies: list(HOOK_DELETE_POLICY),
            })
        })
        .collect()
}

/// The hook records of a recorded revision.
pub(super) fn recorded(release: &Release) -> Vec<HookRecord> {
    release
        .hooks
        .iter()
        .filter_map(|hook| serde_json::from_value(hook.clone()).ok())
        .collect()
}

/// Runs the hooks of `event` in Helm's order, recording each run in its
/// record; stops at the first failure. Each waits until `deadline`.
pub(super) async fn run(
    objects: &mut Objects,
    hooks: &mut [HookRecord],
    event: &str,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), InstallError> {
    let mut order: Vec<usize> = (0..hooks.len())
        .filter(|&index| hooks[index].events.iter().any(|e| e == event))
        .collect();
    order.sort_by(|&a, &b| {
        (hooks[a].weight, &hooks[a].name).cmp(&(hooks[b].weight, &hooks[b].name))
    });
    for index in order {
        let hook = &mut hooks[index];
        let failed = |reason: String| InstallError::Hook {
            event: event.to_owned(),
            hook: format!("{} {:?}", hook.kind, hook.name),
            reason,
        };
        let manifest = Manifest {
            source: hook.path.clone(),
            kind: hook.kind.clone(),
            name: hook.name.clone(),
            content: hook.manifest.clone(),
        };
        let object = objects.resolve(&manifest).await?;
        let policies = if hook.delete_policies.is_empty() {
            vec!["before-hook-creation".to_owned()]
        } else {
            hook.delete_policies.clone()
        };
        let has = |policy: &str| policies.iter().any(|p| p == policy);
        if has("before-hook-creation") {
            delete_and_wait(objects, &object, deadline, timeout).await?;
        }
        hook.last_run = LastRun {
            started_at: now(),
            completed_at: String::new(),
            phase: "Running".to_owned(),
        };
        let outcome = match objects.apply(&object, None, true, false).await {
            Ok(_) => wait_one(objects, &object, hook_completion, deadline, timeout).await,
            Err(error) => Err(error),
        };
        hook.last_run.completed_at = now();
        hook.last_run.phase = if outcome.is_ok() {
            "Succeeded"
        } else {
            "Failed"
        }
        .to_owned();
        if (outcome.is_ok() && has("hook-succeeded")) || (outcome.is_err() && has("hook-failed")) {
            objects.delete(&object).await?;
        }
        outcome.map_err(|error| failed(error.to_string()))?;
    }
    Ok(())
}

/// Deletes a previous run's object and waits until it is gone.
async fn delete_and_wait(
    objects: &Objects,
    object: &super::object::Object,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), InstallError> {
    let Some(live) = objects.get(object).await? else {
        return Ok(());
    };
    objects.delete(object).await?;
    let uid = live.metadata.uid.unwrap_or_default();
    let api = objects.watch_api(object);
    let gone = await_condition(api, &object.reference.name, conditions::is_deleted(&uid));
    match tokio::time::timeout_at(deadline, gone).await {
        Ok(Ok(_)) => Ok(()),
        _ => Err(InstallError::NotReady {
            object: object.reference.to_string(),
            reason: "the previous run's object is still being deleted".to_owned(),
            timeout,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(name: &str, annotations: &str) -> Manifest {
        Manifest {
            source: format!("c/templates/{name}.yaml"),
            kind: "Job".to_owned(),
            name: name.to_owned(),
            content: format!("kind: Job\nmetadata:\n  name: {name}\n  annotations:\n{annotations}"),
        }
    }

    #[test]
    fn records_carry_events_weight_and_policies() {
        let records = records(&[
            hook(
                "migrate",
                "    helm.sh/hook: pre-install, pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n    helm.sh/hook-delete-policy: hook-succeeded\n",
            ),
            hook("odd", "    helm.sh/hook: sometime\n"),
        ]);
        assert_eq!(records.len(), 1, "a hook with no known event is dropped");
        assert_eq!(records[0].events, ["pre-install", "pre-upgrade"]);
        assert_eq!(records[0].weight, -5);
        assert_eq!(records[0].delete_policies, ["hook-succeeded"]);
        assert_eq!(records[0].path, "c/templates/migrate.yaml");
        let json = serde_json::to_value(&records[0]).unwrap();
        assert_eq!(
            json["last_run"],
            serde_json::json!({"started_at": "", "completed_at": "", "phase": ""}),
            "Helm's record of a hook never run"
        );
    }
}
