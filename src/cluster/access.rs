//! How to reach the cluster, as the kubernetes Terraform provider spells it:
//! a kubeconfig (paths and context), explicit host and credentials, the
//! in-cluster service account, or the usual inference (`KUBECONFIG`,
//! `~/.kube/config`, in-cluster).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use kube::config::{
    AuthInfo, Cluster, Context, ExecConfig, ExecInteractiveMode, KubeConfigOptions, Kubeconfig,
    KubeconfigError, NamedAuthInfo, NamedCluster, NamedContext,
};

use super::error::ClusterError;
use crate::secret::Secret;
use crate::spec::{Field, FieldError};

/// The name given to the one cluster/user/context of an explicit access.
const EXPLICIT: &str = "explicit";

/// Where the cluster is and who we are in it.
#[derive(Clone, Debug, Default)]
pub enum ClusterAccess {
    /// `KUBECONFIG`, then `~/.kube/config`, then in-cluster.
    #[default]
    Infer,
    /// Kubeconfig files (merged in order, as kubectl does) and a context.
    Kubeconfig {
        /// The files; at least one.
        paths: Vec<PathBuf>,
        /// The context to use; the current context when `None`.
        context: Option<String>,
    },
    /// An API server URL with explicit credentials.
    Explicit(ExplicitAccess),
    /// The pod's service account.
    InCluster,
}

/// An API server and credentials, given directly.
#[derive(Clone, Debug, Default)]
pub struct ExplicitAccess {
    /// The API server URL, e.g. `https://10.0.0.1:6443`.
    pub host: String,
    /// A bearer token.
    pub token: Option<Secret>,
    /// The cluster CA certificate (PEM).
    pub cluster_ca_certificate: Option<String>,
    /// A client certificate (PEM).
    pub client_certificate: Option<String>,
    /// The client certificate's key (PEM).
    pub client_key: Option<Secret>,
    /// Skip verifying the server's certificate.
    pub insecure: bool,
    /// A credential plugin run for the credentials (as a kubeconfig
    /// user's `exec`), e.g. a cloud CLI printing a short-lived token.
    pub exec: Option<ExecPlugin>,
}

/// A client-go credential plugin: a command printing an `ExecCredential`
/// (a token, or a client certificate and key) on stdout. Its `Debug` shows
/// the environment's names only: their values may be credentials.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct ExecPlugin {
    /// The `ExecCredential` API version it speaks, e.g.
    /// `client.authentication.k8s.io/v1`.
    pub api_version: String,
    /// The command (found on `PATH` unless it holds a `/`).
    pub command: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Environment variables it gets besides the process's.
    pub env: BTreeMap<String, String>,
}

