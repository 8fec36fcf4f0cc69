//! Twenty Spaces, each in its own namespace, connected by ONE `terraform
//! apply -parallelism=10` of the `for_each` example: exactly 20 robots (one
//! per Space, named for it, none made twice), 20 live tokens (one per
//! robot), and in each namespace a Secret recording its own Space's robot
//! and token; refresh (which resolves the organization and lists its
//! robots once for all twenty) and `-refresh=false` plans are then empty, and
//! `terraform destroy -parallelism=10` leaves no robot, no token and no
//! Secret. The wall times are printed, not asserted.
//!
//! The namespaces stay behind, as every test's do: the test apiserver runs
//! no namespace controller to finalize them, and `tests/run` starts a fresh
//! one each time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::ListParams;
use testkit::terraform::TerraformDir;
use testkit::world::World;
use upbound_api_double::model::TokenOwner;

/// The `for_each` example: variables `organization` and `spaces` (Space
/// name → namespace).
const FOR_EACH: &str = include_str!("../../../examples/terraform/for_each/main.tf");

const SPACES: usize = 20;

const PARALLELISM: &str = "-parallelism=10";

#[tokio::test]
async fn twenty_connections_apply_and_destroy_in_parallel() {
    let world = World::new().await;
    let mut spaces = BTreeMap::new();
    for index in 0..SPACES {
        spaces.insert(
            format!("space-{index:02}"),
            world.spaces_namespace("many").await,
        );
    }
    let mut terraform = TerraformDir::for_world(&world, FOR_EACH)
        .env("TF_VAR_spaces", &serde_json::json!(spaces).to_string());
    for namespace in spaces.values() {
        terraform = terraform.agent_ready_in(&world.kube, namespace);
    }
    terraform.init().await;

    let started = Instant::now();
    terraform.apply(&[PARALLELISM]).await.success();
    eprintln!(
        "apply of {SPACES} connections ({PARALLELISM}): {:.1?}",
        started.elapsed()
    );

    assert_eq!(
        world.writes(),
        BTreeMap::from([
            ("POST /v1/tokens".to_owned(), SPACES),
            ("POST /v2/robots".to_owned(), SPACES),
        ]),
        "no robot or token is made twice, even for a moment"
    );
    let robots = world.double.robots();
    let robot_names: BTreeSet<_> = robots.iter().map(|robot| robot.name.clone()).collect();
    assert_eq!(robots.len(), SPACES, "one robot per Space: {robots:?}");
    assert_eq!(
        robot_names,
        spaces.keys().cloned().collect(),
        "each Space's robot is named for it"
    );
    let tokens: Vec<_> = world
        .double
        .tokens()
        .into_iter()
        .filter(|token| token.name.starts_with("upbound-connect-"))
        .collect();
    let token_robots: BTreeSet<_> = tokens.iter().map(|token| robot_of(token.owner)).collect();
    assert_eq!(tokens.len(), SPACES, "one live token per Space: {tokens:?}");
    assert_eq!(
        token_robots,
        robots.iter().map(|robot| Some(robot.id)).collect(),
        "each robot holds one token"
    );

    let outputs = &terraform.show_json(None).await["values"]["outputs"];
    for (space, namespace) in &spaces {
        let robot = robots
            .iter()
            .find(|robot| &robot.name == space)
            .expect("the Space's robot");
        let robot_id = robot.id.to_string();
        assert_eq!(outputs["robot_ids"]["value"][space], robot_id.as_str());
        let secret = Api::<Secret>::namespaced(world.kube.clone(), namespace)
            .get("connect-token")
            .await
            .unwrap_or_else(|error| panic!("{space}'s Secret in {namespace}: {error}"));
        let annotations = secret.metadata.annotations.unwrap_or_default();
        assert_eq!(
            annotations.get("connect.upbound.io/robot-id"),
            Some(&robot_id),
            "{space}'s Secret records its own robot"
        );
        let token_id = &outputs["token_ids"]["value"][space];
        assert_eq!(
            annotations
                .get("connect.upbound.io/token-id")
                .map(String::as_str),
            token_id.as_str(),
            "{space}'s Secret records the token in state"
        );
        assert!(
            tokens.iter().any(|token| token.id.to_string() == *token_id
                && token.owner == TokenOwner::Robot(robot.id)),
            "{space}'s token is live and its robot's"
        );
    }

    for extra in [&[][..], &["-refresh=false"][..]] {
        let before = world.double.request_counts();
        let plan = terraform.plan(extra).await;
        assert_eq!(plan.code, 0, "plan {extra:?} after apply is empty:\n{plan}");
        if extra.is_empty() {
            let calls = world.double.request_counts();
            for shared in [
                "GET /v1/accounts/{name}",
                "GET /v1/organizations/{orgID}/robots",
            ] {
                let made = calls.get(shared).unwrap_or(&0) - before.get(shared).unwrap_or(&0);
                assert_eq!(
                    made, 1,
                    "the refresh of {SPACES} connections makes {shared} once: {calls:?}"
                );
            }
        }
    }

    let started = Instant::now();
    terraform.destroy_with(&[PARALLELISM]).await.success();
    eprintln!(
        "destroy of {SPACES} connections ({PARALLELISM}): {:.1?}",
        started.elapsed()
    );

    assert_eq!(
        world.writes(),
        BTreeMap::from([
            ("DELETE /v1/tokens/{tokenID}".to_owned(), SPACES),
            ("DELETE /v2/robots/{robotID}".to_owned(), SPACES),
            ("POST /v1/tokens".to_owned(), SPACES),
            ("POST /v2/robots".to_owned(), SPACES),
        ]),
        "destroy deletes each robot and token once"
    );
    world.assert_no_robot_no_token();
    for namespace in spaces.values() {
        let secrets = Api::<Secret>::namespaced(world.kube.clone(), namespace)
            .list(&ListParams::default())
            .await
            .expect("Secrets listed");
        let names: Vec<_> = secrets
            .items
            .into_iter()
            .filter_map(|secret| secret.metadata.name)
            .collect();
        assert_eq!(
            names,
            Vec::<String>::new(),
            "no Secret is left in {namespace}"
        );
    }
}

/// The robot a token belongs to (`None` for a user's).
fn robot_of(owner: TokenOwner) -> Option<uuid::Uuid> {
    match owner {
        TokenOwner::Robot(robot) => Some(robot),
        TokenOwner::User(_) => None,
    }
}
