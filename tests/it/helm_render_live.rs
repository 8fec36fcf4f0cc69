//! Rendering against the live test apiserver: capabilities read through
//! discovery and `lookup` of real objects (one ConfigMap by name, the
//! ConfigMaps of the namespace as a list, a missing one, a cluster-scoped
//! Namespace) give exactly what real helm renders against the same
//! cluster (`helm template --dry-run=server --validate`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{Api, ObjectMeta, PostParams};
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::manifest;
use upbound_connect::helm::render::{Capabilities, ClusterLookup, RenderOptions, Renderer};
use upbound_connect::helm::values::Values;

use testkit::helm::helm_in_cluster;

#[tokio::test(flavor = "multi_thread")]
async fn lookups_and_capabilities_come_from_the_cluster() {
    let client = testkit::admin_client().await;
    let namespace = testkit::unique_name("render-live");
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let meta = |name: &str| ObjectMeta {
        name: Some(name.to_owned()),
        labels: Some(BTreeMap::from([(
            "made-by".to_owned(),
            "render-live".to_owned(),
        )])),
        ..ObjectMeta::default()
    };
    namespaces
        .create(
            &PostParams::default(),
            &Namespace {
                metadata: meta(&namespace),
                ..Namespace::default()
            },
        )
        .await
        .unwrap();
    let config_maps: Api<ConfigMap> = Api::namespaced(client.clone(), &namespace);
    for (name, greeting) in [
        ("existing-config", "hello from the cluster"),
        ("another", "second"),
    ] {
        let config_map = ConfigMap {
            metadata: meta(name),
            data: Some(BTreeMap::from([(
                "greeting".to_owned(),
                greeting.to_owned(),
            )])),
            ..ConfigMap::default()
        };
        config_maps
            .create(&PostParams::default(), &config_map)
            .await
            .unwrap();
    }

    let chart_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charts/live-lookup");
    let home = tempfile::tempdir().unwrap();
    let chart_path = chart_dir.display().to_string();
    let helms = helm_in_cluster(
        home.path(),
        &namespace,
        &[
            "template",
            "live",
            &chart_path,
            "--dry-run=server",
            "--validate",
        ],
    );

    let capabilities = Capabilities::discover(&testkit::admin_cluster(&namespace).await)
        .await
        .unwrap();
    assert!(
        capabilities
            .api_versions
            .iter()
            .any(|v| v == "apps/v1/Deployment")
    );
    let mut options = RenderOptions::template("live", &namespace);
    options.capabilities = capabilities;
    options.lookup = Arc::new(ClusterLookup::new(
        client.clone(),
        tokio::runtime::Handle::current(),
        Duration::from_secs(30),
        upbound_connect::retry::RetryPolicy::default(),
    ));
    let chart = Chart::load(&chart_dir).unwrap();
    let rendered = tokio::task::spawn_blocking(move || {
        Renderer::new().render(&chart, &Values::new(), &options)
    })
    .await
    .unwrap()
    .unwrap();
    let ours = manifest::release_manifest(&manifest::sort(&rendered.files).unwrap().manifests);

    assert!(
        ours.contains("greeting: \"hello from the cluster\""),
        "{ours}"
    );
    assert!(ours.contains("names: another,existing-config,"), "{ours}");
    assert_eq!(ours.trim_end(), helms.trim_end());

    namespaces
        .delete(&namespace, &Default::default())
        .await
        .unwrap();
}
