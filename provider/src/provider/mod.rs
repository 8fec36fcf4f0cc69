//! The provider itself: its schema, its configuration, and what
//! ConfigureProvider leaves behind for the resources: validated settings
//! and, on first use, one engine per namespace, all sharing one Upbound
//! session and one Kubernetes client. Nothing is contacted before
//! a resource needs it (Terraform starts the provider several times per
//! run, most of them for schemas and validation only).

pub mod config;
pub mod schema;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use upbound_connect::cluster::{Cluster, ClusterAccess};
use upbound_connect::engine::{Engine, EngineBuilder, EngineError};
use upbound_connect::upbound::UpboundClient;

use config::ProviderConfig;

/// The provider's state across calls.
#[derive(Default)]
pub struct Provider {
    configured: RwLock<Configured>,
}

/// What ConfigureProvider found.
#[derive(Clone, Default)]
pub enum Configured {
    /// ConfigureProvider was not called (schema and validation runs).
    #[default]
    NotYet,
    /// The configuration depends on values known only after apply.
    Unknown,
    /// Ready to use.
    Ready(Arc<Ready>),
}

/// A configured provider.
pub struct Ready {
    /// Its settings.
    pub config: ProviderConfig,
    /// How its clients and engines are made.
    builder: EngineBuilder,
    /// The Upbound client, made on first use.
    upbound: std::sync::OnceLock<UpboundClient>,
    /// Each cluster's client, by its access's fingerprint, made on first
    /// use (a destroy with `cloud_only_destroy` may never need one).
    clusters: tokio::sync::Mutex<HashMap<String, Cluster>>,
    /// The engines, by cluster access fingerprint and namespace.
    engines: tokio::sync::Mutex<HashMap<(String, String), Arc<Engine>>>,
}

impl Provider {
    /// Records the outcome of ConfigureProvider.
    pub fn configure(&self, configured: Configured) {
        *self
            .configured
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = configured;
    }

    /// What ConfigureProvider found.
    pub fn configured(&self) -> Configured {
        self.configured
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Logs out of the Upbound session this process opened, if any: what
    /// the plugin does once Terraform is done with it.
    pub async fn end_session(&self) {
        if let Configured::Ready(ready) = self.configured()
            && let Some(upbound) = ready.upbound.get()
        {
            upbound.end_session().await;
        }
    }
}

impl Ready {
    /// A configured provider with these settings.
    pub fn new(config: ProviderConfig) -> Self {
        Self {
            config,
            builder: EngineBuilder::new("terraform"),
            upbound: std::sync::OnceLock::new(),
            clusters: tokio::sync::Mutex::default(),
            engines: tokio::sync::Mutex::default(),
        }
    }

    /// The Upbound client, made on first use and shared by every engine.
    pub fn upbound(&self) -> &UpboundClient {
        self.upbound
            .get_or_init(|| self.builder.upbound(self.config.upbound.clone()))
    }

    /// The engine for connections in `namespace` of the cluster `access`
    /// reaches, made on first use and shared by every resource there; the
    /// cluster's client is shared by its namespaces.
    pub async fn engine(
        &self,
        access: &ClusterAccess,
        namespace: &str,
    ) -> Result<Arc<Engine>, EngineError> {
        let fingerprint = access.fingerprint();
        let key = (fingerprint.clone(), namespace.to_owned());
        let mut engines = self.engines.lock().await;
        if let Some(engine) = engines.get(&key) {
            return Ok(engine.clone());
        }
        let upbound = self.upbound();
        let cluster = {
            let mut clusters = self.clusters.lock().await;
            match clusters.get(&fingerprint) {
                Some(cluster) => cluster.clone(),
                None => {
                    let cluster = self.builder.cluster(access, namespace).await?;
                    clusters.insert(fingerprint, cluster.clone());
                    cluster
                }
            }
        };
        let engine = Arc::new(
            self.builder
                .engine(upbound.clone(), cluster.in_namespace(namespace)),
        );
        engines.insert(key, engine.clone());
        Ok(engine)
    }
}
