//! Bad input exits with 2, names each flag at fault with its fix, and
//! changes nothing in Upbound or the cluster.

use crate::common::{cli, describe};
use testkit::world::World;

#[tokio::test]
async fn bad_flags_exit_2_naming_each_flag_and_nothing_is_created() {
    let world = World::new().await;
    let output = cli(
        &world,
        &[
            "connect",
            "--space",
            "Not_A_Label",
            "--timeout",
            "soon",
            "--agent-values",
            "/nonexistent/values.yaml",
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    for named in ["`--space`", "`--timeout`", "`--agent-values`"] {
        assert!(stderr.contains(named), "{named} is named: {stderr}");
    }
    assert!(
        stderr.contains("lowercase letters"),
        "the fix is given: {stderr}"
    );

    assert!(world.double.robots().is_empty(), "no robot");
    assert!(
        world.double.requests().is_empty(),
        "Upbound not even contacted"
    );
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "no Secret"
    );
}
