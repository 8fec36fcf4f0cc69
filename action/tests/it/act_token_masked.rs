//! Under act, neither the input token, the licence's registry password nor
//! the minted robot token (raw or base64, as a Secret shows it) appears in act's raw log or in any file
//! act wrote: the outputs, the state, the job summary.

use base64::Engine as _;

use crate::common::act::Act;
use testkit::world::World;

#[tokio::test]
async fn no_token_in_the_log_or_any_file_act_wrote() {
    let world = World::new().await;
    let connect = Act::new(&world, "push", "tests/act/connect.yml", "connect")
        .run()
        .await;
    connect.assert_success();
    let (minted, _) = world.stored_token().await;

    let registry_password = testkit::registry::license().token.expose().to_owned();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&minted);
    for (name, secret) in [
        ("input token", world.token.expose()),
        ("robot token", minted.as_str()),
        ("robot token (base64)", encoded.as_str()),
        ("registry password", registry_password.as_str()),
    ] {
        // act's --json log records each `::add-mask::` command with its
        // argument (the runner consumes it); anywhere else is a leak.
        let mut masks = 0;
        for line in connect.log.lines().filter(|line| line.contains(secret)) {
            masks += 1;
            let record: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let masking = record["command"] == "add-mask"
                && record["msg"]
                    .as_str()
                    .is_some_and(|msg| !msg.contains(secret));
            assert!(
                masking,
                "the {name} is in act's log: {}",
                line.replace(secret, "<SECRET>")
            );
        }
        assert!(masks > 0, "the {name} was masked (::add-mask::)");
        assert_eq!(
            connect.files_contain(secret),
            Vec::<std::path::PathBuf>::new(),
            "the {name} is in a file act wrote (outputs, state, summary)"
        );
    }
    assert!(
        connect.log.contains("Summary"),
        "the summary was written:\n{}",
        connect.log
    );
}
