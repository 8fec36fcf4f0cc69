//! The connection's lock: a `coordination.k8s.io` Lease held while a run
//! changes anything, so two runs never act on one Space at once. A run that
//! finds the Lease held says who holds it and until when, waits (bounded)
//! and then fails clearly; a Lease not renewed within its short duration
//! (its holder died) is taken over within seconds, or removed by a
//! disconnect that finds nothing else left to do.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use k8s_openapi::jiff::{SignedDuration, Timestamp, Unit};
use kube::Api;
use kube::api::{DeleteParams, ObjectMeta, PostParams, Preconditions};
use tokio::task::JoinHandle;

use super::Cluster;
use super::error::ClusterError;
use crate::retry::Transient;

/// How long a holder's claim lasts without renewal, and how long to wait
/// for another holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LeaseTiming {
    /// The Lease's duration; it is renewed every fifth of it, so a claim
    /// outlives a few failed renewals and a dead holder's runs out soon.
    pub duration: Duration,
    /// How long to wait for a Lease held by another run.
    pub wait: Duration,
    /// How often to look again while waiting.
    pub poll: Duration,
}

impl Default for LeaseTiming {
    /// 15 s duration, renewed every 3 s (client-go's leader election uses a
    /// 15 s lease too), waiting up to 2 minutes, looking every second.
    fn default() -> Self {
        Self {
            duration: Duration::from_secs(15),
            wait: Duration::from_secs(120),
            poll: Duration::from_secs(1),
        }
    }
}

/// Who holds a Lease another run is waiting for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The holder's identity (e.g. `terraform/1234-…`).
    pub identity: String,
    /// When its claim runs out unless renewed (RFC 3339), when known.
    pub until: Option<String>,
}

/// A held Lease; renewed in the background until [`release`](Self::release)d.
pub struct HeldLease {
    api: Api<Lease>,
    name: String,
    holder: String,
    renewal: JoinHandle<()>,
}

impl Cluster {
    /// Takes the Lease `name` for `holder`: at once if it is free or stale,
    /// else after waiting for it up to `timing.wait`, telling `waiting`
    /// each holder it waits for.
    pub async fn acquire_lease(
        &self,
        name: &str,
        holder: &str,
        timing: LeaseTiming,
        waiting: &(dyn Fn(&LeaseHolder) + Send + Sync),
    ) -> Result<HeldLease, ClusterError> {
        let api: Api<Lease> = Api::namespaced(self.client.clone(), &self.namespace);
        let deadline = tokio::time::Instant::now() + timing.wait;
        let mut told: Option<LeaseHolder> = None;
        loop {
            match self
                .try_acquire(&api, name, holder, timing.duration)
                .await?
            {
                Ok(lease) => {
                    let renewal = tokio::spawn(renew(api.clone(), lease.clone(), timing.duration));
                    return Ok(HeldLease {
                        api,
                        name: name.to_owned(),
                        holder: holder.to_owned(),
                        renewal,
                    });
                }
                Err(current) if tokio::time::Instant::now() >= deadline => {
                    return Err(ClusterError::LeaseHeld {
                        holder: current.identity,
                        namespace: self.namespace.clone(),
                        name: name.to_owned(),
                    });
                }
                Err(current) => {
                    if told.as_ref().map(|told| &told.identity) != Some(&current.identity) {
                        waiting(&current);
                        told = Some(current);
                    }
                    tokio::time::sleep(timing.poll).await;
                }
            }
        }
    }

    /// One try: `Ok(Ok(lease))` when taken, `Ok(Err(holder))` when another
    /// live holder has it.
    async fn try_acquire(
        &self,
        api: &Api<Lease>,
        name: &str,
        holder: &str,
        duration: Duration,
    ) -> Result<Result<Lease, LeaseHolder>, ClusterError> {
        let action = format!("take Lease {}/{name}", self.namespace);
        let now = Timestamp::now();
        let existing = self.call(&action, || api.get_opt(name)).await?;
        let claim = |metadata: ObjectMeta, transitions: i32| Lease {
            metadata,
            spec: Some(LeaseSpec {
                holder_identity: Some(holder.to_owned()),
                lease_duration_seconds: Some(duration.as_secs().max(1) as i32),
                acquire_time: Some(MicroTime(now)),
                renew_time: Some(MicroTime(now)),
                lease_transitions: Some(transitions),
                ..LeaseSpec::default()
            }),
        };
        let written = match existing {
            None => {
                let metadata = ObjectMeta {
                    name: Some(name.to_owned()),
                    ..ObjectMeta::default()
                };
                api.create(&PostParams::default(), &claim(metadata, 0))
                    .await
            }
            Some(lease) => {
                let spec = lease.spec.clone().unwrap_or_default();
                if let Some(current) = live_holder(&spec, now) {
                    return Ok(Err(current));
                }
                let transitions = spec.lease_transitions.unwrap_or(0) + 1;
                api.replace(
                    name,
                    &PostParams::default(),
                    &claim(lease.metadata, transitions),
                )
                .await
            }
        };
        match written.map_err(|error| self.error(&action, error)) {
            Ok(lease) => Ok(Ok(lease)),
            // Another run got there first: it holds the Lease now.
            Err(error) if error.is_already_exists() || error.is_conflict() => {
                Ok(Err(LeaseHolder {
                    identity: "another run".to_owned(),
                    until: None,
                }))
            }
            Err(error) => Err(error),
        }
    }
}

