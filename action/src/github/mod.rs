//! The GitHub Actions mode: `upbound-connect github-action main|post`, run by
//! action.yml's shim.
//!
//! Main masks the input token before printing anything (and each new robot
//! token, raw and base64, the moment it is minted), checks every input
//! before changing anything, runs the mode's command inside a `::group::`,
//! writes the step outputs and the job summary, and — with
//! `disconnect-on-exit` — records in `GITHUB_STATE` the robot this run
//! created when nothing of the connection existed before it, or that the
//! connection existed. Post disconnects only when the robot is recorded, so
//! it removes nothing after a run that created nothing or only repaired a
//! connection made before the job, and says which.
//!
//! - `inputs`: `INPUT_*` read by the runner's rule.
//! - `commands`: workflow commands on stdout.
//! - `files`: `GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_STEP_SUMMARY`.
//! - `summary`: the job summary's Markdown.

mod commands;
mod files;
mod inputs;
mod summary;

use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use upbound_connect::cluster::check_kubeconfig_text;
use upbound_connect::engine::{Observer, Step};
use upbound_connect::spec::FieldError;

use crate::cli::Stage;
use crate::failure::{EXIT_BAD_INPUT, Failure, Problem};
use crate::report::{self, Report};
use crate::request::{ActionInput, Command, Face, Request, Valid};
use crate::run::{self, RunError};
use files::FileCommand;
use inputs::Kubeconfig;

/// The state entry naming the robot this job's main step created, when
/// nothing of the connection existed before it.
const CREATED_ROBOT: &str = "created_robot";
/// The state entry saying the connection existed before the main step.
const EXISTED: &str = "connection_existed";

/// What can go wrong in the Actions plumbing itself.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The runner did not set a file command's variable.
    #[error("{variable} is not set: run this as a GitHub Actions step (action.yml)")]
    NoFile {
        /// The variable.
        variable: &'static str,
    },
    /// A file command's file could not be written.
    #[error("cannot write {variable}: {source}")]
    Write {
        /// The variable naming the file.
        variable: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// A value holds its random delimiter (astronomically unlikely).
    #[error("the value of {name} contains its delimiter")]
    Delimiter {
        /// The output or state name.
        name: String,
    },
    /// The `kubeconfig` input could not be written to a file.
    #[error("cannot write the kubeconfig input to {path}: {source}")]
    Kubeconfig {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Runs the Action's `stage`.
pub async fn run(stage: Stage) -> ExitCode {
    mask_secret_inputs();
    let content = inputs::input("kubeconfig");
    let mut _written = None;
    let kubeconfig = if content.is_empty() {
        Kubeconfig::FromEnvironment
    } else if let Err(problem) = check_kubeconfig_text(&content) {
        Kubeconfig::Invalid(problem)
    } else {
        match KubeconfigFile::write(&content) {
            Ok(file) => Kubeconfig::File(_written.insert(file).path.clone()),
            Err(error) => return fail("Check the `kubeconfig` input", &error.to_string(), 1),
        }
    };
    match stage {
        Stage::Main => main_step(kubeconfig).await,
        Stage::Post => post_step(kubeconfig).await,
    }
}

/// Masks the secrets among the inputs: the API token and the licence's
/// registry password.
fn mask_secret_inputs() {
    commands::mask(&inputs::input("api-token"));
    let license = inputs::input("license");
    if let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&license)
        && let Some(serde_json::Value::String(token)) = fields.get("token")
    {
        commands::mask(token);
    }
}

async fn main_step(kubeconfig: Kubeconfig) -> ExitCode {
    let inputs = inputs::read(kubeconfig);
    let valid = match valid(inputs.request, &inputs.problems) {
        Ok(valid) => valid,
        Err(failure) => return failed(&failure, "Invalid inputs; nothing was changed"),
    };
    let observer =
        ActionObserver::new(inputs.disconnect_on_exit && inputs.command == Command::Connect);
    let command = inputs.command;
    commands::group(&format!(
        "upbound-connect {}: {}/{}",
        verb(command),
        valid.spec.organization,
        valid.spec.space
    ));
    let result = run::run(command, valid, inputs.cloud_only, &observer).await;
    commands::end_group();
    let report = match result {
        Ok(report) => report,
        Err(run) => return engine_failed(command, &run),
    };
    // A connect that created no robot found the connection in place.
    observer.record(EXISTED, "true");
    match write_outputs(&report)
        .and_then(|()| FileCommand::Summary.append(&summary::success(&report)))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail("upbound-connect", &error.to_string(), 1),
    }
}

async fn post_step(kubeconfig: Kubeconfig) -> ExitCode {
    let state = |name: &str| std::env::var(format!("STATE_{name}")).unwrap_or_default();
    let created = state(CREATED_ROBOT);
    if created.is_empty() {
        if state(EXISTED).is_empty() {
            println!("upbound-connect: this job created no connection; nothing to disconnect");
        } else {
            println!(
                "upbound-connect: the connection existed before this job (its robot, token Secret or agent release was there); disconnect-on-exit removes only a connection the job created, so nothing is removed"
            );
        }
        return ExitCode::SUCCESS;
    }
    let inputs = inputs::read(kubeconfig);
    let valid = match valid(inputs.request, &inputs.problems) {
        Ok(valid) => valid,
        Err(failure) => return failed(&failure, "Invalid inputs; nothing was changed"),
    };
    commands::group(&format!(
        "upbound-connect disconnect-on-exit: {}/{} (robot {created})",
        valid.spec.organization, valid.spec.space
    ));
    let observer = ActionObserver::new(false);
    let result = run::run(Command::Disconnect, valid, inputs.cloud_only, &observer).await;
    commands::end_group();
    match result {
        Ok(report) => match FileCommand::Summary.append(&summary::success(&report)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => fail("upbound-connect", &error.to_string(), 1),
        },
        Err(run) => engine_failed(Command::Disconnect, &run),
    }
}

