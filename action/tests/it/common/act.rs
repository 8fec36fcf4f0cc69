//! Runs a workflow under act (host mode, offline, from `ACT_BIN`, which
//! tests/harness/build installs) against a [`World`], as the reference's
//! recipe says: `-P ubuntu-latest=-self-hosted`, `--no-cache-server`, a
//! private HOME and action cache, stdin closed, the binary under test
//! passed as `UPBOUND_CONNECT_BINARY`. While it runs, the world's
//! Deployments are marked ready (the test apiserver runs no controllers),
//! so the agent install's wait completes.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio::process::Command;

use super::BINARY;
use testkit::install::{ReadyMarker, mark_deployments_ready};
use testkit::world::World;
use testkit::{harness_env, registry};

/// The repository root: act runs there and `uses: ./` is action.yml.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("action/ has a parent")
        .to_path_buf()
}

/// The files `uses: upbound-connect/upbound-connect@v1` runs (action.yml,
/// release.json, the shim), copied: act copies the whole directory a
/// `--local-repository` names, and a checkout's build output can be
/// gigabytes.
fn action_release() -> TempDir {
    let copy = TempDir::new().expect("action copy");
    let shim = repo_root().join("action/shim");
    let files = std::fs::read_dir(&shim)
        .expect("action/shim")
        .map(|entry| {
            let name = entry.expect("entry").file_name();
            format!("action/shim/{}", name.to_string_lossy())
        })
        .chain(["action.yml".to_owned(), "release.json".to_owned()]);
    for file in files {
        let to = copy.path().join(&file);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("directory");
        std::fs::copy(repo_root().join(&file), &to).expect("action file copied");
    }
    copy
}

/// One act invocation being set up.
pub struct Act {
    command: Command,
    cache: TempDir,
    _home: TempDir,
    _ready: ReadyMarker,
    /// The action as a release holds it, for `--local-repository`.
    _action: Option<TempDir>,
}

/// What an act run left behind.
pub struct ActRun {
    /// Whether act succeeded (it exits 1 for any failed job).
    pub success: bool,
    /// act's stdout and stderr: the raw log.
    pub log: String,
    /// The `--json` lines act printed.
    pub lines: Vec<serde_json::Value>,
    /// Wall time of the whole act run.
    pub wall: Duration,
    /// act's workspace and files (outputs, state, summaries).
    pub cache: TempDir,
}

impl Act {
    /// act `event` for `job` of `workflow` (relative to the repo root), with
    /// the world's endpoint, organization, namespace and kubeconfig as
    /// `UP_API`, `UP_ORG`, `UP_NS`, `KUBECONFIG`, and its token as the
    /// secret `UP_TOKEN`.
    pub fn new(world: &World, event: &str, workflow: &str, job: &str) -> Self {
        let home = TempDir::new().expect("home");
        let cache = TempDir::new().expect("action cache");
        let mut command = Command::new(harness_env_or("ACT_BIN"));
        command
            .current_dir(repo_root())
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .args([event, "-W", workflow, "-j", job])
            .args([
                "-P",
                "ubuntu-latest=-self-hosted",
                "--no-cache-server",
                "--json",
            ])
            .arg("--action-cache-path")
            .arg(cache.path())
            .args(["--env", &format!("UPBOUND_CONNECT_BINARY={}", binary())])
            .args(["--env", &format!("UP_API={}", world.double.url())])
            .args(["--env", &format!("UP_ORG={}", world.organization)])
            .args(["--env", &format!("UP_NS={}", world.namespace)])
            .args([
                "--env",
                &format!("KUBECONFIG={}", harness_env("KUBECONFIG")),
            ])
            .args(["--env", &format!("UP_REGISTRY={}", harness_env("REGISTRY"))])
            .args(["-s", &format!("UP_TOKEN={}", world.token.expose())])
            .args(["-s", &format!("UP_LICENSE={}", license_json())]);
        Self {
            command,
            cache,
            _home: home,
            _ready: mark_deployments_ready(world.kube.clone(), &world.namespace),
            _action: None,
        }
    }

