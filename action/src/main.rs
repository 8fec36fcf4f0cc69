//! `upbound-connect`: the command-line and GitHub Actions face of the engine.
//!
//! - `cli`: the clap commands and flags, turned into a request.
//! - `request`: a run as written, checked at once; input names per face.
//! - `run`: builds the engine's clients and runs one command into a report.
//! - `report`: what a run did or found, in words.
//! - `progress`: the step list or spinner on stderr.
//! - `github`: the Actions mode (`github-action main|post`): `INPUT_*`,
//!   masks, groups, outputs, state and the job summary.
//!
//! Exit status: 0 on success, 2 when the inputs are wrong (nothing was
//! changed), 1 on any other failure; `plan` exits 2 when a connect would
//! change something, 0 when it would not.

mod cli;
mod github;
mod progress;
mod report;
mod request;
mod run;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Invocation, Output, Target};
use progress::Progress;
use request::{Command, Face};

/// `plan`'s exit status when a connect would change something.
const EXIT_CHANGES_PENDING: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("upbound-connect: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command.invocation() {
        Invocation::Command(command, target, cloud_only) => {
            runtime.block_on(command_line(command, *target, cloud_only))
        }
        Invocation::Action(stage) => runtime.block_on(github::run(stage)),
    }
}

/// The human face: validate, run with progress on stderr, print the report.
async fn command_line(command: Command, target: Target, cloud_only: bool) -> ExitCode {
    let output = target.output;
    let valid = match target.request().validate() {
        Ok(valid) => valid,
        Err(invalid) => {
            for error in &invalid.0 {
                eprintln!("upbound-connect: {}", Face::Cli.describe(error));
            }
            return ExitCode::from(run::EXIT_BAD_INPUT);
        }
    };
    let progress = Progress::new();
    let result = run::run(command, valid, cloud_only, &progress).await;
    progress.finish();
    match result {
        Ok(report) => {
            match output {
                Output::Text => println!("{}", report.text()),
                Output::Json => match serde_json::to_string_pretty(&report) {
                    Ok(json) => println!("{json}"),
                    Err(error) => {
                        eprintln!("upbound-connect: cannot print the report: {error}");
                        return ExitCode::FAILURE;
                    }
                },
            }
            eprintln!("upbound-connect: done in {:.2} s", report.engine_seconds);
            // As `terraform plan -detailed-exitcode`: 2 when changes are pending.
            if command == Command::Plan && !report.plan.is_empty() {
                ExitCode::from(EXIT_CHANGES_PENDING)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            match error.field() {
                Some(field) => eprintln!("upbound-connect: {}: {error}", Face::Cli.name(field)),
                None => eprintln!("upbound-connect: {error}"),
            }
            ExitCode::from(run::exit_status(&error))
        }
    }
}
