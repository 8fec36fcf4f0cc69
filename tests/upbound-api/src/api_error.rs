//! Error answers, in the two shapes the reference names: Upbound's
//! `{"status":N,"title":"…","detail":"…"}` for `/v1` and `/v2`, and
//! Kubernetes `Status` objects for `/apis/…`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::Error;

/// An error answer of the Upbound API.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    detail: String,
}

impl ApiError {
    /// An error with this status and detail.
    pub(crate) fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
        }
    }

    /// 400: the request body is not what the call takes.
    pub(crate) fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    /// 401: no session, or one that expired or ended.
    pub(crate) fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, detail)
    }

    /// 403: logged in, but without the rights for this call.
    pub(crate) fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, detail)
    }

    /// 404: no such thing.
    pub(crate) fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// 409: the request contradicts what exists.
    pub(crate) fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, detail)
    }

    /// The status code.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "status": self.status.as_u16(),
            "title": self.status.canonical_reason().unwrap_or("Error"),
            "detail": self.detail,
        });
        (self.status, Json(body)).into_response()
    }
}

/// Control and persistence errors reach HTTP clients with the status that
/// says what went wrong.
impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::OrganizationExists(_) | Error::UserExists(_) => StatusCode::CONFLICT,
            Error::UnknownOrganization(_) | Error::UnknownUser(_) | Error::UnknownSpace { .. } => {
                StatusCode::NOT_FOUND
            }
            Error::InvalidFault(_) => StatusCode::BAD_REQUEST,
            Error::NotLoopback(_)
            | Error::Bind { .. }
            | Error::ReadState { .. }
            | Error::ParseState { .. }
            | Error::WriteState { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Self::new(status, error.to_string())
    }
}

/// An error answer of the Kubernetes-style `/apis/…` calls: a `Status`
/// object whose `reason` the client can test (`AlreadyExists`, `NotFound`…).
#[derive(Debug)]
pub(crate) struct KubeError {
    error: ApiError,
    /// The object the error is about, for `details`.
    name: Option<String>,
}

impl KubeError {
    /// An error about the Space record `name`.
    pub(crate) fn about(error: ApiError, name: &str) -> Self {
        Self {
            error,
            name: Some(name.to_owned()),
        }
    }

    /// Kubernetes' `StatusReason` for the status code.
    fn reason(&self) -> &'static str {
        match self.error.status {
            StatusCode::BAD_REQUEST => "BadRequest",
            StatusCode::UNAUTHORIZED => "Unauthorized",
            StatusCode::FORBIDDEN => "Forbidden",
            StatusCode::NOT_FOUND => "NotFound",
            StatusCode::CONFLICT => "AlreadyExists",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "UnsupportedMediaType",
            StatusCode::UNPROCESSABLE_ENTITY => "Invalid",
            StatusCode::TOO_MANY_REQUESTS => "TooManyRequests",
            StatusCode::SERVICE_UNAVAILABLE => "ServiceUnavailable",
            _ => "InternalError",
        }
    }
}

impl From<ApiError> for KubeError {
    fn from(error: ApiError) -> Self {
        Self { error, name: None }
    }
}

impl IntoResponse for KubeError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.error.detail,
            "reason": self.reason(),
            "code": self.error.status.as_u16(),
        });
        if let Some(name) = &self.name {
            body["details"] = json!({"name": name, "group": "upbound.io", "kind": "spaces"});
        }
        (self.error.status, Json(body)).into_response()
    }
}
