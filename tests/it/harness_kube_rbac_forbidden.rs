//! The kube-apiserver harness enforces RBAC: the restricted user may read in
//! `default` and nothing more, so its writes are refused with 403.

use k8s_openapi::api::core::v1::Secret;
use kube::Api;
use kube::api::{ListParams, ObjectMeta, PostParams};

#[tokio::test]
async fn restricted_user_can_read_default_but_not_write() {
    let client = testkit::kube_client("RESTRICTED_KUBECONFIG").await;
    let secrets: Api<Secret> = Api::namespaced(client.clone(), "default");

    secrets
        .list(&ListParams::default())
        .await
        .expect("read in default is allowed");

    let secret = Secret {
        metadata: ObjectMeta {
            name: Some(testkit::unique_name("forbidden")),
            ..Default::default()
        },
        ..Default::default()
    };
    let err = secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect_err("write must be refused");
    match err {
        kube::Error::Api(status) => assert_eq!(status.code, 403, "{status:?}"),
        other => panic!("expected a 403 from the apiserver, got {other:?}"),
    }

    let elsewhere: Api<Secret> = Api::namespaced(client, "kube-system");
    let err = elsewhere
        .list(&ListParams::default())
        .await
        .expect_err("reads outside default are refused");
    assert!(
        matches!(err, kube::Error::Api(ref s) if s.code == 403),
        "{err:?}"
    );
}
