//! The command line: `upbound-connect connect | disconnect | status | plan`,
//! with the Terraform provider's configuration names as environment
//! fallbacks (`UPBOUND_ENDPOINT`, `UPBOUND_TOKEN`, `UPBOUND_ORGANIZATION`,
//! `KUBECONFIG`), and the hidden `github-action main|post` the Action's shim
//! runs.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use upbound_connect::Secret;
use upbound_connect::spec::{
    AgentField, AgentInput, ConnectionInput, Field, FieldError, GrantInput, UpboundInput,
    parse_duration,
};

use crate::request::{Command, Request, kubeconfig_paths};

/// Connects a self-hosted Upbound Space to the Upbound Console.
#[derive(Parser, Debug)]
#[command(name = "upbound-connect", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: CliCommand,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Create the robot, its token and the token Secret, and install the agent.
    Connect(Target),
    /// Remove the agent, the token Secret, the tokens and the robot.
    Disconnect {
        /// The connection.
        #[command(flatten)]
        target: Target,
        /// If the cluster cannot be reached, still remove the robot and its
        /// tokens from Upbound (the Secret and the agent stay behind).
        #[arg(long)]
        cloud_only: bool,
    },
    /// Show the connection and how the world differs from it.
    Status(Target),
    /// Show what `connect` would change, changing nothing; exits 3 when it
    /// would change something, 0 when not.
    Plan(Target),
    /// Run as the GitHub Action's `main` or `post` step (used by action.yml).
    #[command(hide = true)]
    GithubAction {
        /// Which step.
        #[arg(value_enum)]
        stage: Stage,
    },
}

/// The Action's two steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Stage {
    /// The action's step.
    Main,
    /// The job's clean-up step.
    Post,
}

/// How the result is printed on stdout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object, for scripts.
    Json,
}

/// Which connection, and how to reach Upbound and the cluster.
#[derive(Args, Debug)]
pub struct Target {
    /// The Space's name in Upbound.
    #[arg(long)]
    space: Option<String>,
    /// The Upbound organization's account name.
    #[arg(long, env = "UPBOUND_ORGANIZATION")]
    organization: Option<String>,
    /// An Upbound personal access token or robot token.
    #[arg(long, env = "UPBOUND_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The Upbound API [default: https://api.upbound.io].
    #[arg(long, env = "UPBOUND_ENDPOINT")]
    endpoint: Option<String>,
    /// Kubeconfig files (`a:b` as in KUBECONFIG) [default: ~/.kube/config].
    #[arg(long, env = "KUBECONFIG")]
    kubeconfig: Option<String>,
    /// The kubeconfig context [default: the current context].
    #[arg(long)]
    context: Option<String>,
    /// The namespace of Spaces, the token Secret and the agent [default: upbound-system].
    #[arg(long)]
    namespace: Option<String>,
    /// The agent chart version.
    #[arg(long)]
    agent_version: Option<String>,
    /// A YAML file of extra values for the agent chart.
    #[arg(long, value_name = "FILE")]
    agent_values: Option<PathBuf>,
    /// The licence token.json: registry credentials for the chart and images.
    #[arg(long, value_name = "FILE")]
    license: Option<PathBuf>,
    /// The registry host of the chart and images (a mirror) [default: xpkg.upbound.io].
    #[arg(long)]
    registry: Option<String>,
    /// Wait for the agent to be ready [default: true].
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    wait: Option<bool>,
    /// How long the agent install may take, e.g. 300s or 5m [default: 5m].
    #[arg(long)]
    timeout: Option<String>,
    /// Change this value to mint a new token and revoke the old one.
    #[arg(long)]
    token_rotation: Option<String>,
    /// Grant Hub RBAC access to the Space's control planes: SUBJECT is
    /// upbound:user:<name>, upbound:robot:<name>, upbound:team:<uuid> or
    /// upbound:org-role:admin|member; LEVEL is view, edit or admin; GROUP
    /// limits the grant to one control-plane group (a namespace). Repeat
    /// for each grant: the connection then holds exactly these. Without
    /// --grant or --no-grants, Hub RBAC is left alone.
    #[arg(
        long = "grant",
        value_name = GRANT_FORM,
        value_parser = parse_grant,
        conflicts_with = "no_grants",
    )]
    grants: Vec<GrantInput>,
    /// Remove every Hub RBAC grant this tool made for the connection (with
    /// `disconnect` too: without it, disconnect keeps the grants).
    #[arg(long)]
    no_grants: bool,
    /// How the result is printed.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

/// How `--grant` is written.
const GRANT_FORM: &str = "SUBJECT=LEVEL[@GROUP]";

/// Parses `--grant SUBJECT=LEVEL[@GROUP]`; the subject and level are
/// judged with the rest of the inputs, by the spec.
fn parse_grant(text: &str) -> Result<GrantInput, String> {
    let form = || {
        format!(
            "expected {GRANT_FORM}, e.g. upbound:user:alice=view or upbound:team:<uuid>=edit@team-a"
        )
    };
    let (subject, rest) = text.split_once('=').ok_or_else(form)?;
    let (level, group) = match rest.split_once('@') {
        Some((level, group)) => (level, Some(group)),
        None => (rest, None),
    };
    if subject.is_empty() || level.is_empty() || group.is_some_and(str::is_empty) {
        return Err(form());
    }
    Ok(GrantInput {
        subject: subject.to_owned(),
        level: level.to_owned(),
        group: group.map(str::to_owned),
    })
}

