//! The cluster gone (its kubeconfig points at a closed port): `terraform
//! destroy` fails, naming the Kubernetes API and the way out, and removes
//! nothing. The user then sets `cloud_only_destroy = true`, records it with
//! `terraform apply -refresh=false` (a change of state only, no cluster
//! needed), and `terraform destroy` removes the robot and its token from
//! Upbound and empties the state. With the kubeconfig file gone as well,
//! the same opt-in still cleans Upbound: nothing reads a kubeconfig.

use testkit::harness_env;
use testkit::terraform::{BASIC_CONNECTION, BASIC_EXAMPLE, TerraformDir};
use testkit::world::World;

/// A server address nothing listens on (port 1 needs root to bind).
const CLOSED_SERVER: &str = "https://127.0.0.1:1/";

/// The basic example with `cloud_only_destroy = true` on the connection.
fn with_cloud_only_destroy() -> String {
    let resource = "  namespace = var.namespace\n}";
    assert_eq!(
        BASIC_EXAMPLE.matches(resource).count(),
        1,
        "{BASIC_EXAMPLE}"
    );
    BASIC_EXAMPLE.replace(
        resource,
        "  namespace = var.namespace\n\n  cloud_only_destroy = true\n}",
    )
}

#[tokio::test]
async fn destroy_fails_until_cloud_only_destroy_then_cleans_upbound() {
    let world = World::new().await;
    let terraform = TerraformDir::for_world(&world, BASIC_EXAMPLE).env("TF_VAR_space", "gone");
    terraform.init().await;
    terraform.apply(&[]).await.success();
    terraform.assert_no_changes("connect").await;
    world.assert_one_robot_one_token().await;

    let kubeconfig = std::fs::read_to_string(harness_env("KUBECONFIG")).expect("kubeconfig");
    let server = harness_env("KUBE_SERVER");
    assert!(kubeconfig.contains(&server), "{server} in {kubeconfig}");
    terraform.write(
        "gone.kubeconfig",
        &kubeconfig.replace(&server, CLOSED_SERVER),
    );
    let gone = terraform.path().join("gone.kubeconfig");
    let terraform = terraform.env("KUBE_CONFIG_PATH", gone.to_str().expect("UTF-8 path"));

    let refused = terraform.destroy().await;
    assert_eq!(refused.code, 1, "destroy fails:\n{refused}");
    for words in [
        "cannot reach the Kubernetes API at https://127.0.0.1:1/",
        "set `cloud_only_destroy = true`",
        "terraform apply -refresh=false",
    ] {
        assert!(refused.says(words), "the error says {words:?}:\n{refused}");
    }
    world.assert_one_robot_one_token().await;
    assert_eq!(terraform.state_list().await, vec![BASIC_CONNECTION]);

    terraform.write("main.tf", &with_cloud_only_destroy());
    terraform.apply(&["-refresh=false"]).await.success();
    assert_eq!(
        terraform.state_values(BASIC_CONNECTION).await["cloud_only_destroy"],
        true
    );
    let refresh = terraform.plan(&[]).await;
    assert_eq!(refresh.code, 0, "nothing to change:\n{refresh}");
    assert!(
        refresh.says("Warning: Cluster unreachable"),
        "the refresh warns that the cluster is unreachable:\n{refresh}"
    );

    terraform.destroy().await.success();
    world.assert_no_robot_no_token();
    assert!(
        world.secret_version("connect-token").await.is_some(),
        "the cluster was not touched: its Secret stays behind"
    );
    assert_eq!(
        terraform.state_list().await,
        Vec::<String>::new(),
        "the state is empty"
    );
}

/// The cluster gone with its kubeconfig file: with `cloud_only_destroy`
/// recorded, refresh warns and keeps the state, and destroy removes the
/// robot and its token from Upbound without reading any kubeconfig.
#[tokio::test]
async fn cloud_only_destroy_needs_no_kubeconfig() {
    let world = World::new().await;
    let terraform =
        TerraformDir::for_world(&world, &with_cloud_only_destroy()).env("TF_VAR_space", "nokube");
    terraform.init().await;
    terraform.apply(&[]).await.success();
    world.assert_one_robot_one_token().await;

    let missing = terraform.path().join("deleted.kubeconfig");
    let terraform = terraform.env("KUBE_CONFIG_PATH", missing.to_str().expect("UTF-8 path"));
    let refresh = terraform.plan(&[]).await;
    assert_eq!(refresh.code, 0, "nothing to change:\n{refresh}");
    assert!(
        refresh.says("Warning: Cluster unreachable"),
        "the refresh warns and keeps the state:\n{refresh}"
    );
    terraform.destroy().await.success();
    world.assert_no_robot_no_token();
    assert_eq!(terraform.state_list().await, Vec::<String>::new());
}
