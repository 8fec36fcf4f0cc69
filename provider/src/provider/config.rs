//! The provider configuration, read from the provider block with the
//! environment filling what the block leaves out, and validated before any
//! client exists. Every problem names its attribute.

use std::collections::BTreeMap;
use std::path::PathBuf;

use upbound_connect::Secret;
use upbound_connect::cluster::{ClusterAccess, ExecPlugin, ExplicitAccess};
use upbound_connect::spec::{
    Field, FieldError, UpboundAccess, UpboundInput, validate_license, validate_organization,
    validate_registry,
};

use crate::cty::{AttributePath, Value};
use crate::diagnostics::Diagnostics;

/// The provider's settings, validated.
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    /// How to reach Upbound.
    pub upbound: UpboundAccess,
    /// The organization resources default to.
    pub organization: Option<String>,
    /// How to reach the cluster.
    pub cluster: ClusterAccess,
    /// The licence `token.json`, if registry credentials were given.
    pub license_json: Option<Secret>,
    /// The registry host, if not the engine's default.
    pub registry: Option<String>,
}

/// The provider's registry settings, as far as they are known.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    /// The licence `token.json`.
    pub license_json: Option<Secret>,
    /// The registry host.
    pub host: Option<String>,
}

impl ProviderConfig {
    /// The registry settings connections get.
    pub fn registry_settings(&self) -> Registry {
        Registry {
            license_json: self.license_json.clone(),
            host: self.registry.clone(),
        }
    }
}

/// Where the environment comes from (the process, or a test's map).
pub type Environment<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, blank values counting as unset.
pub fn process_environment(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Checks what can be checked without the environment or files: settings
/// that exclude each other. Unknown values are not checked.
pub fn validate(config: &Value) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    check_cluster_block(
        config.attribute("kubernetes"),
        "kubernetes",
        &mut diagnostics,
    );
    let registry = config.attribute("registry");
    let license_file = !registry.attribute("license_file").is_null();
    let access_id = !registry.attribute("access_id").is_null();
    let token = !registry.attribute("token").is_null();
    if license_file && (access_id || token) {
        diagnostics.error(
            "Conflicting registry credentials",
            "Give `license_file`, or `access_id` and `token`, not both.",
            Some(AttributePath::root("registry").attribute("license_file")),
        );
    } else if access_id != token {
        let missing = if access_id { "token" } else { "access_id" };
        diagnostics.error(
            "Incomplete registry credentials",
            format!(
                "`access_id` and `token` go together: set `{missing}` too, or use `license_file`."
            ),
            Some(AttributePath::root("registry").attribute(missing)),
        );
    }
    diagnostics
}

/// Checks a cluster block (the provider's `kubernetes`, a connection's
/// `cluster`, named `root`) for settings that exclude each other; unknown
/// values are not checked.
pub fn check_cluster_block(block: &Value, root: &str, diagnostics: &mut Diagnostics) {
    let set = |name: &str| !block.attribute(name).is_null();
    if set("config_path") && set("config_paths") {
        diagnostics.error(
            "Conflicting kubeconfig settings",
            "Give `config_path` or `config_paths`, not both.",
            Some(AttributePath::root(root).attribute("config_paths")),
        );
    }
    if set("host") && (set("config_path") || set("config_paths")) {
        diagnostics.error(
            "Conflicting cluster settings",
            "Give a kubeconfig (`config_path`, `config_paths`) or `host` with credentials, not both.",
            Some(AttributePath::root(root).attribute("host")),
        );
    }
    if set("exec") && !set("host") {
        diagnostics.error(
            "Credential plugin without a host",
            "An `exec` credential plugin authenticates to `host`: set `host` (and `cluster_ca_certificate`) too, or put the plugin in a kubeconfig given with `config_path`.",
            Some(AttributePath::root(root).attribute("exec")),
        );
    }
}

