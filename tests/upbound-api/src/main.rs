//! `upbound-api-double`: the Upbound API double as a process, for Terraform,
//! act and CLI end-to-end tests. It prints nothing on success; it writes its
//! base URL to `--addr-file` once it listens, and stops on SIGTERM or Ctrl-C.

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tokio::signal::unix::{SignalKind, signal};
use upbound_api_double::{Config, Double, Error, NewUser, Role};

/// A test double of the Upbound API, on loopback.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Where to listen (loopback only; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Write the base URL (e.g. `http://127.0.0.1:41234`) to this file once
    /// listening.
    #[arg(long)]
    addr_file: Option<PathBuf>,
    /// How long a session lives after login, in seconds (fractions allowed).
    #[arg(long, default_value_t = 3600.0, value_parser = positive_seconds)]
    session_ttl: f64,
    /// Load the state from this file and save every change to it, so
    /// several processes (one after another) can share one run.
    #[arg(long)]
    state_file: Option<PathBuf>,
    /// An organization to create at start (repeatable; kept if the state
    /// file has it already).
    #[arg(long = "organization")]
    organizations: Vec<String>,
    /// A user to create at start, owner of every `--organization`.
    #[arg(long, requires = "token_file")]
    user: Option<String>,
    /// Where to write the user's personal access token (a JWT), mode 0600.
    #[arg(long, requires = "user")]
    token_file: Option<PathBuf>,
    /// Print one line per API request to stderr (never a secret).
    #[arg(long)]
    log_requests: bool,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("{text:?} is not a positive number of seconds")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("upbound-api-double: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Listen for signals first: a SIGTERM right after the address file
    // appears must stop the double, not kill it half-way.
    let mut terminate = signal(SignalKind::terminate())?;
    let double = Double::start(Config {
        listen: args.listen,
        session_ttl: Duration::from_secs_f64(args.session_ttl),
        state_file: args.state_file,
        log_requests: args.log_requests,
    })
    .await?;
    for organization in &args.organizations {
        match double.add_organization(organization) {
            Ok(_) | Err(Error::OrganizationExists(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    if let (Some(username), Some(token_file)) = (&args.user, &args.token_file) {
        let jwt = owner_token(&double, username, &args.organizations)?;
        write_private_file(token_file, &jwt)?;
    }
    if let Some(addr_file) = &args.addr_file {
        write_private_file(addr_file, &double.url())?;
    }
    tokio::select! {
        _ = terminate.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    double.shutdown().await;
    Ok(())
}

/// A fresh personal access token of `username`, who becomes (or stays) an
/// owner of every organization; the user is created if it does not exist.
fn owner_token(double: &Double, username: &str, organizations: &[String]) -> Result<String, Error> {
    let user = organizations
        .iter()
        .fold(NewUser::new(username), |user, organization| {
            user.owner_of(organization)
        });
    let token = match double.add_user(user) {
        Ok(created) => created.token,
        Err(Error::UserExists(_)) => {
            for organization in organizations {
                double.grant_role(username, organization, Role::Owner)?;
            }
            double.issue_personal_token(username)?
        }
        Err(error) => return Err(error),
    };
    Ok(token.jwt.expose().to_owned())
}

/// Writes `text` to `path` atomically (beside it, then renamed over it), so
/// a reader polling for the file never sees it half-written; mode 0600, as
/// it may hold a token.
fn write_private_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)?
        .write_all(text.as_bytes())?;
    std::fs::rename(&temporary, path)
}
