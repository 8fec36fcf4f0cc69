//! Engines sharing one Upbound client (a provider process refreshing many
//! connections) resolve the organization and list its robots once, and a
//! write through the client is seen by the next read: a list fetched
//! before it is never shown again.

use upbound_connect::cluster::Cluster;
use upbound_connect::engine::{Drift, Engine, Silent};

use testkit::world::{FAST_RETRY, World};

#[tokio::test]
async fn reads_share_one_organization_lookup_and_one_robots_list() {
    let world = World::new().await;
    let other = world.other_namespace().await.namespace;
    let upbound = world.upbound();
    let cluster = world.cluster_as(&world.admin_access()).await;
    let engine =
        |cluster: Cluster| Engine::new(upbound.clone(), cluster, "test").with_retry(FAST_RETRY);
    let (here, there) = (
        engine(cluster.clone()),
        engine(cluster.in_namespace(&other)),
    );
    let spec_there = {
        let mut input = world.input("two");
        input.namespace = Some(other.clone());
        input.validate().expect("valid")
    };
    world.double.clear_requests();

    for _ in 0..3 {
        let one = here.read(&world.spec("one")).await.expect("read one");
        assert!(one.robot.is_none());
        let two = there.read(&spec_there).await.expect("read two");
        assert!(two.robot.is_none());
    }
    let calls = world.double.request_counts();
    for shared in [
        "GET /v1/accounts/{name}",
        "GET /v1/organizations/{orgID}/robots",
    ] {
        assert_eq!(calls.get(shared), Some(&1), "{shared} once: {calls:?}");
    }

    there
        .connect(&spec_there, &Silent)
        .await
        .expect("connect two");
    let two = there.read(&spec_there).await.expect("read two again");
    assert!(
        two.robot.is_some() && !two.drift.contains(&Drift::RobotMissing),
        "the read after the connect sees its robot: {:?}",
        two.drift
    );
    assert!(two.drift.is_empty(), "and its token: {:?}", two.drift);
}
