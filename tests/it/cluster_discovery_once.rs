//! Discovery happens once per cluster client: two connections in two
//! namespaces, each installing the agent (render and install resolve every
//! kind), ask the API server what it serves in one aggregated discovery
//! (`/api` and `/apis` once each) and never group version by group
//! version.

use upbound_connect::engine::Silent;

use testkit::install::{counting_cluster, mark_deployments_ready};
use testkit::registry::chart_versions;
use testkit::world::World;

#[tokio::test]
async fn two_connections_share_one_aggregated_discovery() {
    let world = World::new().await;
    let other = world.other_namespace().await.namespace;
    let (cluster, requests) = counting_cluster(&world).await;
    let version = &chart_versions()[0];
    for (space, namespace) in [("one", world.namespace.clone()), ("two", other)] {
        let _ready = mark_deployments_ready(world.kube.clone(), &namespace);
        let mut input = world.agent_input(space, version);
        input.namespace = Some(namespace.clone());
        world
            .engine_on(cluster.in_namespace(&namespace))
            .connect(&input.validate().expect("valid"), &Silent)
            .await
            .expect("connect with the agent");
    }

    let reads = requests.reads();
    assert_eq!(reads.get("GET /api"), Some(&1), "{reads:#?}");
    assert_eq!(reads.get("GET /apis"), Some(&1), "{reads:#?}");
    let per_group_version: Vec<&String> = reads
        .keys()
        .filter(|request| {
            let segments = request.trim_start_matches("GET /").split('/').count();
            (request.starts_with("GET /apis/") && segments == 3)
                || (request.starts_with("GET /api/") && segments == 2)
        })
        .collect();
    assert!(
        per_group_version.is_empty(),
        "no discovery by group version: {per_group_version:?}"
    );
}
