//! Sessions: `POST /v1/login` with a token's `jti` and the token itself
//! yields the `SID` cookie, a JWT whose `exp` says when it ends. A session
//! is renewed before it ends (10 minutes early, or half-way for short ones).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde::Deserialize;

use crate::secret::Secret;

/// How early a session is renewed at most.
const RENEW_EARLY: Duration = Duration::from_secs(600);

/// A logged-in session.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    /// The `SID` cookie's value.
    pub(crate) id: Secret,
    /// When to log in again instead of using this session.
    renew_at: SystemTime,
}

impl Session {
    /// The session set by a login answer's `SID` cookie, if there is one.
    pub(crate) fn from_login_headers(headers: &HeaderMap) -> Option<Self> {
        let id = headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|cookie| {
                let pair = cookie.split(';').next()?.trim();
                let value = pair.strip_prefix("SID=")?;
                (!value.is_empty()).then(|| Secret::new(value))
            })?;
        let now = SystemTime::now();
        let renew_at = match expiry(&id) {
            Some(expires) => {
                let left = expires.duration_since(now).unwrap_or_default();
                expires - RENEW_EARLY.min(left / 2)
            }
            // No readable `exp`: renew only when the API says 401.
            None => now + Duration::from_secs(365 * 24 * 3600),
        };
        Some(Self { id, renew_at })
    }

    /// Whether it is time to log in again.
    pub(crate) fn needs_renewal(&self) -> bool {
        SystemTime::now() >= self.renew_at
    }
}

/// The `exp` claim of a session JWT, read without verifying it.
fn expiry(session: &Secret) -> Option<SystemTime> {
    #[derive(Deserialize)]
    struct Claims {
        exp: u64,
    }
    let payload = session.expose().split('.').nth(1)?;
    let payload = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Claims = serde_json::from_slice(&payload).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(claims.exp))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn jwt_with_exp(exp: u64) -> String {
        let payload = URL_SAFE_NO_PAD.encode(format!("{{\"exp\":{exp}}}"));
        format!("e30.{payload}.sig")
    }

    fn headers(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(SET_COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        headers
    }

    fn now_secs() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn the_sid_cookie_is_the_session() {
        let sid = jwt_with_exp(now_secs() + 3600);
        let session = Session::from_login_headers(&headers(&[
            "other=1",
            &format!("SID={sid}; Path=/; HttpOnly"),
        ]))
        .unwrap();
        assert_eq!(session.id.expose(), sid);
        assert!(!session.needs_renewal());
    }

    #[test]
    fn no_sid_cookie_is_no_session() {
        assert!(Session::from_login_headers(&headers(&["other=1"])).is_none());
        assert!(Session::from_login_headers(&headers(&["SID=; Path=/"])).is_none());
    }

    #[test]
    fn a_session_about_to_end_is_renewed() {
        let sid = jwt_with_exp(now_secs() + 1);
        let session = Session::from_login_headers(&headers(&[&format!("SID={sid}")])).unwrap();
        std::thread::sleep(Duration::from_millis(600));
        assert!(session.needs_renewal());
    }
}
