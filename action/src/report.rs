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

/// The change a step made, if it made one.
pub fn event(step: &Step) -> Option<Event> {
    let (change, object, id) = match step {
        Step::Observing | Step::Locking | Step::WaitingForLease(_) | Step::AgentWaiting { .. } => {
            return None;
        }
        Step::RobotCreated { id, .. } => (Change::Created, "robot", Some(id.clone())),
        Step::RobotAdopted { id } => (Change::Kept, "robot (adopted)", Some(id.clone())),
        Step::RobotKept { id } => (Change::Kept, "robot", Some(id.clone())),
        Step::TokenMinted { id, .. } => (Change::Created, "token", Some(id.clone())),
        Step::TokenRevoked { id } => (Change::Removed, "token", Some(id.clone())),
        Step::SecretDeleted => (Change::Removed, "token Secret", None),
        Step::PullSecretWritten => (Change::Created, "pull secret", None),
        Step::PullSecretDeleted => (Change::Removed, "pull secret", None),
        Step::RobotDeleted { id } => (Change::Removed, "robot", Some(id.clone())),
        Step::AgentInstalled { revision, version } => (
            Change::Created,
            "agent release",
            Some(format!("revision {revision} (chart {version})")),
        ),
        Step::AgentUninstalled { revision } => (
            Change::Removed,
            "agent release",
            Some(format!("revision {revision}")),
        ),
        Step::SpaceRecordCreated => (Change::Created, "Space record", None),
        Step::SpaceRecordDeleted => (Change::Removed, "Space record", None),
        Step::AccessApplied { object } => (Change::Created, "Hub RBAC", Some(object.to_string())),
        Step::AccessRemoved { object } => (Change::Removed, "Hub RBAC", Some(object.to_string())),
        Step::ClusterSkipped => (Change::Skipped, "cluster (unreachable)", None),
        Step::LeftElsewhere(elsewhere) => (
            Change::Skipped,
            "robot (the Space is connected elsewhere)",
            Some(elsewhere.to_string()),
        ),
    };
    Some(Event { change, object, id })
}

impl Report {
    /// The report for people: one fact per line.
    pub fn text(&self) -> String {
        let mut lines = vec![
            format!("connection  {}/{}", self.organization, self.space),
            format!("secret      {}/{}", self.namespace, self.secret),
            format!("robot       {}", self.robot_id.as_deref().unwrap_or("-")),
            format!("token       {}", self.token_id.as_deref().unwrap_or("-")),
            format!(
                "agent       {}",
                self.agent_version.as_deref().unwrap_or("-")
            ),
            format!("changed     {}", self.changed),
        ];
        lines.extend(self.events.iter().map(|event| format!("  {event}")));
        if self.command == Command::Status {
            lines.extend(self.drift.iter().map(|drift| format!("drift: {drift}")));
        }
        lines.extend(
            self.plan
                .iter()
                .map(|step| format!("connect would: {step}")),
        );
        if matches!(self.command, Command::Status | Command::Plan) && self.plan.is_empty() {
            lines.push("in place: connect would change nothing".to_owned());
        }
        lines.join("\n")
    }
}
