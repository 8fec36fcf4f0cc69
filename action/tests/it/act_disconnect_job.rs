//! Under act, the examples as users write them (`uses:
//! upbound-connect/upbound-connect@v1`, served by `--local-repository`):
//! connect.yml connects (robot, token, Secret, agent release), and
//! disconnect.yml, a separate workflow run, removes the agent release, the
//! robot, its tokens and the Secret.

use crate::common::act::Act;
use testkit::install::history;
use testkit::world::World;

#[tokio::test]
async fn disconnect_workflow_removes_what_connect_made() {
    let world = World::new().await;
    let connect = Act::example(&world, "push", "examples/workflows/connect.yml", "connect")
        .run()
        .await;
    connect.assert_success();
    world.assert_one_robot_one_token().await;
    assert_eq!(history(&world).await.len(), 1, "agent release installed");
    let robot = world.double.robots()[0].id.to_string();
    assert!(
        connect
            .messages()
            .contains(&format!("connected as robot {robot} (changed=true)")),
        "{}",
        connect.log
    );

    let disconnect = Act::example(
        &world,
        "workflow_dispatch",
        "examples/workflows/disconnect.yml",
        "disconnect",
    )
    .run()
    .await;
    disconnect.assert_success();
    assert!(
        world.double.robots().is_empty(),
        "robot removed:\n{}",
        disconnect.log
    );
    assert!(world.minted_tokens().is_empty(), "tokens revoked");
    assert!(
        history(&world).await.is_empty(),
        "agent release uninstalled"
    );
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "Secret removed"
    );
}
