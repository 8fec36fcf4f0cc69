//! The robot: the recorded one, else the one made for this place, else one
//! an older version made (or any with the spec's name, when the caller says
//! adopt) that no other connection uses, else a new one — created so that a
//! lost answer never leads to a second robot. A robot made for another
//! cluster or namespace, or one another connection holds a live token of,
//! means the Space is connected elsewhere: never adopted, never touched.
//!
//! "Another connection uses it" is what the engine can see: the robot holds
//! a live token this tool minted (named `upbound-connect-…`) that this
//! place's token Secret does not record, and not the one it does record.
//! Tokens made by hand or by `up` are no connection of ours and do not
//! count. Upbound has no robot update, so an older robot, once adopted,
//! keeps its description: its record stays the marker alone, and the live
//! token this place holds is what keeps other places off it.

use std::collections::BTreeSet;
use std::time::Instant;

use crate::spec::ConnectionSpec;
use crate::state::Connection;
use crate::upbound::{Organization, Robot};

use super::ownership::{self, Elsewhere, Owner, Place};
use super::{Engine, EngineError, token};

/// What the organization's robots say about this connection's robot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// The robot this connection uses (or may adopt).
    Ours(Robot),
    /// The Space is connected in another place, through this robot.
    Elsewhere(Elsewhere),
    /// No robot yet: connect creates one.
    Nothing,
}

/// The token this place's Secret records on `robot`, if it records one.
fn recorded_token<'a>(robot: &Robot, recorded: Option<&'a Connection>) -> Option<&'a str> {
    recorded
        .filter(|recorded| recorded.robot_id.as_deref() == Some(robot.id.as_str()))
        .and_then(|recorded| recorded.token_id.as_deref())
}

/// Whether another connection may hold a token of `robot` (one the Secret
/// does not record is live, and the recorded one is not): then its token
/// names must be looked at.
fn may_be_shared(robot: &Robot, recorded: Option<&Connection>) -> bool {
    let mine = recorded_token(robot, recorded);
    !mine.is_some_and(|mine| robot.token_ids.iter().any(|id| id == mine))
        && robot.token_ids.iter().any(|id| Some(id.as_str()) != mine)
}

/// The robot this connection uses among the organization's `robots`, or
/// where the Space is connected instead. `in_use` holds the IDs of robots
/// another connection holds a live token of.
pub(super) fn choose(
    robots: &[Robot],
    spec: &ConnectionSpec,
    recorded: Option<&Connection>,
    here: &Place,
    in_use: &BTreeSet<String>,
) -> Found {
    let elsewhere = |robot: &Robot, place: Option<Place>| {
        Found::Elsewhere(Elsewhere {
            robot_id: robot.id.clone(),
            place,
        })
    };
    let recorded_id = recorded.and_then(|recorded| recorded.robot_id.as_deref());
    if let Some(robot) = robots
        .iter()
        .find(|robot| Some(robot.id.as_str()) == recorded_id)
    {
        return match Owner::of(&robot.description) {
            Owner::Connection(place) if &place == here => Found::Ours(robot.clone()),
            // The Secret was copied from there (a restored backup, a cloned
            // namespace): the robot is that connection's.
            Owner::Connection(place) => elsewhere(robot, Some(place)),
            _ if in_use.contains(&robot.id) => elsewhere(robot, None),
            _ => Found::Ours(robot.clone()),
        };
    }

    let named: Vec<(&Robot, Owner)> = robots
        .iter()
        .filter(|robot| robot.name == spec.robot_name)
        .map(|robot| (robot, Owner::of(&robot.description)))
        .collect();
    if let Some((robot, _)) = named
        .iter()
        .find(|(_, owner)| matches!(owner, Owner::Connection(place) if place == here))
    {
        return Found::Ours((*robot).clone());
    }
    if let Some((robot, Owner::Connection(place))) = named
        .iter()
        .find(|(_, owner)| matches!(owner, Owner::Connection(_)))
    {
        return elsewhere(robot, Some(place.clone()));
    }
    if let Some((robot, _)) = named.iter().find(|(robot, _)| in_use.contains(&robot.id)) {
        return elsewhere(robot, None);
    }
    named
        .iter()
        .find(|(_, owner)| *owner == Owner::Unrecorded)
        .or_else(|| named.first().filter(|_| spec.adopt_robot))
        .map_or(Found::Nothing, |(robot, _)| Found::Ours((*robot).clone()))
}

