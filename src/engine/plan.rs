//! The plan: what connect will do, decided from one [`Observation`] and
//! the spec alone, with no IO, so every face shows the same steps and
//! connect executes exactly them.
//!
//! Each step says why it is due; `Display` is the one wording the faces
//! print (one line per step that changes something).

use std::fmt;
use std::sync::Arc;

use crate::helm::install;
use crate::spec::{ConnectionSpec, SpaceRecordMode};

use super::EngineError;
use super::access::{AccessChange, AccessDrift};
use super::agent::AgentChart;
use super::observe::{Drift, Observation};

/// What connect does about the robot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RobotStep {
    /// The recorded robot is in place.
    Keep {
        /// Its ID.
        id: String,
    },
    /// A robot this connection may use (made for this place, or by an
    /// older version) is taken over.
    Adopt {
        /// Its ID.
        id: String,
    },
    /// No robot: one is created, recorded as made for this place.
    Create {
        /// Its name.
        name: String,
    },
}

/// Why a new token is minted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintReason {
    /// The robot is new (or newly adopted): it holds no token of this place.
    NewRobot,
    /// The token Secret does not exist.
    SecretMissing,
    /// The Secret holds no token, or not the recorded one.
    SecretChanged,
    /// The recorded token was revoked.
    TokenRevoked,
    /// The rotation trigger changed.
    Rotation,
}

impl fmt::Display for MintReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let drift = match self {
            Self::NewRobot => {
                return formatter.write_str("the robot has no token of this connection yet");
            }
            Self::SecretMissing => Drift::SecretMissing,
            Self::SecretChanged => Drift::SecretChanged,
            Self::TokenRevoked => Drift::TokenRevoked,
            Self::Rotation => Drift::RotationRequested,
        };
        drift.fmt(formatter)
    }
}

/// What connect does about the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStep {
    /// The recorded token is live and in the Secret.
    Keep,
    /// A new token is minted and stored; the tokens it replaces are revoked.
    Mint(MintReason),
}

/// What connect does about Helm release `agent`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentStep {
    /// Nothing: no `agent` asked for, or the release is as asked.
    Keep,
    /// The release is not installed: install chart `version`.
    Install {
        /// The chart version.
        version: String,
    },
    /// The release differs from the spec: upgrade it to chart `version`.
    Upgrade {
        /// The chart version.
        version: String,
        /// How it differs.
        drift: Vec<install::Drift>,
    },
}

/// What connect will do, step by step.
#[derive(Clone, Debug)]
pub struct Plan {
    /// `namespace/name` of the token Secret.
    pub secret: String,
    /// The robot.
    pub robot: RobotStep,
    /// The token.
    pub token: TokenStep,
    /// Live tokens of ours that nothing uses, revoked (beside those a new
    /// token replaces).
    pub revoke: Vec<String>,
    /// Whether the pull secret is written (missing or outdated).
    pub pull_secret: bool,
    /// How the Hub RBAC objects differ from the grants; each is repaired.
    pub access: Vec<AccessDrift>,
    /// The agent release.
    pub agent: AgentStep,
    /// Whether the engine-made Space record is created.
    pub space_record: bool,
    /// What makes the RBAC objects match, in the order of `access`.
    pub(super) access_changes: Vec<AccessChange>,
    /// The chart to install, when the agent step runs.
    pub(super) agent_chart: Option<Arc<AgentChart>>,
}

