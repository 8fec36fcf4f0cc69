//! The provider block's schema: `upbound`, `kubernetes` and `registry`
//! blocks, each optional, with environment fallbacks as the kubernetes and
//! helm providers have them.

use crate::schema::{Attribute, Block, Mode, NestedBlock, Nesting, Schema};

/// The provider configuration schema.
pub fn schema() -> Schema {
    Schema {
        version: 0,
        block: Block {
            description: "The `upbound` provider connects self-hosted Upbound Spaces to the Upbound Console. \
It needs an Upbound token (to manage robots and robot tokens) and access to each Space's Kubernetes cluster \
(to store the robot token in a Secret). Every setting may come from the environment instead.",
            attributes: Vec::new(),
            blocks: vec![upbound(), kubernetes(), registry()],
        },
    }
}

fn upbound() -> NestedBlock {
    NestedBlock {
        name: "upbound",
        nesting: Nesting::Single,
        block: Block {
            description: "How to reach the Upbound API.",
            attributes: vec![
                Attribute::string(
                    "endpoint",
                    Mode::Optional,
                    "The Upbound API's base URL. Defaults to `UPBOUND_ENDPOINT`, else `https://api.upbound.io`. \
Plain `http://` is accepted only for loopback addresses.",
                ),
                Attribute::string(
                    "token",
                    Mode::Optional,
                    "An Upbound personal access token or robot token whose user or robot owns the organization. \
Defaults to `UPBOUND_TOKEN`. It is used to sign in and is never written to state.",
                )
                .sensitive(),
                Attribute::string(
                    "organization",
                    Mode::Optional,
                    "The organization's account name, used by resources that do not set their own. \
Defaults to `UPBOUND_ORGANIZATION`.",
                ),
            ],
            blocks: Vec::new(),
        },
    }
}

fn kubernetes() -> NestedBlock {
    cluster_block(
        "kubernetes",
        "How to reach the Space's Kubernetes cluster, as in the `kubernetes` provider: \
a kubeconfig (`config_path`/`config_paths` and `config_context`), or `host` with credentials (a token, a client \
certificate, or an `exec` credential plugin). Without either, `KUBE_CONFIG_PATH`/`KUBE_CTX` are used, then \
`KUBECONFIG`, `~/.kube/config` or the in-cluster service account. A connection's own `cluster` block overrides it.",
    )
}

/// A cluster's access settings, as the `kubernetes` provider spells them:
/// the provider's `kubernetes` block and a connection's `cluster` block.
pub fn cluster_block(name: &'static str, description: &'static str) -> NestedBlock {
    NestedBlock {
        name,
        nesting: Nesting::Single,
        block: Block {
            description,
            attributes: vec![
                Attribute::string(
                    "config_path",
                    Mode::Optional,
                    "Path to a kubeconfig file. Defaults to `KUBE_CONFIG_PATH`.",
                ),
                Attribute::strings(
                    "config_paths",
                    Mode::Optional,
                    "Paths to kubeconfig files, merged in order as `kubectl` does. \
Defaults to `KUBE_CONFIG_PATHS` (separated by `:`). Conflicts with `config_path`.",
                ),
                Attribute::string(
                    "config_context",
                    Mode::Optional,
                    "The kubeconfig context to use. Defaults to `KUBE_CTX`, else the kubeconfig's current context.",
                ),
                Attribute::string(
                    "host",
                    Mode::Optional,
                    "The API server's URL, e.g. `https://10.0.0.1:6443`. Conflicts with a kubeconfig.",
                ),
                Attribute::string("token", Mode::Optional, "A bearer token for `host`.")
                    .sensitive(),
                Attribute::string(
                    "cluster_ca_certificate",
                    Mode::Optional,
                    "PEM-encoded CA certificate of `host`.",
                ),
                Attribute::string(
                    "client_certificate",
                    Mode::Optional,
                    "PEM-encoded client certificate for `host`.",
                ),
                Attribute::string(
                    "client_key",
                    Mode::Optional,
                    "PEM-encoded key of `client_certificate`.",
                )
                .sensitive(),
                Attribute::bool(
                    "insecure",
                    Mode::Optional,
                    "Skip verifying `host`'s certificate. Only for test clusters.",
                ),
            ],
            blocks: vec![exec()],
        },
    }
}

/// The `exec` block: a client-go credential plugin for `host`.
fn exec() -> NestedBlock {
    NestedBlock {
        name: "exec",
        nesting: Nesting::Single,
        block: Block {
            description: "A credential plugin for `host`, as a kubeconfig user's `exec`: a command printing \
an `ExecCredential` (a short-lived token, or a client certificate and key), e.g. `aws eks get-token` or \
`gke-gcloud-auth-plugin`. It runs whenever a credential is needed.",
            attributes: vec![
                Attribute::string(
                    "api_version",
                    Mode::Required,
                    "The `ExecCredential` API version the plugin speaks, e.g. `client.authentication.k8s.io/v1`.",
                ),
                Attribute::string(
                    "command",
                    Mode::Required,
                    "The command (looked up on `PATH` unless it holds a `/`).",
                ),
                Attribute::strings("args", Mode::Optional, "Its arguments."),
                Attribute::string_map(
                    "env",
                    Mode::Optional,
                    "Environment variables it gets beside the provider's own.",
                ),
            ],
            blocks: Vec::new(),
        },
    }
}

fn registry() -> NestedBlock {
    NestedBlock {
        name: "registry",
        nesting: Nesting::Single,
        block: Block {
            description: "The registry the Connect agent's chart and images come from (`xpkg.upbound.io` \
unless `host` says otherwise), and its credentials from your Upbound licence: the chart is pulled with them, \
and each connection keeps the pull secret `upbound-pull-secret` in its namespace for the images. \
Give `license_file`, or `access_id` and `token`.",
            attributes: vec![
                Attribute::string(
                    "host",
                    Mode::Optional,
                    "The registry's host (`host[:port]`, e.g. a mirror). Defaults to `UPBOUND_REGISTRY`, \
else `xpkg.upbound.io`. The agent chart's default is `oci://<host>/spaces-artifacts/agent`, its images' \
`<host>/spaces-artifacts/agent` and `<host>/spaces-artifacts/register-init`.",
                ),
                Attribute::string(
                    "license_file",
                    Mode::Optional,
                    "Path to the licence `token.json` (`{\"accessId\": …, \"token\": …}`). \
Defaults to `UPBOUND_LICENSE_FILE` when no credentials are set in the block.",
                ),
                Attribute::string(
                    "access_id",
                    Mode::Optional,
                    "The licence's access ID (the registry user name). \
Defaults to `UPBOUND_REGISTRY_ACCESS_ID` when no credentials are set in the block.",
                ),
                Attribute::string(
                    "token",
                    Mode::Optional,
                    "The licence's token (the registry password). \
Defaults to `UPBOUND_REGISTRY_TOKEN` when no credentials are set in the block.",
                )
                .sensitive(),
            ],
            blocks: Vec::new(),
        },
    }
}
