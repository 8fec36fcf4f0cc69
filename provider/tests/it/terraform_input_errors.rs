//! Every bad input a Terraform user can write, table-driven against real
//! Terraform: each error is located on the attribute (of the resource or
//! of the provider block) that sets it, so Terraform quotes that line;
//! no message speaks another face's words (CLI flags, Action inputs, the
//! engine's own names); nothing changes in Upbound or the cluster.

use testkit::bad_input::{
    KUBECONFIG_SECRET, UNREACHABLE_KUBECONFIG, kubeconfig_with_bad_line_after_token, unsigned_jwt,
};
use testkit::harness_env;
use testkit::terraform::{TerraformDir, TerraformRun};
use testkit::world::World;
use upbound_api_double::NewUser;

/// Spellings of the other faces and of the engine.
const OTHER_FACES: [&str; 12] = [
    "--",
    "api-token",
    "kube-context",
    "agent-version",
    "cloud-only-disconnect",
    "`kubeconfig`",
    "`kube_context`",
    "`license`",
    "`host`",
    "action `",
    "agent.chart",
    "in_cluster",
];

/// A configuration with `provider_block` inside `provider "upbound"` and
/// `resource_body` inside the connection (in the world's namespace unless
/// the body gives one).
fn config(provider_block: &str, resource_body: &str) -> String {
    let namespace = if resource_body.contains("namespace =") {
        ""
    } else {
        "  namespace = var.namespace"
    };
    format!(
        r#"
terraform {{
  required_providers {{
    upbound = {{ source = "upbound-connect/upbound" }}
  }}
}}

variable "organization" {{ type = string }}
variable "namespace" {{ type = string }}

provider "upbound" {{
{provider_block}
}}

resource "upbound_space_connection" "this" {{
{namespace}
{resource_body}
}}
"#
    )
}

const ORGANIZATION: &str = "  upbound {\n    organization = var.organization\n  }";

/// One bad configuration.
struct Case {
    name: &'static str,
    main_tf: String,
    /// `plan`, or `apply` for what only apply can find.
    command: &'static str,
    /// The configuration line Terraform quotes for the error's attribute.
    quoted: String,
    /// Words the error must say.
    says: &'static str,
    /// Words it must not say (beyond the other faces').
    not: &'static [&'static str],
}

fn plan(
    name: &'static str,
    main_tf: String,
    quoted: impl Into<String>,
    says: &'static str,
) -> Case {
    Case {
        name,
        main_tf,
        command: "plan",
        quoted: quoted.into(),
        says,
        not: &[],
    }
}

/// A case only apply finds (Upbound or the cluster must be asked).
fn apply(
    name: &'static str,
    main_tf: String,
    quoted: impl Into<String>,
    says: &'static str,
) -> Case {
    Case {
        command: "apply",
        ..plan(name, main_tf, quoted, says)
    }
}

/// The connection `alpha` with `provider_settings` beside the organization
/// in the provider block (`upbound { … }` settings go in `upbound_settings`).
fn provider_with(upbound_settings: &str, blocks: &str) -> String {
    config(
        &format!(
            "  upbound {{\n    organization = var.organization\n{upbound_settings}  }}\n{blocks}"
        ),
        "  space = \"alpha\"",
    )
}

