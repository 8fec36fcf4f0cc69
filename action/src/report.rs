//! What a run did or found, in words both faces print: the changes made
//! (from the engine's progress steps), the drift seen, the IDs recorded.
//! Nothing here holds a token.

use std::fmt;

use serde::Serialize;
use upbound_connect::engine::Step;

use crate::request::Command;

/// The result of one run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What was asked.
    pub command: Command,
    /// The organization's account name.
    pub organization: String,
    /// The Space's name.
    pub space: String,
    /// The namespace of the token Secret and the agent.
    pub namespace: String,
    /// The token Secret's name.
    pub secret: String,
    /// The robot's ID, when one exists.
    pub robot_id: Option<String>,
    /// The ID of the token in the Secret, when one exists.
    pub token_id: Option<String>,
    /// The agent chart version installed (or, when the release is not as
    /// asked, the version the connection asks for).
    pub agent_version: Option<String>,
    /// The revision of Helm release `agent`, when it is installed.
    pub release_revision: Option<u32>,
    /// Whether anything was changed.
    pub changed: bool,
    /// What the run created, kept and removed, in order.
    pub events: Vec<Event>,
    /// How the world differs from the connection (status and plan).
    pub drift: Vec<String>,
    /// What connect would do, one step per line (status and plan; empty:
    /// nothing).
    pub plan: Vec<String>,
    /// Seconds the engine took (clients, Upbound and the cluster).
    pub engine_seconds: f64,
}

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// It was made.
    Created,
    /// It was written: made, or replaced with new content.
    Written,
    /// It was there and was kept (or taken over).
    Kept,
    /// It was deleted or revoked.
    Removed,
    /// It could not be reached and was left alone.
    Skipped,
}

impl fmt::Display for Change {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Created => "created",
            Self::Written => "written",
            Self::Kept => "kept",
            Self::Removed => "removed",
            Self::Skipped => "skipped",
        })
    }
}

/// One change to one object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What happened.
    pub change: Change,
    /// The object: `robot`, `token`, `token Secret`, …
    pub object: &'static str,
    /// Its ID, when it has one.
    pub id: Option<String>,
}

impl fmt::Display for Event {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.change, self.object)?;
        match &self.id {
            Some(id) => write!(formatter, " {id}"),
            None => Ok(()),
        }
    }
}

/// A phase of a run (a step that changes nothing), as a progress label.
pub fn phase(step: &Step) -> Option<String> {
    match step {
        Step::Observing => Some("observing Upbound and the cluster".to_owned()),
        Step::Locking => Some("taking the connection's Lease".to_owned()),
        Step::WaitingForLease(holder) => Some(match &holder.until {
            Some(until) => format!(
                "waiting for the connection's Lease, held by {} until {until} unless renewed",
                holder.identity
            ),
            None => format!(
                "waiting for the connection's Lease, held by {}",
                holder.identity
            ),
        }),
        Step::AgentWaiting { object, waited } => Some(format!(
            "installing the agent: waiting for {object} to be ready ({} s so far)",
            waited.as_secs()
        )),
        _ => None,
    }
}

/// The changes a step made (none for a step that changes nothing).
pub fn events(step: &Step) -> Vec<Event> {
    let event = |change, object, id: Option<String>| Event { change, object, id };
    let one = match step {
        Step::Observing | Step::Locking | Step::WaitingForLease(_) | Step::AgentWaiting { .. } => {
            return Vec::new();
        }
        Step::RobotCreated { id, .. } => event(Change::Created, "robot", Some(id.clone())),
        Step::RobotAdopted { id } => event(Change::Kept, "robot (adopted)", Some(id.clone())),
        Step::RobotKept { id } => event(Change::Kept, "robot", Some(id.clone())),
        // The token is stored in the Secret before the step is told.
        Step::TokenMinted { id, .. } => {
            return vec![
                event(Change::Created, "token", Some(id.clone())),
                event(Change::Written, "token Secret", None),
            ];
        }
        Step::TokenRevoked { id } => event(Change::Removed, "token", Some(id.clone())),
        Step::SecretDeleted => event(Change::Removed, "token Secret", None),
        Step::PullSecretWritten => event(Change::Written, "pull secret", None),
        Step::PullSecretDeleted => event(Change::Removed, "pull secret", None),
        Step::RobotDeleted { id } => event(Change::Removed, "robot", Some(id.clone())),
        Step::AgentInstalled { revision, version } => event(
            Change::Created,
            "agent release",
            Some(format!("revision {revision} (chart {version})")),
        ),
        Step::AgentUninstalled { revision } => event(
            Change::Removed,
            "agent release",
            Some(format!("revision {revision}")),
        ),
        Step::SpaceRecordCreated => event(Change::Created, "Space record", None),
        Step::SpaceRecordDeleted => event(Change::Removed, "Space record", None),
        Step::AccessApplied { object } => {
            event(Change::Written, "Hub RBAC", Some(object.to_string()))
        }
        Step::AccessRemoved { object } => {
            event(Change::Removed, "Hub RBAC", Some(object.to_string()))
        }
        Step::ClusterSkipped => event(Change::Skipped, "cluster (unreachable)", None),
        Step::LeftElsewhere(elsewhere) => event(
            Change::Skipped,
            "robot (the Space is connected elsewhere)",
            Some(elsewhere.to_string()),
        ),
    };
    vec![one]
}

