//! A connect that fails half-way (a step fails for good, or the run is
//! cancelled mid-call) is resumed by the next run: one robot, one live
//! token, nothing orphaned — and a Lease left by the dead run is taken over
//! once it goes stale, the next run saying whose it waited for and until
//! when.

use std::time::Duration;

use upbound_api_double::Fault;
use upbound_connect::engine::{Silent, Step};

use testkit::Steps;
use testkit::world::World;

/// Fails connect with `fault` (permanent), then connects without it.
async fn resume_after(fault: Fault) {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = world.spec("resume");
    world.double.inject_fault(fault.clone()).unwrap();
    assert!(
        engine.connect(&spec, &Silent).await.is_err(),
        "{fault:?} should fail connect"
    );
    world.double.clear_faults();
    engine
        .connect(&spec, &Silent)
        .await
        .expect("resumed connect");
    world.assert_one_robot_one_token().await;
}

#[tokio::test]
async fn resumes_after_each_step_fails() {
    // Before anything: the organization cannot be read.
    resume_after(Fault::status("GET /v1/accounts/{name}", 400)).await;
    // After the robot: minting fails.
    resume_after(Fault::status("POST /v1/tokens", 400)).await;
    // After minting (the token exists, the answer is an error).
    resume_after(Fault::status("POST /v1/tokens", 400).after_handler()).await;
}

#[tokio::test]
async fn a_rotation_resumes_after_listing_the_replaced_tokens_fails() {
    let world = World::new().await;
    let engine = world.engine().await;
    engine
        .connect(&world.spec("rotated"), &Silent)
        .await
        .expect("connect");
    let mut input = world.input("rotated");
    input.token_rotation = Some("2026-12".to_owned());
    let rotated = input.validate().expect("valid");
    // After the new token is in the Secret: listing the ones to revoke fails.
    let fault = Fault::status("GET /v2/robots/{robotID}/tokens", 400);
    world.double.inject_fault(fault).unwrap();
    assert!(engine.connect(&rotated, &Silent).await.is_err());
    world.double.clear_faults();
    engine
        .connect(&rotated, &Silent)
        .await
        .expect("the next run revokes the replaced token");
    world.assert_one_robot_one_token().await;
    world.assert_secret_token_live().await;
}

#[tokio::test]
async fn a_cancelled_run_is_resumed_after_its_lease_goes_stale() {
    let world = World::new().await;
    let spec = world.spec("cancelled");
    // Stop the run while the token is being minted: robot created, Lease held.
    world
        .double
        .inject_fault(Fault::latency("POST /v1/tokens", Duration::from_secs(30)))
        .unwrap();
    let engine = world.engine().await;
    let cancelled =
        tokio::time::timeout(Duration::from_secs(2), engine.connect(&spec, &Silent)).await;
    assert!(cancelled.is_err(), "the run was cut off");
    drop(engine);
    assert_eq!(world.double.robots().len(), 1, "the robot exists");
    world.double.clear_faults();

    let leases = kube::Api::<k8s_openapi::api::coordination::v1::Lease>::namespaced(
        world.kube.clone(),
        &world.namespace,
    );
    assert_eq!(
        leases.list(&Default::default()).await.unwrap().items.len(),
        1,
        "the dead run's Lease is left"
    );
    let steps = Steps::default();
    world
        .engine()
        .await
        .connect(&spec, &steps)
        .await
        .expect("the next run takes the stale Lease over");
    world.assert_one_robot_one_token().await;
    let waited = steps.0.lock().unwrap().iter().find_map(|step| match step {
        Step::WaitingForLease(holder) => Some(holder.clone()),
        _ => None,
    });
    let holder = waited.expect("the run said whose Lease it waited for");
    assert!(holder.identity.starts_with("test/"), "{holder:?}");
    assert!(holder.until.is_some(), "and until when: {holder:?}");
}
