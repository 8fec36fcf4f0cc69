//! The layer in front of every API route (never the `/_double/` controls):
//! it names the request's route template, lets an injected fault fire, and
//! records the request in the log.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api_error::{ApiError, KubeError};
use crate::app::App;
use crate::faults::{Fault, FaultEffect};
use crate::request_log::RequestRecord;
use crate::store::lock;

/// Marks a response that must never be sent: the server closes the
/// connection instead (see `server`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct DropConnection;

/// Runs one API request through fault injection and the request log.
pub(crate) async fn intercept(
    State(app): State<Arc<App>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(path.as_str(), MatchedPath::as_str);
    let route = format!("{method} {template}");
    let fault = lock(&app.faults).fire(&route);

    if let Some(fault) = &fault {
        tokio::time::sleep(fault.latency).await;
    }
    let after_handler = fault.as_ref().is_some_and(|fault| fault.after_handler);
    let response = match fault.as_ref().and_then(|fault| replace(fault, &path)) {
        Some(replacement) => {
            if after_handler {
                // The route does its work; its answer is lost.
                next.run(request).await;
            }
            replacement
        }
        None => next.run(request).await,
    };

    let record = RequestRecord {
        method,
        route,
        path,
        status: response
            .extensions()
            .get::<DropConnection>()
            .is_none()
            .then(|| response.status().as_u16()),
        fault: fault.is_some(),
    };
    if app.log_requests {
        eprintln!(
            "upbound-api-double: {} {} -> {}{}",
            record.method,
            record.path,
            record
                .status
                .map_or("dropped".to_owned(), |status| status.to_string()),
            if record.fault { " (fault)" } else { "" }
        );
    }
    lock(&app.requests).push(record);
    response
}

/// The answer a fault puts in place of the route's, if it replaces it: an
/// error in the shape the path's API family uses, or a dropped connection.
fn replace(fault: &Fault, path: &str) -> Option<Response> {
    match fault.effect {
        FaultEffect::DelayOnly => None,
        FaultEffect::DropConnection => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnection);
            Some(response)
        }
        FaultEffect::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let error = ApiError::new(status, format!("injected fault on {}", fault.route));
            let mut response = if path == "/apis" || path.starts_with("/apis/") {
                KubeError::from(error).into_response()
            } else {
                error.into_response()
            };
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            Some(response)
        }
    }
}