/// The robot made for `here` with the spec's name, if there is one.
fn made_for(robots: &[Robot], spec: &ConnectionSpec, here: &Place) -> Option<Robot> {
    robots
        .iter()
        .find(|robot| {
            robot.name == spec.robot_name
                && matches!(Owner::of(&robot.description), Owner::Connection(place) if &place == here)
        })
        .cloned()
}

/// What a cloud-only disconnect does about robots, with the cluster out of
/// reach (so its identity unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum CloudOnly {
    /// Delete this robot, or none when nothing of the connection is left.
    Delete(Option<Robot>),
    /// The Space is connected in another namespace: leave it alone.
    Elsewhere(Elsewhere),
    /// Several robots the namespace may own (made for it in different
    /// clusters, or by older versions): their IDs.
    Unclear(Vec<String>),
}

/// The robot a cloud-only disconnect deletes: the one of ours with the
/// spec's name made for the spec's namespace (in whichever cluster) or by
/// an older version (else, when the caller says adopt, the first with the
/// name); one made for another namespace means the Space is connected
/// there.
pub(super) fn cloud_only(robots: &[Robot], spec: &ConnectionSpec) -> CloudOnly {
    let named: Vec<(&Robot, Owner)> = robots
        .iter()
        .filter(|robot| robot.name == spec.robot_name)
        .map(|robot| (robot, Owner::of(&robot.description)))
        .collect();
    let mut candidates: Vec<&Robot> = named
        .iter()
        .filter(|(_, owner)| match owner {
            Owner::Connection(place) => place.namespace == spec.namespace,
            Owner::Unrecorded => true,
            Owner::NotOurs => false,
        })
        .map(|(robot, _)| *robot)
        .collect();
    if candidates.len() > 1 {
        return CloudOnly::Unclear(candidates.iter().map(|robot| robot.id.clone()).collect());
    }
    if let Some(robot) = candidates.pop() {
        return CloudOnly::Delete(Some(robot.clone()));
    }
    if let Some((robot, Owner::Connection(place))) = named
        .iter()
        .find(|(_, owner)| matches!(owner, Owner::Connection(_)))
    {
        return CloudOnly::Elsewhere(Elsewhere {
            robot_id: robot.id.clone(),
            place: Some(place.clone()),
        });
    }
    CloudOnly::Delete(
        named
            .first()
            .filter(|_| spec.adopt_robot)
            .map(|(robot, _)| (*robot).clone()),
    )
}

impl Engine {
    /// The robot this connection uses, or where the Space is connected
    /// instead: [`choose`], after looking at the token names of robots
    /// another connection may hold a token of.
    pub(super) async fn find_robot(
        &self,
        robots: &[Robot],
        spec: &ConnectionSpec,
        recorded: Option<&Connection>,
        here: &Place,
    ) -> Result<Found, EngineError> {
        let recorded_id = recorded.and_then(|recorded| recorded.robot_id.as_deref());
        let mut in_use = BTreeSet::new();
        for robot in robots {
            let candidate = robot.name == spec.robot_name || Some(robot.id.as_str()) == recorded_id;
            if candidate
                && !matches!(Owner::of(&robot.description), Owner::Connection(_))
                && may_be_shared(robot, recorded)
            {
                let mine = recorded_token(robot, recorded);
                let held_elsewhere = self
                    .upbound
                    .robot_tokens(&robot.id)
                    .await?
                    .iter()
                    .any(|listed| token::is_ours(&listed.name) && Some(listed.id.as_str()) != mine);
                if held_elsewhere {
                    in_use.insert(robot.id.clone());
                }
            }
        }
        Ok(choose(robots, spec, recorded, here, &in_use))
    }

