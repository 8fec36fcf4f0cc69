//! The command line: `upbound-connect connect | disconnect | status | plan`,
//! each with its own flags, the Terraform provider's configuration names as
//! environment fallbacks (`UPBOUND_ENDPOINT`, `UPBOUND_TOKEN`,
//! `UPBOUND_ORGANIZATION`, `KUBECONFIG`), `completion` and `man` for the
//! shell, and the hidden `github-action main|post` the Action's shim runs.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};
use upbound_connect::Secret;
use upbound_connect::spec::{
    AgentField, AgentInput, ConnectionInput, Field, FieldError, GrantInput, UpboundInput,
    parse_duration,
};

use crate::request::{Command, Request, kubeconfig_paths};

/// What `--help` says after the commands: the exit statuses, one table for
/// every command (the `failure` module's).
const EXIT_STATUS: &str = "\
Exit status:
  0  success (plan: connect would change nothing)
  1  failure at runtime (Upbound, the cluster, the agent)
  2  input rejected before any change (the input is at fault, wherever it was found)
  3  plan only: connect would change something

With --output json, a failure prints one JSON object on stdout: error, field,
fix, changed, problems. Messages for people go to stderr.";

/// Connect a self-hosted Upbound Space to the Upbound Console.
#[derive(Parser, Debug)]
#[command(
    name = "upbound-connect",
    version,
    about = "Connect a self-hosted Upbound Space to the Upbound Console",
    long_about = "Connect a self-hosted Upbound Space to the Upbound Console: an Upbound robot and its \
token, the token in the Secret connect-token, and the Connect agent installed with Helm's behaviour. \
Every command is idempotent: a second connect changes nothing, a disconnect undoes it.",
    after_help = EXIT_STATUS
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: CliCommand,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum CliCommand {
    /// Connect the Space: robot, token, token Secret and agent (changes only what differs).
    #[command(after_help = CONNECT_EXAMPLES)]
    Connect(ConnectArgs),
    /// Disconnect the Space: remove the agent, the token Secret, the tokens and the robot.
    #[command(after_help = DISCONNECT_EXAMPLES)]
    Disconnect(DisconnectArgs),
    /// Show the connection and how the world differs from it; changes nothing.
    #[command(after_help = STATUS_EXAMPLES)]
    Status(StatusArgs),
    /// Show what `connect` would change, changing nothing; exits 3 when it would change something.
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(ConnectArgs),
    /// Print the shell completion script for SHELL on stdout.
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout.
    #[command(
        after_help = "Example:\n  upbound-connect man > upbound-connect.1 && man ./upbound-connect.1"
    )]
    Man,
    /// Run as the GitHub Action's `main` or `post` step (used by action.yml).
    #[command(hide = true)]
    GithubAction {
        /// Which step.
        #[arg(value_enum)]
        stage: Stage,
    },
}

const CONNECT_EXAMPLES: &str = "\
Examples:
  export UPBOUND_TOKEN=...            # or --token-file FILE, or --token - to read stdin
  upbound-connect connect --space dev --organization acme --license token.json
  upbound-connect connect --space dev --organization acme --license token.json \\
    --grant upbound:user:alice=view --grant upbound:org-role:member=edit@team-a
  upbound-connect connect --space dev --organization acme --agent-version 0.0.0-441.g68777b9 \\
    --agent-values values.yaml --timeout 10m --output json";

const DISCONNECT_EXAMPLES: &str = "\
Examples:
  upbound-connect disconnect --space dev --organization acme
  upbound-connect disconnect --space dev --organization acme --no-grants
  upbound-connect disconnect --space dev --organization acme --cloud-only   # the cluster is gone";

const STATUS_EXAMPLES: &str = "\
Examples:
  upbound-connect status --space dev --organization acme
  upbound-connect status --space dev --organization acme --output json";

const PLAN_EXAMPLES: &str = "\
Examples:
  upbound-connect plan --space dev --organization acme --license token.json
  upbound-connect plan --space dev --organization acme --agent-version 0.0.0-441.g68777b9; echo $?";

const COMPLETION_EXAMPLES: &str = "\
Examples:
  upbound-connect completion bash > /etc/bash_completion.d/upbound-connect
  upbound-connect completion zsh > \"${fpath[1]}/_upbound-connect\"
  upbound-connect completion fish > ~/.config/fish/completions/upbound-connect.fish";

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

