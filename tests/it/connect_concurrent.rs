//! Two runs connecting one Space at the same time end with one robot and
//! one live token: the Lease makes the second wait and find the first's
//! work, which it reports as no change.

use upbound_connect::engine::Silent;

use testkit::world::World;

#[tokio::test]
async fn two_concurrent_connects_make_one_robot() {
    let world = World::new().await;
    let (first, second) = (world.engine().await, world.engine().await);
    let spec = world.spec("together");
    let (a, b) = tokio::join!(
        first.connect(&spec, &Silent),
        second.connect(&spec, &Silent)
    );
    let (a, b) = (a.expect("first connect"), b.expect("second connect"));
    world.assert_one_robot_one_token().await;
    assert_eq!(
        [a.changed, b.changed]
            .iter()
            .filter(|changed| **changed)
            .count(),
        1,
        "only the run that connected changed something"
    );
}