#[tokio::test]
async fn every_bad_input_is_located_on_its_attribute() {
    let world = World::new().await;
    let resource = |body: &str| config(ORGANIZATION, body);
    let mut cases = vec![
        Case {
            not: &["robot"],
            ..plan(
                "empty space",
                resource("  space = \"\""),
                "space = \"\"",
                "is empty",
            )
        },
        plan(
            "padded space",
            resource("  space = \" dev \""),
            "space = \" dev \"",
            "write \"dev\"",
        ),
        plan(
            "a space starting with '-'",
            resource("  space = \"-dev\""),
            "space = \"-dev\"",
            "start and end",
        ),
        plan(
            "a namespace with a space in it",
            config(ORGANIZATION, "  space = \"alpha\"\n  namespace = \"my ns\""),
            "namespace = \"my ns\"",
            "lowercase",
        ),
        plan(
            "a Secret name with '/'",
            resource("  space = \"alpha\"\n  token_secret_name = \"a/b\""),
            "token_secret_name = \"a/b\"",
            "Kubernetes object name",
        ),
        plan(
            "a robot name with a newline",
            resource("  space = \"alpha\"\n  robot_name = \"ci\\nbot\""),
            "robot_name = \"ci\\nbot\"",
            "printable characters",
        ),
        plan(
            "a resource organization that is an e-mail address",
            resource("  space = \"alpha\"\n  organization = \"me@acme.io\""),
            "organization = \"me@acme.io\"",
            "account name",
        ),
        plan(
            "an unknown space_record mode",
            resource("  space = \"alpha\"\n  space_record = \"cloud\""),
            "space_record = \"cloud\"",
            "\"agent\"",
        ),
        Case {
            not: &["xpkg.upbound.io"],
            ..plan(
                "a version that is no version",
                resource("  space = \"alpha\"\n  agent {\n    version = \"latest please\"\n  }"),
                "version = \"latest please\"",
                "SemVer",
            )
        },
        plan(
            "a timeout without a unit",
            resource("  space = \"alpha\"\n  agent {\n    timeout = \"5\"\n  }"),
            "timeout = \"5\"",
            "5s",
        ),
        plan(
            "a grant with an unknown level",
            resource(
                "  space = \"alpha\"\n  access {\n    subject = \"upbound:user:alice\"\n    level   = \"superuser\"\n  }",
            ),
            "level   = \"superuser\"",
            "admin, edit or view",
        ),
        Case {
            command: "apply",
            ..plan(
                "a kubeconfig that does not exist",
                config(
                    &format!(
                        "{ORGANIZATION}\n  kubernetes {{\n    config_path = \"/nonexistent/kubeconfig\"\n  }}"
                    ),
                    "  space = \"alpha\"",
                ),
                "",
                "`kubernetes.config_path` in the provider block \"/nonexistent/kubeconfig\" cannot be read",
            )
        },
        Case {
            command: "apply",
            ..plan(
                "a context the kubeconfig does not have",
                config(
                    &format!(
                        "{ORGANIZATION}\n  kubernetes {{\n    config_context = \"nope\"\n  }}"
                    ),
                    "  space = \"alpha\"",
                ),
                "",
                "`kubernetes.config_context` in the provider block \"nope\" is not a context",
            )
        },
        plan(
            "a provider-level organization that is an e-mail address",
            config(
                "  upbound {\n    organization = \"me@acme.io\"\n  }",
                "  space = \"alpha\"",
            ),
            "organization = \"me@acme.io\"",
            "account name",
        ),
        plan(
            "a licence file that is no token.json",
            config(
                &format!(
                    "{ORGANIZATION}\n  registry {{\n    license_file = \"/etc/hostname\"\n  }}"
                ),
                "  space = \"alpha\"",
            ),
            "license_file = \"/etc/hostname\"",
            "token.json",
        ),
    ];
    let member = world
        .double
        .add_user(NewUser::new("member").member_of(world.organization.clone()))
        .expect("member");
    let without_spaces = testkit::access::new_group(&world.kube).await;
    let too_long = "a".repeat(64);
    let upbound = |setting: &str| provider_with(&format!("    {setting}\n"), "");
    let kubernetes =
        |setting: &str| provider_with("", &format!("  kubernetes {{\n    {setting}\n  }}"));
    let long_space = format!("space = \"{too_long}\"");
    let long_namespace = format!("namespace = \"{too_long}\"");
    let long_robot_name = format!("robot_name = \"{}\"", "r".repeat(101));
    let token_line = |token: &str| format!("token = \"{token}\"");
    let token_without_jti = token_line(&unsigned_jwt(r#"{"sub":"user|1"}"#));
    let unknown_token = token_line(&unsigned_jwt(r#"{"jti":"no-such-login"}"#));
    let member_token = token_line(member.token.jwt.expose());
    let namespace_without_spaces = format!("namespace = \"{without_spaces}\"");
    let restricted_path = format!("config_path = \"{}\"", harness_env("RESTRICTED_KUBECONFIG"));
    cases.extend([
        plan(
            "a space with capitals",
            resource("  space = \"Dev\""),
            "space = \"Dev\"",
            "\"my-space\"",
        ),
        plan(
            "a space too long",
            resource(&format!("  {long_space}")),
            &long_space,
            "longer than 63",
        ),
        plan(
            "an empty resource organization",
            resource("  space = \"alpha\"\n  organization = \"\""),
            "organization = \"\"",
            "is empty",
        ),
        plan(
            "an organization with a space in it",
            resource("  space = \"alpha\"\n  organization = \"my org\""),
            "organization = \"my org\"",
            "lowercase",
        ),
        plan(
            "a namespace too long",
            config(ORGANIZATION, &format!("  space = \"alpha\"\n  {long_namespace}")),
            &long_namespace,
            "longer than 63",
        ),
        plan(
            "a robot name too long",
            resource(&format!("  space = \"alpha\"\n  {long_robot_name}")),
            &long_robot_name,
            "1 to 100 printable characters",
        ),
        plan(
            "a timeout that is no duration",
            resource("  space = \"alpha\"\n  agent {\n    timeout = \"soon\"\n  }"),
            "timeout = \"soon\"",
            "5m",
        ),
        plan(
            "a grant with an unknown subject",
            resource(
                "  space = \"alpha\"\n  access {\n    subject = \"alice\"\n    level   = \"view\"\n  }",
            ),
            "subject = \"alice\"",
            "upbound:user:",
        ),
        plan(
            "an endpoint that is no URL",
            upbound("endpoint = \"api upbound io\""),
            "endpoint = \"api upbound io\"",
            "not a URL",
        ),
        plan(
            "plain http to a remote host",
            upbound("endpoint = \"http://api.example.com\""),
            "endpoint = \"http://api.example.com\"",
            "plain http",
        ),
        plan(
            "an endpoint that is not http",
            upbound("endpoint = \"ftp://api.example\""),
            "endpoint = \"ftp://api.example\"",
            "https://",
        ),
        plan(
            "a token that is no Upbound token",
            upbound("token = \"not-a-token\""),
            "token = \"not-a-token\"",
            "not an Upbound token",
        ),
        plan(
            "a token without a jti claim",
            upbound(&token_without_jti),
            &token_without_jti,
            "jti",
        ),
        apply(
            "a token Upbound does not know (401)",
            upbound(&unknown_token),
            "",
            "401",
        ),
        apply(
            "a member's token, not an owner's (403)",
            upbound(&member_token),
            "",
            "owner",
        ),
        plan(
            "a registry that is a URL",
            provider_with("", "  registry {\n    host = \"https://mirror.example/x\"\n  }"),
            "host = \"https://mirror.example/x\"",
            "registry host",
        ),
        plan(
            "a licence without its token",
            provider_with("", "  registry {\n    license_file = \"${path.module}/half.json\"\n  }"),
            "license_file = \"${path.module}/half.json\"",
            "token.json",
        ),
        plan(
            "a licence with an empty accessId",
            provider_with("", "  registry {\n    license_file = \"${path.module}/empty-id.json\"\n  }"),
            "license_file = \"${path.module}/empty-id.json\"",
            "empty",
        ),
        apply(
            "an organization that does not exist",
            resource("  space = \"alpha\"\n  organization = \"other\""),
            "organization = \"other\"",
            "other",
        ),
        apply(
            "an organization that is a user",
            resource("  space = \"alpha\"\n  organization = \"owner\""),
            "organization = \"owner\"",
            "owner",
        ),
        apply(
            "a namespace that does not exist",
            config(ORGANIZATION, "  space = \"alpha\"\n  namespace = \"no-such-namespace\""),
            "namespace = \"no-such-namespace\"",
            "no-such-namespace",
        ),
        apply(
            "a namespace without Spaces",
            config(ORGANIZATION, &format!("  space = \"alpha\"\n  {namespace_without_spaces}")),
            "",
            "`skip_space_check`",
        ),
        apply(
            "a version the registry does not have",
            resource("  space = \"alpha\"\n  agent {\n    version = \"9.9.9\"\n  }"),
            "version = \"9.9.9\"",
            "9.9.9",
        ),
        apply(
            "values the chart's schema refuses",
            resource("  space = \"alpha\"\n  agent {\n    values = \"replicaCount: -1\"\n  }"),
            "values = \"replicaCount: -1\"",
            "replicaCount",
        ),
        apply(
            "a kubeconfig whose bad line holds a token",
            kubernetes("config_path = \"${path.module}/bad.kubeconfig\""),
            "",
            "`kubernetes.config_path` in the provider block",
        ),
        apply(
            "a cluster out of reach",
            kubernetes("config_path = \"${path.module}/closed.kubeconfig\""),
            "",
            "Check `kubernetes.config_path` in the provider block. If the cluster is gone for good, set `cloud_only_destroy = true`",
        ),
        apply(
            "a cluster address out of reach",
            kubernetes("host = \"https://127.0.0.1:1\"\n    insecure = true"),
            "",
            "`kubernetes.host` in the provider block",
        ),
        apply(
            "credentials without the rights to write Secrets",
            kubernetes(&restricted_path),
            "",
            "forbidden",
        ),
    ]);
    let terraform = TerraformDir::for_world(&world, &cases[0].main_tf);
    terraform.write("half.json", r#"{"accessId": "x"}"#);
    terraform.write("empty-id.json", r#"{"accessId": "", "token": "x"}"#);
    terraform.write("bad.kubeconfig", &kubeconfig_with_bad_line_after_token());
    terraform.write("closed.kubeconfig", UNREACHABLE_KUBECONFIG);
    terraform.init().await.success();
    let mut failures = Vec::new();
    for case in &cases {
        terraform.write("main.tf", &case.main_tf);
        let run = match case.command {
            "apply" => terraform.apply(&[]).await,
            _ => terraform.plan(&[]).await,
        };
        failures.extend(check(case, &run));
    }

    let unlicensed = TerraformDir::for_world(&world, &resource("  space = \"alpha\""))
        .env("UPBOUND_REGISTRY_ACCESS_ID", "")
        .env("UPBOUND_REGISTRY_TOKEN", "");
    unlicensed.init().await.success();
    let run = unlicensed.apply(&[]).await;
    failures.extend(check(
        &Case {
            name: "no registry credentials",
            main_tf: String::new(),
            command: "apply",
            quoted: String::new(),
            says: "`registry.license_file` in the provider block",
            not: &[],
        },
        &run,
    ));

    let tokenless =
        TerraformDir::for_world(&world, &resource("  space = \"alpha\"")).env("UPBOUND_TOKEN", "");
    tokenless.init().await.success();
    let run = tokenless.plan(&[]).await;
    failures.extend(check(
        &Case {
            name: "no token",
            main_tf: String::new(),
            command: "plan",
            quoted: String::new(),
            says: "`upbound.token` (or UPBOUND_TOKEN) is missing",
            not: &["action"],
        },
        &run,
    ));

    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The member's token tries to create a robot, and Upbound refuses it.
    assert_eq!(world.double.robots(), vec![], "no robot was created");
    assert!(world.minted_tokens().is_empty(), "no token was minted");
    assert_eq!(world.secret_version("connect-token").await, None);
}

/// What is wrong with `run` for `case`.
fn check(case: &Case, run: &TerraformRun) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut fail = |what: String| wrong.push(format!("{}: {what}\n{run}", case.name));
    if run.code != 1 {
        fail(format!("exit {}, want 1", run.code));
    }
    if !run.stderr.contains(&case.quoted) {
        fail(format!("the error does not point at `{}`", case.quoted));
    }
    if !run.says(case.says) {
        fail(format!("does not say {:?}", case.says));
    }
    if run.console().contains(KUBECONFIG_SECRET) {
        fail("echoes the kubeconfig's token".to_owned());
    }
    for words in OTHER_FACES.iter().chain(case.not) {
        if run.console().contains(words) {
            fail(format!("says {words:?}"));
        }
    }
    wrong
}
