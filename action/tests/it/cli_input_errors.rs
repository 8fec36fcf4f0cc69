//! Every bad input a person can give the CLI, table-driven: each is named
//! by its own flag (never another face's spelling), exits with the status
//! of its class (2: the input, before any change; 1: at runtime), prints
//! the JSON failure object with `--output json`, never echoes credentials,
//! and changes nothing in Upbound or the cluster.

use std::process::Output;

use crate::common::{assert_no_failures, changes_made, cli_with, describe};
use testkit::bad_input::{
    KUBECONFIG_SECRET, UNREACHABLE_KUBECONFIG, kubeconfig_with_bad_line_after_token, unsigned_jwt,
};
use testkit::harness_env;
use testkit::world::World;
use upbound_api_double::NewUser;

/// Spellings of the other faces: Terraform attributes and Action inputs.
const OTHER_FACES: [&str; 20] = [
    "kube_context",
    "config_path",
    "config_context",
    "token_secret_name",
    "robot_name",
    "license_file",
    "cloud_only",
    "agent.",
    "access[",
    "api-token",
    "api-endpoint",
    "kube-context",
    "cloud-only-disconnect",
    "`space`",
    "`organization`",
    "`kubeconfig`",
    "`license`",
    "`timeout`",
    "`agent-version`",
    "`agent-values`",
];

/// One bad input.
struct Case {
    name: &'static str,
    args: Vec<String>,
    /// The flag the failure names.
    flag: &'static str,
    status: i32,
    /// Whether a licence is given to `connect`.
    license: bool,
    /// Text the message must hold (beyond the flag).
    says: &'static str,
}

fn case<S: AsRef<str>>(
    name: &'static str,
    args: &[S],
    flag: &'static str,
    says: &'static str,
) -> Case {
    Case {
        name,
        args: args.iter().map(|arg| arg.as_ref().to_owned()).collect(),
        flag,
        status: 2,
        license: true,
        says,
    }
}

/// `connect --space alpha` and `extra`.
fn connect(extra: &[&str]) -> Vec<String> {
    ["connect", "--space", "alpha"]
        .iter()
        .chain(extra)
        .map(|arg| (*arg).to_owned())
        .collect()
}