impl Report {
    /// The report for people: the connection, then what became of each
    /// object (connect and disconnect) or how the world differs and what
    /// connect would do (status and plan). `grants_kept` is said after a
    /// disconnect that left Hub RBAC alone, in the face's words.
    pub fn text(&self, grants_kept: &str) -> String {
        let mut lines = vec![format!(
            "connection    {}/{} in namespace {}",
            self.organization, self.space, self.namespace
        )];
        match self.command {
            Command::Connect => self.connect_lines(&mut lines),
            Command::Disconnect => self.disconnect_lines(&mut lines, grants_kept),
            Command::Status | Command::Plan => {
                self.state_lines(&mut lines);
                if self.command == Command::Status {
                    lines.extend(
                        self.drift
                            .iter()
                            .map(|drift| format!("drift         {drift}")),
                    );
                }
                lines.extend(self.plan.iter().map(|step| format!("connect would {step}")));
                if self.plan.is_empty() {
                    lines.push("in place      connect would change nothing".to_owned());
                }
            }
        }
        lines.push(format!("changed       {}", self.changed));
        lines.join("\n")
    }

    /// The events about `object`, as `change id` phrases.
    fn about(&self, object: &str) -> Vec<String> {
        self.events
            .iter()
            .filter(|event| {
                event.object == object || event.object.starts_with(&format!("{object} ("))
            })
            .map(|event| match &event.id {
                Some(id) => format!("{} {id}", event.change),
                None => event.change.to_string(),
            })
            .collect()
    }

    /// One row: the object's events, or `otherwise` when nothing happened.
    fn row(&self, lines: &mut Vec<String>, object: &str, otherwise: Option<String>) {
        let about = self.about(object);
        let text = if about.is_empty() {
            match otherwise {
                Some(text) => text,
                None => return,
            }
        } else {
            about.join(", ")
        };
        lines.push(format!("{object:<13} {text}"));
    }

    fn connect_lines(&self, lines: &mut Vec<String>) {
        let kept = |id: &Option<String>| id.as_ref().map(|id| format!("kept {id}"));
        self.row(lines, "robot", kept(&self.robot_id));
        self.row(lines, "token", kept(&self.token_id));
        self.row(
            lines,
            "token Secret",
            Some(format!("kept {}/{}", self.namespace, self.secret)),
        );
        self.row(lines, "pull secret", None);
        self.row(
            lines,
            "agent release",
            self.agent_version
                .as_ref()
                .map(|version| format!("kept (chart {version})")),
        );
        self.row(lines, "Hub RBAC", None);
        self.row(lines, "Space record", None);
        self.row(lines, "cluster", None);
    }

    fn disconnect_lines(&self, lines: &mut Vec<String>, grants_kept: &str) {
        let none = || Some("none found".to_owned());
        self.row(lines, "robot", none());
        self.row(lines, "token", none());
        self.row(lines, "token Secret", none());
        self.row(lines, "pull secret", None);
        self.row(lines, "agent release", none());
        self.row(lines, "Hub RBAC", Some(grants_kept.to_owned()));
        self.row(lines, "Space record", None);
        self.row(lines, "cluster", None);
    }

    fn state_lines(&self, lines: &mut Vec<String>) {
        let or_none = |value: &Option<String>| value.as_deref().unwrap_or("none").to_owned();
        lines.push(format!("robot         {}", or_none(&self.robot_id)));
        lines.push(format!("token         {}", or_none(&self.token_id)));
        lines.push(format!("token Secret  {}/{}", self.namespace, self.secret));
        lines.push(format!("agent         {}", or_none(&self.agent_version)));
    }
}
