//! The token Secret (`connect-token` by default): the robot token under key
//! `token`, and annotations recording what the connection is made of, so the
//! cluster remembers the connection between runs. Written with server-side
//! apply under our field manager.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::ObjectMeta;

use super::Cluster;
use super::error::ClusterError;
use crate::secret::Secret;
use crate::state::Connection;

/// The key the agent reads the token from.
pub const TOKEN_KEY: &str = "token";
/// Annotation: the organization's account name.
pub const ORGANIZATION_ANNOTATION: &str = "connect.upbound.io/organization";
/// Annotation: the Space's name.
pub const SPACE_ANNOTATION: &str = "connect.upbound.io/space";
/// Annotation: the robot's ID.
pub const ROBOT_ANNOTATION: &str = "connect.upbound.io/robot-id";
/// Annotation: the token's ID.
pub const TOKEN_ANNOTATION: &str = "connect.upbound.io/token-id";
/// Annotation: the rotation trigger the token was minted for.
pub const ROTATION_ANNOTATION: &str = "connect.upbound.io/token-rotation";
/// The label marking objects this tool manages.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "upbound-connect");

/// The token Secret as found in the cluster.
#[derive(Clone, Debug)]
pub struct TokenSecret {
    /// What the annotations record (`None` if the Secret is not ours).
    pub connection: Option<Connection>,
    /// The token it holds, if any.
    pub token: Option<Secret>,
    /// The object's resource version.
    pub resource_version: Option<String>,
}

impl Cluster {
    /// The token Secret, or `None` if there is none.
    pub async fn token_secret(&self, name: &str) -> Result<Option<TokenSecret>, ClusterError> {
        let found = self.get_secret(name).await?;
        Ok(found.map(|secret| {
            let annotations = secret.metadata.annotations.unwrap_or_default();
            let token = secret
                .data
                .and_then(|mut data| data.remove(TOKEN_KEY))
                .and_then(|bytes| String::from_utf8(bytes.0).ok())
                .map(Secret::new);
            TokenSecret {
                connection: connection_from(&annotations),
                token,
                resource_version: secret.metadata.resource_version,
            }
        }))
    }

    /// Writes the Secret holding `token`, annotated with `connection`.
    pub async fn apply_token_secret(
        &self,
        name: &str,
        connection: &Connection,
        token: &Secret,
    ) -> Result<(), ClusterError> {
        let secret = KubeSecret {
            metadata: ObjectMeta {
                name: Some(name.to_owned()),
                namespace: Some(self.namespace.clone()),
                labels: Some(BTreeMap::from([(
                    MANAGED_BY.0.to_owned(),
                    MANAGED_BY.1.to_owned(),
                )])),
                annotations: Some(annotations_of(connection)),
                ..ObjectMeta::default()
            },
            type_: Some("Opaque".to_owned()),
            data: Some(BTreeMap::from([(
                TOKEN_KEY.to_owned(),
                ByteString(token.expose().as_bytes().to_vec()),
            )])),
            ..KubeSecret::default()
        };
        self.apply_secret(&secret).await
    }

    /// Deletes the Secret; `false` if it was already gone.
    pub async fn delete_token_secret(&self, name: &str) -> Result<bool, ClusterError> {
        self.delete_secret(name).await
    }
}

fn annotations_of(connection: &Connection) -> BTreeMap<String, String> {
    let mut annotations = BTreeMap::from([
        (
            ORGANIZATION_ANNOTATION.to_owned(),
            connection.organization.clone(),
        ),
        (SPACE_ANNOTATION.to_owned(), connection.space.clone()),
    ]);
    let optional = [
        (ROBOT_ANNOTATION, &connection.robot_id),
        (TOKEN_ANNOTATION, &connection.token_id),
        (ROTATION_ANNOTATION, &connection.token_rotation),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            annotations.insert(key.to_owned(), value.clone());
        }
    }
    annotations
}

fn connection_from(annotations: &BTreeMap<String, String>) -> Option<Connection> {
    let get = |key: &str| annotations.get(key).cloned();
    Some(Connection {
        organization: get(ORGANIZATION_ANNOTATION)?,
        space: get(SPACE_ANNOTATION)?,
        robot_id: get(ROBOT_ANNOTATION),
        token_id: get(TOKEN_ANNOTATION),
        token_rotation: get(ROTATION_ANNOTATION),
        ..Connection::default()
    })
}
