//! Robot tokens: list a robot's, create (the JWT is returned this once),
//! delete.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::UpboundClient;
use super::api::Call;
use super::error::UpboundError;
use crate::secret::Secret;

/// A robot token as listed: never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token's access ID (UUID).
    pub id: String,
    /// Its name.
    pub name: String,
}

/// A token just created: the only time its JWT is known.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// The token's access ID (UUID).
    pub id: String,
    /// The JWT the agent authenticates with.
    pub jwt: Secret,
}

#[derive(Deserialize)]
struct TokenList {
    data: Vec<ListedToken>,
}

#[derive(Deserialize)]
struct ListedToken {
    id: String,
    attributes: TokenAttributes,
}

#[derive(Deserialize)]
struct TokenAttributes {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct Created {
    data: CreatedToken,
}

#[derive(Deserialize)]
struct CreatedToken {
    id: String,
    meta: CreatedMeta,
}

#[derive(Deserialize)]
struct CreatedMeta {
    jwt: String,
}

impl UpboundClient {
    /// The robot's tokens (`GET /v2/robots/{id}/tokens`).
    pub async fn robot_tokens(&self, robot_id: &str) -> Result<Vec<TokenInfo>, UpboundError> {
        let list: TokenList = self
            .api
            .json(Call::new(
                Method::GET,
                format!("/v2/robots/{robot_id}/tokens"),
            ))
            .await?;
        Ok(list
            .data
            .into_iter()
            .map(|token| TokenInfo {
                id: token.id,
                name: token.attributes.name,
            })
            .collect())
    }

    /// Creates a token for the robot (`POST /v1/tokens`). Retried only when
    /// throttled: after another failure the caller looks for it by name.
    pub async fn create_robot_token(
        &self,
        robot_id: &str,
        name: &str,
    ) -> Result<NewToken, UpboundError> {
        let body = json!({"data": {
            "type": "tokens",
            "attributes": {"name": name},
            "relationships": {"Owner": {"data": {"type": "robots", "id": robot_id}}},
        }});
        let created: Result<Created, _> = self
            .api
            .json(Call::new(Method::POST, "/v1/tokens").body(&body).creating())
            .await;
        // The robots list shows each robot's tokens.
        self.shared.forget_robots().await;
        let created = created?;
        Ok(NewToken {
            id: created.data.id,
            jwt: Secret::new(created.data.meta.jwt),
        })
    }

    /// Revokes a token. `false` if it was already gone.
    pub async fn delete_token(&self, token_id: &str) -> Result<bool, UpboundError> {
        let deleted = self
            .api
            .delete(Call::new(Method::DELETE, format!("/v1/tokens/{token_id}")))
            .await;
        self.shared.forget_robots().await;
        deleted
    }
}
