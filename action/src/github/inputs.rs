//! The Action's inputs as the runner passes them: `INPUT_` + the name with
//! spaces as `_`, upper-cased, hyphens kept (`api-token` → `INPUT_API-TOKEN`),
//! trimmed as the toolkit's `getInput` does.

use std::path::PathBuf;

use upbound_connect::Secret;
use upbound_connect::spec::{
    AgentField, AgentInput, ConnectionInput, Field, FieldError, GrantInput, UpboundInput,
    parse_duration,
};

use crate::request::{ActionInput, Command, Request, kubeconfig_paths};

/// One input's value: trimmed, empty when not given.
pub fn input(name: &str) -> String {
    let variable = format!("INPUT_{}", name.replace(' ', "_").to_uppercase());
    std::env::var(variable)
        .map(|value| value.trim().to_owned())
        .unwrap_or_default()
}

/// One input's value, `None` when empty.
fn optional(name: &str) -> Option<String> {
    Some(input(name)).filter(|value| !value.is_empty())
}

/// A boolean input as the toolkit's `getBooleanInput` reads it (YAML 1.2
/// core: `true|True|TRUE|false|False|FALSE`, anything else refused). Empty
/// (not given, as when the binary runs without action.yml's defaults) is
/// `default`.
fn boolean<F>(name: &str, field: F, default: bool, problems: &mut Vec<FieldError<F>>) -> bool {
    match input(name).as_str() {
        "" => default,
        "true" | "True" | "TRUE" => true,
        "false" | "False" | "FALSE" => false,
        other => {
            problems.push(FieldError::new(
                field,
                format!("{other:?} is not a boolean"),
                "use true or false",
            ));
            default
        }
    }
}

/// The `access` input: a YAML list of `{subject, level, group}` grants.
/// Empty leaves Hub RBAC alone; `[]` removes every grant this tool made.
fn access(text: &str) -> Result<Option<Vec<GrantInput>>, FieldError> {
    if text.is_empty() {
        return Ok(None);
    }
    serde_saphyr::from_str(text).map(Some).map_err(|error| {
        FieldError::new(
            Field::Access,
            format!("is not a YAML list of grants: {error}"),
            "give one `{subject, level, group}` mapping per grant (`group` optional), e.g. \
`- {subject: upbound:user:alice, level: view}`, or `[]` to remove every grant",
        )
    })
}

/// Everything the Action was asked to do.
pub struct ActionInputs {
    /// The command (`mode`).
    pub command: Command,
    /// The connection and how to reach Upbound and the cluster.
    pub request: Request,
    /// Whether the post step disconnects what this run created.
    pub disconnect_on_exit: bool,
    /// Whether a disconnect may skip an unreachable cluster.
    pub cloud_only: bool,
    /// Problems with the inputs only the Action has.
    pub problems: Vec<FieldError<ActionInput>>,
}

/// Reads every input; `kubeconfig` is the file the `kubeconfig` input's
/// content was written to, if it was given.
pub fn read(kubeconfig: Kubeconfig) -> ActionInputs {
    let mut own = Vec::new();
    let command = match input("mode").as_str() {
        "" | "connect" => Command::Connect,
        "disconnect" => Command::Disconnect,
        "status" => Command::Status,
        other => {
            own.push(FieldError::new(
                ActionInput::Mode,
                format!("{other:?} is not a mode"),
                "use connect, disconnect or status",
            ));
            Command::Status
        }
    };
    let disconnect_on_exit = boolean(
        "disconnect-on-exit",
        ActionInput::DisconnectOnExit,
        false,
        &mut own,
    );
    let mut problems = Vec::new();
    let timeout = optional("timeout").and_then(|text| {
        parse_duration(Field::Agent(AgentField::Timeout), &text)
            .map_err(|error| problems.push(error))
            .ok()
    });
    let wait = boolean("wait", Field::Agent(AgentField::Wait), true, &mut problems);
    let cloud_only = boolean(
        "cloud-only-disconnect",
        Field::CloudOnly,
        false,
        &mut problems,
    );
    let skip_space_check = boolean(
        "skip-space-check",
        Field::SkipSpaceCheck,
        false,
        &mut problems,
    );
    let take_ownership = boolean(
        "take-ownership",
        Field::Agent(AgentField::TakeOwnership),
        false,
        &mut problems,
    );
    let atomic = boolean(
        "atomic",
        Field::Agent(AgentField::Atomic),
        false,
        &mut problems,
    );
    let access = access(&input("access")).unwrap_or_else(|error| {
        problems.push(error);
        None
    });
    let kubeconfig = match kubeconfig {
        Kubeconfig::File(path) => vec![path],
        Kubeconfig::Invalid(problem) => {
            problems.push(FieldError::new(
                Field::Kubeconfig,
                problem,
                "give the content of a kubeconfig file",
            ));
            Vec::new()
        }
        Kubeconfig::FromEnvironment => std::env::var("KUBECONFIG")
            .map(|list| kubeconfig_paths(&list))
            .unwrap_or_default(),
    };
    let request = Request {
        upbound: UpboundInput {
            endpoint: optional("api-endpoint"),
            token: optional("api-token").map(Secret::new),
            request_timeout: None,
        },
        connection: ConnectionInput {
            space: input("space"),
            organization: input("organization"),
            namespace: optional("namespace"),
            license_json: optional("license").map(Secret::new),
            registry: optional("registry"),
            token_rotation: optional("token-rotation"),
            skip_space_check,
            access,
            agent: Some(AgentInput {
                version: optional("agent-version"),
                values_yaml: optional("agent-values"),
                wait: Some(wait),
                timeout,
                take_ownership,
                atomic,
                ..AgentInput::default()
            }),
            ..ConnectionInput::default()
        },
        kubeconfig,
        context: optional("kube-context"),
        problems,
    };
    ActionInputs {
        command,
        request,
        disconnect_on_exit,
        cloud_only,
        problems: own,
    }
}

/// Where the cluster's kubeconfig comes from.
pub enum Kubeconfig {
    /// The file the `kubeconfig` input's content was written to.
    File(PathBuf),
    /// The input's content is no kubeconfig: why, without quoting it.
    Invalid(String),
    /// No input: `KUBECONFIG` or the default file.
    FromEnvironment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_is_a_yaml_list_of_grants() {
        let text = "- subject: upbound:user:alice\n  level: view\n- {subject: upbound:org-role:member, level: edit, group: team-a}\n";
        assert_eq!(
            access(text),
            Ok(Some(vec![
                GrantInput::new("upbound:user:alice", "view", None),
                GrantInput::new("upbound:org-role:member", "edit", Some("team-a")),
            ]))
        );
    }

    #[test]
    fn empty_access_leaves_hub_rbac_alone_and_an_empty_list_removes_all() {
        assert_eq!(access(""), Ok(None));
        assert_eq!(access("[]"), Ok(Some(Vec::new())));
    }

    #[test]
    fn access_that_is_not_a_list_of_grants_is_refused_on_access() {
        for bad in [
            "upbound:user:alice=view",
            "- subject: upbound:user:alice",
            "- {subject: upbound:user:alice, level: view, role: x}",
        ] {
            let error = access(bad).unwrap_err();
            assert_eq!(error.field, Field::Access, "{bad:?}");
            assert!(error.fix.contains("[]"), "{error:?}");
        }
    }
}