/// Which connection, and how to reach Upbound and the cluster: every
/// command's flags.
#[derive(Args, Debug)]
pub struct Target {
    /// The Space's name in Upbound.
    #[arg(long, value_name = "NAME")]
    space: String,
    /// The Upbound organization's account name.
    #[arg(long, env = "UPBOUND_ORGANIZATION", value_name = "NAME")]
    organization: String,
    /// The Upbound token, `-` to read it from stdin [default: $UPBOUND_TOKEN]. A value given
    /// here shows in the process list and shell history: prefer UPBOUND_TOKEN, --token-file or -.
    #[arg(long, value_name = "-|TOKEN", conflicts_with = "token_file")]
    token: Option<String>,
    /// A file holding the Upbound token (a personal access token or robot token).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The Upbound API [default: https://api.upbound.io].
    #[arg(long, env = "UPBOUND_ENDPOINT", value_name = "URL")]
    endpoint: Option<String>,
    /// Kubeconfig files (`a:b` as in KUBECONFIG) [default: ~/.kube/config].
    #[arg(long, env = "KUBECONFIG", value_name = "FILES")]
    kubeconfig: Option<String>,
    /// The kubeconfig context [default: the current context].
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// The namespace of Spaces, the token Secret and the agent [default: upbound-system].
    #[arg(long, value_name = "NAME")]
    namespace: Option<String>,
    /// Skip the check that Upbound Spaces is installed in the namespace for the organization
    /// (its ConfigMap spaces-config).
    #[arg(long)]
    skip_space_check: bool,
    /// How the result (or the failure) is printed on stdout.
    #[arg(long, value_enum, default_value_t)]
    pub output: Output,
}

/// `connect` and `plan`: the connection as it should be.
#[derive(Args, Debug)]
pub struct ConnectArgs {
    /// The connection.
    #[command(flatten)]
    pub target: Target,
    /// The agent chart version [default: the version this release was tested with].
    #[arg(long, value_name = "VERSION")]
    agent_version: Option<String>,
    /// A YAML file of extra values for the agent chart.
    #[arg(long, value_name = "FILE")]
    agent_values: Option<PathBuf>,
    /// The licence token.json: registry credentials for the chart and images.
    #[arg(long, value_name = "FILE")]
    license: Option<PathBuf>,
    /// The registry host of the chart and images (a mirror) [default: xpkg.upbound.io].
    #[arg(long, value_name = "HOST")]
    registry: Option<String>,
    /// Wait for the agent to be ready [default: true].
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    wait: Option<bool>,
    /// How long the agent install may take, as Go and Helm write durations (300s, 5m, 1h30m)
    /// [default: 5m].
    #[arg(long, value_name = "DURATION")]
    timeout: Option<String>,
    /// Take over objects and fields another Helm release or field manager owns, as
    /// `helm --take-ownership` does [default: refuse them].
    #[arg(long)]
    take_ownership: bool,
    /// Roll a failed agent upgrade back to the last successful revision (uninstall a failed
    /// first install), as `helm --atomic` does; implies --wait [default: leave it failed].
    #[arg(long)]
    atomic: bool,
    /// Change this value to mint a new token and revoke the old one.
    #[arg(long, value_name = "VALUE")]
    token_rotation: Option<String>,
    /// Grant Hub RBAC access to the Space's control planes: SUBJECT is
    /// upbound:user:<name>, upbound:robot:<name>, upbound:team:<uuid or name> or
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
    /// Remove every Hub RBAC grant this tool made for the connection.
    #[arg(long)]
    no_grants: bool,
}

/// `disconnect`: which connection, and how far to go.
#[derive(Args, Debug)]
pub struct DisconnectArgs {
    /// The connection.
    #[command(flatten)]
    pub target: Target,
    /// If the cluster cannot be reached, still remove the robot and its
    /// tokens from Upbound (the Secret and the agent stay behind).
    #[arg(long)]
    cloud_only: bool,
    /// Remove the Hub RBAC grants this tool made too (without it, disconnect keeps them).
    #[arg(long)]
    no_grants: bool,
    /// How long the agent uninstall may take, as Go and Helm write durations [default: 5m].
    #[arg(long, value_name = "DURATION")]
    timeout: Option<String>,
}

