//! With a licence, connect keeps `upbound-pull-secret` holding its
//! credentials for the registry; a reconnect writes nothing; disconnect
//! deletes the pull secret only if connect created it.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret as KubeSecret;
use kube::api::{ObjectMeta, PostParams};
use serde_json::Value;
use upbound_connect::Secret;
use upbound_connect::engine::{DisconnectOptions, Silent};
use upbound_connect::spec::ConnectionSpec;

use testkit::world::World;

const LICENSE: &str = r#"{"accessId": "licence-access-id", "token": "licence-token"}"#;

fn spec_with_license(world: &World, space: &str) -> ConnectionSpec {
    let mut input = world.input(space);
    input.license_json = Some(Secret::new(LICENSE));
    input.validate().expect("valid spec")
}

async fn registry_auth(world: &World) -> Value {
    let secret = world
        .secrets()
        .get("upbound-pull-secret")
        .await
        .expect("pull secret");
    assert_eq!(
        secret.type_.as_deref(),
        Some("kubernetes.io/dockerconfigjson")
    );
    let config: Value =
        serde_json::from_slice(&secret.data.unwrap()[".dockerconfigjson"].0).unwrap();
    config["auths"]["xpkg.upbound.io"].clone()
}

#[tokio::test]
async fn a_pull_secret_connect_created_is_kept_current_and_removed() {
    let world = World::new().await;
    let engine = world.engine().await;
    let spec = spec_with_license(&world, "licensed");
    engine.connect(&spec, &Silent).await.expect("connect");
    let auth = registry_auth(&world).await;
    assert_eq!(auth["username"], "licence-access-id");
    assert_eq!(auth["password"], "licence-token");

    let version = world.secret_version("upbound-pull-secret").await;
    assert!(
        !engine.connect(&spec, &Silent).await.unwrap().changed,
        "no-op reconnect"
    );
    let after = world.secret_version("upbound-pull-secret").await;
    assert_eq!(version, after);

    engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(world.secret_version("upbound-pull-secret").await.is_none());
}

#[tokio::test]
async fn a_pull_secret_of_ours_left_alone_is_removed_by_disconnect() {
    let world = World::new().await;
    let spec = spec_with_license(&world, "leftover");
    let cluster = world.cluster_as(&world.admin_access()).await;
    cluster
        .apply_pull_secret(&spec.registry, spec.license.as_ref().unwrap())
        .await
        .unwrap();
    let outcome = world
        .engine()
        .await
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(outcome.changed);
    assert!(world.secret_version("upbound-pull-secret").await.is_none());
}

#[tokio::test]
async fn a_pull_secret_from_the_spaces_install_is_updated_but_kept() {
    let world = World::new().await;
    let installed = KubeSecret {
        metadata: ObjectMeta {
            name: Some("upbound-pull-secret".to_owned()),
            ..ObjectMeta::default()
        },
        type_: Some("kubernetes.io/dockerconfigjson".to_owned()),
        data: Some(BTreeMap::from([(
            ".dockerconfigjson".to_owned(),
            ByteString(
                br#"{"auths":{"xpkg.upbound.io":{"username":"old","password":"old"}}}"#.to_vec(),
            ),
        )])),
        ..KubeSecret::default()
    };
    world
        .secrets()
        .create(&PostParams::default(), &installed)
        .await
        .unwrap();
    let engine = world.engine().await;
    let spec = spec_with_license(&world, "licensed");
    engine.connect(&spec, &Silent).await.expect("connect");
    assert_eq!(registry_auth(&world).await["username"], "licence-access-id");

    engine
        .disconnect(&spec, DisconnectOptions::default(), &Silent)
        .await
        .expect("disconnect");
    assert!(
        world.secret_version("upbound-pull-secret").await.is_some(),
        "the Spaces install's pull secret stays"
    );
}
