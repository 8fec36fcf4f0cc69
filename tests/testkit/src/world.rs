//! A world to run the engine in: an Upbound API double (in process) with an
//! organization and its owner, and a fresh namespace in the real
//! kube-apiserver where Spaces is "installed" (ConfigMap `spaces-config`);
//! and [`OtherPlace`]s, from which the same Space may be connected again.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret as KubeSecret};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_api_double::{Config, Double, NewUser};
use upbound_connect::Secret;
use upbound_connect::cluster::{Cluster, ClusterAccess, LeaseTiming};
use upbound_connect::engine::Engine;
use upbound_connect::retry::RetryPolicy;
use upbound_connect::spec::{AgentInput, ConnectionInput, ConnectionSpec, UpboundInput};
use upbound_connect::upbound::UpboundClient;

use crate::install::{Writes, counting_client};
use crate::{admin_client, harness_env, unique_name};

/// Retries fast enough for tests, patient enough for 30% injected faults.
pub const FAST_RETRY: RetryPolicy = RetryPolicy {
    min_delay: Duration::from_millis(5),
    max_delay: Duration::from_millis(50),
    max_retries: 10,
};

/// Another place to connect the world's Spaces from: an engine in a
/// namespace of the harness cluster, through a client that counts the
/// writes it sends to Kubernetes.
pub struct OtherPlace {
    /// The namespace the engine works in.
    pub namespace: String,
    /// The engine, as cluster-admin, with the world's Upbound account.
    pub engine: Engine,
    /// The Kubernetes writes the engine sent.
    pub writes: Writes,
}

/// The harness variable of the (first) cluster's admin kubeconfig.
pub const FIRST_CLUSTER: &str = "KUBECONFIG";
/// The harness variable of the second cluster's admin kubeconfig.
pub const SECOND_CLUSTER: &str = "SECOND_KUBECONFIG";

/// A double, an organization with its owner, and a namespace with Spaces.
pub struct World {
    /// The Upbound API double.
    pub double: Double,
    /// The organization's name.
    pub organization: String,
    /// The owner's personal access token.
    pub token: Secret,
    /// The namespace standing in for `upbound-system`.
    pub namespace: String,
    /// A cluster-admin client.
    pub kube: kube::Client,
    /// The engine's chart cache.
    pub charts: tempfile::TempDir,
}

impl World {
    /// A fresh world (its namespace is unique to this call).
    pub async fn new() -> Self {
        let double = Double::start(Config::default())
            .await
            .expect("double starts");
        let organization = unique_name("org");
        double
            .add_organization(&organization)
            .expect("organization");
        let owner = double
            .add_user(NewUser::new("owner").owner_of(organization.clone()))
            .expect("owner");
        let kube = admin_client().await;
        let namespace = unique_name("space");
        let world = Self {
            double,
            token: Secret::new(owner.token.jwt.expose()),
            organization,
            namespace,
            kube,
            charts: tempfile::tempdir().expect("chart cache"),
        };
        world.create_namespace(&world.namespace).await;
        world.install_spaces(&world.organization).await;
        world
    }

    /// Another fresh namespace (named `<prefix>-…`) with Spaces installed
    /// for the world's organization, as a second Space of the same cluster;
    /// its name. Like the world's own, it outlives the test: the test
    /// apiserver never finalizes namespaces (no controllers), and each run
    /// starts a fresh one.
    pub async fn spaces_namespace(&self, prefix: &str) -> String {
        let namespace = unique_name(prefix);
        self.create_namespace(&namespace).await;
        self.install_spaces_in(&namespace, &self.organization).await;
        namespace
    }

    async fn create_namespace(&self, name: &str) {
        create_namespace(&self.kube, name).await;
    }

    /// Writes `spaces-config` as a Spaces install for `account` does.
    pub async fn install_spaces(&self, account: &str) {
        self.install_spaces_in(&self.namespace, account).await;
    }

    /// Writes `spaces-config` into `namespace` as a Spaces install for
    /// `account` does.
    async fn install_spaces_in(&self, namespace: &str, account: &str) {
        install_spaces(&self.kube, namespace, account).await;
    }

    /// ConfigMaps in the world's namespace.
    pub fn config_maps(&self) -> Api<ConfigMap> {
        Api::namespaced(self.kube.clone(), &self.namespace)
    }

    /// Secrets in the world's namespace.
    pub fn secrets(&self) -> Api<KubeSecret> {
        Api::namespaced(self.kube.clone(), &self.namespace)
    }

