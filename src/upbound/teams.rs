//! An organization's teams (`GET /v1/organizations/{orgID}/teams`), for
//! grants that name a team by name rather than by UUID.

use reqwest::Method;
use serde::Deserialize;
use uuid::Uuid;

use super::UpboundClient;
use super::api::Call;
use super::error::UpboundError;

/// A team of an organization.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Team {
    /// Its UUID: the name Hub RBAC knows it by (`upbound:team:<uuid>`).
    pub id: Uuid,
    /// Its name.
    pub name: String,
}

impl UpboundClient {
    /// The teams of organization `organization_id`.
    pub async fn teams(&self, organization_id: u64) -> Result<Vec<Team>, UpboundError> {
        self.api
            .json(Call::new(
                Method::GET,
                format!("/v1/organizations/{organization_id}/teams"),
            ))
            .await
    }
}