    /// act running one of `examples/workflows/` as users write it: `uses:
    /// upbound-connect/upbound-connect@v1` served from this checkout by
    /// `--local-repository`, with the world in the variables and secrets the
    /// examples document (the space is `alpha`).
    pub fn example(world: &World, event: &str, workflow: &str, job: &str) -> Self {
        let action = action_release();
        let local = format!(
            "upbound-connect/upbound-connect@v1={}",
            action.path().display()
        );
        let mut act = Self::new(world, event, workflow, job);
        act._action = Some(action);
        act.args(&["--local-repository", &local])
            .args(&["--var", "SPACE=alpha"])
            .args(&[
                "--var",
                &format!("UPBOUND_ORGANIZATION={}", world.organization),
            ])
            .args(&["--var", &format!("UPBOUND_ENDPOINT={}", world.double.url())])
            .args(&["--var", &format!("SPACE_NAMESPACE={}", world.namespace)])
            .args(&[
                "--var",
                &format!("UPBOUND_REGISTRY={}", harness_env("REGISTRY")),
            ])
            .args(&["-s", &format!("UPBOUND_TOKEN={}", world.token.expose())])
            .args(&["-s", &format!("UPBOUND_LICENSE={}", license_json())])
    }

    /// Adds act arguments (`--input`, `--var`, `--local-repository`, …).
    pub fn args(mut self, args: &[&str]) -> Self {
        self.command.args(args);
        self
    }

    /// Runs act to the end (async: the double serves while it runs).
    pub async fn run(mut self) -> ActRun {
        let started = Instant::now();
        let output = self.command.output().await.expect("act runs");
        let wall = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let lines = stdout
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        ActRun {
            success: output.status.success(),
            log: format!("{stdout}\n{}", String::from_utf8_lossy(&output.stderr)),
            lines,
            wall,
            cache: self.cache,
        }
    }
}

/// The binary act runs: this build's, or `UPBOUND_CONNECT_ACT_BINARY`
/// (e.g. a release build, to measure the step's overhead as users see it).
fn binary() -> String {
    std::env::var("UPBOUND_CONNECT_ACT_BINARY").unwrap_or_else(|_| BINARY.to_owned())
}

/// The harness registry's licence as a token.json.
pub fn license_json() -> String {
    let license = registry::license();
    serde_json::json!({"accessId": license.access_id, "token": license.token.expose()}).to_string()
}

/// `ACT_BIN` as tests/harness/build exports it.
fn harness_env_or(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests with `tests/run`, which installs act")
    })
}

impl ActRun {
    /// The messages act logged (each step's output lines).
    pub fn messages(&self) -> String {
        self.lines
            .iter()
            .filter_map(|line| line["msg"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The result act recorded for `step` (by its id) in `stage`
    /// (`Main` or `Post`), e.g. `success` or `failure`.
    pub fn step_result(&self, stage: &str, step: &str) -> Option<String> {
        self.lines
            .iter()
            .filter(|line| line["stage"] == stage && line["stepID"][0] == step)
            .filter_map(|line| line["stepResult"].as_str())
            .next_back()
            .map(str::to_owned)
    }

    /// How long act says `step` took in `stage` (its `executionTime`).
    pub fn step_time(&self, stage: &str, step: &str) -> Option<Duration> {
        self.lines
            .iter()
            .filter(|line| line["stage"] == stage && line["stepID"][0] == step)
            .find_map(|line| line["executionTime"].as_u64())
            .map(Duration::from_nanos)
    }

    /// Everything act wrote into its cache (outputs, state, summaries, the
    /// workspace copy): searched for secrets.
    pub fn files_contain(&self, needle: &str) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        let mut stack = vec![self.cache.path().to_path_buf()];
        while let Some(directory) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&directory) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() && !path.is_symlink() {
                    stack.push(path);
                } else if std::fs::read(&path).is_ok_and(|bytes| {
                    bytes
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                }) {
                    hits.push(path);
                }
            }
        }
        hits
    }

    /// Panics with the log if act failed.
    pub fn assert_success(&self) {
        assert!(self.success, "act failed:\n{}", self.log);
    }
}