/// What the process was started to do.
pub enum Invocation {
    /// A command for people: which, on what, and whether a disconnect may
    /// skip an unreachable cluster.
    Command(Command, Box<Target>, bool),
    /// A step of the GitHub Action.
    Action(Stage),
}

impl CliCommand {
    /// The command, its target and options, or the Action's step.
    pub fn invocation(self) -> Invocation {
        match self {
            Self::Connect(target) => Invocation::Command(Command::Connect, Box::new(target), false),
            Self::Disconnect { target, cloud_only } => {
                Invocation::Command(Command::Disconnect, Box::new(target), cloud_only)
            }
            Self::Status(target) => Invocation::Command(Command::Status, Box::new(target), false),
            Self::Plan(target) => Invocation::Command(Command::Plan, Box::new(target), false),
            Self::GithubAction { stage } => Invocation::Action(stage),
        }
    }
}

impl Target {
    /// The request these flags make; unreadable files and malformed values
    /// are kept as problems, reported with the rest.
    pub fn request(self) -> Request {
        let mut problems = Vec::new();
        let mut read = |field: Field, path: Option<&Path>| {
            let path = path?;
            std::fs::read_to_string(path)
                .map_err(|error| {
                    problems.push(FieldError::new(
                        field,
                        format!("{:?} cannot be read: {error}", path.display().to_string()),
                        "give the path of a readable file",
                    ));
                })
                .ok()
        };
        let values_yaml = read(
            Field::Agent(AgentField::Values),
            self.agent_values.as_deref(),
        );
        let license = read(Field::License, self.license.as_deref());
        let timeout = self.timeout.and_then(|text| {
            parse_duration(Field::Agent(AgentField::Timeout), &text)
                .map_err(|error| problems.push(error))
                .ok()
        });
        Request {
            upbound: UpboundInput {
                endpoint: self.endpoint,
                token: self.token.map(Secret::new),
                request_timeout: None,
            },
            connection: ConnectionInput {
                space: self.space.unwrap_or_default(),
                organization: self.organization.unwrap_or_default(),
                namespace: self.namespace,
                license_json: license.map(Secret::new),
                registry: self.registry,
                token_rotation: self.token_rotation,
                access: (self.no_grants || !self.grants.is_empty()).then_some(self.grants),
                agent: Some(AgentInput {
                    version: self.agent_version,
                    values_yaml,
                    wait: self.wait,
                    timeout,
                    ..AgentInput::default()
                }),
                ..ConnectionInput::default()
            },
            kubeconfig: self
                .kubeconfig
                .as_deref()
                .map(kubeconfig_paths)
                .unwrap_or_default(),
            context: self.context,
            problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The connection `args` (after `connect`) ask for.
    fn connection(args: &[&str]) -> Result<ConnectionInput, clap::Error> {
        let cli = Cli::try_parse_from(["upbound-connect", "connect"].iter().chain(args))?;
        let CliCommand::Connect(target) = cli.command else {
            panic!("connect parses as connect");
        };
        Ok(target.request().connection)
    }

    #[test]
    fn grants_repeat_in_order_and_take_an_optional_group() {
        let team = "upbound:team:8f2b1c3e-4d5a-4b6c-9d7e-0f1a2b3c4d5e";
        let access = connection(&[
            "--grant",
            "upbound:user:alice=view",
            "--grant",
            &format!("{team}=edit@team-a"),
        ])
        .unwrap()
        .access;
        assert_eq!(
            access,
            Some(vec![
                GrantInput::new("upbound:user:alice", "view", None),
                GrantInput::new(team, "edit", Some("team-a")),
            ])
        );
    }

    #[test]
    fn no_grant_flag_leaves_hub_rbac_alone_and_no_grants_removes_all() {
        assert_eq!(connection(&[]).unwrap().access, None);
        assert_eq!(
            connection(&["--no-grants"]).unwrap().access,
            Some(Vec::new())
        );
    }

    #[test]
    fn a_malformed_grant_is_a_usage_error_naming_the_flag_and_form() {
        for bad in [
            "upbound:user:alice",
            "=view",
            "upbound:user:alice=",
            "upbound:user:alice=view@",
        ] {
            let error = connection(&["--grant", bad]).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{bad:?}");
            let message = error.to_string();
            assert!(message.contains("--grant"), "{message}");
            assert!(message.contains(GRANT_FORM), "{message}");
        }
    }

    #[test]
    fn grant_and_no_grants_exclude_each_other() {
        let error = connection(&["--grant", "upbound:user:alice=view", "--no-grants"]).unwrap_err();
        assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert_eq!(error.exit_code(), 2);
    }
}
