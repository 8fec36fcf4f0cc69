//! A Deployment that never becomes ready fails the install when the timeout
//! runs out, naming the Deployment and why; the revision is recorded failed.

use std::time::{Duration, Instant};

use upbound_connect::helm::install::InstallError;
use upbound_connect::helm::release::Status;

use testkit::install::{AgentChart, history, installer};
use testkit::world::World;

#[tokio::test]
async fn an_unready_deployment_is_named_when_the_wait_times_out() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let chart = AgentChart::new(&world, "slow");
    let started = Instant::now();

    let error = installer(&world)
        .await
        .upgrade_install(&chart.rendered.request(true, Duration::from_secs(2)))
        .await
        .expect_err("nothing marks the Deployment ready");

    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    let InstallError::NotReady { object, reason, .. } = &error else {
        panic!("not a readiness timeout: {error}")
    };
    assert_eq!(
        object,
        &format!("Deployment \"agent\" in namespace \"{ns}\"")
    );
    assert!(reason.contains("generation"), "{reason}");
    let message = error.to_string();
    assert!(
        message.contains("Deployment \"agent\"") && message.contains("2s"),
        "{message}"
    );

    let history = history(&world).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].info.status, Status::Failed);
    assert!(
        history[0]
            .info
            .description
            .starts_with("Release \"agent\" failed:"),
        "{}",
        history[0].info.description
    );
}
