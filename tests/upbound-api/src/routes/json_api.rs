//! The JSON:API envelope the `/v2` calls and `/v1/tokens` use:
//! `{"data": …}` documents whose resources have a `type` and an `id`.
//! Request types here have lowercase field names: bodies are read with
//! [`GoJsonBody`](crate::body::GoJsonBody).

use serde::Deserialize;

use crate::api_error::ApiError;

/// A request document: `{"data": …}`.
#[derive(Debug, Deserialize)]
pub(super) struct Document<T> {
    /// The primary data.
    pub data: T,
}

/// A resource identifier: `{"type": …, "id": …}`.
#[derive(Debug, Deserialize)]
pub(super) struct Identifier {
    /// The resource type, e.g. `robots`.
    pub r#type: String,
    /// The resource's ID, as a string.
    pub id: String,
}

/// A to-one relationship: `{"data": {"type", "id"}}`.
#[derive(Debug, Deserialize)]
pub(super) struct Relationship {
    /// The related resource.
    pub data: Identifier,
}

/// 400 unless `actual` is the resource type the call takes.
pub(super) fn expect_type(actual: &str, expected: &str) -> Result<(), ApiError> {
    if actual == expected {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "resource type {actual:?} is not {expected:?}"
        )))
    }
}

/// 400 if a required name is empty.
pub(super) fn expect_name(name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        Err(ApiError::bad_request("attributes.name must not be empty"))
    } else {
        Ok(())
    }
}
