//! Every run logs out of the Upbound session it opened, whatever the
//! command and whether it succeeded, so a busy CI leaves no sessions open.

use crate::common::{cli, describe};
use testkit::world::World;

#[tokio::test]
async fn every_run_ends_its_upbound_session() {
    let world = World::new().await;
    world.double.clear_requests();

    for (args, succeeds) in [
        (&["connect", "--space", "alpha"][..], true),
        (&["status", "--space", "alpha"], true),
        // Logs in, then fails: the organization is not the token's.
        (
            &["connect", "--space", "alpha", "--organization", "nobody"],
            false,
        ),
        (&["disconnect", "--space", "alpha"], true),
    ] {
        let output = cli(&world, args).await;
        assert_eq!(output.status.success(), succeeds, "{}", describe(&output));
    }

    let counts = world.double.request_counts();
    let logins = counts.get("POST /v1/login").copied().unwrap_or(0);
    let logouts = counts.get("POST /v1/logout").copied().unwrap_or(0);
    assert_eq!(logins, 4, "one session per run: {counts:?}");
    assert_eq!(logouts, logins, "each session ended: {counts:?}");
}
