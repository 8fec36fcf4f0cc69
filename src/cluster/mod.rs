//! Kubernetes: the client, the pre-flight checks, the token Secret and the
//! Lease that keeps two runs apart. Every call has a timeout and transient
//! failures (5xx, 429, conflicts, lost connections) are retried here.
//!
//! - `access`: [`ClusterAccess`], how to reach the cluster.
//! - `client`: the kube client, on connections with Nagle's algorithm off.
//! - `preflight`: the namespace exists; Spaces is installed for the organization.
//! - `identity`: the cluster's identity (namespace `kube-system`'s UID).
//! - `discovery`: what the API server serves ([`ServedApis`]), read once.
//! - `token_secret`: the Secret holding the robot token and the recorded connection.
//! - `pull_secret`: the image pull secret for the licence's registry credentials.
//! - `secrets`: get / apply / delete of Secrets, shared by the two above.
//! - `rbac`: ClusterRoles and (Cluster)RoleBindings for Hub RBAC grants.
//! - `lease`: the lock held while a run changes anything.
//! - `error`: [`ClusterError`] and its typed questions.

mod access;
mod client;
mod discovery;
mod error;
mod identity;
mod lease;
mod preflight;
mod pull_secret;
mod rbac;
mod secrets;
mod token_secret;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;

pub use access::{ClusterAccess, ExecPlugin, ExplicitAccess, check_kubeconfig_text};
pub use discovery::ServedApis;
pub use error::ClusterError;
pub use lease::{HeldLease, LeaseHolder, LeaseTiming};
pub use pull_secret::{PULL_SECRET, PullSecretState};
pub use rbac::{RbacKind, RbacObject, RbacRef};
pub use token_secret::{
    MANAGED_BY, ORGANIZATION_ANNOTATION, ROBOT_ANNOTATION, ROTATION_ANNOTATION, SPACE_ANNOTATION,
    TOKEN_ANNOTATION, TOKEN_KEY, TokenSecret,
};

use crate::retry::RetryPolicy;
use crate::spec::{Field, FieldError};

/// The field manager of every server-side apply, and the Lease's name prefix.
pub const FIELD_MANAGER: &str = "upbound-connect";

/// One namespace of one cluster, as the connection uses it.
#[derive(Clone)]
pub struct Cluster {
    client: kube::Client,
    namespace: String,
    retry: RetryPolicy,
    /// The API server's address, for errors (unknown for a given client).
    server: Option<String>,
    /// The input the cluster access came from, for errors it is at fault in.
    access_field: Field,
    /// The cluster's identity once read; shared by every namespace's copy.
    identity: Arc<OnceCell<String>>,
    /// What the API server serves once discovered; shared likewise.
    served: Arc<tokio::sync::Mutex<Option<Arc<ServedApis>>>>,
}

impl Cluster {
    /// A client for `access` working in `namespace`. Nothing is contacted yet.
    pub async fn connect(
        access: &ClusterAccess,
        namespace: &str,
        request_timeout: Duration,
        retry: RetryPolicy,
    ) -> Result<Self, ClusterError> {
        let config = access.config(request_timeout).await?;
        let server = config.cluster_url.to_string();
        let client = client::build(config).map_err(|error| {
            ClusterError::Config(FieldError::new(
                access.field(),
                format!("cannot make a Kubernetes client: {error}"),
                "check the cluster URL and certificates",
            ))
        })?;
        Ok(Self {
            client,
            namespace: namespace.to_owned(),
            retry,
            access_field: access.field(),
            server: Some(server),
            identity: Arc::default(),
            served: Arc::default(),
        })
    }

    /// A cluster adapter over an existing kube client (e.g. one with extra
    /// tower layers), working in `namespace`.
    pub fn with_client(client: kube::Client, namespace: &str, retry: RetryPolicy) -> Self {
        Self {
            client,
            namespace: namespace.to_owned(),
            retry,
            server: None,
            access_field: Field::Kubeconfig,
            identity: Arc::default(),
            served: Arc::default(),
        }
    }

    /// The same cluster, through the same client and its connections,
    /// working in `namespace`.
    pub fn in_namespace(&self, namespace: &str) -> Self {
        Self {
            namespace: namespace.to_owned(),
            ..self.clone()
        }
    }

    /// The namespace this connection lives in.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The kube client, for the installer's own object handling.
    pub(crate) fn client(&self) -> &kube::Client {
        &self.client
    }

    /// Runs one API call with the retry policy; `action` names it in errors.
    pub(crate) async fn call<T, F, Fut>(
        &self,
        action: &str,
        mut attempt: F,
    ) -> Result<T, ClusterError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, kube::Error>>,
    {
        self.retry
            .run(|| {
                let call = attempt();
                async move { call.await.map_err(|error| self.error(action, error)) }
            })
            .await
    }

    /// An API or transport error of this cluster for `action`.
    pub(crate) fn error(&self, action: impl Into<String>, error: kube::Error) -> ClusterError {
        ClusterError::from_kube(action, error).reached(self.server.as_deref(), self.access_field)
    }
}
