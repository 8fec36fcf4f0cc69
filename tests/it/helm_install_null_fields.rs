//! A chart whose rendered documents carry null mappings (`annotations:`
//! or `labels:` with nothing under them, at the top and in a pod
//! template) installs: Helm reads manifests through JSON, where such a
//! null means unset, and adds its ownership metadata on top; we send the
//! same objects by server-side apply and the apiserver stores them
//! without the null fields.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;

use testkit::install::{RELEASE, Rendered, installer};
use testkit::world::World;

const CONFIG_MAP: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: nulls
  annotations:
  labels:
data:
  key: value
";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nulls
  annotations:
spec:
  selector:
    matchLabels:
      app: nulls
  template:
    metadata:
      labels:
        app: nulls
      annotations:
    spec:
      containers:
      - name: app
        image: registry.invalid/app:1
        env:
";

#[tokio::test]
async fn documents_with_null_mappings_install_with_helms_ownership() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let scratch = tempfile::tempdir().unwrap();
    let chart = scratch.path().join("nulls");
    for (path, text) in [
        (
            "Chart.yaml",
            "apiVersion: v2\nname: nulls\nversion: 0.1.0\n",
        ),
        ("templates/configmap.yaml", CONFIG_MAP),
        ("templates/deployment.yaml", DEPLOYMENT),
    ] {
        let path = chart.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let rendered = Rendered::new(scratch.path(), &chart, ns, &[]);

    let outcome = installer(&world)
        .await
        .upgrade_install(&rendered.request(false, Duration::from_secs(30)))
        .await
        .expect("a chart with null mappings installs");
    assert_eq!(outcome.revision, 1);

    let config_map = Api::<ConfigMap>::namespaced(world.kube.clone(), ns)
        .get("nulls")
        .await
        .expect("ConfigMap created");
    let annotations = config_map.metadata.annotations.unwrap();
    let labels = config_map.metadata.labels.unwrap();
    assert_eq!(
        annotations.keys().collect::<Vec<_>>(),
        [
            "meta.helm.sh/release-name",
            "meta.helm.sh/release-namespace"
        ]
    );
    assert_eq!(annotations["meta.helm.sh/release-name"], RELEASE);
    assert_eq!(labels["app.kubernetes.io/managed-by"], "Helm");
    assert_eq!(config_map.data.unwrap()["key"], "value");

    let deployment = Api::<Deployment>::namespaced(world.kube.clone(), ns)
        .get("nulls")
        .await
        .expect("Deployment created");
    let template = deployment.spec.unwrap().template;
    assert_eq!(template.metadata.unwrap().annotations, None);
    assert_eq!(template.spec.unwrap().containers[0].env, None);
}
