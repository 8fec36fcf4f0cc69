//! UpgradeResourceState: Terraform hands back stored state as JSON on every
//! refresh and destroy; we return it in the current schema as msgpack.
//! There is one schema version so far, so upgrading is decoding.

use super::schema::VERSION;
use crate::cty::Value;
use crate::diagnostics::Diagnostics;

/// UpgradeResourceState's request.
pub struct UpgradeRequest {
    /// The schema version the state was written with.
    pub version: i64,
    /// The stored state, decoded with the current schema's type.
    pub state: Value,
}

/// The upgraded state.
pub struct UpgradeResponse {
    /// The state in the current schema.
    pub state: Value,
    /// Problems found.
    pub diagnostics: Diagnostics,
}

/// Upgrades stored state to the current schema.
pub fn upgrade(request: UpgradeRequest) -> UpgradeResponse {
    let mut diagnostics = Diagnostics::default();
    if request.version > VERSION {
        diagnostics.error(
            "State from a newer provider",
            format!(
                "The state was written with schema version {} of `{}`; this provider knows version {VERSION}. Use the provider version that wrote it.",
                request.version,
                super::schema::TYPE_NAME
            ),
            None,
        );
        return UpgradeResponse {
            state: Value::Null,
            diagnostics,
        };
    }
    UpgradeResponse {
        state: request.state,
        diagnostics,
    }
}
