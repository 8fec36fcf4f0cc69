//! With 30% of all Upbound calls failing transiently (429 and 503, after
//! two certain failures so the faults surely show), connect and disconnect
//! still succeed, with one robot and one token.

use upbound_api_double::Fault;
use upbound_connect::engine::{DisconnectOptions, Silent};

use testkit::world::World;

#[tokio::test]
async fn connect_and_disconnect_succeed_through_429s_and_503s() {
    let world = World::new().await;
    world
        .double
        .inject_fault(Fault::status("*", 503).times(2))
        .unwrap();
    world
        .double
        .inject_fault(Fault::status("*", 429).retry_after(0).rate(0.15))
        .unwrap();
    world
        .double
        .inject_fault(Fault::status("*", 503).rate(0.15))
        .unwrap();
    let engine = world.engine().await;
    let spec = world.spec("flaky");

    engine
        .connect(&spec, &Silent)
        .await
        .expect("connect through faults");
    let faulted = world
        .double
        .requests()
        .iter()
        .filter(|request| request.fault)
        .count();
    assert!(faulted >= 2, "faults fired");
    world.double.clear_faults();
    world.assert_one_robot_one_token().await;

    world
        .double
        .inject_fault(Fault::status("*", 503).rate(0.3))
        .unwrap();
    engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect through faults");
    world.double.clear_faults();
    assert!(world.double.robots().is_empty());
    assert!(world.minted_tokens().is_empty());
}
