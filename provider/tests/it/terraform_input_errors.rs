//! Every bad input a Terraform user can write, table-driven against real
//! Terraform: each error is located on the attribute (of the resource or
//! of the provider block) that sets it, so Terraform quotes that line;
//! no message speaks another face's words (CLI flags, Action inputs, the
//! engine's own names); nothing changes in Upbound or the cluster.

use testkit::terraform::{TerraformDir, TerraformRun};
use testkit::world::World;

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
    quoted: &'static str,
    /// Words the error must say.
    says: &'static str,
    /// Words it must not say (beyond the other faces').
    not: &'static [&'static str],
}

fn plan(name: &'static str, main_tf: String, quoted: &'static str, says: &'static str) -> Case {
    Case {
        name,
        main_tf,
        command: "plan",
        quoted,
        says,
        not: &[],
    }
}

#[tokio::test]
async fn every_bad_input_is_located_on_its_attribute() {
    let world = World::new().await;
    let resource = |body: &str| config(ORGANIZATION, body);
    let cases = vec![
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
    let terraform = TerraformDir::for_world(&world, &cases[0].main_tf);
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
            quoted: "",
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
            quoted: "",
            says: "`upbound.token` (or UPBOUND_TOKEN) is missing",
            not: &["action"],
        },
        &run,
    ));

    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        world.writes(),
        Default::default(),
        "nothing was written to Upbound"
    );
    assert_eq!(world.double.robots(), vec![]);
    assert_eq!(world.secret_version("connect-token").await, None);
}

/// What is wrong with `run` for `case`.
fn check(case: &Case, run: &TerraformRun) -> Vec<String> {
    let mut wrong = Vec::new();
    let mut fail = |what: String| wrong.push(format!("{}: {what}\n{run}", case.name));
    if run.code != 1 {
        fail(format!("exit {}, want 1", run.code));
    }
    if !run.stderr.contains(case.quoted) {
        fail(format!("the error does not point at `{}`", case.quoted));
    }
    if !run.says(case.says) {
        fail(format!("does not say {:?}", case.says));
    }
    for words in OTHER_FACES.iter().chain(case.not) {
        if run.console().contains(words) {
            fail(format!("says {words:?}"));
        }
    }
    wrong
}