fn verb(command: Command) -> &'static str {
    match command {
        Command::Connect => "connect",
        Command::Disconnect => "disconnect",
        Command::Status | Command::Plan => "status",
    }
}

/// The step outputs of a finished run.
fn write_outputs(report: &Report) -> Result<(), ActionError> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    for (name, value) in [
        ("space", report.space.clone()),
        ("organization", report.organization.clone()),
        ("robot-id", text(&report.robot_id)),
        ("token-id", text(&report.token_id)),
        ("secret", report.secret.clone()),
        ("agent-version", text(&report.agent_version)),
        (
            "release-revision",
            report
                .release_revision
                .map(|revision| revision.to_string())
                .unwrap_or_default(),
        ),
        ("changed", report.changed.to_string()),
    ] {
        FileCommand::Output.set(name, &value)?;
    }
    if matches!(report.command, Command::Status | Command::Plan) {
        FileCommand::Output.set("changes", &(!report.plan.is_empty()).to_string())?;
        FileCommand::Output.set("plan", &report.plan.join("\n"))?;
    }
    Ok(())
}

/// The request, checked with the Action's own inputs: every problem of
/// both at once.
fn valid(request: Request, own: &[FieldError<ActionInput>]) -> Result<Valid, Failure> {
    let own: Vec<Problem> = own
        .iter()
        .map(|error| Problem {
            field: Some(error.field.to_string()),
            error: format!("`{}` {}", error.field, error.problem),
            fix: Some(error.fix.clone()),
        })
        .collect();
    match request.validate() {
        Ok(valid) if own.is_empty() => Ok(valid),
        Ok(_) => Err(Failure::bad_input(own)),
        Err(invalid) => {
            let mut problems = own;
            problems.extend(Failure::invalid(Face::Action, &invalid).problems);
            Err(Failure::bad_input(problems))
        }
    }
}

/// One `::error` per problem, each naming its input and the fix, and the
/// summary's failure section.
fn failed(failure: &Failure, title: &str) -> ExitCode {
    for problem in &failure.problems {
        let annotation = match &problem.field {
            Some(field) if failure.status == EXIT_BAD_INPUT => format!("Invalid input `{field}`"),
            Some(field) => format!("Check the `{field}` input"),
            None => "upbound-connect failed".to_owned(),
        };
        let message = match &problem.fix {
            Some(fix) => format!("{}; {fix}", problem.error),
            None => problem.error.clone(),
        };
        commands::error(&annotation, &message);
    }
    let _ = FileCommand::Summary.append(&summary::failure(title, &failure.lines().join("; ")));
    ExitCode::from(failure.status)
}

/// A failed run of `command`, named in the Action's inputs.
fn engine_failed(command: Command, run: &RunError) -> ExitCode {
    let failure = Failure::engine(Face::Action, command, &run.error, run.changed);
    let title = if failure.status == EXIT_BAD_INPUT {
        "Invalid inputs; nothing was changed"
    } else {
        "upbound-connect failed"
    };
    failed(&failure, title)
}

/// Reports a failure as an annotation and in the summary.
fn fail(title: &str, message: &str, status: u8) -> ExitCode {
    commands::error(title, message);
    let _ = FileCommand::Summary.append(&summary::failure(title, message));
    ExitCode::from(status)
}

/// Prints progress as log lines, masks each minted token before anything
/// else can print it, and (for `disconnect-on-exit`) records whether this
/// run created the connection or found it.
struct ActionObserver {
    /// Whether to record anything.
    record: bool,
    /// Whether a record was written.
    recorded: std::sync::atomic::AtomicBool,
}

impl ActionObserver {
    fn new(record: bool) -> Self {
        Self {
            record,
            recorded: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Writes state `name`, unless this run records nothing or already
    /// recorded something (the first record is the truth).
    fn record(&self, name: &str, value: &str) {
        use std::sync::atomic::Ordering;
        if !self.record || self.recorded.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Err(error) = FileCommand::State.set(name, value) {
            commands::warning(&format!(
                "disconnect-on-exit will not run: cannot record what this step did: {error}"
            ));
        }
    }
}

impl Observer for ActionObserver {
    fn step(&self, step: Step) {
        if let Step::TokenMinted { token, .. } = &step {
            commands::mask(token.expose());
            commands::mask(&STANDARD.encode(token.expose()));
        }
        match &step {
            Step::RobotCreated {
                id,
                first_connect: true,
            } => self.record(CREATED_ROBOT, id),
            Step::RobotCreated { .. } | Step::RobotKept { .. } | Step::RobotAdopted { .. } => {
                self.record(EXISTED, "true");
            }
            _ => {}
        }
        let events = report::events(&step);
        for line in report::phase(&step)
            .into_iter()
            .chain(events.iter().map(ToString::to_string))
        {
            println!("{line}");
        }
    }
}

/// The `kubeconfig` input's content in a private file for the run, removed
/// when dropped.
struct KubeconfigFile {
    path: PathBuf,
}

impl KubeconfigFile {
    /// Writes `content` to `$RUNNER_TEMP` (mode 0600).
    fn write(content: &str) -> Result<Self, ActionError> {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let directory = std::env::var_os("RUNNER_TEMP")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let path = directory.join(format!(
            "upbound-connect-{}.kubeconfig",
            uuid::Uuid::new_v4()
        ));
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut file| file.write_all(content.as_bytes()))
            .map_err(|source| ActionError::Kubeconfig {
                path: path.clone(),
                source,
            })?;
        Ok(Self { path })
    }
}

impl Drop for KubeconfigFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