    /// Secrets in `namespace`.
    pub fn secrets_in(&self, namespace: &str) -> Api<KubeSecret> {
        Api::namespaced(self.kube.clone(), namespace)
    }

    /// The input for a connection of `space` in this world.
    pub fn input(&self, space: &str) -> ConnectionInput {
        ConnectionInput {
            space: space.to_owned(),
            organization: self.organization.clone(),
            namespace: Some(self.namespace.clone()),
            ..ConnectionInput::default()
        }
    }

    /// The input for a connection of `space` that installs the agent chart
    /// at `version` from the harness registry, with the registry's licence.
    pub fn agent_input(&self, space: &str, version: &str) -> ConnectionInput {
        let license = serde_json::json!({
            "accessId": harness_env("REGISTRY_USERNAME"),
            "token": harness_env("REGISTRY_PASSWORD"),
        });
        ConnectionInput {
            license_json: Some(Secret::new(license.to_string())),
            registry: Some(harness_env("REGISTRY")),
            agent: Some(AgentInput {
                version: Some(version.to_owned()),
                timeout: Some(Duration::from_secs(30)),
                ..AgentInput::default()
            }),
            ..self.input(space)
        }
    }

    /// A validated spec for `space`.
    pub fn spec(&self, space: &str) -> ConnectionSpec {
        self.input(space).validate().expect("valid spec")
    }

    /// A validated spec for `space` connected from `namespace`.
    pub fn spec_in(&self, space: &str, namespace: &str) -> ConnectionSpec {
        ConnectionInput {
            namespace: Some(namespace.to_owned()),
            ..self.input(space)
        }
        .validate()
        .expect("valid spec")
    }

    /// The harness cluster's identity: namespace `kube-system`'s UID.
    pub async fn cluster_identity(&self) -> String {
        Api::<Namespace>::all(self.kube.clone())
            .get("kube-system")
            .await
            .expect("kube-system exists")
            .metadata
            .uid
            .expect("a stored object has a UID")
    }

    /// Another namespace of the harness cluster, with Spaces installed for
    /// the world's organization: a second place in the same cluster.
    pub async fn other_namespace(&self) -> OtherPlace {
        let namespace = self.spaces_namespace("elsewhere").await;
        self.other_place(FIRST_CLUSTER, &namespace).await
    }

    /// The world's namespace in the second harness cluster (its own
    /// kube-apiserver and etcd, so its own identity and objects), with
    /// Spaces installed there for the world's organization: the same
    /// namespace name in another cluster.
    pub async fn other_cluster(&self) -> OtherPlace {
        let kube = crate::kube_client(SECOND_CLUSTER).await;
        create_namespace(&kube, &self.namespace).await;
        install_spaces(&kube, &self.namespace, &self.organization).await;
        self.other_place(SECOND_CLUSTER, &self.namespace).await
    }

    /// An engine in `namespace` of the cluster whose admin kubeconfig the
    /// harness variable `kubeconfig` names, counting its writes.
    async fn other_place(&self, kubeconfig: &str, namespace: &str) -> OtherPlace {
        let (client, writes) = counting_client(kubeconfig).await;
        OtherPlace {
            namespace: namespace.to_owned(),
            engine: self.engine_on(Cluster::with_client(client, namespace, FAST_RETRY)),
            writes,
        }
    }

    /// An Upbound client logged in as the owner.
    pub fn upbound(&self) -> UpboundClient {
        self.upbound_as(self.token.clone())
    }

    /// An Upbound client logged in with `token`.
    pub fn upbound_as(&self, token: Secret) -> UpboundClient {
        let access = UpboundInput {
            endpoint: Some(self.double.url()),
            token: Some(token),
            request_timeout: Some(Duration::from_secs(5)),
        }
        .validate()
        .expect("valid Upbound access");
        UpboundClient::with_retry(access, FAST_RETRY)
    }

    /// A cluster adapter for the world's namespace, as `access`.
    pub async fn cluster_as(&self, access: &ClusterAccess) -> Cluster {
        Cluster::connect(access, &self.namespace, Duration::from_secs(5), FAST_RETRY)
            .await
            .expect("cluster client")
    }

    /// Cluster-admin access to the test kube-apiserver.
    pub fn admin_access(&self) -> ClusterAccess {
        admin_access(FIRST_CLUSTER)
    }

    /// The engine, as cluster-admin, with fast retries and a short Lease.
    pub async fn engine(&self) -> Engine {
        self.engine_with(&self.admin_access()).await
    }

    /// The engine reaching the cluster through `access`.
    pub async fn engine_with(&self, access: &ClusterAccess) -> Engine {
        self.engine_on(self.cluster_as(access).await)
    }

