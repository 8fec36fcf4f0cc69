//! Every bad Action input, table-driven, through the binary's Actions mode
//! (`github-action main`, the entrypoint action.yml's shim runs, with the
//! `INPUT_*` variables the runner sets, trimmed as the toolkit's `getInput`
//! trims them, so padding is no bad input here): each `::error` names the input as
//! action.yml spells it (never a CLI flag or a Terraform attribute), the
//! step exits with its class's status, no credential-bearing input is
//! echoed, and nothing changes in Upbound or the cluster.

use std::process::Output;

use tokio::process::Command;

use crate::common::act::license_json;
use crate::common::{BINARY, assert_no_failures, changes_made, describe};
use testkit::bad_input::{
    KUBECONFIG_SECRET, UNREACHABLE_KUBECONFIG, kubeconfig_with_bad_line_after_token, unsigned_jwt,
};
use testkit::harness_env;
use testkit::world::World;
use upbound_api_double::NewUser;

/// Spellings of the other faces: CLI flags and Terraform attributes.
const OTHER_FACES: [&str; 17] = [
    "--space",
    "--organization",
    "--token",
    "--kubeconfig",
    "--context",
    "--timeout",
    "--agent-version",
    "--license",
    "--skip-space-check",
    "--cloud-only",
    "kube_context",
    "config_path",
    "robot_name",
    "license_file",
    "skip_space_check",
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
    let bad_kubeconfig = kubeconfig_with_bad_line_after_token();
    let member = world
        .double
        .add_user(NewUser::new("member").member_of(world.organization.clone()))
        .expect("member");
    let restricted = std::fs::read_to_string(harness_env("RESTRICTED_KUBECONFIG"))
        .expect("restricted kubeconfig");
    let without_spaces = testkit::access::new_group(&world.kube).await;
    let too_long = "a".repeat(64);
    let unknown_token = unsigned_jwt(r#"{"jti":"no-such-login"}"#);
    let token_without_jti = unsigned_jwt(r#"{"sub":"user|1"}"#);
    let cases = vec![
        case("empty space", &[("space", "")], "space", "is empty"),
        case(
            "space with capitals",
            &[("space", "Not_A_Label")],
            "space",
            "\"my-space\"",
        ),
        case(
            "a space starting with '-'",
            &[("space", "-dev")],
            "space",
            "start and end",
        ),
        case(
            "a space too long",
            &[("space", &too_long)],
            "space",
            "longer than 63",
        ),
        case(
            "an empty organization",
            &[("organization", "")],
            "organization",
            "is empty",
        ),
        case(
            "an e-mail as organization",
            &[("organization", "me@acme.io")],
            "organization",
            "account name",
        ),
        case(
            "an organization with a space in it",
            &[("organization", "my org")],
            "organization",
            "lowercase",
        ),
        case(
            "an organization that does not exist",
            &[("organization", "other")],
            "organization",
            "other",
        ),
        case(
            "an organization that is a user",
            &[("organization", "owner")],
            "organization",
            "owner",
        ),
        case(
            "a namespace with a space in it",
            &[("namespace", "my ns")],
            "namespace",
            "lowercase",
        ),
        case(
            "a namespace too long",
            &[("namespace", &too_long)],
            "namespace",
            "longer than 63",
        ),
        case(
            "a namespace that does not exist",
            &[("namespace", "no-such-namespace")],
            "namespace",
            "no-such-namespace",
        ),
        case(
            "a namespace without Spaces",
            &[("namespace", &without_spaces)],
            "skip-space-check",
            "spaces-config",
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
            "skip-space-check that is no boolean",
            &[("skip-space-check", "on")],
            "skip-space-check",
            "true or false",
        ),
        case(
            "take-ownership that is no boolean",
            &[("take-ownership", "1")],
            "take-ownership",
            "true or false",
        ),
        case(
            "disconnect-on-exit that is no boolean",
            &[("disconnect-on-exit", "yes")],
            "disconnect-on-exit",
            "true or false",
        ),
        case(
            "cloud-only-disconnect that is no boolean",
            &[("cloud-only-disconnect", "always")],
            "cloud-only-disconnect",
            "true or false",
        ),
        case(
            "a timeout without a unit",
            &[("timeout", "300")],
            "timeout",
            "300s",
        ),
        case(
            "a timeout that is no duration",
            &[("timeout", "soon")],
            "timeout",
            "5m",
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
            "values that are no YAML mapping",
            &[("agent-values", "- a list")],
            "agent-values",
            "mapping",
        ),
        case(
            "a licence that is no token.json",
            &[("license", "not json")],
            "license",
            "token.json",
        ),
        case(
            "a licence without its token",
            &[("license", r#"{"accessId": "x"}"#)],
            "license",
            "token.json",
        ),
        case(
            "a licence with an empty accessId",
            &[("license", r#"{"accessId": "", "token": "x"}"#)],
            "license",
            "empty",
        ),
        case(
            "no licence for a registry that needs one",
            &[("license", "")],
            "license",
            "refused",
        ),
        case(
            "a registry that is a URL",
            &[("registry", "https://mirror.example/x")],
            "registry",
            "registry host",
        ),
        case(
            "an endpoint that is no URL",
            &[("api-endpoint", "api upbound io")],
            "api-endpoint",
            "not a URL",
        ),
        case(
            "plain http to a remote host",
            &[("api-endpoint", "http://api.example.com")],
            "api-endpoint",
            "plain http",
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
            "a token that is no Upbound token",
            &[("api-token", "not-a-token")],
            "api-token",
            "not an Upbound token",
        ),
        case(
            "a token without a jti claim",
            &[("api-token", &token_without_jti)],
            "api-token",
            "jti",
        ),
        case(
            "a token Upbound does not know (401)",
            &[("api-token", &unknown_token)],
            "api-token",
            "401",
        ),
        Case {
            status: 1,
            ..case(
                "a member's token, not an owner's (403)",
                &[("api-token", member.token.jwt.expose())],
                "api-token",
                "owner",
            )
        },
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
            "a grant with an unknown subject",
            &[("access", "- {subject: alice, level: view}")],
            "access[0].subject",
            "upbound:user:",
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
        Case {
            status: 1,
            ..case(
                "a cluster out of reach",
                &[
                    ("mode", "disconnect"),
                    ("kubeconfig", UNREACHABLE_KUBECONFIG),
                ],
                "kubeconfig",
                "`cloud-only-disconnect: true`",
            )
        },
        Case {
            status: 1,
            ..case(
                "credentials without the rights to write Secrets",
                &[("kubeconfig", &restricted)],
                "kubeconfig",
                "forbidden",
            )
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let inputs: Vec<(&str, &str)> = case
            .inputs
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        let output = main_step(&world, &inputs).await;
        failures.extend(check(case, &output));
        failures.extend(changes_made(&world, case.name).await);
    }
    assert_no_failures(&failures, cases.len());
}

/// What is wrong with `output` for `case`.
fn check(case: &Case, output: &Output) -> Vec<String> {
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
    let title = if case.status == 2 {
        format!("title=Invalid input `{}`::", case.input)
    } else {
        format!("title=Check the `{}` input::", case.input)
    };
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
    if stdout.contains(KUBECONFIG_SECRET)
        || stdout.contains("RUNNER_TEMP")
        || stdout.contains(".kubeconfig")
    {
        fail("echoes the kubeconfig input or its temporary file".to_owned());
    }
    wrong
}
