//! How to reach the cluster, as the kubernetes Terraform provider spells it:
//! a kubeconfig (paths and context), explicit host and credentials, the
//! in-cluster service account, or the usual inference (`KUBECONFIG`,
//! `~/.kube/config`, in-cluster).

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, NamedAuthInfo, NamedCluster,
    NamedContext,
};

use super::error::ClusterError;
use crate::secret::Secret;

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
}

impl ClusterAccess {
    /// A kube client configuration for this access; each request times out
    /// after `request_timeout`.
    pub async fn config(&self, request_timeout: Duration) -> Result<kube::Config, ClusterError> {
        let mut config = match self {
            Self::Infer => kube::Config::infer().await.map_err(|error| ClusterError::Config {
                field: "kubeconfig",
                problem: format!("no cluster configuration found ({error})"),
                fix: "set `kubeconfig`/KUBECONFIG to a kubeconfig file, or give `host` and credentials".to_owned(),
            })?,
            Self::Kubeconfig { paths, context } => from_files(paths, context.clone()).await?,
            Self::Explicit(explicit) => from_explicit(explicit).await?,
            Self::InCluster => kube::Config::incluster().map_err(|error| ClusterError::Config {
                field: "in_cluster",
                problem: format!("not running in a pod with a service account ({error})"),
                fix: "run inside the cluster, or give a kubeconfig".to_owned(),
            })?,
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
        let file = Kubeconfig::read_from(path).map_err(|error| ClusterError::Config {
            field: "kubeconfig",
            problem: format!("cannot read {}: {error}", path.display()),
            fix: "point `kubeconfig` at a readable kubeconfig file".to_owned(),
        })?;
        merged = Some(match merged {
            None => file,
            Some(earlier) => earlier.merge(file).map_err(|error| ClusterError::Config {
                field: "kubeconfig",
                problem: format!("cannot merge {}: {error}", path.display()),
                fix: "check the kubeconfig files".to_owned(),
            })?,
        });
    }
    let kubeconfig = merged.ok_or_else(|| ClusterError::Config {
        field: "kubeconfig",
        problem: "no kubeconfig file given".to_owned(),
        fix: "give at least one kubeconfig path".to_owned(),
    })?;
    if let Some(name) = &context
        && !kubeconfig.contexts.iter().any(|known| &known.name == name)
    {
        let known: Vec<&str> = kubeconfig
            .contexts
            .iter()
            .map(|known| known.name.as_str())
            .collect();
        return Err(ClusterError::Config {
            field: "kube_context",
            problem: format!("context {name:?} is not in the kubeconfig"),
            fix: format!("use one of {known:?}"),
        });
    }
    let options = KubeConfigOptions {
        context,
        ..KubeConfigOptions::default()
    };
    kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|error| ClusterError::Config {
            field: "kubeconfig",
            problem: format!("unusable kubeconfig: {error}"),
            fix: "check the context's cluster and user entries".to_owned(),
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
        .map_err(|error| ClusterError::Config {
            field: "host",
            problem: format!("unusable cluster settings: {error}"),
            fix: "give `host` as an https:// URL and PEM certificates".to_owned(),
        })
}
