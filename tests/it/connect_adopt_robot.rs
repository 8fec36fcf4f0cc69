//! A robot that has the space's name but was not created by this tool is
//! left alone (a robot of our own is made) — unless the caller says adopt,
//! and then disconnect removes the adopted robot too.

use upbound_connect::engine::{DisconnectOptions, Silent};

use testkit::world::World;

#[tokio::test]
async fn a_foreign_robot_is_adopted_only_when_asked() {
    let world = World::new().await;
    let upbound = world.upbound();
    let organization = upbound.organization(&world.organization).await.unwrap();
    let foreign = upbound
        .create_robot(organization.id, "shared", "made by hand")
        .await
        .unwrap();
    let engine = world.engine().await;

    let ours = engine
        .connect(&world.spec("shared"), &Silent)
        .await
        .expect("connect");
    assert_ne!(
        ours.connection.robot_id.as_deref(),
        Some(foreign.id.as_str())
    );
    assert_eq!(
        world.double.robots().len(),
        2,
        "a robot of our own beside the foreign one"
    );
    engine
        .disconnect(&world.spec("shared"), DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    let left: Vec<String> = world
        .double
        .robots()
        .iter()
        .map(|robot| robot.id.to_string())
        .collect();
    assert_eq!(left, vec![foreign.id.clone()], "only our robot was deleted");

    let mut input = world.input("shared");
    input.adopt_robot = true;
    let adopting = input.validate().unwrap();
    let adopted = engine
        .connect(&adopting, &Silent)
        .await
        .expect("connect, adopting");
    assert_eq!(
        adopted.connection.robot_id.as_deref(),
        Some(foreign.id.as_str())
    );
    assert_eq!(world.double.robots().len(), 1);
    engine
        .disconnect(&adopting, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(
        world.double.robots().is_empty(),
        "the adopted robot was removed"
    );
}