impl Plan {
    /// Whether connect would change nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self.robot, RobotStep::Keep { .. })
            && self.token == TokenStep::Keep
            && self.revoke.is_empty()
            && !self.pull_secret
            && self.access.is_empty()
            && self.agent == AgentStep::Keep
            && !self.space_record
    }

    /// The steps that change something, in words, in the order connect
    /// takes them.
    pub fn steps(&self) -> Vec<String> {
        let mut steps = Vec::new();
        match &self.robot {
            RobotStep::Keep { .. } => {}
            RobotStep::Adopt { id } => steps.push(format!("adopt robot {id}")),
            RobotStep::Create { name } => steps.push(format!("create robot {name:?}")),
        }
        if let TokenStep::Mint(reason) = self.token {
            steps.push(format!(
                "mint a new token into Secret {} ({reason})",
                self.secret
            ));
        }
        steps.extend(self.revoke_steps());
        steps.extend(self.pull_secret_step());
        steps.extend(self.access.iter().map(access_step));
        steps.extend(self.agent_step());
        steps.extend(self.space_record_step());
        steps
    }

    /// The steps that change neither the connection's recorded values (the
    /// robot, the token, the release) nor a grant the grants ask for:
    /// unused tokens revoked, the pull secret, RBAC objects no grant asks
    /// for, the Space record. A face that shows only those values and
    /// grants lists these on their own.
    pub fn unrecorded_steps(&self) -> Vec<String> {
        let mut steps = self.revoke_steps();
        steps.extend(self.pull_secret_step());
        steps.extend(
            self.access
                .iter()
                .filter(|drift| matches!(drift, AccessDrift::Unused(_)))
                .map(access_step),
        );
        steps.extend(self.space_record_step());
        steps
    }

    fn revoke_steps(&self) -> Vec<String> {
        self.revoke
            .iter()
            .map(|id| format!("revoke unused token {id}"))
            .collect()
    }

    fn pull_secret_step(&self) -> Option<String> {
        self.pull_secret
            .then(|| "write the pull secret (missing or outdated)".to_owned())
    }

    fn space_record_step(&self) -> Option<String> {
        self.space_record
            .then(|| "create the Space record".to_owned())
    }
}

/// An RBAC repair in words.
fn access_step(drift: &AccessDrift) -> String {
    match drift {
        AccessDrift::Missing(object) => format!("create {object}"),
        AccessDrift::Changed(object) => format!("repair {object} (changed out of band)"),
        AccessDrift::Unused(object) => format!("delete {object} (no longer granted)"),
    }
}

