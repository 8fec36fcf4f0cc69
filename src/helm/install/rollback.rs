//! Helm's `--atomic`: after a failed upgrade, `helm rollback` to the last
//! successful revision (`Upgrade.failRelease`, then `Rollback.Run`); after
//! a failed first install, `helm uninstall` (`Install.failRelease`). See the
//! [module notes](super#atomic).

use tokio::time::Instant;

use super::hooks::{self, HookRecord};
use super::object::Objects;
use super::record::now;
use super::{InstallError, Installer, ReleaseRequest, hook_values, recorded_objects, wait};
use crate::helm::release::{Info, NEVER, Release, Status};

/// Where a rollback stopped, which decides what Helm records of it.
enum Stopped {
    /// Before its objects were touched, or in a hook: the revision stays
    /// `pending-rollback`.
    Pending(InstallError),
    /// Applying or deleting objects: the revision is `failed`, and the one
    /// rolled back from `superseded`.
    Update(InstallError),
    /// The readiness wait: the revision is `failed`.
    Wait(InstallError),
}

impl Installer<'_> {
    /// `helm install --atomic` after the first install failed with `error`:
    /// uninstalls the release (its delete hooks run, no history is kept).
    pub(super) async fn uninstall_failed_install(
        &self,
        request: &ReleaseRequest<'_>,
        error: InstallError,
    ) -> InstallError {
        match self.uninstall(request.name, request.timeout).await {
            Ok(_) => InstallError::Uninstalled {
                release: request.name.to_owned(),
                cause: Box::new(error),
            },
            Err(uninstall) => InstallError::UninstallFailed {
                cause: Box::new(error),
                uninstall: Box::new(uninstall),
            },
        }
    }

    /// `helm upgrade --atomic` after the upgrade failed with `error` (its
    /// revision already recorded `failed`): rolls back to the last
    /// successful revision.
    pub(super) async fn roll_back_failed_upgrade(
        &self,
        request: &ReleaseRequest<'_>,
        error: InstallError,
    ) -> InstallError {
        let history = match self.store.history(request.name).await {
            Ok(history) => history,
            Err(read) => {
                return InstallError::RollbackFailed {
                    cause: Box::new(error),
                    rollback: Box::new(read.into()),
                };
            }
        };
        let (Some(current), Some(target)) = (history.last(), last_successful(&history)) else {
            return InstallError::NothingToRollBackTo {
                cause: Box::new(error),
            };
        };
        match self.roll_back(request, &history, current, target).await {
            Ok(()) => InstallError::RolledBack {
                release: request.name.to_owned(),
                cause: Box::new(error),
            },
            Err(rollback) => InstallError::RollbackFailed {
                cause: Box::new(error),
                rollback: Box::new(rollback),
            },
        }
    }

    /// `helm rollback` from `current` (the last revision of `history`) to
    /// `target`, as a new revision recorded the way Helm records it.
    async fn roll_back(
        &self,
        request: &ReleaseRequest<'_>,
        history: &[Release],
        current: &Release,
        target: &Release,
    ) -> Result<(), InstallError> {
        let mut release = Release {
            name: current.name.clone(),
            info: Info {
                first_deployed: current.info.first_deployed.clone(),
                last_deployed: now(),
                deleted: NEVER.to_owned(),
                description: format!("Rollback to {}", target.version),
                status: Status::PendingRollback,
                notes: target.info.notes.clone(),
            },
            chart: target.chart.clone(),
            config: target.config.clone(),
            manifest: target.manifest.clone(),
            hooks: target.hooks.clone(),
            version: current.version + 1,
            namespace: current.namespace.clone(),
            annotations: target.annotations.clone(),
        };
        // Helm's rollback keeps no history limit: nothing is trimmed.
        self.store.create(&release).await?;
        let mut hooks = hooks::recorded(&release);
        let restored = self.restore(request, current, &release, &mut hooks).await;
        release.hooks = hook_values(&hooks);
        match restored {
            Ok(()) => {
                for deployed in history
                    .iter()
                    .filter(|old| old.info.status == Status::Deployed)
                {
                    let mut superseded = deployed.clone();
                    superseded.info.status = Status::Superseded;
                    self.store.update(&superseded).await?;
                }
                release.info.status = Status::Deployed;
                self.store.update(&release).await?;
                Ok(())
            }
            Err(Stopped::Pending(error)) => {
                let _ = self.store.update(&release).await;
                Err(error)
            }
            Err(Stopped::Update(error)) => {
                let mut superseded = current.clone();
                superseded.info.status = Status::Superseded;
                let _ = self.store.update(&superseded).await;
                release.info.status = Status::Failed;
                release.info.description = format!("Rollback {:?} failed: {error}", release.name);
                let _ = self.store.update(&release).await;
                Err(error)
            }
            Err(Stopped::Wait(error)) => {
                release.info.status = Status::Failed;
                release.info.description = format!("Release {:?} failed: {error}", release.name);
                let _ = self.store.update(&release).await;
                Err(error)
            }
        }
    }

    /// The rollout of `release` (a copy of an earlier revision) over
    /// `current`'s objects: pre-rollback hooks, apply, prune, wait (always,
    /// within a fresh timeout), post-rollback hooks.
    async fn restore(
        &self,
        request: &ReleaseRequest<'_>,
        current: &Release,
        release: &Release,
        hooks: &mut [HookRecord],
    ) -> Result<(), Stopped> {
        let started = Instant::now();
        let deadline = started + request.timeout;
        let mut objects = Objects::new(self.cluster.clone());
        let previous = recorded_objects(&mut objects, &current.manifest)
            .await
            .map_err(Stopped::Pending)?;
        let mut targets = recorded_objects(&mut objects, &release.manifest)
            .await
            .map_err(Stopped::Pending)?;
        for target in &mut targets {
            target.stamp_ownership(&release.name, &release.namespace);
        }
        hooks::run(
            &mut objects,
            hooks,
            "pre-rollback",
            deadline,
            request.timeout,
        )
        .await
        .map_err(Stopped::Pending)?;
        let mut lives = Vec::new();
        for target in &targets {
            let live = objects.get(target).await;
            lives.push(live.map_err(|error| Stopped::Update(error.into()))?);
        }
        self.apply_and_prune(&objects, &targets, &lives, &previous, request)
            .await
            .map_err(Stopped::Update)?;
        wait::wait_ready(&objects, &targets, started, request.timeout, self.progress)
            .await
            .map_err(Stopped::Wait)?;
        hooks::run(
            &mut objects,
            hooks,
            "post-rollback",
            deadline,
            request.timeout,
        )
        .await
        .map_err(Stopped::Pending)
    }
}

