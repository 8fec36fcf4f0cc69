//! `status` and `plan` change nothing: before a connect they list the steps
//! connect would take, after it that the connection is in place.

use crate::common::{cli, describe, json};
use testkit::world::World;

#[tokio::test]
async fn status_and_plan_report_drift_and_change_nothing() {
    let world = World::new().await;
    let plan = cli(&world, &["plan", "--space", "alpha"]).await;
    let text = String::from_utf8_lossy(&plan.stdout);
    assert_eq!(
        plan.status.code(),
        Some(3),
        "changes pending: {}",
        describe(&plan)
    );
    assert!(
        text.contains("connect would create robot \"alpha\""),
        "{text}"
    );
    assert!(
        text.contains("connect would mint a new token into Secret"),
        "{text}"
    );
    assert!(world.double.robots().is_empty(), "plan created nothing");
    assert!(
        world.writes().is_empty(),
        "plan wrote nothing: {:?}",
        world.writes()
    );

    json(&cli(&world, &["connect", "--space", "alpha", "--output", "json"]).await);
    let in_place = cli(&world, &["plan", "--space", "alpha"]).await;
    assert_eq!(
        in_place.status.code(),
        Some(0),
        "no changes: {}",
        describe(&in_place)
    );
    assert!(
        String::from_utf8_lossy(&in_place.stdout).contains("connect would change nothing"),
        "{}",
        describe(&in_place)
    );
    world.double.clear_requests();
    let status = json(&cli(&world, &["status", "--space", "alpha", "--output", "json"]).await);
    assert_eq!(status["drift"], serde_json::json!([]));
    assert_eq!(status["plan"], serde_json::json!([]));
    assert_eq!(status["changed"], false);
    assert_eq!(status["robot_id"], world.double.robots()[0].id.to_string());
    assert!(
        world.writes().is_empty(),
        "status wrote nothing: {:?}",
        world.writes()
    );
}