/// `status`: which connection.
#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The connection.
    #[command(flatten)]
    pub target: Target,
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

/// One run a person asked for.
pub struct Invocation {
    /// The command.
    pub command: Command,
    /// The request its flags make.
    pub request: Request,
    /// How to print the result.
    pub output: Output,
    /// Whether a disconnect may skip an unreachable cluster.
    pub cloud_only: bool,
    /// Whether the run removes (or already leaves no) Hub RBAC grants.
    pub removes_grants: bool,
}

/// What the process was started to do.
pub enum Started {
    /// A command for people.
    Command(Box<Invocation>),
    /// Print a shell's completion script.
    Completion(clap_complete::Shell),
    /// Print the manual page.
    Man,
    /// A step of the GitHub Action.
    Action(Stage),
}

impl CliCommand {
    /// What to do: a command with its request, or something to print.
    pub fn started(self) -> Started {
        let invocation = |command, request, output, cloud_only, removes_grants| {
            Started::Command(Box::new(Invocation {
                command,
                request,
                output,
                cloud_only,
                removes_grants,
            }))
        };
        match self {
            Self::Connect(args) => {
                let (output, removes) = (args.target.output, args.no_grants);
                invocation(Command::Connect, args.request(), output, false, removes)
            }
            Self::Plan(args) => {
                let (output, removes) = (args.target.output, args.no_grants);
                invocation(Command::Plan, args.request(), output, false, removes)
            }
            Self::Disconnect(args) => {
                let output = args.target.output;
                let (cloud_only, removes) = (args.cloud_only, args.no_grants);
                invocation(
                    Command::Disconnect,
                    args.request(),
                    output,
                    cloud_only,
                    removes,
                )
            }
            Self::Status(args) => {
                let output = args.target.output;
                invocation(Command::Status, args.target.request(), output, false, false)
            }
            Self::Completion { shell } => Started::Completion(shell),
            Self::Man => Started::Man,
            Self::GithubAction { stage } => Started::Action(stage),
        }
    }
}

