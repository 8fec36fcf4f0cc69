//! The robot tokens (JWTs: the first, and the one a rotation mints) and the
//! user's token that Terraform hands the provider appear nowhere Terraform
//! writes or shows: not in the state, the saved plan, `show -json`, the
//! console, or a `TF_LOG=trace` log.

use std::path::Path;

use testkit::terraform::{ROTATION_EXAMPLE, TerraformDir, TerraformRun};
use testkit::world::World;

#[tokio::test]
async fn no_token_in_state_plans_logs_or_console() {
    let world = World::new().await;
    let logs = tempfile::tempdir().expect("temporary directory");
    let trace_log = logs.path().join("trace.log");
    let terraform = TerraformDir::for_world(&world, ROTATION_EXAMPLE)
        .env("TF_VAR_space", "quiet")
        .env("TF_VAR_rotation", "first")
        .env("TF_LOG", "trace")
        .env("TF_LOG_PATH", trace_log.to_str().expect("UTF-8 path"));
    let mut console: Vec<TerraformRun> = Vec::new();

    console.push(terraform.init().await);
    console.push(terraform.apply(&[]).await.success());
    let (first_jwt, _) = world.stored_token().await;
    let terraform = terraform.env("TF_VAR_rotation", "second");
    console.push(terraform.apply(&[]).await.success());
    console.push(
        terraform
            .run(&["plan", "-no-color", "-out=replan.tfplan"])
            .await
            .success(),
    );
    console.push(
        terraform
            .run(&["show", "-json", "replan.tfplan"])
            .await
            .success(),
    );
    console.push(terraform.run(&["show", "-json"]).await.success());
    console.push(terraform.run(&["state", "pull"]).await.success());
    console.push(terraform.run(&["output", "-json"]).await.success());
    let (jwt, _) = world.stored_token().await;
    assert!(jwt != first_jwt, "the second apply rotated the token");
    console.push(terraform.destroy().await.success());

    let secrets = [
        ("first robot token", first_jwt.as_str()),
        ("first robot token signature", signature(&first_jwt)),
        ("rotated robot token", jwt.as_str()),
        ("rotated robot token signature", signature(&jwt)),
        ("user token", world.token.expose()),
        ("user token signature", signature(world.token.expose())),
    ];
    let mut files = files_under(terraform.path());
    files.extend(files_under(logs.path()));
    assert!(
        files
            .iter()
            .any(|(path, text)| path == &trace_log && text.contains("GRPCProvider.v6")),
        "the trace log was written, with the provider's calls"
    );
    for (what, secret) in secrets {
        for run in &console {
            assert!(
                !run.console().contains(secret),
                "the {what} is on the console of terraform {}",
                run.args.join(" ")
            );
        }
        for (path, text) in &files {
            assert!(
                !text.contains(secret),
                "the {what} is in {}",
                path.display()
            );
        }
    }
}

/// The last dot-separated part of a JWT: unique to it, and all that a
/// partial leak would need to show.
fn signature(jwt: &str) -> &str {
    jwt.rsplit('.').next().expect("a JWT has parts")
}

/// Every file Terraform wrote in `dir` (state, backups, plans, logs, lock
/// file), with its bytes as text; the installed provider binary is left out.
fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable directory") {
            let path = entry.expect("directory entry").path();
            if path.ends_with(".terraform/providers") {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                files.push((path, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    files
}
