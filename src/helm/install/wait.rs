//! Waiting for a release's workloads, by Helm 3's `--wait` rules, watching
//! each object (no polling) until it is ready or the deadline passes.
//!
//! One difference from Helm 3: a Deployment is judged from its own status
//! (`updatedReplicas`, `readyReplicas`), which the controller derives from
//! the newest ReplicaSet Helm would read, rather than by listing
//! ReplicaSets; the required count is Helm's (`replicas - maxUnavailable`).

use std::time::Duration;

use kube::api::DynamicObject;
use kube::runtime::wait::await_condition;
use serde_json::Value;
use tokio::time::Instant;

use super::object::{Object, Objects};
use super::{InstallError, WaitProgress};

/// The pause before re-establishing a broken watch.
const WATCH_PAUSE: Duration = Duration::from_millis(250);
/// How often a readiness wait says which object it still waits for.
pub(super) const PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// How an object stands.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Readiness {
    /// Ready (or a kind nobody waits for).
    Ready,
    /// Not yet; why.
    NotReady(String),
    /// Never will be; why.
    Failed(String),
}

/// Helm 3's readiness rule for an object of `kind`.
pub(super) fn readiness(kind: &str, object: &Value) -> Readiness {
    let int = |path: &str| object.pointer(path).and_then(Value::as_i64);
    let text = |path: &str| object.pointer(path).and_then(Value::as_str);
    let generation_seen = || {
        let generation = int("/metadata/generation").unwrap_or(0);
        let observed = int("/status/observedGeneration").unwrap_or(0);
        (observed >= generation).then_some(()).ok_or_else(|| {
            Readiness::NotReady(format!(
                "the controller has not observed generation {generation} yet (observed {observed})"
            ))
        })
    };
    let result = match kind {
        "Deployment" => (|| {
            if object.pointer("/spec/paused").and_then(Value::as_bool) == Some(true) {
                return Ok(());
            }
            generation_seen()?;
            let replicas = int("/spec/replicas").unwrap_or(1);
            let rolling = text("/spec/strategy/type").unwrap_or("RollingUpdate") == "RollingUpdate";
            let unavailable = if rolling {
                let surge = scaled(
                    object.pointer("/spec/strategy/rollingUpdate/maxSurge"),
                    "25%",
                    replicas,
                    true,
                );
                let unavailable = scaled(
                    object.pointer("/spec/strategy/rollingUpdate/maxUnavailable"),
                    "25%",
                    replicas,
                    false,
                );
                if surge == 0 && unavailable == 0 {
                    1
                } else {
                    unavailable
                }
            } else {
                0
            };
            let expected = (replicas - unavailable).max(0);
            let updated = int("/status/updatedReplicas").unwrap_or(0);
            let ready = int("/status/readyReplicas").unwrap_or(0);
            let ready_new = updated.min(ready);
            if ready_new >= expected {
                Ok(())
            } else {
                Err(Readiness::NotReady(format!(
                    "{ready_new} of {replicas} updated replicas are ready, {expected} needed"
                )))
            }
        })(),
        "StatefulSet" => (|| {
            generation_seen()?;
            if text("/spec/updateStrategy/type").unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Ok(());
            }
            let replicas = int("/spec/replicas").unwrap_or(1);
            let partition = int("/spec/updateStrategy/rollingUpdate/partition").unwrap_or(0);
            let updated = int("/status/updatedReplicas").unwrap_or(0);
            let ready = int("/status/readyReplicas").unwrap_or(0);
            if updated < replicas - partition {
                return Err(Readiness::NotReady(format!(
                    "{updated} of {replicas} replicas updated, {} needed",
                    replicas - partition
                )));
            }
            if ready != replicas {
                return Err(Readiness::NotReady(format!(
                    "{ready} of {replicas} replicas ready"
                )));
            }
            if partition == 0 && text("/status/currentRevision") != text("/status/updateRevision") {
                return Err(Readiness::NotReady(
                    "the rollout to the update revision is not finished".to_owned(),
                ));
            }
            Ok(())
        })(),
        "DaemonSet" => (|| {
            generation_seen()?;
            if text("/spec/updateStrategy/type").unwrap_or("RollingUpdate") != "RollingUpdate" {
                return Ok(());
            }
            let desired = int("/status/desiredNumberScheduled").unwrap_or(0);
            let updated = int("/status/updatedNumberScheduled").unwrap_or(0);
            if updated != desired {
                return Err(Readiness::NotReady(format!(
                    "{updated} of {desired} pods updated"
                )));
            }
            let unavailable = scaled(
                object.pointer("/spec/updateStrategy/rollingUpdate/maxUnavailable"),
                "1",
                desired,
                true,
            );
            let ready = int("/status/numberReady").unwrap_or(0);
            let expected = desired - unavailable;
            if ready >= expected {
                Ok(())
            } else {
                Err(Readiness::NotReady(format!(
                    "{ready} of {desired} pods ready, {expected} needed"
                )))
            }
        })(),
        "Job" => (|| {
            let failed = int("/status/failed").unwrap_or(0);
            let backoff_limit = int("/spec/backoffLimit").unwrap_or(6);
            if failed > backoff_limit || condition(object, "Failed") {
                return Err(Readiness::Failed(format!(
                    "{failed} pods failed (backoff limit {backoff_limit})"
                )));
            }
            let completions = int("/spec/completions").unwrap_or(1);
            let succeeded = int("/status/succeeded").unwrap_or(0);
            if succeeded >= completions {
                Ok(())
            } else {
                Err(Readiness::NotReady(format!(
                    "{succeeded} of {completions} completions"
                )))
            }
        })(),
        "Pod" => {
            if condition(object, "Ready") {
                Ok(())
            } else {
                Err(Readiness::NotReady(format!(
                    "not Ready (phase {})",
                    text("/status/phase").unwrap_or("Pending")
                )))
            }
        }
        "PersistentVolumeClaim" => match text("/status/phase") {
            Some("Bound") => Ok(()),
            phase => Err(Readiness::NotReady(format!(
                "phase {}, not Bound",
                phase.unwrap_or("Pending")
            ))),
        },
        "Service" => (|| {
            let service_type = text("/spec/type").unwrap_or("ClusterIP");
            if service_type == "ExternalName" {
                return Ok(());
            }
            if text("/spec/clusterIP").unwrap_or_default().is_empty() {
                return Err(Readiness::NotReady("no cluster IP yet".to_owned()));
            }
            let non_empty = |path: &str| {
                object
                    .pointer(path)
                    .and_then(Value::as_array)
                    .is_some_and(|items| !items.is_empty())
            };
            if service_type == "LoadBalancer"
                && !non_empty("/spec/externalIPs")
                && !non_empty("/status/loadBalancer/ingress")
            {
                return Err(Readiness::NotReady(
                    "the load balancer has no ingress yet".to_owned(),
                ));
            }
            Ok(())
        })(),
        _ => Ok(()),
    };
    result.err().unwrap_or(Readiness::Ready)
}

