//! Under act, the examples as users write them (`uses:
//! upbound-connect/upbound-connect@v1`, served by `--local-repository`):
//! connect.yml connects, and disconnect.yml, a separate workflow run,
//! removes the robot, its tokens and the Secret.

#[path = "../../tests/support/mod.rs"]
mod support;
mod common;

use common::act::{Act, repo_root};
use support::world::World;

fn example(world: &World, event: &str, workflow: &str, job: &str) -> Act {
    let local = format!(
        "upbound-connect/upbound-connect@v1={}",
        repo_root().display()
    );
    Act::new(world, event, workflow, job)
        .args(&["--local-repository", &local])
        .args(&["--var", "SPACE=alpha"])
        .args(&["--var", &format!("UPBOUND_ORGANIZATION={}", world.organization)])
        .args(&["--var", &format!("UPBOUND_ENDPOINT={}", world.double.url())])
        .args(&["--var", &format!("SPACE_NAMESPACE={}", world.namespace)])
        .args(&["-s", &format!("UPBOUND_TOKEN={}", world.token.expose())])
}

#[tokio::test]
async fn disconnect_workflow_removes_what_connect_made() {
    let world = World::new().await;
    let connect = example(&world, "push", "examples/workflows/connect.yml", "connect").run();
    connect.assert_success();
    world.assert_one_robot_one_token().await;
    let robot = world.double.robots()[0].id.to_string();
    assert!(
        connect.messages().contains(&format!("connected as robot {robot} (changed=true)")),
        "{}",
        connect.log
    );

    let disconnect = example(
        &world,
        "workflow_dispatch",
        "examples/workflows/disconnect.yml",
        "disconnect",
    )
    .run();
    disconnect.assert_success();
    assert!(world.double.robots().is_empty(), "robot removed:\n{}", disconnect.log);
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert_eq!(world.secret_version("connect-token").await, None, "Secret removed");
}
