//! A release deployed at the asked chart version, with the asked values and
//! its objects as recorded, is in place without the chart: read and a
//! no-op connect make no registry request (here the chart's registry is a
//! closed port). Anything else takes the chart, and then the registry:
//! other values are compared with a freshly pulled chart.

use upbound_connect::engine::{Drift, EngineError, Silent};

use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

/// The agent chart at a registry address nothing listens on.
const UNREACHABLE_CHART: &str = "oci://127.0.0.1:1/spaces-artifacts/agent";

/// The world's agent input for `space` at `version`, its chart unreachable.
fn unreachable_chart(
    world: &World,
    space: &str,
    version: &str,
) -> upbound_connect::spec::ConnectionInput {
    let mut input = world.agent_input(space, version);
    if let Some(agent) = input.agent.as_mut() {
        agent.chart = Some(UNREACHABLE_CHART.to_owned());
    }
    input
}

#[tokio::test]
async fn an_agent_in_place_is_read_without_the_registry() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let engine = world.engine().await;
    let version = &chart_versions()[0];
    let spec = world.agent_input("offline", version).validate().unwrap();
    let connected = engine.connect(&spec, &Silent).await.expect("connect");
    let digest = connected.connection.chart_digest.clone();
    assert!(
        digest
            .as_deref()
            .is_some_and(|digest| digest.starts_with("sha256:")),
        "{connected:?}"
    );

    let offline = unreachable_chart(&world, "offline", version)
        .validate()
        .expect("valid");
    let seen = engine.read(&offline).await.expect("read needs no registry");
    assert!(seen.drift.is_empty(), "{:?}", seen.drift);
    assert_eq!(seen.connection.chart_digest, digest, "the recorded digest");
    assert_eq!(
        seen.connection.agent_version.as_deref(),
        Some(version.as_str())
    );
    let again = engine
        .connect(&offline, &Silent)
        .await
        .expect("a no-op connect needs no registry");
    assert!(!again.changed);
    assert_eq!(again.connection, connected.connection);

    // Other values: the chart is needed to judge them, so the registry is.
    let mut changed = unreachable_chart(&world, "offline", version);
    if let Some(agent) = changed.agent.as_mut() {
        agent.values_yaml = Some("replicas: 2\n".to_owned());
    }
    let error = engine
        .read(&changed.validate().unwrap())
        .await
        .expect_err("other values need the chart");
    assert!(matches!(error, EngineError::Helm(_)), "{error}");
    let seen = engine.read(&spec).await.expect("read with the registry");
    assert!(!seen.drift.iter().any(Drift::is_agent), "{:?}", seen.drift);
}
