//! The job summary: what the run created, kept and removed, and the IDs of
//! the connection, in Markdown. It is built from a [`Report`], which holds
//! no token.

use crate::report::{Change, Report};
use crate::request::Command;

/// The summary of a finished run.
pub fn success(report: &Report) -> String {
    let verb = match report.command {
        Command::Connect => "connected",
        Command::Disconnect => "disconnected",
        Command::Status | Command::Plan => "status",
    };
    let code = |value: Option<&str>| value.map_or("–".to_owned(), |value| format!("`{value}`"));
    let mut lines = vec![
        format!(
            "### Upbound Space `{}/{}`: {verb}",
            report.organization, report.space
        ),
        String::new(),
        "| | |".to_owned(),
        "|---|---|".to_owned(),
        format!("| Robot | {} |", code(report.robot_id.as_deref())),
        format!("| Token | {} |", code(report.token_id.as_deref())),
        format!("| Secret | `{}/{}` |", report.namespace, report.secret),
        format!(
            "| Agent version | {} |",
            code(report.agent_version.as_deref())
        ),
        format!("| Changed | {} |", report.changed),
        String::new(),
    ];
    for change in [
        Change::Created,
        Change::Written,
        Change::Kept,
        Change::Removed,
        Change::Skipped,
    ] {
        let objects: Vec<String> = report
            .events
            .iter()
            .filter(|event| event.change == change)
            .map(|event| match &event.id {
                Some(id) => format!("{} `{id}`", event.object),
                None => event.object.to_owned(),
            })
            .collect();
        if !objects.is_empty() {
            lines.push(format!("- **{change}**: {}", objects.join(", ")));
        }
    }
    if report.events.is_empty() && report.command != Command::Status {
        lines.push("- Nothing to change: the world already matched.".to_owned());
    }
    for drift in &report.drift {
        lines.push(format!("- **drift**: {drift}"));
    }
    for step in &report.plan {
        lines.push(format!("- **connect would**: {step}"));
    }
    lines.push(String::new());
    lines.push(format!("Engine time: {:.2} s", report.engine_seconds));
    lines.join("\n") + "\n"
}

/// The summary of a failed run; `message` never holds a secret (errors do
/// not carry one).
pub fn failure(title: &str, message: &str) -> String {
    format!("### Upbound Space connection failed\n\n**{title}**: {message}\n")
}
