//! An object the release would create that already exists without the
//! release's ownership metadata is refused in Helm's words, before any
//! record is written; `take_ownership` adopts it.

use std::time::Duration;

use k8s_openapi::api::core::v1::ServiceAccount;
use kube::Api;
use kube::api::{ObjectMeta, PostParams};
use upbound_connect::helm::install::InstallError;

use testkit::install::{RELEASE, Rendered, agent_chart_dir, agent_values, history, installer};
use testkit::world::World;

#[tokio::test]
async fn a_foreign_object_is_refused_unless_ownership_is_taken() {
    let world = World::new().await;
    let home = tempfile::tempdir().unwrap();
    let ns = world.namespace.as_str();
    let accounts: Api<ServiceAccount> = Api::namespaced(world.kube.clone(), ns);
    let foreign = ServiceAccount {
        metadata: ObjectMeta {
            name: Some("agent".to_owned()),
            ..ObjectMeta::default()
        },
        ..ServiceAccount::default()
    };
    accounts
        .create(&PostParams::default(), &foreign)
        .await
        .unwrap();
    let rendered = Rendered::new(home.path(), &agent_chart_dir(), ns, &agent_values("owned"));
    let installer = installer(&world).await;

    let error = installer
        .upgrade_install(&rendered.request(false, Duration::from_secs(10)))
        .await
        .expect_err("the foreign ServiceAccount is not taken");

    assert!(matches!(error, InstallError::NotOwned { .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "ServiceAccount \"agent\" in namespace \"{ns}\" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key \"app.kubernetes.io/managed-by\": must be set to \"Helm\""
        )),
        "{message}"
    );
    assert!(message.contains("take_ownership"), "{message}");
    assert!(
        history(&world).await.is_empty(),
        "refused before any record"
    );

    let mut request = rendered.request(false, Duration::from_secs(10));
    request.take_ownership = true;
    installer.upgrade_install(&request).await.expect("adopted");
    let annotations = accounts
        .get("agent")
        .await
        .unwrap()
        .metadata
        .annotations
        .unwrap();
    assert_eq!(annotations["meta.helm.sh/release-name"], RELEASE);
}
