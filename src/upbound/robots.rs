//! Robots: list an organization's, create, get, delete. Names are not
//! unique and there is no update.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use std::time::Instant;

use super::UpboundClient;
use super::api::Call;
use super::error::UpboundError;
use super::shared::Listed;

/// An Upbound robot.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Robot {
    /// The robot's UUID.
    pub id: String,
    /// Its name (not unique).
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// The IDs of its tokens (from the organization's robot list only).
    #[serde(default, rename = "tokenIDs")]
    pub token_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Document {
    data: Resource,
}

#[derive(Deserialize)]
struct Resource {
    id: String,
    attributes: Attributes,
}

#[derive(Deserialize)]
struct Attributes {
    name: String,
    #[serde(default)]
    description: String,
}

impl From<Document> for Robot {
    fn from(document: Document) -> Self {
        Self {
            id: document.data.id,
            name: document.data.attributes.name,
            description: document.data.attributes.description,
            token_ids: Vec::new(),
        }
    }
}

impl UpboundClient {
    /// Every robot of the organization (`GET /v1/organizations/{id}/robots`)
    /// as a request started at or after `since` lists them: a list another
    /// caller of this client requested since is shared (see `shared`).
    pub async fn robots(
        &self,
        organization_id: u64,
        since: Instant,
    ) -> Result<Vec<Robot>, UpboundError> {
        let mut lists = self.shared.robot_lists.lock().await;
        if let Some(listed) = lists.get(&organization_id)
            && listed.requested >= since
        {
            return Ok(listed.robots.clone());
        }
        let requested = Instant::now();
        let robots = self.list_robots(organization_id).await?;
        lists.insert(
            organization_id,
            Listed {
                requested,
                robots: robots.clone(),
            },
        );
        Ok(robots)
    }

    async fn list_robots(&self, organization_id: u64) -> Result<Vec<Robot>, UpboundError> {
        self.api
            .json(Call::new(
                Method::GET,
                format!("/v1/organizations/{organization_id}/robots"),
            ))
            .await
    }

    /// The robot with this ID (`GET /v2/robots/{id}`).
    pub async fn robot(&self, robot_id: &str) -> Result<Robot, UpboundError> {
        let document: Document = self
            .api
            .json(Call::new(Method::GET, format!("/v2/robots/{robot_id}")))
            .await?;
        Ok(document.into())
    }

    /// Creates a robot (`POST /v2/robots`). Retried only when throttled: a
    /// failure after sending may have created it, so the caller looks first.
    pub async fn create_robot(
        &self,
        organization_id: u64,
        name: &str,
        description: &str,
    ) -> Result<Robot, UpboundError> {
        let body = json!({"data": {
            "type": "robots",
            "attributes": {"name": name, "description": description},
            "relationships": {"organization": {"data": {
                "type": "organization",
                "id": organization_id.to_string(),
            }}},
        }});
        let created: Result<Document, _> = self
            .api
            .json(Call::new(Method::POST, "/v2/robots").body(&body).creating())
            .await;
        self.shared.forget_robots().await;
        Ok(created?.into())
    }

    /// Deletes a robot and, with it, its tokens. `false` if it was already gone.
    pub async fn delete_robot(&self, robot_id: &str) -> Result<bool, UpboundError> {
        let deleted = self
            .api
            .delete(Call::new(Method::DELETE, format!("/v2/robots/{robot_id}")))
            .await;
        self.shared.forget_robots().await;
        deleted
    }
}
