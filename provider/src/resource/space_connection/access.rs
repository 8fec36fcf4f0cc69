//! The `access` blocks: Hub RBAC grants as written, and how they become the
//! engine's [`GrantInput`]s. Terraform is declarative, so the blocks are
//! the whole truth: no block means no grant (`Some(empty)` for the engine),
//! never "leave Hub RBAC alone".

use std::collections::BTreeMap;

use upbound_connect::spec::{Grant, GrantInput};

use crate::cty::Value;

/// The block's name, also the root of its attribute paths.
pub const BLOCK: &str = super::attributes::blocks::ACCESS.name;

/// One `access` block; values not known yet read as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Access {
    /// `upbound:user:<name>`, `upbound:robot:<name>`, `upbound:team:<uuid or name>`
    /// or `upbound:org-role:admin|member`.
    pub subject: String,
    /// `admin`, `edit` or `view`.
    pub level: String,
    /// The control-plane group (namespace), or every group.
    pub group: Option<String>,
}

impl Access {
    /// Reads the blocks (none when the list is null or not known).
    pub fn list_from_value(value: &Value) -> Vec<Self> {
        let Value::List(blocks) = value else {
            return Vec::new();
        };
        blocks
            .iter()
            .map(|block| {
                let text = |name: &str| block.attribute(name).as_str().map(str::to_owned);
                Self {
                    subject: text("subject").unwrap_or_default(),
                    level: text("level").unwrap_or_default(),
                    group: text("group"),
                }
            })
            .collect()
    }

    /// The blocks' value: a list, empty rather than null, as Terraform
    /// holds a list block that is absent.
    pub fn list_to_value(blocks: &[Self]) -> Value {
        Value::List(blocks.iter().map(Self::to_value).collect())
    }

    /// One block's value.
    fn to_value(&self) -> Value {
        let attributes: BTreeMap<String, Value> = [
            ("subject", Value::String(self.subject.clone())),
            ("level", Value::String(self.level.clone())),
            ("group", Value::string_or_null(self.group.clone())),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect();
        Value::Object(attributes)
    }

    /// The block that states `grant`.
    pub fn from_grant(grant: &Grant) -> Self {
        Self {
            subject: grant.subject.to_string(),
            level: grant.level.to_string(),
            group: grant.group.clone(),
        }
    }

    /// The engine's input for this grant.
    pub fn input(&self) -> GrantInput {
        GrantInput {
            subject: self.subject.clone(),
            level: self.level.clone(),
            group: self.group.clone(),
        }
    }
}

/// The grants of a configuration that may hold unknowns, for checking:
/// `None` when the blocks themselves are not known yet (a `dynamic` block
/// over an unknown collection). An unknown value gets a stand-in that
/// passes every rule and repeats no other grant, so only known values can
/// fail, each under its own index.
pub fn checkable(value: &Value) -> Option<Vec<GrantInput>> {
    let blocks = match value {
        Value::Unknown => return None,
        Value::List(blocks) => blocks,
        _ => return Some(Vec::new()),
    };
    let inputs = blocks
        .iter()
        .enumerate()
        .map(|(index, block)| {
            let text = |name: &str, stand_in: String| match block.attribute(name) {
                Value::Unknown => Some(stand_in),
                known => known.as_str().map(str::to_owned),
            };
            GrantInput {
                subject: text("subject", format!("upbound:user:not-yet-known-{index}"))
                    .unwrap_or_default(),
                level: text("level", "view".to_owned()).unwrap_or_default(),
                group: match block.attribute("group") {
                    Value::Unknown => None,
                    known => known.as_str().map(str::to_owned),
                },
            }
        })
        .collect();
    Some(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(subject: Value, level: Value, group: Value) -> Value {
        Value::Object(BTreeMap::from([
            ("subject".to_owned(), subject),
            ("level".to_owned(), level),
            ("group".to_owned(), group),
        ]))
    }

    #[test]
    fn the_blocks_round_trip_and_absent_is_empty() {
        let blocks = vec![
            Access {
                subject: "upbound:user:alice".to_owned(),
                level: "view".to_owned(),
                group: None,
            },
            Access {
                subject: "upbound:org-role:member".to_owned(),
                level: "edit".to_owned(),
                group: Some("team-a".to_owned()),
            },
        ];
        assert_eq!(
            Access::list_from_value(&Access::list_to_value(&blocks)),
            blocks
        );
        assert_eq!(Access::list_from_value(&Value::Null), Vec::new());
        assert_eq!(Access::list_to_value(&[]), Value::List(Vec::new()));
    }

    #[test]
    fn unknown_values_get_stand_ins_that_pass() {
        let value = Value::List(vec![
            block(Value::Unknown, Value::Unknown, Value::Unknown),
            block(
                Value::Unknown,
                Value::String("edit".to_owned()),
                Value::Null,
            ),
        ]);
        let inputs = checkable(&value).expect("known blocks");
        assert_eq!(inputs[0].subject, "upbound:user:not-yet-known-0");
        assert_eq!(inputs[0].level, "view");
        assert_eq!(inputs[0].group, None);
        assert_eq!(inputs[1].subject, "upbound:user:not-yet-known-1");
        assert_eq!(inputs[1].level, "edit");
        assert_eq!(checkable(&Value::Unknown), None);
        assert_eq!(checkable(&Value::Null), Some(Vec::new()));
    }
}
