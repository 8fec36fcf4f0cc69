//! The command line: `upbound-connect connect | disconnect | status | plan`,
//! with the Terraform provider's configuration names as environment
//! fallbacks (`UPBOUND_ENDPOINT`, `UPBOUND_TOKEN`, `UPBOUND_ORGANIZATION`,
//! `KUBECONFIG`), and the hidden `github-action main|post` the Action's shim
//! runs.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use upbound_connect::Secret;
use upbound_connect::spec::{AgentInput, ConnectionInput, UpboundInput};

use crate::request::{self, Command, Request, kubeconfig_paths, problem};

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
    /// Show what `connect` would change, changing nothing.
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
    /// How the result is printed.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
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
        let mut read = |field: &'static str, path: Option<&Path>| {
            let path = path?;
            std::fs::read_to_string(path)
                .map_err(|error| {
                    problems.push(problem(
                        field,
                        format!("cannot read {}: {error}", path.display()),
                        "give the path of a readable file",
                    ));
                })
                .ok()
        };
        let values_yaml = read("agent.values", self.agent_values.as_deref());
        let license = read("license", self.license.as_deref());
        let timeout = self.timeout.and_then(|text| {
            let parsed = request::parse_duration(&text);
            if parsed.is_none() {
                problems.push(problem(
                    "agent.timeout",
                    format!("{text:?} is not a duration"),
                    "give seconds or a duration such as 300s, 5m or 1h",
                ));
            }
            parsed
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
