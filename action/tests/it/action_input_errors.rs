//! Every bad Action input, table-driven, through the binary's Actions mode
//! (`github-action main`, the entrypoint action.yml's shim runs, with the
//! `INPUT_*` variables the runner sets): each `::error` names the input as
//! action.yml spells it (never a CLI flag or a Terraform attribute), the
//! step exits with its class's status, no credential-bearing input is
//! echoed, and nothing changes in Upbound or the cluster.

use std::process::Output;

use tokio::process::Command;

use crate::common::act::license_json;
use crate::common::{BINARY, assert_no_failures, changes_made, describe};
use testkit::harness_env;
use testkit::world::World;

/// Spellings of the other faces: CLI flags and Terraform attributes.
const OTHER_FACES: [&str; 12] = [
    "--space",
    "--organization",
    "--token",
    "--kubeconfig",
    "--timeout",
    "--agent-version",
    "--cloud-only",
    "kube_context",
    "config_path",
    "robot_name",
    "agent.",
    "cloud_only",
];

/// The step's run with the world's inputs, `inputs` overriding them.
async fn main_step(world: &World, inputs: &[(&str, &str)]) -> Output {
    let files = tempfile::tempdir().expect("dir");
    let mut command = Command::new(BINARY);
    command.args(["github-action", "main"]);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for name in ["GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY"] {
        let path = files.path().join(name);
        std::fs::write(&path, "").expect("file");
        command.env(name, path);
    }
    command.env("RUNNER_TEMP", files.path());
    command.env("KUBECONFIG", harness_env("KUBECONFIG"));
    let defaults = [
        ("space", "alpha".to_owned()),
        ("organization", world.organization.clone()),
        ("api-token", world.token.expose().to_owned()),
        ("api-endpoint", world.double.url()),
        ("namespace", world.namespace.clone()),
        ("registry", harness_env("REGISTRY")),
        ("license", license_json()),
        ("wait", "false".to_owned()),
    ];
    for (name, value) in defaults {
        if !inputs.iter().any(|(given, _)| *given == name) {
            command.env(variable(name), value);
        }
    }
    for (name, value) in inputs {
        command.env(variable(name), value);
    }
    command.output().await.expect("the binary runs")
}

/// The runner's variable for input `name`.
fn variable(name: &str) -> String {
    format!("INPUT_{}", name.replace(' ', "_").to_uppercase())
}

/// One bad input set.
struct Case {
    name: &'static str,
    inputs: Vec<(&'static str, String)>,
    /// The input each `::error` title names.
    input: &'static str,
    status: i32,
    says: &'static str,
}

fn case(
    name: &'static str,
    inputs: &[(&'static str, &str)],
    input: &'static str,
    says: &'static str,
) -> Case {
    Case {
        name,
        inputs: inputs
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect(),
        input,
        status: 2,
        says,
    }
}

#[tokio::test]
async fn every_bad_input_is_named_as_action_yml_spells_it() {
    let world = World::new().await;
    let secret = "kubeconfig-secret-4711";
    let bad_kubeconfig =
        format!("apiVersion: v1\nusers:\n- name: u\n  user:\n    token: {secret}\n  - [\n");
    let cases = vec![
        case(
            "space with capitals",
            &[("space", "Not_A_Label")],
            "space",
            "\"my-space\"",
        ),
        case(
            "a mode that does not exist",
            &[("mode", "sync")],
            "mode",
            "connect, disconnect or status",
        ),
        case(
            "wait that is no boolean",
            &[("wait", "maybe")],
            "wait",
            "true or false",
        ),
        case(
            "disconnect-on-exit that is no boolean",
            &[("disconnect-on-exit", "yes")],
            "disconnect-on-exit",
            "true or false",
        ),
        case(
            "a timeout without a unit",
            &[("timeout", "300")],
            "timeout",
            "300s",
        ),
        case(
            "a version that is no version",
            &[("agent-version", "latest!!")],
            "agent-version",
            "SemVer",
        ),
        case(
            "a version the registry does not have",
            &[("agent-version", "9.9.9")],
            "agent-version",
            "9.9.9",
        ),
        case(
            "values the chart's schema refuses",
            &[("agent-values", "replicaCount: -1")],
            "agent-values",
            "replicaCount",
        ),
        case(
            "a licence that is no token.json",
            &[("license", "not json")],
            "license",
            "token.json",
        ),
        case(
            "an organization that does not exist",
            &[("organization", "other")],
            "organization",
            "other",
        ),
        case(
            "an endpoint that is not http",
            &[("api-endpoint", "ftp://api.example")],
            "api-endpoint",
            "https://",
        ),
        case(
            "a missing token",
            &[("api-token", "")],
            "api-token",
            "is missing",
        ),
        case(
            "an access list that is no list of grants",
            &[("access", "upbound:user:alice=view")],
            "access",
            "[]",
        ),
        case(
            "a grant with an unknown level",
            &[(
                "access",
                "- {subject: upbound:user:alice, level: superuser}",
            )],
            "access[0].level",
            "admin, edit or view",
        ),
        case(
            "kubeconfig content whose bad line holds a token",
            &[("kubeconfig", &bad_kubeconfig)],
            "kubeconfig",
            "line",
        ),
        case(
            "a context the kubeconfig does not have",
            &[("kube-context", "nope")],
            "kube-context",
            "nope",
        ),
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let inputs: Vec<(&str, &str)> = case
            .inputs
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        let output = main_step(&world, &inputs).await;
        failures.extend(check(case, &output, secret));
        failures.extend(changes_made(&world, case.name).await);
    }
    assert_no_failures(&failures, cases.len());
}

/// What is wrong with `output` for `case`.
fn check(case: &Case, output: &Output, secret: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut fail =
        |what: String| wrong.push(format!("{}: {what}\n{}", case.name, describe(output)));
    if output.status.code() != Some(case.status) {
        fail(format!(
            "exit {:?}, want {}",
            output.status.code(),
            case.status
        ));
    }
    let title = format!("title=Invalid input `{}`::", case.input);
    if !stdout
        .lines()
        .any(|line| line.starts_with("::error ") && line.contains(&title))
    {
        fail(format!("no ::error titled {title:?}"));
    }
    if !stdout.contains(case.says) {
        fail(format!("does not say {:?}", case.says));
    }
    for spelling in OTHER_FACES {
        if stdout.contains(spelling) {
            fail(format!("speaks another face's {spelling:?}"));
        }
    }
    if stdout.contains(secret) || stdout.contains("RUNNER_TEMP") || stdout.contains(".kubeconfig") {
        fail("echoes the kubeconfig input or its temporary file".to_owned());
    }
    wrong
}