    /// The engine working through `cluster`.
    pub fn engine_on(&self, cluster: Cluster) -> Engine {
        Engine::new(self.upbound(), cluster, "test")
            .with_retry(FAST_RETRY)
            .with_chart_cache(self.charts.path().to_owned())
            .with_lease_timing(LeaseTiming {
                duration: Duration::from_secs(3),
                wait: Duration::from_secs(20),
                poll: Duration::from_millis(50),
            })
    }

    /// The Secret `name`'s resourceVersion, `None` if there is no such Secret.
    pub async fn secret_version(&self, name: &str) -> Option<String> {
        let secret = self.secrets().get_opt(name).await.expect("read Secret")?;
        Some(
            secret
                .metadata
                .resource_version
                .expect("a stored object has a version"),
        )
    }

    /// The robot token JWT the Secret holds, and its annotations.
    pub async fn stored_token(&self) -> (String, BTreeMap<String, String>) {
        let secret = self
            .secrets()
            .get("connect-token")
            .await
            .expect("the Secret exists");
        let jwt = secret.data.expect("data")["token"].0.clone();
        (
            String::from_utf8(jwt).expect("UTF-8 token"),
            secret.metadata.annotations.unwrap_or_default(),
        )
    }

    /// IDs of the live tokens we minted (named `upbound-connect-…`).
    pub fn minted_tokens(&self) -> Vec<String> {
        self.double
            .tokens()
            .into_iter()
            .filter(|token| token.name.starts_with("upbound-connect-"))
            .map(|token| token.id.to_string())
            .collect()
    }

    /// Asserts the converged state: one robot, one live minted token, and
    /// it is the one the Secret holds and records.
    pub async fn assert_one_robot_one_token(&self) {
        let robots = self.double.robots();
        assert_eq!(robots.len(), 1, "exactly one robot: {robots:?}");
        let minted = self.minted_tokens();
        assert_eq!(minted.len(), 1, "exactly one live token: {minted:?}");
        let (_, annotations) = self.stored_token().await;
        assert_eq!(
            annotations.get("connect.upbound.io/token-id"),
            Some(&minted[0])
        );
        assert_eq!(
            annotations.get("connect.upbound.io/robot-id"),
            Some(&robots[0].id.to_string())
        );
    }

    /// Asserts that nothing of the connection is left in Upbound: no robot
    /// and no live token.
    pub fn assert_no_robot_no_token(&self) {
        assert_eq!(self.double.robots(), vec![], "no robot is left");
        assert_eq!(
            self.minted_tokens(),
            Vec::<String>::new(),
            "no token is left"
        );
    }

    /// Asserts that Upbound accepts the token the Secret holds: the robot
    /// logs in with it and reads its organization.
    pub async fn assert_secret_token_live(&self) {
        let (jwt, _) = self.stored_token().await;
        self.upbound_as(Secret::new(jwt))
            .organization(&self.organization)
            .await
            .expect("the Secret's token logs in");
    }

    /// Write calls (anything but GET and the session's login and logout)
    /// the double has received, by route template.
    pub fn writes(&self) -> BTreeMap<String, usize> {
        self.double
            .request_counts()
            .into_iter()
            .filter(|(route, _)| {
                !route.starts_with("GET ")
                    && route != "POST /v1/login"
                    && route != "POST /v1/logout"
            })
            .collect()
    }
}

/// Creates namespace `name` through `kube`.
async fn create_namespace(kube: &kube::Client, name: &str) {
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    Api::<Namespace>::all(kube.clone())
        .create(&PostParams::default(), &namespace)
        .await
        .expect("namespace created");
}

/// Writes `spaces-config` into `namespace` through `kube`, as a Spaces
/// install for `account` does.
async fn install_spaces(kube: &kube::Client, namespace: &str, account: &str) {
    let config_map = ConfigMap {
        metadata: ObjectMeta {
            name: Some("spaces-config".to_owned()),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(
            "config.yaml".to_owned(),
            format!("account: {account}\nauthorization:\n  hubRBAC: true\n"),
        )])),
        ..ConfigMap::default()
    };
    Api::<ConfigMap>::namespaced(kube.clone(), namespace)
        .create(&PostParams::default(), &config_map)
        .await
        .expect("spaces-config created");
}

/// Cluster-admin access to the harness cluster whose admin kubeconfig the
/// harness variable `kubeconfig` names.
pub fn admin_access(kubeconfig: &str) -> ClusterAccess {
    ClusterAccess::Kubeconfig {
        paths: vec![harness_env(kubeconfig).into()],
        context: None,
    }
}