impl Cluster {
    /// Deletes the Lease `name` if a run that died left it behind (its
    /// claim ran out); a live claim is left to its holder. Whether one was
    /// deleted.
    pub async fn remove_stale_lease(&self, name: &str) -> Result<bool, ClusterError> {
        let api: Api<Lease> = Api::namespaced(self.client.clone(), &self.namespace);
        let action = format!("remove stale Lease {}/{name}", self.namespace);
        let Some(lease) = self.call(&action, || api.get_opt(name)).await? else {
            return Ok(false);
        };
        if live_holder(&lease.spec.clone().unwrap_or_default(), Timestamp::now()).is_some() {
            return Ok(false);
        }
        delete_unchanged(&api, name, lease)
            .await
            .map_err(|error| self.error(action, error))
    }
}

/// Deletes `lease` unless it changed since it was read (another run took it
/// over); whether it was deleted.
async fn delete_unchanged(api: &Api<Lease>, name: &str, lease: Lease) -> Result<bool, kube::Error> {
    let params = DeleteParams {
        preconditions: Some(Preconditions {
            uid: lease.metadata.uid,
            resource_version: lease.metadata.resource_version,
        }),
        ..DeleteParams::default()
    };
    match api.delete(name, &params).await {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(status)) if status.code == 404 || status.code == 409 => Ok(false),
        Err(error) => Err(error),
    }
}

/// The holder of a Lease whose claim has not run out, if any.
fn live_holder(spec: &LeaseSpec, now: Timestamp) -> Option<LeaseHolder> {
    let identity = spec
        .holder_identity
        .clone()
        .filter(|holder| !holder.is_empty())?;
    let renewed = spec.renew_time.as_ref().or(spec.acquire_time.as_ref())?.0;
    let duration = SignedDuration::from_secs(i64::from(spec.lease_duration_seconds.unwrap_or(0)));
    let until = renewed + duration;
    (until > now).then(|| LeaseHolder {
        identity,
        until: Some(until.round(Unit::Second).unwrap_or(until).to_string()),
    })
}

/// Renews the Lease every fifth of its duration until aborted.
async fn renew(api: Api<Lease>, mut lease: Lease, duration: Duration) {
    let name = lease.metadata.name.clone().unwrap_or_default();
    loop {
        tokio::time::sleep(duration / 5).await;
        if let Some(spec) = lease.spec.as_mut() {
            spec.renew_time = Some(MicroTime(Timestamp::now()));
        }
        match api.replace(&name, &PostParams::default(), &lease).await {
            Ok(renewed) => lease = renewed,
            Err(error) => {
                // Lost it (deleted or taken over): nothing left to renew.
                if !ClusterError::from_kube("renew Lease", error).is_transient() {
                    return;
                }
            }
        }
    }
}

impl Drop for HeldLease {
    /// A run dropped without release (cancelled) stops renewing, so its
    /// Lease goes stale and the next run takes it over.
    fn drop(&mut self) {
        self.renewal.abort();
    }
}

impl HeldLease {
    /// Stops renewing and deletes the Lease, unless another run has taken
    /// it over meanwhile (the delete is conditional on the version we saw).
    pub async fn release(self) -> Result<(), ClusterError> {
        self.renewal.abort();
        let action = format!("release Lease {}", self.name);
        let current = match self.api.get_opt(&self.name).await {
            Ok(Some(lease)) => lease,
            Ok(None) => return Ok(()),
            Err(error) => return Err(ClusterError::from_kube(action, error)),
        };
        let ours = current
            .spec
            .as_ref()
            .and_then(|spec| spec.holder_identity.as_deref())
            == Some(self.holder.as_str());
        if !ours {
            return Ok(());
        }
        delete_unchanged(&self.api, &self.name, current)
            .await
            .map(drop)
            .map_err(|error| ClusterError::from_kube(action, error))
    }
}
