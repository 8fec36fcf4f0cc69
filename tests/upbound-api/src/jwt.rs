//! Signing and verifying the two kinds of JWT the double hands out: tokens
//! (the login secret) and sessions (the `SID` cookie). Both are HS256 with
//! the state's random key, so a double restarted from its state file still
//! accepts what it issued before.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Claims of a token JWT. Clients read `jti` without verifying (it is the
/// login `id`); the double verifies the signature and that the token exists.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct TokenClaims {
    /// The token's access ID.
    pub jti: Uuid,
    /// The owner, as `user|<id>` or `robot|<uuid>`. Assumption: the real
    /// API's subject format is not public; nothing in the connect flow
    /// reads it.
    pub sub: String,
    /// Issued at (Unix seconds).
    pub iat: u64,
}

/// Claims of a session JWT (the `SID` cookie's value).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SessionClaims {
    /// The session's ID in the state; a session is live only while it is
    /// recorded there, so logout and token revocation end it.
    pub sid: Uuid,
    /// Who is logged in, as in [`TokenClaims::sub`].
    pub sub: String,
    /// Issued at (Unix seconds).
    pub iat: u64,
    /// Expiry (Unix seconds, rounded up). Clients renew before it; the
    /// double itself checks the session's millisecond expiry in the state.
    pub exp: u64,
}

/// Signs and verifies JWTs with one HS256 key.
pub(crate) struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Signer {
    /// A signer for `key`.
    pub(crate) fn new(key: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
        }
    }

    /// Signs `claims`.
    pub(crate) fn sign(&self, claims: &impl Serialize) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of plain serializable claims cannot fail")
    }

    /// The claims of `jwt` if it carries this key's signature and has the
    /// shape of `C`; `None` otherwise.
    pub(crate) fn verify<C: DeserializeOwned>(&self, jwt: &str) -> Option<C> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is the state's business (millisecond precision, no leeway);
        // tokens have no `exp` at all.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        jsonwebtoken::decode::<C>(jwt, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::{Signer, TokenClaims};
    use uuid::Uuid;

    fn claims() -> TokenClaims {
        TokenClaims {
            jti: Uuid::new_v4(),
            sub: "user|1".into(),
            iat: 1,
        }
    }

    #[test]
    fn verifies_what_it_signed() {
        let signer = Signer::new(b"key one");
        let original = claims();
        let verified: TokenClaims = signer.verify(&signer.sign(&original)).unwrap();
        assert_eq!(verified.jti, original.jti);
    }

    #[test]
    fn rejects_another_keys_signature() {
        let jwt = Signer::new(b"key one").sign(&claims());
        assert!(
            Signer::new(b"key two")
                .verify::<TokenClaims>(&jwt)
                .is_none()
        );
    }
}
