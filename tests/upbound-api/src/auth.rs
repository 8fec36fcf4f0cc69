//! Sessions: checking login credentials, opening a session as the `SID`
//! cookie, and finding the caller's session on every later request.
//!
//! `/v1` and `/v2` calls carry the session as `Cookie: SID=<session JWT>`;
//! Kubernetes-style `/apis/…` calls carry it as `Authorization: Bearer` (and
//! the cookie), so [`KubeCaller`] accepts either.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use uuid::Uuid;

use crate::api_error::{ApiError, KubeError};
use crate::app::App;
use crate::clock;
use crate::jwt::{SessionClaims, TokenClaims};
use crate::state::Principal;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "SID";

/// Who is calling, from a live session.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller {
    /// The logged-in user or robot.
    pub principal: Principal,
    /// The session's ID, for logout.
    pub session_id: Uuid,
}

/// The caller of a `/v1` or `/v2` route; 401 without a live `SID` cookie.
impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        authenticate(app, session_cookie(&parts.headers))
    }
}

/// The caller of an `/apis/…` route, from the bearer header or the cookie;
/// 401 as a Kubernetes `Status` without a live session.
#[derive(Clone, Copy, Debug)]
pub(crate) struct KubeCaller(pub Caller);

impl FromRequestParts<Arc<App>> for KubeCaller {
    type Rejection = KubeError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, KubeError> {
        let session = bearer(&parts.headers).or_else(|| session_cookie(&parts.headers));
        Ok(Self(authenticate(app, session)?))
    }
}

/// The caller whose session JWT is `session`, if it is live.
fn authenticate(app: &App, session: Option<&str>) -> Result<Caller, ApiError> {
    let session = session.ok_or_else(|| ApiError::unauthorized("no session: log in first"))?;
    let claims: SessionClaims = app
        .signer
        .verify(session)
        .ok_or_else(|| ApiError::unauthorized("invalid session"))?;
    app.store
        .read(|state| {
            state
                .live_session(claims.sid, clock::now_millis())
                .map(|live| Caller {
                    principal: live.principal,
                    session_id: live.id,
                })
        })
        .ok_or_else(|| ApiError::unauthorized("session expired or ended: log in again"))
}

/// The `SID` cookie's value.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then_some(value)
        })
}

/// The bearer token of the `Authorization` header.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Checks login credentials: `id` is a token's access ID and `password` its
/// JWT (personal access token or robot token), or `id` is a username or
/// e-mail and `password` the user's password. Returns who logs in and the
/// token used, if any.
pub(crate) fn check_credentials(
    app: &App,
    id: &str,
    password: &str,
) -> Option<(Principal, Option<Uuid>)> {
    let token_claims = app.signer.verify::<TokenClaims>(password);
    app.store.read(|state| match token_claims {
        Some(claims) if claims.jti.to_string() == id => {
            let token = state.token(claims.jti)?;
            Some((Principal::from_owner(token.owner), Some(token.id)))
        }
        Some(_) => None,
        None => state
            .user_with_password(id, password)
            .map(|user| (Principal::User(user.id), None)),
    })
}

/// Opens a session for `principal` and returns the `Set-Cookie` value.
/// The cookie carries `Max-Age` (rounded up to whole seconds) and no
/// `Secure` flag: the double serves plain HTTP on loopback.
pub(crate) fn open_session(
    app: &App,
    principal: Principal,
    token_id: Option<Uuid>,
) -> Result<String, ApiError> {
    let now_ms = clock::now_millis();
    let ttl_ms = u64::try_from(app.session_ttl.as_millis()).unwrap_or(u64::MAX);
    let session = app.store.write(|state| {
        Ok::<_, ApiError>(state.open_session(principal, token_id, now_ms, ttl_ms))
    })?;
    let jwt = app.signer.sign(&SessionClaims {
        sid: session.id,
        sub: principal.to_string(),
        iat: now_ms / 1000,
        exp: session.expires_at_ms.div_ceil(1000),
    });
    Ok(format!(
        "{SESSION_COOKIE}={jwt}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        ttl_ms.div_ceil(1000)
    ))
}

/// Ends the caller's session.
pub(crate) fn end_session(app: &App, caller: Caller) -> Result<(), ApiError> {
    app.store.write(|state| {
        state.end_session(caller.session_id);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, header};

    use super::{bearer, session_cookie};

    #[test]
    fn finds_the_sid_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; SID=abc.def; b=2"),
        );
        assert_eq!(session_cookie(&headers), Some("abc.def"));
    }

    #[test]
    fn reads_a_bearer_token_in_any_case() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer xyz"),
        );
        assert_eq!(bearer(&headers), Some("xyz"));
    }
}
