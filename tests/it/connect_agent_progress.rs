//! While the agent's install waits for its Deployment to be ready, the run
//! says so every few seconds: which object, and for how long so far.

use std::time::Duration;

use upbound_connect::engine::Step;

use testkit::Steps;
use testkit::install::mark_deployments_ready;
use testkit::registry::chart_versions;
use testkit::world::World;

#[tokio::test]
async fn a_slow_agent_install_says_what_it_waits_for() {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = world
        .agent_input("patient", &chart_versions()[0])
        .validate()
        .expect("valid");
    // The Deployment becomes ready only after a while.
    let (kube, namespace) = (world.kube.clone(), world.namespace.clone());
    let ready_later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(7)).await;
        mark_deployments_ready(kube, &namespace)
    });
    let steps = Steps::default();
    engine.connect(&spec, &steps).await.expect("connect");
    drop(ready_later);
    let waits: Vec<(String, Duration)> = steps
        .0
        .lock()
        .unwrap()
        .iter()
        .filter_map(|step| match step {
            Step::AgentWaiting { object, waited } => Some((object.clone(), *waited)),
            _ => None,
        })
        .collect();
    assert!(!waits.is_empty(), "the wait was reported");
    assert!(
        waits
            .iter()
            .all(|(object, waited)| object.starts_with("Deployment ")
                && *waited >= Duration::from_secs(4)),
        "{waits:?}"
    );
}
