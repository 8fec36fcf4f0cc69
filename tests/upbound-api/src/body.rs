//! JSON request bodies. axum's own `Json` rejects with plain-text bodies; the
//! Upbound API answers bad bodies with its error shape, so this does too.
//!
//! The Upbound API is written in Go, whose `encoding/json` matches field
//! names case-insensitively (the SDK sends `"Owner"` where the struct says
//! `owner`); [`GoJsonBody`] does the same for `/v1` and `/v2`. Kubernetes-style
//! `/apis/…` bodies keep exact names ([`JsonBody`]), as the apiserver does.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api_error::ApiError;

/// A JSON body of type `T`; anything else is a 400 (415 without a JSON
/// content type) with the Upbound error body.
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        parse_json(&headers, &bytes).map(JsonBody)
    }
}

/// A JSON body of type `T` whose field names are matched case-insensitively:
/// every object key is lowercased before `T` (declared with lowercase field
/// names) reads it. Assumption: no request of the connect flow carries two
/// keys that differ only in case, where Go would prefer the exact match.
pub(crate) struct GoJsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for GoJsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(value) = JsonBody::<Value>::from_request(request, state).await?;
        serde_json::from_value(lowercase_keys(value))
            .map(GoJsonBody)
            .map_err(|error| ApiError::bad_request(format!("invalid request body: {error}")))
    }
}

/// `value` with every object key, at any depth, in lowercase.
fn lowercase_keys(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .map(|(key, value)| (key.to_lowercase(), lowercase_keys(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_keys).collect()),
        scalar => scalar,
    }
}

/// Parses a JSON request body. Assumption: the real API wants a JSON
/// content type (the SDK always sends `application/json`); `application/*+json`
/// (JSON:API's `application/vnd.api+json`) is accepted as well.
pub(crate) fn parse_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    bytes: &[u8],
) -> Result<T, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| {
            let media_type = media_type.trim();
            media_type.eq_ignore_ascii_case("application/json") || media_type.ends_with("+json")
        });
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the request body must be JSON (Content-Type: application/json)",
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|error| ApiError::bad_request(format!("invalid request body: {error}")))
}
