//! The binary writes its address and a private token file, serves the API
//! to a client logged in with that token, and stops cleanly on SIGTERM.

use std::os::unix::fs::PermissionsExt;

use crate::child::{DoubleProcess, answer_json, token_file};
use serde_json::Value;

#[tokio::test]
async fn serves_the_token_user_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let double = DoubleProcess::start(dir.path(), &[]);
    assert!(double.url.starts_with("http://127.0.0.1:"));
    let mode = std::fs::metadata(token_file(dir.path()))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let client = double.logged_in_client().await;
    let current: Value = answer_json(client.get(format!("{}/v1/self", double.url))).await;
    assert_eq!(current["user"]["username"], "alice");
    let organizations: Value =
        answer_json(client.get(format!("{}/v1/organizations", double.url))).await;
    assert_eq!(organizations[0]["name"], "acme");
    assert_eq!(organizations[0]["role"], "owner");

    assert!(double.terminate().success());
}

#[test]
fn refuses_a_non_loopback_address() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_upbound-api-double"))
        .args(["--listen", "0.0.0.0:0"])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success());
}