    /// Creates the robot, recorded as made for `here`; a create whose
    /// answer was lost is found, never made twice.
    pub(super) async fn create_robot(
        &self,
        spec: &ConnectionSpec,
        organization: &Organization,
        here: &Place,
    ) -> Result<Robot, EngineError> {
        let description = ownership::describe(&spec.robot_description, here);
        let mut first = true;
        let robot = self
            .retry
            .run(|| {
                let lost_answer = !std::mem::take(&mut first);
                let description = &description;
                async move {
                    // A failed create may have happened anyway: look before
                    // creating again.
                    if lost_answer {
                        let robots = self.upbound.robots(organization.id, Instant::now()).await?;
                        if let Some(robot) = made_for(&robots, spec, here) {
                            return Ok(robot);
                        }
                    }
                    self.upbound
                        .create_robot(organization.id, &spec.robot_name, description)
                        .await
                }
            })
            .await?;
        Ok(robot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::OWNERSHIP_MARKER;
    use crate::spec::ConnectionInput;

    fn spec(adopt_robot: bool) -> ConnectionSpec {
        ConnectionInput {
            space: "twin".to_owned(),
            organization: "acme".to_owned(),
            adopt_robot,
            ..ConnectionInput::default()
        }
        .validate()
        .expect("valid")
    }

    fn place(cluster: &str, namespace: &str) -> Place {
        Place {
            cluster: cluster.to_owned(),
            namespace: namespace.to_owned(),
        }
    }

    fn robot(id: &str, name: &str, description: &str, tokens: &[&str]) -> Robot {
        Robot {
            id: id.to_owned(),
            name: name.to_owned(),
            description: description.to_owned(),
            token_ids: tokens.iter().map(|token| (*token).to_owned()).collect(),
        }
    }

    fn made_at(place: &Place) -> String {
        ownership::describe("given", place)
    }

    fn recorded(robot: &str, token: &str) -> Connection {
        Connection {
            robot_id: Some(robot.to_owned()),
            token_id: Some(token.to_owned()),
            ..Connection::default()
        }
    }

    fn elsewhere(robot_id: &str, place: Option<Place>) -> Found {
        Found::Elsewhere(Elsewhere {
            robot_id: robot_id.to_owned(),
            place,
        })
    }

    /// One row of the robot choice table.
    struct Case<'a> {
        name: &'a str,
        robots: Vec<Robot>,
        recorded: Option<&'a Connection>,
        in_use: &'a [&'a str],
        adopt: bool,
        want: Found,
    }

    #[test]
    fn robots_are_chosen_by_their_owner_record() {
        let here = place("c1", "upbound-system");
        let other_namespace = place("c1", "team-b");
        let other_cluster = place("c2", "upbound-system");
        let made_here = made_at(&here);
        let older = format!("given{OWNERSHIP_MARKER}");
        let mine = recorded("r", "t");
        let cases = [
            Case {
                name: "nothing yet",
                robots: vec![],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Nothing,
            },
            Case {
                name: "made here",
                robots: vec![robot("r", "twin", &made_here, &["t"])],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Ours(robot("r", "twin", &made_here, &["t"])),
            },
            Case {
                name: "made in another namespace",
                robots: vec![robot("r", "twin", &made_at(&other_namespace), &["t"])],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: elsewhere("r", Some(other_namespace.clone())),
            },
            Case {
                name: "made in another cluster, even when adopting",
                robots: vec![robot("r", "twin", &made_at(&other_cluster), &["t"])],
                recorded: None,
                in_use: &[],
                adopt: true,
                want: elsewhere("r", Some(other_cluster.clone())),
            },
            Case {
                name: "recorded here but made elsewhere: a copied Secret",
                robots: vec![robot("r", "twin", &made_at(&other_cluster), &["t"])],
                recorded: Some(&mine),
                in_use: &[],
                adopt: false,
                want: elsewhere("r", Some(other_cluster.clone())),
            },
            Case {
                name: "recorded, made by an older version",
                robots: vec![robot("r", "twin", &older, &["t"])],
                recorded: Some(&mine),
                in_use: &[],
                adopt: false,
                want: Found::Ours(robot("r", "twin", &older, &["t"])),
            },
            Case {
                name: "recorded, older, but another connection holds its token",
                robots: vec![robot("r", "twin", &older, &["u"])],
                recorded: Some(&mine),
                in_use: &["r"],
                adopt: false,
                want: elsewhere("r", None),
            },
            Case {
                name: "older and unused: adopted",
                robots: vec![robot("r", "twin", &older, &[])],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Ours(robot("r", "twin", &older, &[])),
            },
            Case {
                name: "older and in use elsewhere",
                robots: vec![robot("r", "twin", &older, &["u"])],
                recorded: None,
                in_use: &["r"],
                adopt: false,
                want: elsewhere("r", None),
            },
            Case {
                name: "made here wins over one made elsewhere",
                robots: vec![
                    robot("a", "twin", &made_at(&other_cluster), &["u"]),
                    robot("b", "twin", &made_here, &["t"]),
                ],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Ours(robot("b", "twin", &made_here, &["t"])),
            },
            Case {
                name: "foreign: left alone unless adopting",
                robots: vec![robot("f", "twin", "made by hand", &["h"])],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Nothing,
            },
            Case {
                name: "foreign: adopted when asked",
                robots: vec![robot("f", "twin", "made by hand", &["h"])],
                recorded: None,
                in_use: &[],
                adopt: true,
                want: Found::Ours(robot("f", "twin", "made by hand", &["h"])),
            },
            Case {
                name: "foreign, adopted by another connection",
                robots: vec![robot("f", "twin", "made by hand", &["u"])],
                recorded: None,
                in_use: &["f"],
                adopt: true,
                want: elsewhere("f", None),
            },
            Case {
                name: "foreign, not adopting, but another connection adopted it",
                robots: vec![robot("f", "twin", "made by hand", &["u"])],
                recorded: None,
                in_use: &["f"],
                adopt: false,
                want: elsewhere("f", None),
            },
            Case {
                name: "another name is not looked at",
                robots: vec![robot("r", "other", &made_at(&other_cluster), &["u"])],
                recorded: None,
                in_use: &[],
                adopt: false,
                want: Found::Nothing,
            },
        ];
        for case in cases {
            let in_use: BTreeSet<String> = case.in_use.iter().map(|id| (*id).to_owned()).collect();
            assert_eq!(
                choose(
                    &case.robots,
                    &spec(case.adopt),
                    case.recorded,
                    &here,
                    &in_use
                ),
                case.want,
                "{}",
                case.name
            );
        }
    }

