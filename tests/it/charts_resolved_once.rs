//! Engines of one process share the chart versions they pulled: two
//! connections in two namespaces installing the same agent version ask
//! the registry for its manifest once, even when they connect at the same
//! time. An engine of another process (its own `ResolvedCharts`) asks again.

use std::sync::Arc;

use upbound_connect::engine::{ResolvedCharts, Silent};
use upbound_connect::spec::ConnectionInput;

use testkit::install::mark_deployments_ready;
use testkit::registry::{chart_versions, registry_proxy};
use testkit::world::World;

#[tokio::test]
async fn one_process_asks_the_registry_for_a_version_once() {
    let world = World::new().await;
    let proxy = registry_proxy(false).await;
    let version = &chart_versions()[0];
    let through_proxy = |space: &str, namespace: &str| -> ConnectionInput {
        let mut input = world.agent_input(space, version);
        input.namespace = Some(namespace.to_owned());
        input.registry = Some(proxy.address.clone());
        input
    };
    let other = world.other_namespace().await;
    let _ready = [
        mark_deployments_ready(world.kube.clone(), &world.namespace),
        mark_deployments_ready(world.kube.clone(), &other.namespace),
    ];
    let shared = Arc::new(ResolvedCharts::default());
    let first = world.engine().await.sharing_resolved_charts(shared.clone());
    let second = other.engine.sharing_resolved_charts(shared);
    let first_spec = through_proxy("alpha", &world.namespace).validate().unwrap();
    let second_spec = through_proxy("beta", &other.namespace).validate().unwrap();

    let (one, two) = tokio::join!(
        first.connect(&first_spec, &Silent),
        second.connect(&second_spec, &Silent)
    );
    one.expect("first connects");
    two.expect("second connects");
    assert_eq!(
        proxy.manifest_requests(),
        1,
        "one manifest request for both: {:?}",
        proxy.requests.lock().unwrap()
    );

    // Another process: its own resolutions.
    let third_place = world.spaces_namespace("third").await;
    let _ready_too = mark_deployments_ready(world.kube.clone(), &third_place);
    let cluster = world.cluster_as(&world.admin_access()).await;
    let third = world.engine_on(cluster.in_namespace(&third_place));
    let cluster_spec = through_proxy("gamma", &third_place).validate().unwrap();
    third
        .connect(&cluster_spec, &Silent)
        .await
        .expect("connects");
    assert_eq!(proxy.manifest_requests(), 2);
}
