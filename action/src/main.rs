//! `upbound-connect`: the command-line and GitHub Actions face of the engine.
//!
//! Today it only answers `--help` and `--version`; the `connect`,
//! `disconnect`, `status` and `plan` commands and the Actions mode arrive with
//! the engine they call.

use clap::Parser;

/// Connects a self-hosted Upbound Space to the Upbound Console.
#[derive(Parser)]
#[command(name = "upbound-connect", version, about)]
struct Cli {}

fn main() {
    Cli::parse();
}
