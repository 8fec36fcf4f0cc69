//! Connect installs the agent chart from the authenticated registry as Helm
//! release `agent`, after the token Secret it reads exists: real helm lists
//! it deployed with the seed's values. A second connect writes nothing to
//! Upbound or Kubernetes (dry-run applies aside) and makes no new revision.

use upbound_connect::engine::{Silent, Step};

use testkit::helm::helm_in_cluster;
use testkit::install::{counting_cluster, history, mark_deployments_ready};
use testkit::registry::chart_versions;
use testkit::world::World;

/// Records the steps of a run.
#[derive(Default)]
struct Steps(std::sync::Mutex<Vec<Step>>);

impl upbound_connect::engine::Observer for Steps {
    fn step(&self, step: Step) {
        self.0.lock().unwrap().push(step);
    }
}

#[tokio::test]
async fn connect_installs_the_agent_once() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let (cluster, kube_writes) = counting_cluster(&world).await;
    let engine = world.engine_on(cluster);
    let version = &chart_versions()[0];
    let spec = world.agent_input("alpha", version).validate().unwrap();

    let steps = Steps::default();
    let first = engine.connect(&spec, &steps).await.expect("first connect");
    assert!(first.changed);
    assert_eq!(first.connection.release_revision, Some(1));
    assert_eq!(
        first.connection.agent_version.as_deref(),
        Some(version.as_str())
    );
    assert!(
        first
            .connection
            .chart_digest
            .as_deref()
            .is_some_and(|digest| digest.starts_with("sha256:")),
        "{:?}",
        first.connection
    );
    let steps = steps.0.into_inner().unwrap();
    let minted = steps
        .iter()
        .position(|step| matches!(step, Step::TokenMinted { .. }));
    let installed = steps
        .iter()
        .position(|step| matches!(step, Step::AgentInstalled { revision: 1, .. }));
    assert!(minted < installed && minted.is_some(), "{steps:?}");

    let home = tempfile::tempdir().unwrap();
    let listed = helm_in_cluster(home.path(), &world.namespace, &["list", "-o", "json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed[0]["name"], "agent");
    assert_eq!(listed[0]["status"], "deployed");
    assert_eq!(listed[0]["chart"], format!("agent-{version}"));
    let values = helm_in_cluster(
        home.path(),
        &world.namespace,
        &["get", "values", "agent", "-o", "json"],
    );
    let values: serde_json::Value = serde_json::from_str(&values).unwrap();
    assert_eq!(values["space"], "alpha");
    assert_eq!(values["organization"], world.organization.as_str());
    assert_eq!(values["tokenSecret"], "connect-token");
    assert_eq!(values["imagePullSecrets"][0]["name"], "upbound-pull-secret");
    assert_eq!(values["registration"]["enabled"], true);

    let records = history(&world).await.len();
    let secret_version = world.secret_version("connect-token").await;
    world.double.clear_requests();
    kube_writes.reset();
    let second = engine
        .connect(&spec, &Silent)
        .await
        .expect("second connect");
    assert!(!second.changed);
    assert_eq!(second.connection, first.connection);
    assert!(world.writes().is_empty(), "{:?}", world.writes());
    assert!(kube_writes.get().is_empty(), "{:?}", kube_writes.get());
    assert_eq!(history(&world).await.len(), records, "no new revision");
    assert_eq!(world.secret_version("connect-token").await, secret_version);
}
