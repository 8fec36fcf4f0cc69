//! Resolving an organization's account name to its ID and our role in it.

use reqwest::Method;
use serde::Deserialize;

use super::UpboundClient;
use super::api::Call;
use super::error::UpboundError;

/// An Upbound organization as the connection needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organization {
    /// The numeric ID robots are created under.
    pub id: u64,
    /// The account name.
    pub name: String,
    /// The caller's role (`owner`, `member`), if the API says.
    pub role: Option<String>,
}

#[derive(Deserialize)]
struct AccountAnswer {
    account: Account,
    organization: Option<OrganizationAnswer>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct OrganizationAnswer {
    id: u64,
    name: String,
    role: Option<String>,
}

impl UpboundClient {
    /// The organization with account name `name` (`GET /v1/accounts/{name}`,
    /// once per client); a clear error when it is a user account or does
    /// not exist.
    pub async fn organization(&self, name: &str) -> Result<Organization, UpboundError> {
        let mut known = self.shared.organizations.lock().await;
        if let Some(organization) = known.get(name) {
            return Ok(organization.clone());
        }
        let organization = self.look_up_organization(name).await?;
        known.insert(name.to_owned(), organization.clone());
        Ok(organization)
    }

    async fn look_up_organization(&self, name: &str) -> Result<Organization, UpboundError> {
        let not_an_organization = |problem: &str| UpboundError::NotAnOrganization {
            name: name.to_owned(),
            problem: problem.to_owned(),
        };
        let answer: AccountAnswer = match self
            .api
            .json(Call::new(Method::GET, format!("/v1/accounts/{name}")))
            .await
        {
            Err(error) if error.is_not_found() => {
                return Err(not_an_organization(
                    "does not exist or this token cannot see it",
                ));
            }
            answer => answer?,
        };
        match (answer.account.kind.as_str(), answer.organization) {
            ("organization", Some(organization)) => Ok(Organization {
                id: organization.id,
                name: organization.name,
                role: organization.role,
            }),
            ("user", _) => Err(not_an_organization(
                "is a user account, not an organization",
            )),
            (kind, _) => Err(not_an_organization(&format!(
                "is a {kind:?} account, not an organization"
            ))),
        }
    }
}
