//! One connection per Space: a cluster already connected as another space
//! (or organization) is refused before anything changes.

use upbound_connect::engine::Silent;
use upbound_connect::spec::Field;

use testkit::world::World;

#[tokio::test]
async fn a_second_connection_on_one_cluster_is_refused() {
    let world = World::new().await;
    let engine = world.engine().await;
    engine
        .connect(&world.spec("first"), &Silent)
        .await
        .expect("connect");
    let error = engine
        .connect(&world.spec("second"), &Silent)
        .await
        .expect_err("another space on the same cluster");
    assert_eq!(error.field(), Some(Field::Space), "{error}");
    assert!(
        error
            .to_string()
            .contains(&format!("{}/first", world.organization)),
        "{error}"
    );
    assert_eq!(world.double.robots().len(), 1, "no second robot");
}
