//! What the action crate's tests share: running the `upbound-connect`
//! binary against a [`World`] (the Upbound API double and the real
//! kube-apiserver started by `tests/run`), and act.

pub mod act;

use std::process::Output;

use tokio::process::Command;

use testkit::harness_env;
use testkit::world::World;

/// The binary under test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_upbound-connect");

/// Runs `upbound-connect ARGS --namespace <world's>` (unless ARGS give one) with the world's
/// Upbound endpoint, token, organization and kubeconfig in the environment,
/// as a person would export them. Async: the double serves on the
/// test's runtime while the binary runs.
///
/// For `connect` and `plan`, the harness registry and its licence are given
/// too, as for a mirror.
pub async fn cli(world: &World, args: &[&str]) -> Output {
    cli_with(world, args, true).await
}

/// [`cli`], giving `connect` and `plan` the harness registry's licence only
/// when `license` is true.
pub async fn cli_with(world: &World, args: &[&str], license_given: bool) -> Output {
    let license = tempfile::NamedTempFile::new().expect("licence file");
    std::fs::write(license.path(), act::license_json()).expect("licence written");
    let mut command = Command::new(BINARY);
    command.args(args);
    if !args.contains(&"--namespace") {
        command.args(["--namespace", &world.namespace]);
    }
    if matches!(args.first(), Some(&("connect" | "plan"))) {
        command.arg("--wait=false");
        if !args.contains(&"--registry") {
            command.args(["--registry", &harness_env("REGISTRY")]);
        }
        if license_given && !args.contains(&"--license") {
            command.arg("--license").arg(license.path());
        }
    }
    command
        .env("UPBOUND_ENDPOINT", world.double.url())
        .env("UPBOUND_TOKEN", world.token.expose())
        .env("UPBOUND_ORGANIZATION", &world.organization)
        .env("KUBECONFIG", harness_env("KUBECONFIG"))
        .output()
        .await
        .expect("the binary runs")
}

/// Stdout, stderr and the exit code of a run, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The `--output json` report of a successful run.
pub fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", describe(output));
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

/// What a run named `case` changed that a refused run must not: a robot or
/// a token in Upbound (a write Upbound refused changed nothing), the token
/// Secret in the cluster.
pub async fn changes_made(world: &World, case: &str) -> Vec<String> {
    let mut changes = Vec::new();
    if !world.double.robots().is_empty() || !world.minted_tokens().is_empty() {
        changes.push(format!("{case}: Upbound was changed: {:?}", world.writes()));
    }
    if world.secret_version("connect-token").await.is_some() {
        changes.push(format!("{case}: the token Secret was written"));
    }
    changes
}

/// Fails listing every failure of a table test, if there is one.
#[track_caller]
pub fn assert_no_failures(failures: &[String], cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