impl Target {
    /// The request these flags make, leaving the agent and Hub RBAC alone
    /// (what `status` reads); unreadable files and malformed values are
    /// kept as problems, reported with the rest.
    fn request(self) -> Request {
        let mut problems = Vec::new();
        let token = self.token(&mut problems);
        Request {
            upbound: UpboundInput {
                endpoint: self.endpoint,
                token,
                request_timeout: None,
            },
            connection: ConnectionInput {
                space: self.space,
                organization: self.organization,
                namespace: self.namespace,
                skip_space_check: self.skip_space_check,
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

    /// The token from `--token -` (stdin), `--token-file`, `--token` (with
    /// a warning: it shows in `ps`) or `UPBOUND_TOKEN`.
    fn token(&self, problems: &mut Vec<FieldError>) -> Option<Secret> {
        let unreadable = |what: String, error: std::io::Error| {
            FieldError::new(
                Field::Token,
                format!("cannot be read from {what}: {error}"),
                "give a readable file, or set UPBOUND_TOKEN",
            )
        };
        match (self.token.as_deref(), &self.token_file) {
            (Some("-"), _) => {
                let mut token = String::new();
                match std::io::stdin().read_to_string(&mut token) {
                    Ok(_) => Some(Secret::new(token)),
                    Err(error) => {
                        problems.push(unreadable("stdin".to_owned(), error));
                        None
                    }
                }
            }
            (Some(token), _) => {
                eprintln!(
                    "upbound-connect: warning: a token given as --token VALUE shows in the process list and shell history; use UPBOUND_TOKEN, --token-file FILE or --token - (stdin)"
                );
                Some(Secret::new(token))
            }
            (None, Some(path)) => match std::fs::read_to_string(path) {
                Ok(token) => Some(Secret::new(token)),
                Err(error) => {
                    problems.push(unreadable(
                        format!("{:?}", path.display().to_string()),
                        error,
                    ));
                    None
                }
            },
            (None, None) => std::env::var("UPBOUND_TOKEN").ok().map(Secret::new),
        }
    }
}

/// A file's content, or a problem on `field`.
fn read_file(field: Field, path: Option<&Path>, problems: &mut Vec<FieldError>) -> Option<String> {
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
}

/// `--timeout` as a duration, or a problem.
fn timeout(text: Option<&str>, problems: &mut Vec<FieldError>) -> Option<std::time::Duration> {
    parse_duration(Field::Agent(AgentField::Timeout), text?)
        .map_err(|error| problems.push(error))
        .ok()
}

impl ConnectArgs {
    /// The request these flags make.
    fn request(self) -> Request {
        let mut request = self.target.request();
        let problems = &mut request.problems;
        let values_yaml = read_file(
            Field::Agent(AgentField::Values),
            self.agent_values.as_deref(),
            problems,
        );
        let license = read_file(Field::License, self.license.as_deref(), problems);
        let timeout = timeout(self.timeout.as_deref(), problems);
        let connection = &mut request.connection;
        connection.license_json = license.map(Secret::new);
        connection.registry = self.registry;
        connection.token_rotation = self.token_rotation;
        connection.access = (self.no_grants || !self.grants.is_empty()).then_some(self.grants);
        connection.agent = Some(AgentInput {
            version: self.agent_version,
            values_yaml,
            wait: self.wait,
            timeout,
            take_ownership: self.take_ownership,
            atomic: self.atomic,
            ..AgentInput::default()
        });
        request
    }
}

impl DisconnectArgs {
    /// The request these flags make: the agent is uninstalled (within
    /// `--timeout`), grants removed only with `--no-grants`.
    fn request(self) -> Request {
        let mut request = self.target.request();
        let timeout = timeout(self.timeout.as_deref(), &mut request.problems);
        request.connection.access = self.no_grants.then(Vec::new);
        request.connection.agent = Some(AgentInput {
            timeout,
            ..AgentInput::default()
        });
        request
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    /// The connection `args` (after `connect`) ask for.
    fn connection(args: &[&str]) -> Result<ConnectionInput, clap::Error> {
        let base = [
            "upbound-connect",
            "connect",
            "--space",
            "dev",
            "--organization",
            "acme",
        ];
        let cli = Cli::try_parse_from(base.iter().chain(args))?;
        let CliCommand::Connect(args) = cli.command else {
            panic!("connect parses as connect");
        };
        Ok(args.request().connection)
    }

    #[test]
    fn the_command_is_consistent() {
        Cli::command().debug_assert();
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
    fn atomic_is_off_unless_asked_for() {
        let atomic = |args: &[&str]| connection(args).unwrap().agent.unwrap().atomic;
        assert!(!atomic(&[]));
        assert!(atomic(&["--atomic"]));
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

    #[test]
    fn each_command_takes_only_its_own_flags() {
        let parse = |args: &[&str]| {
            let base = ["upbound-connect"];
            Cli::try_parse_from(base.iter().chain(args)).map(drop)
        };
        let target = ["--space", "dev", "--organization", "acme"];
        for (command, flag) in [
            ("status", "--agent-version=1.0.0"),
            ("status", "--license=token.json"),
            ("status", "--grant=upbound:user:a=view"),
            ("disconnect", "--agent-version=1.0.0"),
            ("disconnect", "--registry=mirror.example"),
            ("connect", "--cloud-only"),
        ] {
            let mut args = vec![command, flag];
            args.extend(target);
            let error = parse(&args).unwrap_err();
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::UnknownArgument,
                "{command} {flag}"
            );
        }
    }

    #[test]
    fn space_is_required_and_marked_so() {
        let error = Cli::try_parse_from(["upbound-connect", "status", "--organization", "acme"])
            .unwrap_err();
        assert_eq!(
            error.kind(),
            clap::error::ErrorKind::MissingRequiredArgument
        );
        let help = Cli::command()
            .find_subcommand_mut("connect")
            .expect("connect")
            .render_help()
            .to_string();
        assert!(help.contains("--space <NAME>"), "{help}");
        let usage = help
            .lines()
            .find(|line| line.starts_with("Usage:"))
            .expect("a usage line");
        assert!(
            usage.ends_with("--space <NAME> --organization <NAME>"),
            "required flags are in the usage line: {help}"
        );
        assert!(help.contains("Examples:"), "{help}");
    }
}
