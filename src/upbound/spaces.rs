//! Space records (`upbound.io/v1alpha1` `Space` in the organization's
//! namespace), for the mode in which the engine registers the Space as
//! `up space connect` does.

use reqwest::Method;
use serde_json::{Value, json};

use super::UpboundClient;
use super::api::Call;
use super::error::UpboundError;

fn spaces_path(organization: &str) -> String {
    format!("/apis/upbound.io/v1alpha1/namespaces/{organization}/spaces")
}

impl UpboundClient {
    /// Creates the Space record; `false` if it already existed (409).
    pub async fn create_space_record(
        &self,
        organization: &str,
        space: &str,
    ) -> Result<bool, UpboundError> {
        let body = json!({
            "apiVersion": "upbound.io/v1alpha1",
            "kind": "Space",
            "metadata": {"name": space, "namespace": organization},
            "spec": {},
        });
        // A conflict means it exists, so repeating the create is safe.
        let call = Call::new(Method::POST, spaces_path(organization))
            .body(&body)
            .kubernetes_style();
        match self.api.send(call).await {
            Ok(_) => Ok(true),
            Err(error) if error.is_conflict() => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The Space record, or `None` if there is none.
    pub async fn space_record(
        &self,
        organization: &str,
        space: &str,
    ) -> Result<Option<Value>, UpboundError> {
        let call = Call::new(
            Method::GET,
            format!("{}/{space}", spaces_path(organization)),
        )
        .kubernetes_style();
        match self.api.json(call).await {
            Ok(record) => Ok(Some(record)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Deletes the Space record. `false` if it was already gone.
    pub async fn delete_space_record(
        &self,
        organization: &str,
        space: &str,
    ) -> Result<bool, UpboundError> {
        let call = Call::new(
            Method::DELETE,
            format!("{}/{space}", spaces_path(organization)),
        )
        .kubernetes_style();
        self.api.delete(call).await
    }
}