/// A hook's outcome: a Job as [`readiness`] has it, a Pod by its phase
/// (Helm waits for hook Pods to finish, not to be Ready); other kinds are
/// done once created.
pub(super) fn hook_completion(kind: &str, object: &Value) -> Readiness {
    match kind {
        "Job" => readiness(kind, object),
        "Pod" => match object.pointer("/status/phase").and_then(Value::as_str) {
            Some("Succeeded") => Readiness::Ready,
            Some("Failed") => Readiness::Failed("the Pod failed".to_owned()),
            phase => Readiness::NotReady(format!("phase {}", phase.unwrap_or("Pending"))),
        },
        _ => Readiness::Ready,
    }
}

/// Helm's rule for a CustomResourceDefinition it created: served once
/// `Established`, and also done when its names were refused
/// (`NamesAccepted` false: a conflict the wait cannot resolve).
pub(super) fn crd_established(_kind: &str, object: &Value) -> Readiness {
    let refused_names = object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|conditions| {
            conditions.iter().any(|condition| {
                condition["type"] == "NamesAccepted" && condition["status"] == "False"
            })
        });
    if condition(object, "Established") || refused_names {
        Readiness::Ready
    } else {
        Readiness::NotReady("the API server does not serve it yet".to_owned())
    }
}

/// Whether status condition `kind` is `True`.
fn condition(object: &Value, kind: &str) -> bool {
    object
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|conditions| {
            conditions
                .iter()
                .any(|condition| condition["type"] == kind && condition["status"] == "True")
        })
}

/// An int-or-percent field scaled to `total` (percentages rounded up or
/// down), `default` when absent: Kubernetes' `GetScaledValueFromIntOrPercent`.
fn scaled(value: Option<&Value>, default: &str, total: i64, round_up: bool) -> i64 {
    let value = value
        .cloned()
        .unwrap_or_else(|| Value::String(default.to_owned()));
    match value {
        Value::Number(number) => number.as_i64().unwrap_or(0),
        Value::String(text) => match text.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(percent) if round_up => (percent * total + 99) / 100,
            Some(percent) => percent * total / 100,
            None => text.parse().unwrap_or(0),
        },
        _ => 0,
    }
}

/// Whether anybody waits for objects of `kind`.
fn is_waited_for(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "Job"
            | "Pod"
            | "PersistentVolumeClaim"
            | "Service"
    )
}

/// Waits until every object is ready, watching each in turn, all within
/// `timeout` from `started`, telling `progress` every [`PROGRESS_EVERY`]
/// which object it waits for. On timeout names the first object not ready
/// and why.
pub(super) async fn wait_ready(
    objects: &Objects,
    targets: &[Object],
    started: Instant,
    timeout: Duration,
    progress: Option<WaitProgress<'_>>,
) -> Result<(), InstallError> {
    for object in targets
        .iter()
        .filter(|object| is_waited_for(&object.reference.kind))
    {
        let wait = wait_one(objects, object, readiness, started + timeout, timeout);
        tokio::pin!(wait);
        let mut ticks = tokio::time::interval_at(Instant::now() + PROGRESS_EVERY, PROGRESS_EVERY);
        loop {
            tokio::select! {
                done = &mut wait => {
                    done?;
                    break;
                }
                _ = ticks.tick() => {
                    if let Some(progress) = progress {
                        progress(&object.reference, started.elapsed());
                    }
                }
            }
        }
    }
    Ok(())
}