/// Reads and validates the configuration. The caller has checked that it
/// is wholly known.
pub fn parse(config: &Value, environment: Environment<'_>) -> Result<ProviderConfig, Diagnostics> {
    let mut diagnostics = validate(config);
    let upbound = config.attribute("upbound");
    let setting = |block: &Value, name: &str, variable: &str| {
        block
            .attribute(name)
            .as_str()
            .map(str::to_owned)
            .or_else(|| environment(variable))
    };

    let input = UpboundInput {
        endpoint: setting(upbound, "endpoint", "UPBOUND_ENDPOINT"),
        token: setting(upbound, "token", "UPBOUND_TOKEN").map(Secret::new),
        request_timeout: None,
    };
    let access = input.validate().map_err(|invalid| {
        for problem in &invalid.0 {
            provider_problem(&mut diagnostics, problem);
        }
    });
    let organization = setting(upbound, "organization", "UPBOUND_ORGANIZATION")
        .filter(|organization| !organization.trim().is_empty())
        .and_then(|organization| {
            validate_organization(&organization)
                .map_err(|problem| {
                    diagnostics.error(
                        "Invalid provider configuration",
                        format!(
                            "`upbound.organization` (or UPBOUND_ORGANIZATION) {}; {}.",
                            problem.problem, problem.fix
                        ),
                        Some(AttributePath::root("upbound").attribute("organization")),
                    );
                })
                .ok()
        });

    let cluster = cluster_access(config.attribute("kubernetes"), environment);
    let registry_block = config.attribute("registry");
    let license_json = license(registry_block, environment, &mut diagnostics);
    if let Some(Err(problem)) = license_json.as_ref().map(validate_license) {
        // On the attribute that gave the content: the file, or the pair.
        let attribute = ["license_file", "token"]
            .into_iter()
            .find(|name| !registry_block.attribute(name).is_null());
        let path = match attribute {
            Some(name) => AttributePath::root("registry").attribute(name),
            None => AttributePath::root("registry"),
        };
        diagnostics.error(
            "Invalid provider configuration",
            format!(
                "The registry credentials (`{path}`, or UPBOUND_LICENSE_FILE) {}; {}.",
                problem.problem, problem.fix
            ),
            Some(path),
        );
    }
    let registry = setting(registry_block, "host", "UPBOUND_REGISTRY");
    if let Some(Err(problem)) = registry.as_deref().map(validate_registry) {
        provider_problem(&mut diagnostics, &problem);
    }

    match access {
        Ok(upbound) if !diagnostics.has_errors() => Ok(ProviderConfig {
            upbound,
            organization,
            cluster,
            license_json,
            registry,
        }),
        _ => Err(diagnostics),
    }
}

/// A problem with a provider setting, on its attribute, naming the
/// environment variable that can set it too.
fn provider_problem(diagnostics: &mut Diagnostics, problem: &FieldError) {
    let (path, variable) = match problem.field {
        Field::Token => (
            AttributePath::root("upbound").attribute("token"),
            "UPBOUND_TOKEN",
        ),
        Field::Endpoint => (
            AttributePath::root("upbound").attribute("endpoint"),
            "UPBOUND_ENDPOINT",
        ),
        Field::Registry => (
            AttributePath::root("registry").attribute("host"),
            "UPBOUND_REGISTRY",
        ),
        // The licence is a file or a pair; its problems are the content's.
        _ => (AttributePath::root("registry"), "UPBOUND_LICENSE_FILE"),
    };
    diagnostics.error(
        "Invalid provider configuration",
        format!(
            "`{path}` (or {variable}) {}; {}.",
            problem.problem, problem.fix
        ),
        Some(path),
    );
}