#[tokio::test]
async fn every_bad_input_is_named_by_its_flag_and_changes_nothing() {
    let world = World::new().await;
    let scratch = tempfile::tempdir().expect("dir");
    let bad_kubeconfig = scratch.path().join("bad.kubeconfig");
    std::fs::write(&bad_kubeconfig, kubeconfig_with_bad_line_after_token())
        .expect("kubeconfig written");
    let bad_kubeconfig = bad_kubeconfig.to_str().expect("UTF-8").to_owned();
    let schema_breaking = scratch.path().join("values.yaml");
    std::fs::write(&schema_breaking, "replicaCount: -1\n").expect("values written");
    let schema_breaking = schema_breaking.to_str().expect("UTF-8").to_owned();
    let closed_cluster = scratch.path().join("closed.kubeconfig");
    std::fs::write(&closed_cluster, UNREACHABLE_KUBECONFIG).expect("kubeconfig written");
    let closed_cluster = closed_cluster.to_str().expect("UTF-8").to_owned();

    let mut cases = vec![
        case(
            "empty space",
            &["connect", "--space", ""],
            "--space",
            "is empty",
        ),
        case(
            "padded space",
            &["connect", "--space", " dev "],
            "--space",
            "write \"dev\"",
        ),
        case(
            "space with capitals",
            &["status", "--space", "Dev"],
            "--space",
            "\"my-space\"",
        ),
        case(
            "e-mail as organization",
            &["status", "--space", "alpha", "--organization", "me@acme.io"],
            "--organization",
            "account name",
        ),
        case(
            "organization that does not exist",
            &["disconnect", "--space", "alpha", "--organization", "other"],
            "--organization",
            "other",
        ),
        case(
            "a version that is no version",
            &connect(&["--agent-version", "latest!!"]),
            "--agent-version",
            "SemVer",
        ),
        case(
            "a version the registry does not have",
            &connect(&["--agent-version", "9.9.9"]),
            "--agent-version",
            "9.9.9",
        ),
        case(
            "a timeout without a unit",
            &connect(&["--timeout", "300"]),
            "--timeout",
            "300s",
        ),
        case(
            "a timeout that is no duration",
            &connect(&["--timeout", "soon"]),
            "--timeout",
            "5m",
        ),
        case(
            "values the chart's schema refuses",
            &connect(&["--agent-values", &schema_breaking]),
            "--agent-values",
            "replicaCount",
        ),
        case(
            "a values file that does not exist",
            &connect(&["--agent-values", "/nonexistent/values.yaml"]),
            "--agent-values",
            "/nonexistent/values.yaml",
        ),
        case(
            "a licence file that does not exist",
            &connect(&["--license", "/nonexistent/token.json"]),
            "--license",
            "/nonexistent/token.json",
        ),
        case(
            "a registry that is a URL",
            &connect(&["--registry", "https://mirror.example/x"]),
            "--registry",
            "registry host",
        ),
        case(
            "a grant with an unknown level",
            &connect(&["--grant", "upbound:user:alice=superuser"]),
            "--grant #1 (level)",
            "admin, edit or view",
        ),
        case(
            "a token file that does not exist",
            &[
                "status",
                "--space",
                "alpha",
                "--token-file",
                "/nonexistent/token",
            ],
            "--token",
            "/nonexistent/token",
        ),
        case(
            "an endpoint that is not http",
            &[
                "status",
                "--space",
                "alpha",
                "--endpoint",
                "ftp://api.example",
            ],
            "--endpoint",
            "https://",
        ),
        case(
            "a kubeconfig that does not exist",
            &[
                "status",
                "--space",
                "alpha",
                "--kubeconfig",
                "/nonexistent/kubeconfig",
            ],
            "--kubeconfig",
            "/nonexistent/kubeconfig",
        ),
        case(
            "a kubeconfig whose bad line holds a token",
            &[
                "status",
                "--space",
                "alpha",
                "--kubeconfig",
                &bad_kubeconfig,
            ],
            "--kubeconfig",
            "line",
        ),
        case(
            "a context the kubeconfig does not have",
            &["status", "--space", "alpha", "--context", "nope"],
            "--context",
            "nope",
        ),
        case(
            "a namespace that does not exist",
            &[
                "plan",
                "--space",
                "alpha",
                "--namespace",
                "no-such-namespace",
            ],
            "--namespace",
            "no-such-namespace",
        ),
        case(
            "a flag the command does not have",
            &["status", "--space", "alpha", "--agent-version", "1.0.0"],
            "--agent-version",
            "unexpected argument",
        ),
    ];
    cases.push(Case {
        license: false,
        ..case(
            "no licence for a registry that needs one",
            &connect(&[]),
            "--license",
            "refused",
        )
    });
    cases.push(Case {
        status: 1,
        ..case(
            "a cluster out of reach",
            &[
                "disconnect",
                "--space",
                "alpha",
                "--kubeconfig",
                &closed_cluster,
            ],
            "--kubeconfig",
            "`--cloud-only`",
        )
    });
    let write = |name: &str, content: &str| {
        let path = scratch.path().join(name);
        std::fs::write(&path, content).expect("file written");
        path.to_str().expect("UTF-8").to_owned()
    };
    let not_a_token = write("not-a-token", "not-a-token\n");
    let unknown_token = write("unknown-token", &unsigned_jwt(r#"{"jti":"no-such-login"}"#));
    let empty_access_id = write("token.json", r#"{"accessId": "", "token": "x"}"#);
    let restricted = harness_env("RESTRICTED_KUBECONFIG");
    let member = world
        .double
        .add_user(NewUser::new("member").member_of(world.organization.clone()))
        .expect("member");
    let member_token = write("member-token", member.token.jwt.expose());
    let no_token = write("no-token", "");
    let token_without_jti = write("no-jti", &unsigned_jwt(r#"{"sub":"user|1"}"#));
    let license_not_json = write("not-json.json", "not json");
    let license_without_token = write("half.json", r#"{"accessId": "x"}"#);
    let too_long = "a".repeat(64);
    let without_spaces = testkit::access::new_group(&world.kube).await;
    cases.extend([
        case(
            "plain http to a remote host",
            &[
                "status",
                "--space",
                "alpha",
                "--endpoint",
                "http://api.example.com",
            ],
            "--endpoint",
            "plain http",
        ),
        case(
            "a token file that holds no token",
            &["status", "--space", "alpha", "--token-file", &not_a_token],
            "--token",
            "not an Upbound token",
        ),
        case(
            "a token Upbound does not know (401)",
            &["status", "--space", "alpha", "--token-file", &unknown_token],
            "--token",
            "401",
        ),
        case(
            "a licence with an empty accessId",
            &connect(&["--license", &empty_access_id]),
            "--license",
            "empty",
        ),
        case(
            "a space starting with '-'",
            &["status", "--space=-dev"],
            "--space",
            "start and end",
        ),
        case(
            "a space too long",
            &["status", "--space", &too_long],
            "--space",
            "longer than 63",
        ),
        case(
            "an empty organization",
            &["status", "--space", "alpha", "--organization", ""],
            "--organization",
            "is empty",
        ),
        case(
            "an organization with a space in it",
            &["status", "--space", "alpha", "--organization", "my org"],
            "--organization",
            "lowercase",
        ),
        case(
            "a namespace with a space in it",
            &["status", "--space", "alpha", "--namespace", "my ns"],
            "--namespace",
            "lowercase",
        ),
        case(
            "a namespace too long",
            &["status", "--space", "alpha", "--namespace", &too_long],
            "--namespace",
            "longer than 63",
        ),
        case(
            "a licence that is no JSON",
            &connect(&["--license", &license_not_json]),
            "--license",
            "token.json",
        ),
        case(
            "a licence without its token",
            &connect(&["--license", &license_without_token]),
            "--license",
            "token.json",
        ),
        case(
            "an endpoint that is no URL",
            &["status", "--space", "alpha", "--endpoint", "api upbound io"],
            "--endpoint",
            "not a URL",
        ),
        case(
            "an empty token",
            &["status", "--space", "alpha", "--token-file", &no_token],
            "--token",
            "is missing",
        ),
        case(
            "a token without a jti claim",
            &[
                "status",
                "--space",
                "alpha",
                "--token-file",
                &token_without_jti,
            ],
            "--token",
            "jti",
        ),
        Case {
            status: 1,
            ..case(
                "an endpoint nobody answers at",
                &[
                    "status",
                    "--space",
                    "alpha",
                    "--endpoint",
                    "https://127.0.0.1:1",
                ],
                "--endpoint",
                "https://127.0.0.1:1",
            )
        },
        Case {
            status: 1,
            ..case(
                "a member's token, not an owner's (403)",
                &connect(&["--token-file", &member_token]),
                "--token",
                "owner",
            )
        },
        case(
            "a namespace without Spaces",
            &["plan", "--space", "alpha", "--namespace", &without_spaces],
            "--skip-space-check",
            "spaces-config",
        ),
        Case {
            status: 1,
            ..case(
                "credentials without the rights to write Secrets",
                &connect(&["--kubeconfig", &restricted]),
                "--kubeconfig",
                "forbidden",
            )
        },
    ]);
    let mut failures = Vec::new();
    for case in &cases {
        let mut args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        args.extend(["--output", "json"]);
        let output = cli_with(&world, &args, case.license).await;
        failures.extend(check(case, &output));
        failures.extend(changes_made(&world, case.name).await);
    }
    assert_no_failures(&failures, cases.len());
}

/// What is wrong with `output` for `case`.
fn check(case: &Case, output: &Output) -> Vec<String> {
    let mut wrong = Vec::new();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let said = format!("{stderr}{stdout}");
    let mut fail =
        |what: String| wrong.push(format!("{}: {what}\n{}", case.name, describe(output)));
    if output.status.code() != Some(case.status) {
        fail(format!(
            "exit {:?}, want {}",
            output.status.code(),
            case.status
        ));
    }
    if !stderr.contains(case.flag) {
        fail(format!("stderr does not name {}", case.flag));
    }
    if !said.contains(case.says) {
        fail(format!("does not say {:?}", case.says));
    }
    for spelling in OTHER_FACES {
        if said.contains(spelling) {
            fail(format!("speaks another face's {spelling:?}"));
        }
    }
    if said.contains(KUBECONFIG_SECRET) {
        fail("echoes the kubeconfig's token".to_owned());
    }
    match serde_json::from_str::<serde_json::Value>(&stdout) {
        Ok(object) => {
            if !object["field"]
                .as_str()
                .is_some_and(|field| case.flag.starts_with(field) || field.starts_with(case.flag))
            {
                fail(format!(
                    "JSON field {}, want {}",
                    object["field"], case.flag
                ));
            }
            if object["changed"] != false || !object["error"].is_string() {
                fail(format!("JSON object {object}"));
            }
            if case.status == 2 && !object["fix"].is_string() {
                fail(format!("JSON object without a fix: {object}"));
            }
        }
        Err(error) => fail(format!("stdout is not one JSON object: {error}")),
    }
    wrong
}
