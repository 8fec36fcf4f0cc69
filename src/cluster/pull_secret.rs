//! The image pull secret `upbound-pull-secret` (a
//! `kubernetes.io/dockerconfigjson` for the registry), kept when the caller
//! gives a licence. A Spaces install usually made it already: then we only
//! keep its credentials current and never delete it; one we created carries
//! a marker and goes on disconnect.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::ObjectMeta;
use serde_json::json;

use super::Cluster;
use super::error::ClusterError;
use crate::spec::License;

/// The pull secret's name, as the agent chart's `imagePullSecrets` expect.
pub const PULL_SECRET: &str = "upbound-pull-secret";
/// Annotation on a pull secret this tool created (and so may delete).
const CREATED_ANNOTATION: &str = "connect.upbound.io/created-by";
const DOCKER_CONFIG_KEY: &str = ".dockerconfigjson";

/// The pull secret as found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullSecretState {
    /// There is none.
    Missing,
    /// It holds other credentials than the licence's.
    Outdated,
    /// It holds the licence's credentials.
    Current,
}

/// The `.dockerconfigjson` for `license` at `registry`.
fn docker_config(registry: &str, license: &License) -> Vec<u8> {
    let user = &license.access_id;
    let password = license.token.expose();
    let auth = STANDARD.encode(format!("{user}:{password}"));
    json!({"auths": {registry: {"username": user, "password": password, "auth": auth}}})
        .to_string()
        .into_bytes()
}

/// Whether `existing` holds `wanted`'s credentials for `registry`.
fn holds(existing: &[u8], wanted: &[u8], registry: &str) -> bool {
    let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).ok();
    match (parse(existing), parse(wanted)) {
        (Some(existing), Some(wanted)) => existing["auths"][registry] == wanted["auths"][registry],
        _ => false,
    }
}

impl Cluster {
    /// How the pull secret compares with `license` at `registry`.
    pub async fn pull_secret_state(
        &self,
        registry: &str,
        license: &License,
    ) -> Result<PullSecretState, ClusterError> {
        let Some(secret) = self.get_secret(PULL_SECRET).await? else {
            return Ok(PullSecretState::Missing);
        };
        let existing = secret
            .data
            .and_then(|mut data| data.remove(DOCKER_CONFIG_KEY))
            .map(|bytes| bytes.0)
            .unwrap_or_default();
        Ok(
            if holds(&existing, &docker_config(registry, license), registry) {
                PullSecretState::Current
            } else {
                PullSecretState::Outdated
            },
        )
    }

    /// Writes the licence's credentials into the pull secret, creating it
    /// (with our marker) if there is none.
    pub async fn apply_pull_secret(
        &self,
        registry: &str,
        license: &License,
    ) -> Result<(), ClusterError> {
        let existing = self.get_secret(PULL_SECRET).await?;
        let ours = existing.as_ref().is_none_or(is_ours);
        let secret = KubeSecret {
            metadata: ObjectMeta {
                name: Some(PULL_SECRET.to_owned()),
                namespace: Some(self.namespace.clone()),
                annotations: ours.then(|| {
                    BTreeMap::from([(
                        CREATED_ANNOTATION.to_owned(),
                        super::FIELD_MANAGER.to_owned(),
                    )])
                }),
                ..ObjectMeta::default()
            },
            type_: Some("kubernetes.io/dockerconfigjson".to_owned()),
            data: Some(BTreeMap::from([(
                DOCKER_CONFIG_KEY.to_owned(),
                ByteString(docker_config(registry, license)),
            )])),
            ..KubeSecret::default()
        };
        self.apply_secret(&secret).await
    }

    /// Deletes the pull secret if we created it; `false` if there was
    /// nothing of ours to delete.
    pub async fn delete_pull_secret(&self) -> Result<bool, ClusterError> {
        match self.get_secret(PULL_SECRET).await? {
            Some(secret) if is_ours(&secret) => {}
            _ => return Ok(false),
        }
        self.delete_secret(PULL_SECRET).await
    }
}

/// Whether the pull secret carries our creation marker.
fn is_ours(secret: &KubeSecret) -> bool {
    secret
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|annotations| annotations.contains_key(CREATED_ANNOTATION))
}