    #[test]
    fn token_names_are_looked_at_only_when_another_may_hold_one() {
        let mine = recorded("r", "t");
        let older = format!("given{OWNERSHIP_MARKER}");
        assert!(!may_be_shared(&robot("r", "twin", &older, &[]), None));
        assert!(may_be_shared(&robot("r", "twin", &older, &["u"]), None));
        assert!(!may_be_shared(
            &robot("r", "twin", &older, &["t", "u"]),
            Some(&mine)
        ));
        assert!(may_be_shared(
            &robot("r", "twin", &older, &["u"]),
            Some(&mine)
        ));
        assert!(may_be_shared(
            &robot("x", "twin", &older, &["t"]),
            Some(&mine)
        ));
    }

    #[test]
    fn cloud_only_deletes_the_robot_made_for_the_namespace() {
        let without_adopt = spec(false);
        let older = format!("given{OWNERSHIP_MARKER}");
        let made_here = robot("a", "twin", &made_at(&place("c1", "upbound-system")), &[]);
        let made_there = robot("b", "twin", &made_at(&place("c2", "team-b")), &[]);
        let foreign = robot("c", "twin", "made by hand", &[]);
        let other_name = robot("d", "other", &older, &[]);
        assert_eq!(
            cloud_only(
                &[
                    made_here.clone(),
                    made_there.clone(),
                    foreign.clone(),
                    other_name.clone()
                ],
                &without_adopt
            ),
            CloudOnly::Delete(Some(made_here.clone()))
        );
        assert_eq!(
            cloud_only(&[made_there.clone(), foreign.clone()], &without_adopt),
            CloudOnly::Elsewhere(Elsewhere {
                robot_id: "b".to_owned(),
                place: Some(place("c2", "team-b")),
            })
        );
        let same_namespace_elsewhere =
            robot("e", "twin", &made_at(&place("c3", "upbound-system")), &[]);
        assert_eq!(
            cloud_only(&[made_here, same_namespace_elsewhere], &without_adopt),
            CloudOnly::Unclear(vec!["a".to_owned(), "e".to_owned()])
        );
        assert_eq!(
            cloud_only(std::slice::from_ref(&foreign), &without_adopt),
            CloudOnly::Delete(None)
        );
        assert_eq!(
            cloud_only(std::slice::from_ref(&foreign), &spec(true)),
            CloudOnly::Delete(Some(foreign))
        );
    }
}