/// Watches `object` until `rule` says it is ready or has failed, or
/// `deadline` passes.
pub(super) async fn wait_one(
    objects: &Objects,
    object: &Object,
    rule: fn(&str, &Value) -> Readiness,
    deadline: Instant,
    timeout: Duration,
) -> Result<(), InstallError> {
    let kind = object.reference.kind.clone();
    let settled = {
        let kind = kind.clone();
        move |live: Option<&DynamicObject>| {
            live.and_then(|live| serde_json::to_value(live).ok())
                .is_some_and(|live| !matches!(rule(&kind, &live), Readiness::NotReady(_)))
        }
    };
    let mut seen = None;
    while Instant::now() < deadline {
        let api = objects.watch_api(object);
        match tokio::time::timeout_at(
            deadline,
            await_condition(api, &object.reference.name, settled.clone()),
        )
        .await
        {
            Ok(Ok(live)) => {
                seen = live;
                break;
            }
            // A broken watch is re-established while time remains, after
            // a pause so that a refused one does not spin — unless the API
            // server itself is gone: one read (retried as every read is)
            // says so now, not when the wait runs out minutes later.
            Ok(Err(_)) => {
                objects.get(object).await?;
                tokio::time::sleep(WATCH_PAUSE).await;
            }
            Err(_) => break,
        }
    }
    let live = match seen {
        Some(live) => Some(live),
        None => objects.get(object).await?,
    };
    let state = match &live {
        Some(live) => rule(&kind, &serde_json::to_value(live).unwrap_or_default()),
        None => Readiness::NotReady("it does not exist".to_owned()),
    };
    match state {
        Readiness::Ready => Ok(()),
        Readiness::NotReady(reason) => Err(InstallError::NotReady {
            object: object.reference.to_string(),
            reason,
            timeout,
        }),
        Readiness::Failed(reason) => Err(InstallError::Failed {
            object: object.reference.to_string(),
            reason,
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_deployment_needs_its_generation_observed_and_replicas_ready() {
        let mut deployment = json!({
            "metadata": {"generation": 2},
            "spec": {"replicas": 2},
            "status": {"observedGeneration": 1, "updatedReplicas": 2, "readyReplicas": 2},
        });
        assert!(
            matches!(readiness("Deployment", &deployment), Readiness::NotReady(why) if why.contains("generation 2"))
        );
        deployment["status"]["observedGeneration"] = json!(2);
        assert_eq!(readiness("Deployment", &deployment), Readiness::Ready);
        deployment["status"]["readyReplicas"] = json!(1);
        // 25% of 2 rounds down to 0 unavailable: both must be ready.
        assert!(
            matches!(readiness("Deployment", &deployment), Readiness::NotReady(why) if why.contains("2 needed"))
        );
        deployment["spec"]["paused"] = json!(true);
        assert_eq!(readiness("Deployment", &deployment), Readiness::Ready);
    }

    #[test]
    fn a_job_over_its_backoff_limit_failed() {
        let job = json!({"spec": {"backoffLimit": 1}, "status": {"failed": 2}});
        assert!(matches!(readiness("Job", &job), Readiness::Failed(_)));
        let done = json!({"spec": {}, "status": {"succeeded": 1}});
        assert_eq!(readiness("Job", &done), Readiness::Ready);
    }

    #[test]
    fn a_crd_is_done_once_established_or_its_names_refused() {
        let crd = |conditions: Value| json!({"status": {"conditions": conditions}});
        for (conditions, ready) in [
            (json!([]), false),
            (json!([{"type": "NamesAccepted", "status": "True"}]), false),
            (json!([{"type": "Established", "status": "True"}]), true),
            (json!([{"type": "NamesAccepted", "status": "False"}]), true),
        ] {
            assert_eq!(
                crd_established("CustomResourceDefinition", &crd(conditions.clone()))
                    == Readiness::Ready,
                ready,
                "{conditions}"
            );
        }
    }

    #[test]
    fn services_and_claims_follow_helm() {
        let service = json!({"spec": {"type": "LoadBalancer", "clusterIP": "10.0.0.1"}});
        assert!(matches!(
            readiness("Service", &service),
            Readiness::NotReady(_)
        ));
        let external = json!({"spec": {"type": "ExternalName"}});
        assert_eq!(readiness("Service", &external), Readiness::Ready);
        let claim = json!({"status": {"phase": "Bound"}});
        assert_eq!(readiness("PersistentVolumeClaim", &claim), Readiness::Ready);
        assert_eq!(readiness("ConfigMap", &json!({})), Readiness::Ready);
    }

    #[test]
    fn percentages_scale_like_kubernetes() {
        assert_eq!(scaled(Some(&json!("25%")), "0", 10, false), 2);
        assert_eq!(scaled(Some(&json!("25%")), "0", 10, true), 3);
        assert_eq!(scaled(Some(&json!(3)), "0", 10, true), 3);
        assert_eq!(scaled(None, "1", 10, true), 1);
    }
}
