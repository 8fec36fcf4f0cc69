//! Whose a robot is. Upbound robots carry only a name (not unique) and a
//! description, so the description ends with a record of its owner: the
//! marker that this tool made it, and where the connection it serves
//! lives — the cluster's identity and the namespace:
//!
//! ```text
//! Robot used for authenticating Space "dev" with Upbound Connect [managed by upbound-connect; cluster=6f0c3c57-…; namespace=upbound-system]
//! ```
//!
//! Older versions wrote the marker alone (` [managed by upbound-connect]`).
//! The record is the description's last bracket; its fields are `key=value`
//! pairs after the marker, separated by `; `, read by key (unknown keys are
//! skipped, so later versions may add some). Kubernetes UIDs and namespace
//! names hold no `;`, `=`, `]` or space, so the record is unambiguous.

use std::fmt;

/// The description suffix older versions marked their robots with. A
/// robot's description starts its owner record with the same words.
pub const OWNERSHIP_MARKER: &str = " [managed by upbound-connect]";

/// The owner record's opening: the marker without its closing bracket.
const RECORD_OPENING: &str = " [managed by upbound-connect";

/// Where a connection lives: a namespace of one cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The cluster's identity: its `kube-system` namespace's UID.
    pub cluster: String,
    /// The namespace of the token Secret and the agent.
    pub namespace: String,
}

impl fmt::Display for Place {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "namespace {:?} of cluster {} (its kube-system namespace's UID)",
            self.namespace, self.cluster
        )
    }
}

/// The Space's connection in another place, as found through its robot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    /// The robot that connection uses.
    pub robot_id: String,
    /// Where it lives, when its robot records it (older versions' robots
    /// do not: that connection is known only by the live token it holds).
    pub place: Option<Place>,
}

impl fmt::Display for Elsewhere {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(formatter, "in {place}, through robot {}", self.robot_id),
            None => write!(
                formatter,
                "elsewhere, through robot {}, whose live token another connection holds (an older upbound-connect made the robot and did not record where)",
                self.robot_id
            ),
        }
    }
}

/// Whose a robot is, as its description says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    /// Made by this tool for the connection in this place.
    Connection(Place),
    /// Made by an older version of this tool, which did not record where.
    Unrecorded,
    /// Not made by this tool (or its record is unreadable).
    NotOurs,
}

impl Owner {
    /// The owner a robot's `description` records.
    pub fn of(description: &str) -> Self {
        let Some((_, record)) = split(description) else {
            return Self::NotOurs;
        };
        if record.is_empty() {
            return Self::Unrecorded;
        }
        let mut cluster = None;
        let mut namespace = None;
        for field in record.split("; ") {
            match field.split_once('=') {
                Some(("cluster", value)) => cluster = Some(value),
                Some(("namespace", value)) => namespace = Some(value),
                Some(_) => {}
                None => return Self::NotOurs,
            }
        }
        match (cluster, namespace) {
            (Some(cluster), Some(namespace)) if !cluster.is_empty() && !namespace.is_empty() => {
                Self::Connection(Place {
                    cluster: cluster.to_owned(),
                    namespace: namespace.to_owned(),
                })
            }
            _ => Self::NotOurs,
        }
    }
}

/// The description for a robot made for the connection at `place`:
/// `given` followed by the owner record.
pub fn describe(given: &str, place: &Place) -> String {
    format!(
        "{given}{RECORD_OPENING}; cluster={}; namespace={}]",
        place.cluster, place.namespace
    )
}

/// The description as the user gave it: without the owner record, if it
/// has one.
pub fn given_description(description: &str) -> &str {
    split(description).map_or(description, |(given, _)| given)
}

/// The description's given part and its owner record's fields (empty for
/// the marker alone), or `None` when it ends with no owner record.
fn split(description: &str) -> Option<(&str, &str)> {
    let inner = description.strip_suffix(']')?;
    let start = inner.rfind(RECORD_OPENING)?;
    let (given, record) = inner.split_at(start);
    let fields = &record[RECORD_OPENING.len()..];
    if fields.is_empty() {
        return Some((given, fields));
    }
    fields.strip_prefix("; ").map(|fields| (given, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place {
        Place {
            cluster: "6f0c3c57-8d2a-4c1e-9b1a-0f5e2d7c9a11".to_owned(),
            namespace: "upbound-system".to_owned(),
        }
    }

    #[test]
    fn a_description_records_its_place_and_reads_back() {
        let description = describe("Robot for \"dev\"", &place());
        assert_eq!(
            description,
            "Robot for \"dev\" [managed by upbound-connect; cluster=6f0c3c57-8d2a-4c1e-9b1a-0f5e2d7c9a11; namespace=upbound-system]"
        );
        assert_eq!(Owner::of(&description), Owner::Connection(place()));
        assert_eq!(given_description(&description), "Robot for \"dev\"");
    }

    #[test]
    fn the_marker_alone_is_an_older_versions_robot() {
        let description = format!("Robot for \"dev\"{OWNERSHIP_MARKER}");
        assert_eq!(Owner::of(&description), Owner::Unrecorded);
        assert_eq!(given_description(&description), "Robot for \"dev\"");
    }

    #[test]
    fn descriptions_without_our_record_are_not_ours() {
        for description in [
            "",
            "made by hand",
            "made by hand [managed by someone else]",
            "[managed by upbound-connect] and more text",
            " [managed by upbound-connectish]",
            " [managed by upbound-connect; cluster=abc]",
            " [managed by upbound-connect; namespace=ns]",
            " [managed by upbound-connect; cluster=; namespace=ns]",
            " [managed by upbound-connect; garbage]",
        ] {
            assert_eq!(Owner::of(description), Owner::NotOurs, "{description:?}");
        }
        assert_eq!(given_description("made by hand"), "made by hand");
    }

    #[test]
    fn the_last_record_counts_and_unknown_keys_are_skipped() {
        let given = format!("copied from another robot{OWNERSHIP_MARKER}");
        let description = describe(&given, &place());
        assert_eq!(Owner::of(&description), Owner::Connection(place()));
        assert_eq!(given_description(&description), given);

        let later = " [managed by upbound-connect; cluster=c; since=2030; namespace=n]";
        assert_eq!(
            Owner::of(later),
            Owner::Connection(Place {
                cluster: "c".to_owned(),
                namespace: "n".to_owned(),
            })
        );
    }

    #[test]
    fn the_record_stays_short() {
        let longest = Place {
            cluster: "6f0c3c57-8d2a-4c1e-9b1a-0f5e2d7c9a11".to_owned(),
            namespace: "n".repeat(63),
        };
        assert!(describe("", &longest).len() <= 150);
    }
}
