//! UpgradeResourceState: Terraform hands back stored state as JSON on every
//! refresh and destroy; we return it in the current schema as msgpack.
//! There is one schema version so far, so upgrading is decoding, plus one
//! normalisation: state written before the `access` blocks existed holds
//! no `access`, which is the empty list (no grant), as Terraform holds an
//! absent list block.

use super::access::BLOCK as ACCESS;
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
    let mut state = request.state;
    if let Value::Object(attributes) = &mut state
        && attributes.get(ACCESS).is_none_or(Value::is_null)
    {
        attributes.insert(ACCESS.to_owned(), Value::List(Vec::new()));
    }
    UpgradeResponse { state, diagnostics }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn state_without_access_holds_no_grant() {
        let state = Value::Object(BTreeMap::from([
            ("space".to_owned(), Value::String("dev".to_owned())),
            (ACCESS.to_owned(), Value::Null),
        ]));
        let upgraded = upgrade(UpgradeRequest { version: 0, state }).state;
        assert_eq!(upgraded.attribute(ACCESS), &Value::List(Vec::new()));
        assert_eq!(
            upgraded.attribute("space"),
            &Value::String("dev".to_owned())
        );
    }
}
