//! The kube-apiserver harness is a real API server: kube-rs creates a namespace
//! and a Secret in it and reads the Secret back as stored.

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Api;
use kube::api::{ObjectMeta, PostParams};

#[tokio::test]
async fn secret_written_through_kube_rs_reads_back_from_the_apiserver() {
    let client = testkit::admin_client().await;
    let version = client.apiserver_version().await.expect("server version");
    assert_eq!(
        (version.major.as_str(), version.minor.as_str()),
        ("1", "36"),
        "the harness pins Kubernetes 1.36"
    );

    let namespace = testkit::unique_name("roundtrip");
    let namespaces: Api<Namespace> = Api::all(client.clone());
    namespaces
        .create(
            &PostParams::default(),
            &Namespace {
                metadata: ObjectMeta {
                    name: Some(namespace.clone()),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .expect("create namespace");

    let secrets: Api<Secret> = Api::namespaced(client, &namespace);
    let secret = Secret {
        metadata: ObjectMeta {
            name: Some("connect-token".into()),
            ..Default::default()
        },
        string_data: Some([("token".to_string(), "not-a-real-token".to_string())].into()),
        ..Default::default()
    };
    let created = secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
    assert!(
        created.metadata.resource_version.is_some(),
        "the server assigned a resourceVersion"
    );

    let read = secrets
        .get("connect-token")
        .await
        .expect("read secret back");
    let data = read.data.expect("stringData is stored as data");
    assert_eq!(
        data.get("token"),
        Some(&ByteString(b"not-a-real-token".to_vec()))
    );
    assert_eq!(read.metadata.uid, created.metadata.uid);
}