/// The revision `--atomic` rolls back to: the latest `deployed` or
/// `superseded` one (a failed revision is never superseded, Helm reasons).
fn last_successful(history: &[Release]) -> Option<&Release> {
    history
        .iter()
        .filter(|release| matches!(release.info.status, Status::Deployed | Status::Superseded))
        .max_by_key(|release| release.version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helm::release::ChartRecord;

    fn revision(version: u32, status: Status) -> Release {
        Release {
            name: "agent".to_owned(),
            info: Info {
                first_deployed: String::new(),
                last_deployed: String::new(),
                deleted: NEVER.to_owned(),
                description: String::new(),
                status,
                notes: String::new(),
            },
            chart: ChartRecord {
                metadata: serde_json::Map::new(),
                lock: serde_json::Value::Null,
                templates: Vec::new(),
                values: serde_json::Map::new(),
                schema: None,
                files: Vec::new(),
            },
            config: serde_json::Map::new(),
            manifest: String::new(),
            hooks: Vec::new(),
            version,
            namespace: "upbound-system".to_owned(),
            annotations: std::collections::BTreeMap::new(),
        }
    }

    #[test]
    fn the_latest_deployed_or_superseded_revision_is_rolled_back_to() {
        let history = [
            revision(1, Status::Superseded),
            revision(2, Status::Superseded),
            revision(3, Status::Failed),
            revision(4, Status::Failed),
        ];
        assert_eq!(last_successful(&history).map(|r| r.version), Some(2));
        let history = [
            revision(1, Status::Superseded),
            revision(2, Status::Deployed),
            revision(3, Status::Failed),
        ];
        assert_eq!(last_successful(&history).map(|r| r.version), Some(2));
        let history = [revision(1, Status::Failed), revision(2, Status::Failed)];
        assert_eq!(last_successful(&history).map(|r| r.version), None);
    }
}