impl Plan {
    /// The agent step in words, when it changes something.
    fn agent_step(&self) -> Option<String> {
        match &self.agent {
            AgentStep::Keep => None,
            AgentStep::Install { version } => Some(format!("install the agent (chart {version})")),
            AgentStep::Upgrade { version, drift } => Some(format!(
                "upgrade the agent to chart {version} ({})",
                drift
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
    }
}

impl fmt::Display for Plan {
    /// One step per line; "nothing to change" when empty.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return formatter.write_str("nothing to change");
        }
        formatter.write_str(&self.steps().join("\n"))
    }
}

/// What connect will do to make `seen` match `spec`; refused when the Space
/// is connected in another place (nothing there is ours to touch).
pub fn plan(seen: &Observation, spec: &ConnectionSpec) -> Result<Plan, EngineError> {
    seen.refuse_elsewhere()?;
    let has = |wanted: &Drift| seen.drift.contains(wanted);
    let recorded_robot = seen
        .secret
        .as_ref()
        .and_then(|secret| secret.connection.as_ref())
        .and_then(|recorded| recorded.robot_id.as_deref());
    let robot = match &seen.robot {
        Some(robot) if Some(robot.id.as_str()) == recorded_robot => RobotStep::Keep {
            id: robot.id.clone(),
        },
        Some(robot) => RobotStep::Adopt {
            id: robot.id.clone(),
        },
        None => RobotStep::Create {
            name: spec.robot_name.clone(),
        },
    };
    let token = if matches!(robot, RobotStep::Create { .. }) {
        TokenStep::Mint(MintReason::NewRobot)
    } else if has(&Drift::SecretMissing) {
        TokenStep::Mint(MintReason::SecretMissing)
    } else if has(&Drift::SecretChanged) {
        TokenStep::Mint(MintReason::SecretChanged)
    } else if has(&Drift::TokenRevoked) {
        TokenStep::Mint(MintReason::TokenRevoked)
    } else if has(&Drift::RotationRequested) {
        TokenStep::Mint(MintReason::Rotation)
    } else if matches!(robot, RobotStep::Adopt { .. }) {
        TokenStep::Mint(MintReason::NewRobot)
    } else {
        TokenStep::Keep
    };
    let revoke = seen
        .drift
        .iter()
        .find_map(|drift| match drift {
            Drift::OrphanTokens(ids) => Some(ids.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let agent_chart = seen
        .agent_chart
        .clone()
        .filter(|_| spec.agent.is_some() && seen.drift.iter().any(Drift::is_agent));
    let agent = match &agent_chart {
        None => AgentStep::Keep,
        Some(chart) => {
            let version = chart.chart.metadata.version.clone();
            if has(&Drift::AgentMissing) {
                AgentStep::Install { version }
            } else {
                let drift = seen
                    .drift
                    .iter()
                    .filter_map(|drift| match drift {
                        Drift::Agent(drift) => Some(drift.clone()),
                        _ => None,
                    })
                    .collect();
                AgentStep::Upgrade { version, drift }
            }
        }
    };
    Ok(Plan {
        secret: format!("{}/{}", spec.namespace, spec.token_secret_name),
        robot,
        token,
        revoke,
        pull_secret: spec.license.is_some() && has(&Drift::PullSecretOutdated),
        access: seen.access.iter().map(AccessChange::drift).collect(),
        agent,
        space_record: spec.space_record == SpaceRecordMode::Engine
            && has(&Drift::SpaceRecordMissing),
        access_changes: seen.access.clone(),
        agent_chart,
    })
}

/// The values a face showed as known in an earlier plan (Terraform's saved
/// plan): connect refuses, before any change, a plan that would change one
/// of them, because the world moved since.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Promised {
    /// The robot's ID, if the earlier plan showed it.
    pub robot_id: Option<String>,
    /// The token's ID, if the earlier plan showed it.
    pub token_id: Option<String>,
    /// The release's revision, if the earlier plan showed it.
    pub release_revision: Option<u32>,
}

impl Plan {
    /// The first change of this plan (made from `seen`) to a value
    /// `promised` showed, in words; `None` when it keeps them all.
    pub fn breaks(&self, seen: &Observation, promised: &Promised) -> Option<String> {
        if let Some(promised) = &promised.robot_id {
            match &self.robot {
                RobotStep::Keep { id } | RobotStep::Adopt { id } if id == promised => {}
                RobotStep::Keep { id } | RobotStep::Adopt { id } => {
                    return Some(format!("use robot {id} instead of {promised}"));
                }
                RobotStep::Create { .. } => {
                    return Some(format!("create a new robot (robot {promised} is gone)"));
                }
            }
        }
        if let Some(promised) = &promised.token_id {
            if let TokenStep::Mint(reason) = self.token {
                return Some(format!("mint a new token ({reason})"));
            }
            if seen.connection.token_id.as_ref() != Some(promised) {
                let kept = seen.connection.token_id.as_deref().unwrap_or("-");
                return Some(format!("keep token {kept}, which replaced {promised}"));
            }
        }
        if let Some(promised) = promised.release_revision {
            if let Some(step) = self.agent_step() {
                return Some(step);
            }
            if seen.connection.release_revision != Some(promised) {
                let found = seen
                    .connection
                    .release_revision
                    .map_or("no".to_owned(), |revision| format!("revision {revision}"));
                return Some(format!(
                    "keep {found} of the agent release, not revision {promised}"
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{RbacKind, RbacRef, TokenSecret};
    use crate::engine::{Elsewhere, Place};
    use crate::secret::Secret;
    use crate::spec::{AgentInput, ConnectionInput};
    use crate::state::Connection;
    use crate::upbound::{Organization, Robot};

    /// The spec of the tables: Space `dev`, an agent from a local chart (any existing path)
    /// when `agent`, a licence when `license`.
    fn spec(agent: bool, license: bool) -> ConnectionSpec {
        ConnectionInput {
            space: "dev".to_owned(),
            organization: "acme".to_owned(),
            agent: agent.then(|| AgentInput {
                chart: Some(env!("CARGO_MANIFEST_DIR").to_owned()),
                ..AgentInput::default()
            }),
            license_json: license.then(|| Secret::new(r#"{"accessId":"a","token":"t"}"#)),
            space_record: SpaceRecordMode::Engine,
            ..ConnectionInput::default()
        }
        .validate()
        .expect("valid")
    }

    fn robot(id: &str) -> Robot {
        Robot {
            id: id.to_owned(),
            name: "dev".to_owned(),
            description: String::new(),
            token_ids: vec!["t1".to_owned()],
        }
    }

    /// A connection in place: robot `r1` recorded with token `t1`, release
    /// revision 3; then `change` alters it.
    fn seen(change: impl FnOnce(&mut Observation)) -> Observation {
        let recorded = Connection {
            organization: "acme".to_owned(),
            space: "dev".to_owned(),
            robot_id: Some("r1".to_owned()),
            token_id: Some("t1".to_owned()),
            release_revision: Some(3),
            ..Connection::default()
        };
        let mut seen = Observation {
            organization: Organization {
                id: 1,
                name: "acme".to_owned(),
                role: None,
            },
            connection: recorded.clone(),
            place: Place {
                cluster: "c1".to_owned(),
                namespace: "upbound-system".to_owned(),
            },
            robot: Some(robot("r1")),
            elsewhere: None,
            secret: Some(TokenSecret {
                connection: Some(recorded),
                token: None,
                resource_version: None,
            }),
            drift: Vec::new(),
            agent_chart: Some(Arc::new(AgentChart::of_version("1.2.0"))),
            access: Vec::new(),
        };
        change(&mut seen);
        seen
    }

    fn binding() -> RbacRef {
        RbacRef {
            kind: RbacKind::ClusterRoleBinding,
            namespace: None,
            name: "upbound-connect:upbound-system:view:abc".to_owned(),
        }
    }

    /// One row: what is seen, and the steps planned, in words.
    struct Case {
        name: &'static str,
        seen: Observation,
        spec: ConnectionSpec,
        robot: RobotStep,
        token: TokenStep,
        agent: AgentStep,
        steps: &'static [&'static str],
    }

    fn keep() -> RobotStep {
        RobotStep::Keep {
            id: "r1".to_owned(),
        }
    }

    #[test]
    fn every_step_kind_is_planned_from_what_is_seen() {
        let upgrade_drift = install::Drift::Values;
        let cases = [
            Case {
                name: "in place",
                seen: seen(|_| {}),
                spec: spec(true, true),
                robot: keep(),
                token: TokenStep::Keep,
                agent: AgentStep::Keep,
                steps: &[],
            },
            Case {
                name: "first connect",
                seen: seen(|seen| {
                    seen.robot = None;
                    seen.secret = None;
                    seen.drift = vec![
                        Drift::SecretMissing,
                        Drift::RobotMissing,
                        Drift::PullSecretOutdated,
                        Drift::AgentMissing,
                        Drift::SpaceRecordMissing,
                    ];
                }),
                spec: spec(true, true),
                robot: RobotStep::Create {
                    name: "dev".to_owned(),
                },
                token: TokenStep::Mint(MintReason::NewRobot),
                agent: AgentStep::Install {
                    version: "1.2.0".to_owned(),
                },
                steps: &[
                    "create robot \"dev\"",
                    "mint a new token into Secret upbound-system/connect-token (the robot has no token of this connection yet)",
                    "write the pull secret (missing or outdated)",
                    "install the agent (chart 1.2.0)",
                    "create the Space record",
                ],
            },
            Case {
                name: "an older robot adopted",
                seen: seen(|seen| {
                    seen.robot = Some(robot("r0"));
                    seen.drift = vec![Drift::TokenRevoked];
                }),
                spec: spec(false, false),
                robot: RobotStep::Adopt {
                    id: "r0".to_owned(),
                },
                token: TokenStep::Mint(MintReason::TokenRevoked),
                agent: AgentStep::Keep,
                steps: &[
                    "adopt robot r0",
                    "mint a new token into Secret upbound-system/connect-token (the recorded token was revoked)",
                ],
            },
            Case {
                name: "the Secret deleted: its robot found by name",
                seen: seen(|seen| {
                    seen.secret = None;
                    seen.drift = vec![Drift::SecretMissing];
                }),
                spec: spec(false, false),
                robot: RobotStep::Adopt {
                    id: "r1".to_owned(),
                },
                token: TokenStep::Mint(MintReason::SecretMissing),
                agent: AgentStep::Keep,
                steps: &[
                    "adopt robot r1",
                    "mint a new token into Secret upbound-system/connect-token (the token Secret is missing)",
                ],
            },
            Case {
                name: "the Secret changed",
                seen: seen(|seen| seen.drift = vec![Drift::SecretChanged]),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Mint(MintReason::SecretChanged),
                agent: AgentStep::Keep,
                steps: &[
                    "mint a new token into Secret upbound-system/connect-token (the token Secret does not hold the recorded token)",
                ],
            },
            Case {
                name: "the token revoked",
                seen: seen(|seen| seen.drift = vec![Drift::TokenRevoked]),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Mint(MintReason::TokenRevoked),
                agent: AgentStep::Keep,
                steps: &[
                    "mint a new token into Secret upbound-system/connect-token (the recorded token was revoked)",
                ],
            },
            Case {
                name: "a rotation",
                seen: seen(|seen| seen.drift = vec![Drift::RotationRequested]),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Mint(MintReason::Rotation),
                agent: AgentStep::Keep,
                steps: &[
                    "mint a new token into Secret upbound-system/connect-token (the token rotation trigger changed)",
                ],
            },
            Case {
                name: "unused tokens, the token kept",
                seen: seen(|seen| {
                    seen.drift = vec![Drift::OrphanTokens(vec!["t0".to_owned(), "t9".to_owned()])];
                }),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Keep,
                agent: AgentStep::Keep,
                steps: &["revoke unused token t0", "revoke unused token t9"],
            },
            Case {
                name: "the agent's values differ",
                seen: seen(|seen| seen.drift = vec![Drift::Agent(upgrade_drift.clone())]),
                spec: spec(true, false),
                robot: keep(),
                token: TokenStep::Keep,
                agent: AgentStep::Upgrade {
                    version: "1.2.0".to_owned(),
                    drift: vec![upgrade_drift.clone()],
                },
                steps: &["upgrade the agent to chart 1.2.0 (other values are installed)"],
            },
            Case {
                name: "agent drift with no agent asked for",
                seen: seen(|seen| seen.drift = vec![Drift::AgentMissing]),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Keep,
                agent: AgentStep::Keep,
                steps: &[],
            },
            Case {
                name: "pull secret drift with no licence",
                seen: seen(|seen| seen.drift = vec![Drift::PullSecretOutdated]),
                spec: spec(false, false),
                robot: keep(),
                token: TokenStep::Keep,
                agent: AgentStep::Keep,
                steps: &[],
            },
        ];
        for case in cases {
            let plan = plan(&case.seen, &case.spec).expect(case.name);
            assert_eq!(plan.robot, case.robot, "{}", case.name);
            assert_eq!(plan.token, case.token, "{}", case.name);
            assert_eq!(plan.agent, case.agent, "{}", case.name);
            assert_eq!(plan.steps(), case.steps, "{}", case.name);
            assert_eq!(plan.is_empty(), case.steps.is_empty(), "{}", case.name);
            let shown = plan.to_string();
            if case.steps.is_empty() {
                assert_eq!(shown, "nothing to change", "{}", case.name);
            } else {
                assert_eq!(shown, case.steps.join("\n"), "{}", case.name);
            }
        }
    }

    #[test]
    fn access_drift_is_planned_object_by_object() {
        let seen = seen(|seen| {
            seen.drift = vec![Drift::Access(AccessDrift::Missing(binding()))];
            seen.access = vec![AccessChange::Delete(
                crate::cluster::RbacObject::ClusterRoleBinding(
                    k8s_openapi::api::rbac::v1::ClusterRoleBinding {
                        metadata: kube::api::ObjectMeta {
                            name: Some(binding().name),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                ),
            )];
        });
        let plan = plan(&seen, &spec(false, false)).expect("plan");
        assert_eq!(plan.access, [AccessDrift::Unused(binding())]);
        let delete = format!("delete {} (no longer granted)", binding());
        assert_eq!(plan.steps(), std::slice::from_ref(&delete));
        assert_eq!(plan.unrecorded_steps(), [delete], "no grant shows it");
    }

    #[test]
    fn unrecorded_steps_are_those_no_id_release_or_grant_shows() {
        let seen = seen(|seen| {
            seen.drift = vec![
                Drift::RotationRequested,
                Drift::OrphanTokens(vec!["t0".to_owned()]),
                Drift::PullSecretOutdated,
                Drift::AgentMissing,
                Drift::SpaceRecordMissing,
            ];
        });
        let plan = plan(&seen, &spec(true, true)).expect("plan");
        assert_eq!(
            plan.unrecorded_steps(),
            [
                "revoke unused token t0",
                "write the pull secret (missing or outdated)",
                "create the Space record"
            ]
        );
        assert_eq!(plan.steps().len(), 5, "{plan}");
    }

    #[test]
    fn a_space_connected_elsewhere_is_refused() {
        let seen = seen(|seen| {
            seen.robot = None;
            seen.elsewhere = Some(Elsewhere {
                robot_id: "r7".to_owned(),
                place: None,
            });
        });
        assert!(matches!(
            plan(&seen, &spec(false, false)),
            Err(EngineError::SpaceConnectedElsewhere { .. })
        ));
    }

    #[test]
    fn a_plan_breaks_exactly_the_promises_it_would_change() {
        let promised = Promised {
            robot_id: Some("r1".to_owned()),
            token_id: Some("t1".to_owned()),
            release_revision: Some(3),
        };
        let breaks = |seen: Observation, spec: &ConnectionSpec, promised: &Promised| {
            plan(&seen, spec).expect("plan").breaks(&seen, promised)
        };
        let agent = spec(true, false);
        assert_eq!(breaks(seen(|_| {}), &agent, &promised), None);
        let secret_gone = || {
            seen(|seen| {
                seen.drift = vec![Drift::SecretChanged];
            })
        };
        assert_eq!(
            breaks(secret_gone(), &agent, &promised).as_deref(),
            Some("mint a new token (the token Secret does not hold the recorded token)")
        );
        let only_agent = Promised {
            release_revision: Some(3),
            ..Promised::default()
        };
        assert_eq!(breaks(secret_gone(), &agent, &only_agent), None);
        let robot_gone = seen(|seen| {
            seen.robot = None;
            seen.drift = vec![Drift::RobotMissing];
        });
        assert_eq!(
            breaks(robot_gone, &agent, &promised).as_deref(),
            Some("create a new robot (robot r1 is gone)")
        );
        let upgraded_elsewhere = seen(|seen| seen.connection.release_revision = Some(4));
        assert_eq!(
            breaks(upgraded_elsewhere, &agent, &promised).as_deref(),
            Some("keep revision 4 of the agent release, not revision 3")
        );
        let agent_drift = seen(|seen| seen.drift = vec![Drift::AgentMissing]);
        assert_eq!(
            breaks(agent_drift, &agent, &promised).as_deref(),
            Some("install the agent (chart 1.2.0)")
        );
        let rotated_elsewhere = seen(|seen| seen.connection.token_id = Some("t2".to_owned()));
        assert_eq!(
            breaks(rotated_elsewhere, &agent, &promised).as_deref(),
            Some("keep token t2, which replaced t1")
        );
    }
}
