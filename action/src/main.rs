//! `upbound-connect`: the command-line and GitHub Actions face of the engine.
//!
//! - `cli`: the clap commands and flags, turned into a request.
//! - `request`: a run as written, checked at once; input names per face.
//! - `run`: builds the engine's clients and runs one command into a report.
//! - `report`: what a run did or found, in words.
//! - `failure`: a failed run in a face's words, its exit status and JSON.
//! - `progress`: the step list or spinner on stderr.
//! - `github`: the Actions mode (`github-action main|post`): `INPUT_*`,
//!   masks, groups, outputs, state and the job summary.
//!
//! Exit status (one table, `failure`): 0 success, 1 failure at runtime, 2
//! input rejected before any change, 3 `plan` found changes pending.

mod cli;
mod failure;
mod github;
mod progress;
mod report;
mod request;
mod run;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use cli::{Cli, Invocation, Output, Started};
use failure::{EXIT_CHANGES_PENDING, Failure};
use progress::Progress;
use request::{Command, Face};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
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
    match cli.command.started() {
        Started::Command(invocation) => runtime.block_on(command_line(*invocation)),
        Started::Completion(shell) => {
            let mut command = Cli::command();
            clap_complete::generate(
                shell,
                &mut command,
                "upbound-connect",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Started::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("upbound-connect: cannot print the manual page: {error}");
                    ExitCode::from(failure::EXIT_FAILURE)
                }
            }
        }
        Started::Action(stage) => runtime.block_on(github::run(stage)),
    }
}

/// The human face: validate, run with progress on stderr, print the report
/// (or, failed, the problems on stderr and, with `--output json`, the
/// failure object on stdout).
async fn command_line(invocation: Invocation) -> ExitCode {
    let Invocation {
        command,
        request,
        output,
        cloud_only,
        removes_grants,
    } = invocation;
    let valid = match request.validate() {
        Ok(valid) => valid,
        Err(invalid) => return failed(&Failure::invalid(Face::Cli, &invalid), output),
    };
    let progress = Progress::new();
    let result = run::run(command, valid, cloud_only, &progress).await;
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(run) => {
            return failed(
                &Failure::engine(Face::Cli, command, &run.error, run.changed),
                output,
            );
        }
    };
    match output {
        Output::Text => println!("{}", report.text(grants_after_disconnect(removes_grants))),
        Output::Json => print_json(&report),
    }
    eprintln!("upbound-connect: done in {:.2} s", report.engine_seconds);
    // As `terraform plan -detailed-exitcode`, apart from 2 (bad input here).
    if command == Command::Plan && !report.plan.is_empty() {
        ExitCode::from(EXIT_CHANGES_PENDING)
    } else {
        ExitCode::SUCCESS
    }
}

/// Flags clap refused (or `--help`): clap's own words on stderr, and with
/// `--output json` the failure object on stdout as for any bad input.
fn usage_error(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    let json = std::env::args()
        .collect::<Vec<_>>()
        .windows(2)
        .any(|pair| pair[0] == "--output" && pair[1] == "json")
        || std::env::args().any(|arg| arg == "--output=json");
    if json && error.use_stderr() {
        print_json(&Failure::usage(error));
    }
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(failure::EXIT_FAILURE))
}

/// What a disconnect says of Hub RBAC when it changed none.
fn grants_after_disconnect(removes_grants: bool) -> &'static str {
    if removes_grants {
        "none found"
    } else {
        "kept: disconnect leaves the grants this tool made; --no-grants removes them"
    }
}

/// Reports a failure: each problem on stderr for people, the object on
/// stdout for scripts that asked for JSON.
fn failed(failure: &Failure, output: Output) -> ExitCode {
    for line in failure.lines() {
        eprintln!("upbound-connect: {line}");
    }
    if output == Output::Json {
        print_json(failure);
    }
    ExitCode::from(failure.status)
}

/// One JSON object on stdout.
fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(json) => println!("{json}"),
        Err(error) => eprintln!("upbound-connect: cannot print JSON: {error}"),
    }
}
