//! One connection's whole life through real Terraform, from the rotation
//! example with an `agent` block: create; a new agent version and values,
//! upgraded in place (the release's computed attributes planned as known
//! after apply); a new `token_rotation`, also in place (a new token in the
//! Secret, the old one revoked); a renamed Space, which replaces the
//! connection (the old robot goes); destroy, after which nothing is left in
//! Upbound or the cluster. After every apply, refresh and `-refresh=false`
//! plans are both empty. The robot token is compared, never printed. The
//! same under `tofu`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use testkit::cli::Cli;
use testkit::helm::{helm_in_cluster, releases};
use testkit::registry::chart_versions;
use testkit::terraform::{BASIC_CONNECTION as ADDRESS, ROTATION_EXAMPLE, TerraformDir};
use testkit::test_each_cli;
use testkit::world::World;

/// The computed attributes that describe the agent's release.
const RELEASE_ATTRIBUTES: [&str; 3] = ["release_revision", "agent_version", "chart_digest"];

/// An `agent` block for the example's resource, at chart `version` with the
/// pod label `tier`, as an override file (Terraform merges it in).
fn agent_override(version: &str, tier: &str) -> String {
    format!(
        r#"resource "upbound_space_connection" "this" {{
  agent {{
    version = "{version}"
    timeout = "2m"
    values  = yamlencode({{ podLabels = {{ tier = "{tier}" }} }})
  }}
}}
"#
    )
}

/// The `tier` pod label the release `agent` was given.
fn release_tier(namespace: &str) -> serde_json::Value {
    let home = tempfile::tempdir().expect("helm home");
    let values = helm_in_cluster(
        home.path(),
        namespace,
        &["get", "values", "agent", "-o", "json"],
    );
    let values: serde_json::Value = serde_json::from_str(&values).expect("helm values JSON");
    values["podLabels"]["tier"].clone()
}

/// The token ID a robot token JWT carries (`jti`), read without verifying.
fn token_id_of(jwt: &str) -> String {
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url payload"))
            .expect("JSON claims");
    claims["jti"].as_str().expect("a jti claim").to_owned()
}

/// Asserts that each of `names` is (`unknown`) or is not "known after
/// apply" in a planned `change`.
#[track_caller]
fn assert_unknown(change: &serde_json::Value, names: &[&str], unknown: bool, why: &str) {
    for name in names {
        assert_eq!(
            change["after_unknown"][name].as_bool().unwrap_or(false),
            unknown,
            "{why}: {name} known after apply is {unknown}: {change}"
        );
    }
}

test_each_cli!(a_connection_is_created_updated_rotated_replaced_and_destroyed);

async fn a_connection_is_created_updated_rotated_replaced_and_destroyed(cli: Cli) {
    let world = World::new().await;
    let versions = chart_versions();
    let terraform = TerraformDir::for_world(&world, ROTATION_EXAMPLE)
        .using(cli)
        .env("TF_VAR_space", "first")
        .env("TF_VAR_rotation", "2026-10");
    terraform.write("agent_override.tf", &agent_override(&versions[0], "a"));
    terraform.init().await;

    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    let created = terraform.state_values(ADDRESS).await;
    assert_eq!(created["release_revision"], 1);
    assert_eq!(created["agent_version"], versions[0].as_str());
    assert_eq!(release_tier(&world.namespace), "a");
    terraform.assert_no_changes("create").await;

    // Update in place: a new chart version and values.
    terraform.write("agent_override.tf", &agent_override(&versions[1], "b"));
    let change = terraform.planned_change(ADDRESS).await;
    assert_eq!(change["actions"], serde_json::json!(["update"]), "{change}");
    assert_unknown(&change, &RELEASE_ATTRIBUTES, true, "an upgrade");
    assert_unknown(&change, &["robot_id", "token_id"], false, "an upgrade");
    terraform.apply(&[]).await.success();
    let upgraded = terraform.state_values(ADDRESS).await;
    assert_eq!(upgraded["release_revision"], 2);
    assert_eq!(upgraded["agent_version"], versions[1].as_str());
    assert_eq!(upgraded["token_id"], created["token_id"]);
    assert_eq!(release_tier(&world.namespace), "b");
    terraform.assert_no_changes("upgrade").await;

    // Rotation in place: a new trigger.
    let (old_jwt, _) = world.stored_token().await;
    let terraform = terraform.env("TF_VAR_rotation", "2026-11");
    let change = terraform.planned_change(ADDRESS).await;
    assert_eq!(change["actions"], serde_json::json!(["update"]), "{change}");
    assert_unknown(&change, &["token_id"], true, "a rotation");
    assert_unknown(&change, &["robot_id"], false, "a rotation");
    for name in RELEASE_ATTRIBUTES {
        assert_eq!(
            change["after"][name], upgraded[name],
            "a rotation keeps {name}"
        );
    }
    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    let rotated = terraform.state_values(ADDRESS).await;
    let token_id = rotated["token_id"].as_str().expect("a token ID");
    assert_ne!(rotated["token_id"], upgraded["token_id"], "a new token");
    assert_eq!(
        world.minted_tokens(),
        [token_id],
        "the old token is revoked"
    );
    let (jwt, _) = world.stored_token().await;
    // Not assert_ne!, which would print the tokens.
    assert!(jwt != old_jwt, "the Secret holds a new token");
    assert_eq!(
        token_id_of(&jwt),
        token_id,
        "the Secret holds the new token"
    );
    assert_eq!(rotated["robot_id"], upgraded["robot_id"]);
    assert_eq!(rotated["release_revision"], 2, "the agent is untouched");
    terraform.assert_no_changes("rotation").await;

    // Replacement: a renamed Space.
    let old_robot = rotated["robot_id"].clone();
    let terraform = terraform.env("TF_VAR_space", "second");
    let plan = terraform.plan(&[]).await;
    assert!(
        plan.stdout.contains("1 to add, 0 to change, 1 to destroy"),
        "a renamed Space replaces the connection:\n{plan}"
    );
    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;
    let robots = world.double.robots();
    assert_eq!(robots[0].name, "second", "the robot is the new Space's");
    let replaced = terraform.state_values(ADDRESS).await;
    assert_eq!(replaced["robot_id"], robots[0].id.to_string());
    assert_ne!(replaced["robot_id"], old_robot, "the old robot is gone");
    assert_eq!(replaced["id"], format!("{}/second", world.organization));
    let reinstalled = vec![("agent".to_owned(), 1, "deployed".to_owned())];
    assert_eq!(releases(&world.namespace), reinstalled);
    terraform.assert_no_changes("replacement").await;

    terraform.destroy().await.success();
    world.assert_no_robot_no_token();
    assert_eq!(
        world.secret_version("connect-token").await,
        None,
        "no Secret"
    );
    assert_eq!(releases(&world.namespace), vec![], "no release is left");
    assert_eq!(terraform.state_list().await, Vec::<String>::new());
}