/// The cluster access a `kubernetes` (or a connection's `cluster`) block,
/// or the environment, asks for. The caller has checked it is known.
pub fn cluster_access(block: &Value, environment: Environment<'_>) -> ClusterAccess {
    let text = |name: &str| block.attribute(name).as_str().map(str::to_owned);
    let context = text("config_context").or_else(|| environment("KUBE_CTX"));
    if let Some(host) = text("host") {
        return ClusterAccess::Explicit(ExplicitAccess {
            host,
            token: text("token").map(Secret::new),
            cluster_ca_certificate: text("cluster_ca_certificate"),
            client_certificate: text("client_certificate"),
            client_key: text("client_key").map(Secret::new),
            insecure: block.attribute("insecure").as_bool().unwrap_or(false),
            exec: exec_plugin(block.attribute("exec")),
        });
    }
    let listed: Vec<String> = match block.attribute("config_paths") {
        Value::List(paths) => paths
            .iter()
            .filter_map(|path| path.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let paths: Vec<String> = if !listed.is_empty() {
        listed
    } else if let Some(path) = text("config_path").or_else(|| environment("KUBE_CONFIG_PATH")) {
        vec![path]
    } else if let Some(paths) = environment("KUBE_CONFIG_PATHS") {
        paths
            .split(':')
            .filter(|path| !path.is_empty())
            .map(str::to_owned)
            .collect()
    } else if context.is_some() {
        // A context needs a kubeconfig: the one kubectl would read.
        environment("KUBECONFIG")
            .map(|paths| {
                paths
                    .split(':')
                    .filter(|path| !path.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_else(|| vec!["~/.kube/config".to_owned()])
    } else {
        return ClusterAccess::Infer;
    };
    ClusterAccess::Kubeconfig {
        paths: paths
            .iter()
            .map(|path| expand_home(path, environment))
            .collect(),
        context,
    }
}

/// The `exec` block's credential plugin, if the block is set.
fn exec_plugin(block: &Value) -> Option<ExecPlugin> {
    let text = |name: &str| block.attribute(name).as_str().map(str::to_owned);
    let api_version = text("api_version")?;
    let command = text("command")?;
    let args = match block.attribute("args") {
        Value::List(args) => args
            .iter()
            .filter_map(|arg| arg.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let env = match block.attribute("env") {
        Value::Map(env) => env
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
            .collect(),
        _ => BTreeMap::new(),
    };
    Some(ExecPlugin {
        api_version,
        command,
        args,
        env,
    })
}

/// `~/x` as `$HOME/x`, as the kubernetes provider reads paths.
fn expand_home(path: &str, environment: Environment<'_>) -> PathBuf {
    match (path.strip_prefix("~/"), environment("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// The licence `token.json` the `registry` block gives, if any; the
/// environment's only when the block sets no credentials.
fn license(
    block: &Value,
    environment: Environment<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<Secret> {
    let text = |name: &str| block.attribute(name).as_str().map(str::to_owned);
    let in_block = ["license_file", "access_id", "token"]
        .iter()
        .any(|name| !block.attribute(name).is_null());
    let (license_file, access_id, token) = if in_block {
        (text("license_file"), text("access_id"), text("token"))
    } else {
        (
            environment("UPBOUND_LICENSE_FILE"),
            environment("UPBOUND_REGISTRY_ACCESS_ID"),
            environment("UPBOUND_REGISTRY_TOKEN"),
        )
    };
    if let Some(path) = license_file.as_deref() {
        return match std::fs::read_to_string(path) {
            Ok(json) => Some(Secret::new(json)),
            Err(error) => {
                diagnostics.error(
                    "Unreadable licence file",
                    format!("Cannot read {path:?}: {error}. Point `license_file` at the licence token.json from Upbound."),
                    Some(AttributePath::root("registry").attribute("license_file")),
                );
                None
            }
        };
    }
    let (Some(access_id), Some(token)) = (access_id, token) else {
        return None;
    };
    let json = serde_json::json!({ "accessId": access_id, "token": token });
    Some(Secret::new(json.to_string()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn object(entries: &[(&str, Value)]) -> Value {
        Value::Object(
            entries
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn string(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    /// A token whose payload carries `jti`, as Upbound tokens do.
    const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJqdGkiOiJsb2dpbi0xIn0.c2ln";

    #[test]
    fn environment_fills_what_the_block_leaves_out() {
        let environment = |name: &str| match name {
            "UPBOUND_TOKEN" => Some(TOKEN.to_owned()),
            "UPBOUND_ORGANIZATION" => Some("acme".to_owned()),
            "KUBE_CONFIG_PATH" => Some("/k/config".to_owned()),
            "KUBE_CTX" => Some("kind-a".to_owned()),
            _ => None,
        };
        let config = parse(&object(&[]), &environment).expect("valid");
        assert_eq!(config.upbound.token_id, "login-1");
        assert_eq!(config.organization.as_deref(), Some("acme"));
        match config.cluster {
            ClusterAccess::Kubeconfig { paths, context } => {
                assert_eq!(paths, vec![PathBuf::from("/k/config")]);
                assert_eq!(context.as_deref(), Some("kind-a"));
            }
            other => panic!("expected a kubeconfig, got {other:?}"),
        }
    }

    #[test]
    fn missing_token_points_at_the_attribute() {
        let diagnostics = parse(&object(&[]), &|_| None).expect_err("no token");
        let error = &diagnostics.0[0];
        assert_eq!(
            error.attribute,
            Some(AttributePath::root("upbound").attribute("token"))
        );
        assert!(error.detail.contains("UPBOUND_TOKEN"), "{}", error.detail);
    }

    #[test]
    fn registry_access_id_needs_a_token() {
        let config = object(&[(
            "registry",
            object(&[
                ("access_id", string("id")),
                ("token", Value::Null),
                ("license_file", Value::Null),
            ]),
        )]);
        let diagnostics = validate(&config);
        assert_eq!(
            diagnostics.0[0].attribute,
            Some(AttributePath::root("registry").attribute("token"))
        );
    }

    #[test]
    fn registry_credentials_become_a_token_json_without_leaking() {
        let config = object(&[
            ("upbound", object(&[("token", string(TOKEN))])),
            (
                "registry",
                object(&[("access_id", string("id")), ("token", string("s3cret"))]),
            ),
        ]);
        let parsed = parse(&config, &|_| None).expect("valid");
        let json: serde_json::Value =
            serde_json::from_str(parsed.license_json.as_ref().expect("licence").expose())
                .expect("json");
        assert_eq!(json["accessId"], "id");
        assert!(!format!("{parsed:?}").contains("s3cret"));
    }
}
