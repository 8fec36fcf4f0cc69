//! The transport every Upbound call goes through: the session (login,
//! renewal, one re-login on 401), headers, the request timeout, retries,
//! and turning error answers into [`UpboundError`]s.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::error::UpboundError;
use super::http::HttpClient;
use super::session::Session;
use crate::retry::{RetryPolicy, Transient};
use crate::spec::UpboundAccess;

/// The longest error detail kept from a body that is not Upbound's error shape.
const MAX_RAW_DETAIL: usize = 300;

/// How a call presents the session.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Auth {
    /// `Cookie: SID=…` (the `/v1` and `/v2` APIs).
    Cookie,
    /// The cookie and `Authorization: Bearer …` (the Kubernetes-style `/apis`).
    CookieAndBearer,
}

/// Whether a call may be sent again after a failure.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Repeat {
    /// Any transient failure: the call is safe to repeat (reads, deletes, puts).
    Transient,
    /// Only 429: the call creates something, and a failure after sending
    /// may have created it anyway; the caller decides what to do.
    Throttled,
}

/// One call to the API.
pub(crate) struct Call<'a> {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) body: Option<&'a Value>,
    pub(crate) auth: Auth,
    pub(crate) repeat: Repeat,
}

impl<'a> Call<'a> {
    /// A read or delete of `/v1`, `/v2` (cookie, safe to repeat).
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            auth: Auth::Cookie,
            repeat: Repeat::Transient,
        }
    }

    /// With a JSON body.
    pub(crate) fn body(mut self, body: &'a Value) -> Self {
        self.body = Some(body);
        self
    }

    /// A Kubernetes-style `/apis` call.
    pub(crate) fn kubernetes_style(mut self) -> Self {
        self.auth = Auth::CookieAndBearer;
        self
    }

    /// A create that must not be blindly repeated.
    pub(crate) fn creating(mut self) -> Self {
        self.repeat = Repeat::Throttled;
        self
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The HTTP side of the client.
pub(crate) struct Api {
    http: HttpClient,
    access: UpboundAccess,
    retry: RetryPolicy,
    session: Mutex<Option<Session>>,
}

impl Api {
    /// A transport for `access`; nothing is contacted yet.
    pub(crate) fn new(access: UpboundAccess, retry: RetryPolicy) -> Self {
        Self {
            http: HttpClient::start(&access),
            access,
            retry,
            session: Mutex::new(None),
        }
    }

    /// Sends `call` and parses the answer's JSON.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, UpboundError> {
        let name = call.name();
        let body = self.send(call).await?;
        serde_json::from_slice(&body).map_err(|error| UpboundError::Decode {
            call: name,
            detail: error.to_string(),
        })
    }

    /// Sends `call`, treating 404 as success (for deletes of things that may
    /// already be gone). Returns whether it was there.
    pub(crate) async fn delete(&self, call: Call<'_>) -> Result<bool, UpboundError> {
        match self.send(call).await {
            Ok(_) => Ok(true),
            Err(error) if error.is_not_found() => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Sends `call` with retries as its [`Repeat`] allows; the answer's body.
    pub(crate) async fn send(&self, call: Call<'_>) -> Result<Vec<u8>, UpboundError> {
        let retryable = match call.repeat {
            Repeat::Transient => UpboundError::is_transient,
            Repeat::Throttled => UpboundError::is_throttled,
        };
        let http = self.http.get().await?;
        self.retry
            .run_if(retryable, || self.send_once_with_login(http, &call))
            .await
    }

    /// Ends the session, if there is one.
    pub(crate) async fn logout(&self) -> Result<(), UpboundError> {
        let Some(session) = self.session.lock().await.take() else {
            return Ok(());
        };
        let call = Call::new(Method::POST, "/v1/logout");
        let http = self.http.get().await?;
        self.send_once(http, &call, &session).await.map(drop)
    }

    /// One attempt: with a live session, and once more with a new session if
    /// the API no longer accepts it.
    async fn send_once_with_login(
        &self,
        http: &reqwest::Client,
        call: &Call<'_>,
    ) -> Result<Vec<u8>, UpboundError> {
        let session = self.session(http, None).await?;
        match self.send_once(http, call, &session).await {
            Err(error) if error.is_unauthorized() => {
                let session = self.session(http, Some(&session)).await?;
                self.send_once(http, call, &session).await
            }
            answer => answer,
        }
    }

    /// The current session, logging in when there is none, it is due for
    /// renewal, or it is `rejected`.
    async fn session(
        &self,
        http: &reqwest::Client,
        rejected: Option<&Session>,
    ) -> Result<Session, UpboundError> {
        let mut current = self.session.lock().await;
        let usable = current.as_ref().filter(|session| {
            !session.needs_renewal() && rejected.is_none_or(|bad| bad.id != session.id)
        });
        if let Some(session) = usable {
            return Ok(session.clone());
        }
        let session = self.login(http).await?;
        *current = Some(session.clone());
        Ok(session)
    }

    async fn login(&self, http: &reqwest::Client) -> Result<Session, UpboundError> {
        let call = "POST /v1/login".to_owned();
        let body = json!({
            "id": self.access.token_id,
            "password": self.access.token.expose(),
            "remember": true,
        });
        let response = http
            .post(self.url("/v1/login"))
            .json(&body)
            .send()
            .await
            .map_err(|source| self.transport_error(call.clone(), source))?;
        let status = response.status();
        if let Some(session) = Session::from_login_headers(response.headers())
            && status.is_success()
        {
            return Ok(session);
        }
        let text = response.text().await.unwrap_or_default();
        Err(UpboundError::Login {
            status: status.as_u16(),
            detail: self.error_detail(status, &text),
        })
    }

    async fn send_once(
        &self,
        http: &reqwest::Client,
        call: &Call<'_>,
        session: &Session,
    ) -> Result<Vec<u8>, UpboundError> {
        let mut request = http
            .request(call.method.clone(), self.url(&call.path))
            .header(COOKIE, format!("SID={}", session.id.expose()));
        if let Auth::CookieAndBearer = call.auth {
            request = request.header(AUTHORIZATION, format!("Bearer {}", session.id.expose()));
        }
        if let Some(body) = call.body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .map_err(|source| self.transport_error(call.name(), source))?;
        let status = response.status();
        let retry_after = retry_after(response.headers());
        let body = response
            .bytes()
            .await
            .map_err(|source| self.transport_error(call.name(), source))?;
        if status.is_success() {
            return Ok(body.to_vec());
        }
        Err(UpboundError::Status {
            call: call.name(),
            status: status.as_u16(),
            detail: self.error_detail(status, &String::from_utf8_lossy(&body)),
            retry_after,
        })
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.access.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    fn transport_error(&self, call: String, source: reqwest::Error) -> UpboundError {
        if source.is_timeout() {
            UpboundError::Timeout {
                call,
                endpoint: self.access.endpoint.to_string(),
                timeout: self.access.request_timeout,
            }
        } else {
            UpboundError::Connection {
                call,
                endpoint: self.access.endpoint.to_string(),
                source: source.without_url(),
            }
        }
    }

    /// The error's title and detail (Upbound's `{status,title,detail}`, or a
    /// Kubernetes `Status` message), else the raw body, shortened; the token
    /// never appears, whatever the server echoed.
    fn error_detail(&self, status: StatusCode, body: &str) -> String {
        let parsed: Option<Value> = serde_json::from_str(body).ok();
        let field = |name: &str| {
            parsed
                .as_ref()
                .and_then(|value| value.get(name))
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
        };
        let detail = match (field("title"), field("detail"), field("message")) {
            (Some(title), Some(detail), _) => format!("{title}: {detail}"),
            (Some(text), None, _) | (None, Some(text), _) | (None, None, Some(text)) => {
                text.to_owned()
            }
            (None, None, None) if body.trim().is_empty() => {
                status.canonical_reason().unwrap_or("error").to_owned()
            }
            (None, None, None) => body.trim().chars().take(MAX_RAW_DETAIL).collect(),
        };
        detail.replace(self.access.token.expose(), "***")
    }
}

/// The `Retry-After` header in seconds (the HTTP-date form is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}
