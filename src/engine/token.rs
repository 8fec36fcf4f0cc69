//! Robot tokens: mint one and store it in the Secret, then revoke the ones
//! it replaced. A token whose creation answer was lost is found by its
//! unique name and revoked before trying again, so none is left orphaned.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::spec::ConnectionSpec;
use crate::state::Connection;
use crate::upbound::{Robot, UpboundClient};

use super::{Engine, EngineError, Observer, Step};

/// The name prefix of every token we mint; the rest is unique per mint.
const TOKEN_PREFIX: &str = "upbound-connect-";

/// Whether a token with this name was minted by us.
pub(super) fn is_ours(name: &str) -> bool {
    name.starts_with(TOKEN_PREFIX)
}

impl Engine {
    /// Mints a token for `robot`, stores it in the Secret with the recorded
    /// connection, and revokes every other token of ours on the robot.
    /// Returns the new token's ID.
    pub(super) async fn mint_token(
        &self,
        spec: &ConnectionSpec,
        organization: &str,
        robot: &Robot,
        observer: &dyn Observer,
    ) -> Result<String, EngineError> {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let name = format!("{TOKEN_PREFIX}{millis}");
        let mut first = true;
        let token = self
            .retry
            .run(|| {
                let lost_answer = !std::mem::take(&mut first);
                let name = &name;
                async move {
                    if lost_answer {
                        for listed in self.upbound.robot_tokens(&robot.id).await? {
                            if &listed.name == name {
                                self.upbound.delete_token(&listed.id).await?;
                            }
                        }
                    }
                    self.upbound.create_robot_token(&robot.id, name).await
                }
            })
            .await?;

        let connection = Connection {
            organization: organization.to_owned(),
            space: spec.space.clone(),
            robot_id: Some(robot.id.clone()),
            token_id: Some(token.id.clone()),
            token_rotation: spec.token_rotation.clone(),
            ..Connection::default()
        };
        if let Err(error) = self
            .cluster
            .apply_token_secret(&spec.token_secret_name, &connection, &token.jwt)
            .await
        {
            // Not stored: best-effort revoke, and the next run's orphan sweep
            // catches it if this fails too.
            let _ = self.upbound.delete_token(&token.id).await;
            return Err(error.into());
        }
        observer.step(Step::TokenMinted {
            id: token.id.clone(),
            token: token.jwt.clone(),
        });

        // A robot that held no token (as observed, or just created) has
        // none to replace: a token whose answer was lost was revoked above.
        if !robot.token_ids.is_empty() {
            let replaced: Vec<String> = self
                .upbound
                .robot_tokens(&robot.id)
                .await?
                .into_iter()
                .filter(|listed| is_ours(&listed.name) && listed.id != token.id)
                .map(|listed| listed.id)
                .collect();
            revoke(&self.upbound, &replaced, observer).await?;
        }
        Ok(token.id)
    }
}

/// Revokes these tokens; already revoked is fine.
pub(super) async fn revoke(
    upbound: &UpboundClient,
    ids: &[String],
    observer: &dyn Observer,
) -> Result<(), EngineError> {
    for id in ids {
        if upbound.delete_token(id).await? {
            observer.step(Step::TokenRevoked { id: id.clone() });
        }
    }
    Ok(())
}
