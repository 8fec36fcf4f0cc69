//! What a person's shell gets from the CLI besides the commands: shell
//! completions and the manual page (from the same clap command), and the
//! token read from stdin with `--token -` (a `--token VALUE` works, with a
//! warning that it shows in the process list).

use std::process::Stdio;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::common::{BINARY, describe};
use testkit::harness_env;
use testkit::world::World;

/// `upbound-connect ARGS` with no environment of the world.
async fn run(args: &[&str]) -> std::process::Output {
    Command::new(BINARY)
        .args(args)
        .output()
        .await
        .expect("the binary runs")
}

#[tokio::test]
async fn completions_and_the_manual_page_cover_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef upbound-connect"),
        ("fish", "complete -c upbound-connect"),
    ] {
        let output = run(&["completion", shell]).await;
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}", describe(&output));
        assert!(script.contains(marker), "{shell}: {script}");
        for word in [
            "connect",
            "disconnect",
            "status",
            "plan",
            "skip-space-check",
        ] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let man = run(&["man"]).await;
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(man.status.success(), "{}", describe(&man));
    assert!(
        page.starts_with(".ie") || page.contains(".TH upbound-connect"),
        "{page}"
    );
    assert!(
        page.contains("Exit status"),
        "the exit statuses are in the page"
    );
    let bad = run(&["completion", "powershell-7"]).await;
    assert_eq!(bad.status.code(), Some(2), "{}", describe(&bad));
}

#[tokio::test]
async fn the_token_comes_from_stdin_and_a_token_on_the_command_line_is_warned_about() {
    let world = World::new().await;
    let base = [
        "status",
        "--space",
        "alpha",
        "--output",
        "json",
        "--namespace",
        &world.namespace,
    ];
    let command = |token: &str| {
        let mut command = Command::new(BINARY);
        command
            .args(base)
            .args(["--token", token])
            .env_remove("UPBOUND_TOKEN")
            .env("UPBOUND_ENDPOINT", world.double.url())
            .env("UPBOUND_ORGANIZATION", &world.organization)
            .env("KUBECONFIG", harness_env("KUBECONFIG"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };

    let mut child = command("-").spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{}\n", world.token.expose()).as_bytes())
        .await
        .expect("token written");
    drop(stdin);
    let piped = child.wait_with_output().await.expect("run");
    assert!(piped.status.success(), "{}", describe(&piped));
    assert!(
        !String::from_utf8_lossy(&piped.stderr).contains("warning"),
        "{}",
        describe(&piped)
    );

    let given = command(world.token.expose()).output().await.expect("run");
    let stderr = String::from_utf8_lossy(&given.stderr);
    assert!(given.status.success(), "{}", describe(&given));
    assert!(
        stderr.contains("warning") && stderr.contains("process list"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(world.token.expose()),
        "the warning never repeats the token"
    );
}
