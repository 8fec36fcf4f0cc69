//! Release records in Secrets, as Helm's Secret driver keeps them: one
//! Secret per revision, labelled `owner=helm`, `name`, `status`, `version`
//! and `createdAt` (on create) or `modifiedAt` (on update), so `helm list`
//! and `helm history` see ours.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::{DeleteParams, ListParams, ObjectMeta, PostParams};

use super::{Release, Status, record_name};
use crate::cluster::{Cluster, ClusterError};

/// Revisions kept per release, as `helm upgrade --history-max 10`.
pub const HISTORY_MAX: usize = 10;
/// The Secret type Helm's driver uses.
const RECORD_TYPE: &str = "helm.sh/release.v1";
/// The Secret key holding the encoded release.
const RECORD_KEY: &str = "release";

/// The release records of one namespace.
pub struct ReleaseStore {
    cluster: Cluster,
}

/// A record that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The cluster failed.
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// A record is not a release.
    #[error(transparent)]
    Decode(#[from] super::DecodeError),
}

impl ReleaseStore {
    /// The records in `cluster`'s namespace.
    pub fn new(cluster: Cluster) -> Self {
        Self { cluster }
    }

    fn secrets(&self) -> Api<Secret> {
        Api::namespaced(self.cluster.client().clone(), self.cluster.namespace())
    }

    /// Every revision of release `name`, oldest first.
    pub async fn history(&self, name: &str) -> Result<Vec<Release>, StorageError> {
        let secrets = self.secrets();
        let params = ListParams::default().labels(&format!("owner=helm,name={name}"));
        let action = format!("list release records of {name}");
        let list = self.cluster.call(&action, || secrets.list(&params)).await?;
        let mut releases = Vec::new();
        for secret in list.items {
            let record = secret.metadata.name.unwrap_or_default();
            let Some(data) = secret.data.and_then(|mut data| data.remove(RECORD_KEY)) else {
                continue;
            };
            let mut release = Release::decode(&record, &data.0)?;
            release.annotations = secret.metadata.annotations.unwrap_or_default();
            releases.push(release);
        }
        releases.sort_by_key(|release| release.version);
        Ok(releases)
    }

    /// Writes a new revision's record.
    pub async fn create(&self, release: &Release) -> Result<(), StorageError> {
        let secrets = self.secrets();
        let secret = record_secret(release, "createdAt", None);
        let action = format!("create release record {}", release.record_name());
        let params = PostParams::default();
        self.cluster
            .call(&action, || secrets.create(&params, &secret))
            .await?;
        Ok(())
    }

    /// Rewrites an existing revision's record (e.g. its status).
    pub async fn update(&self, release: &Release) -> Result<(), StorageError> {
        let secrets = self.secrets();
        let name = release.record_name();
        let action = format!("update release record {name}");
        let current = self.cluster.call(&action, || secrets.get(&name)).await?;
        let secret = record_secret(release, "modifiedAt", current.metadata.resource_version);
        let params = PostParams::default();
        self.cluster
            .call(&action, || secrets.replace(&name, &params, &secret))
            .await?;
        Ok(())
    }

    /// Deletes one revision's record; already gone is fine.
    pub async fn delete(&self, name: &str, version: u32) -> Result<(), StorageError> {
        let secrets = self.secrets();
        let record = record_name(name, version);
        let action = format!("delete release record {record}");
        self.cluster
            .call(&action, || async {
                match secrets.delete(&record, &DeleteParams::default()).await {
                    Ok(_) => Ok(()),
                    Err(kube::Error::Api(status)) if status.code == 404 => Ok(()),
                    Err(error) => Err(error),
                }
            })
            .await?;
        Ok(())
    }

    /// Deletes the oldest revisions beyond `max`, never the deployed one.
    /// An upgrade trims to `HISTORY_MAX - 1` before recording its revision,
    /// as Helm does.
    pub async fn trim(&self, name: &str, max: usize) -> Result<(), StorageError> {
        let history = self.history(name).await?;
        let excess = history.len().saturating_sub(max);
        let oldest = history
            .iter()
            .filter(|release| release.info.status != Status::Deployed)
            .take(excess);
        for release in oldest {
            self.delete(name, release.version).await?;
        }
        Ok(())
    }
}

/// The Secret holding `release`, labelled as Helm labels it; `stamp` is
/// the label for the current time (`createdAt` or `modifiedAt`).
fn record_secret(release: &Release, stamp: &str, resource_version: Option<String>) -> Secret {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let labels = BTreeMap::from([
        ("name".to_owned(), release.name.clone()),
        ("owner".to_owned(), "helm".to_owned()),
        ("status".to_owned(), release.info.status.as_str().to_owned()),
        ("version".to_owned(), release.version.to_string()),
        (stamp.to_owned(), now.to_string()),
    ]);
    Secret {
        metadata: ObjectMeta {
            name: Some(release.record_name()),
            namespace: Some(release.namespace.clone()),
            labels: Some(labels),
            annotations: Some(release.annotations.clone())
                .filter(|annotations| !annotations.is_empty()),
            resource_version,
            ..ObjectMeta::default()
        },
        type_: Some(RECORD_TYPE.to_owned()),
        data: Some(BTreeMap::from([(
            RECORD_KEY.to_owned(),
            ByteString(release.encode()),
        )])),
        ..Secret::default()
    }
}