impl fmt::Debug for ExecPlugin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ExecPlugin")
            .field("api_version", &self.api_version)
            .field("command", &self.command)
            .field("args", &self.args)
            .field("env", &self.env.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ClusterAccess {
    /// A digest of everything this access holds (secrets included, only
    /// hashed): two accesses with the same fingerprint reach the same
    /// cluster as the same user, so they may share a client.
    pub fn fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        // Secrets print redacted; their digests go in beside.
        hasher.update(format!("{self:?}"));
        if let Self::Explicit(explicit) = self {
            for secret in [&explicit.token, &explicit.client_key]
                .into_iter()
                .flatten()
            {
                hasher.update(Sha256::digest(secret.expose()));
            }
            for value in explicit.exec.iter().flat_map(|plugin| plugin.env.values()) {
                hasher.update(Sha256::digest(value));
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }

    /// The input this access comes from: where a problem with it is fixed.
    pub fn field(&self) -> Field {
        match self {
            Self::Infer | Self::Kubeconfig { .. } => Field::Kubeconfig,
            Self::Explicit(_) => Field::ClusterHost,
            Self::InCluster => Field::InCluster,
        }
    }

    /// A kube client configuration for this access; each request times out
    /// after `request_timeout`.
    pub async fn config(&self, request_timeout: Duration) -> Result<kube::Config, ClusterError> {
        let mut config = match self {
            Self::Infer => kube::Config::infer().await.map_err(|error| {
                let why = std::error::Error::source(&error)
                    .and_then(|source| source.downcast_ref::<KubeconfigError>())
                    .map_or_else(|| error.to_string(), kubeconfig_problem);
                ClusterError::Config(FieldError::new(Field::Kubeconfig, format!("is not set, and no cluster configuration was found (the default kubeconfig {why}; this is not a pod either)"), "give a kubeconfig file"))
            })?,
            Self::Kubeconfig { paths, context } => from_files(paths, context.clone()).await?,
            Self::Explicit(explicit) => from_explicit(explicit).await?,
            Self::InCluster => kube::Config::incluster().map_err(|error| ClusterError::Config(FieldError::new(Field::InCluster, format!("cannot be used: this is not a pod with a service account ({error})"), "run inside the cluster, or give a kubeconfig")))?,
        };
        config.connect_timeout = Some(request_timeout);
        config.read_timeout = Some(request_timeout);
        config.write_timeout = Some(request_timeout);
        config.reset_reader_on_write = true;
        // Our own retry policy covers every call; one policy, not two.
        config.default_retry = false;
        Ok(config)
    }
}

async fn from_files(
    paths: &[PathBuf],
    context: Option<String>,
) -> Result<kube::Config, ClusterError> {
    let mut merged: Option<Kubeconfig> = None;
    for path in paths {
        let file = Kubeconfig::read_from(path).map_err(|error| {
            ClusterError::Config(FieldError::new(
                Field::Kubeconfig,
                format!(
                    "{:?} {}",
                    path.display().to_string(),
                    kubeconfig_problem(&error)
                ),
                "give a readable kubeconfig file",
            ))
        })?;
        merged = Some(match merged {
            None => file,
            Some(earlier) => earlier.merge(file).map_err(|error| {
                ClusterError::Config(FieldError::new(
                    Field::Kubeconfig,
                    format!(
                        "cannot merge {}: {}",
                        path.display(),
                        kubeconfig_problem(&error)
                    ),
                    "check the kubeconfig files",
                ))
            })?,
        });
    }
    let kubeconfig = merged.ok_or_else(|| {
        ClusterError::Config(FieldError::new(
            Field::Kubeconfig,
            "names no file",
            "give at least one kubeconfig path",
        ))
    })?;
    if let Some(name) = &context
        && !kubeconfig.contexts.iter().any(|known| &known.name == name)
    {
        let known: Vec<&str> = kubeconfig
            .contexts
            .iter()
            .map(|known| known.name.as_str())
            .collect();
        return Err(ClusterError::Config(FieldError::new(
            Field::KubeContext,
            format!("{name:?} is not a context of the kubeconfig"),
            format!("use one of {known:?}"),
        )));
    }
    let options = KubeConfigOptions {
        context,
        ..KubeConfigOptions::default()
    };
    kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|error| {
            ClusterError::Config(FieldError::new(
                Field::Kubeconfig,
                format!("is unusable: {}", kubeconfig_problem(&error)),
                "check the context's cluster and user entries",
            ))
        })
}

async fn from_explicit(explicit: &ExplicitAccess) -> Result<kube::Config, ClusterError> {
    use base64::Engine as _;
    let encode = |pem: &str| base64::engine::general_purpose::STANDARD.encode(pem);
    let kubeconfig = Kubeconfig {
        clusters: vec![NamedCluster {
            name: EXPLICIT.to_owned(),
            cluster: Some(Cluster {
                server: Some(explicit.host.clone()),
                certificate_authority_data: explicit.cluster_ca_certificate.as_deref().map(encode),
                insecure_skip_tls_verify: Some(explicit.insecure),
                ..Cluster::default()
            }),
            other: Default::default(),
        }],
        auth_infos: vec![NamedAuthInfo {
            name: EXPLICIT.to_owned(),
            auth_info: Some(AuthInfo {
                token: explicit
                    .token
                    .as_ref()
                    .map(|token| token.expose().to_owned().into()),
                client_certificate_data: explicit.client_certificate.as_deref().map(encode),
                client_key_data: explicit
                    .client_key
                    .as_ref()
                    .map(|key| encode(key.expose()).into()),
                exec: explicit.exec.as_ref().map(|plugin| ExecConfig {
                    api_version: Some(plugin.api_version.clone()),
                    command: Some(plugin.command.clone()),
                    args: Some(plugin.args.clone()),
                    env: Some(
                        plugin
                            .env
                            .iter()
                            .map(|(name, value)| {
                                HashMap::from([
                                    ("name".to_owned(), name.clone()),
                                    ("value".to_owned(), value.clone()),
                                ])
                            })
                            .collect(),
                    ),
                    drop_env: None,
                    install_hint: None,
                    interactive_mode: Some(ExecInteractiveMode::Never),
                    provide_cluster_info: false,
                    cluster: None,
                    other: Default::default(),
                }),
                ..AuthInfo::default()
            }),
            other: Default::default(),
        }],
        contexts: vec![NamedContext {
            name: EXPLICIT.to_owned(),
            context: Some(Context {
                cluster: EXPLICIT.to_owned(),
                user: Some(EXPLICIT.to_owned()),
                ..Context::default()
            }),
            other: Default::default(),
        }],
        current_context: Some(EXPLICIT.to_owned()),
        ..Kubeconfig::default()
    };
    kube::Config::from_custom_kubeconfig(kubeconfig, &KubeConfigOptions::default())
        .await
        .map_err(|error| {
            ClusterError::Config(FieldError::new(
                Field::ClusterHost,
                format!("cannot be used: {}", kubeconfig_problem(&error)),
                "give the API server as an https:// URL, and certificates as PEM",
            ))
        })
}

/// A kubeconfig error in words that never quote the file's content (a YAML
/// error's excerpt could show a token): where the problem is, not what the
/// text there says.
fn kubeconfig_problem(error: &KubeconfigError) -> String {
    match error {
        KubeconfigError::Parse(error) => match error.location() {
            Some(at) => format!(
                "is not a kubeconfig: invalid YAML at line {}, column {}",
                at.line(),
                at.column()
            ),
            None => "is not a kubeconfig: invalid YAML".to_owned(),
        },
        KubeconfigError::ReadConfig(source, _) => format!("cannot be read: {source}"),
        other => other.to_string(),
    }
}

/// Checks a kubeconfig given as text (as the Action's input takes it),
/// naming the problem without quoting the text.
pub fn check_kubeconfig_text(text: &str) -> Result<(), String> {
    Kubeconfig::from_yaml(text)
        .map(drop)
        .map_err(|error| kubeconfig_problem(&error))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_env(value: &str) -> ClusterAccess {
        ClusterAccess::Explicit(ExplicitAccess {
            host: "https://10.0.0.1:6443".to_owned(),
            exec: Some(ExecPlugin {
                api_version: "client.authentication.k8s.io/v1".to_owned(),
                command: "get-token".to_owned(),
                args: Vec::new(),
                env: BTreeMap::from([("TOKEN".to_owned(), value.to_owned())]),
            }),
            ..ExplicitAccess::default()
        })
    }

    #[test]
    fn a_plugins_environment_values_are_never_printed_but_tell_accesses_apart() {
        let access = with_env("s3cret");
        assert!(!format!("{access:?}").contains("s3cret"), "{access:?}");
        assert!(format!("{access:?}").contains("TOKEN"), "{access:?}");
        assert_ne!(access.fingerprint(), with_env("other").fingerprint());
        assert_eq!(access.fingerprint(), with_env("s3cret").fingerprint());
    }
}
