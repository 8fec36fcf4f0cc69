//! A chart's `crds/` as `helm install` treats it: a first install creates
//! the CustomResourceDefinitions before rendering (so the render already
//! sees their API, and an object of their kind installs in the same run),
//! keeps them out of the release, never touches them on an upgrade, and
//! uninstall leaves them. Real helm then installs the same chart beside
//! ours, finding the definition present. The CRDs of a subchart that a
//! `condition` or `tags` disables are not installed, with helm or without.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::Api;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind};
use upbound_connect::engine::{DisconnectOptions, Silent};
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::render::process_dependencies;
use upbound_connect::spec::{ConnectionInput, ConnectionSpec};

use testkit::helm::helm_in_cluster;
use testkit::install::{history, installer, mark_deployments_ready};
use testkit::registry::chart_versions;
use testkit::world::World;

const CRD: &str = "widgets.connect-test.upbound.io";

/// `space` connected with the agent chart `chart` (a local directory) and
/// `values`.
fn spec(world: &World, chart: &std::path::Path, values: &str) -> ConnectionSpec {
    let mut input: ConnectionInput = world.agent_input("crds", &chart_versions()[0]);
    if let Some(agent) = input.agent.as_mut() {
        agent.chart = Some(chart.display().to_string());
        agent.values_yaml = Some(values.to_owned());
    }
    input.validate().expect("valid spec")
}

fn widgets(world: &World, namespace: &str) -> Api<DynamicObject> {
    let resource = ApiResource::from_gvk(&GroupVersionKind::gvk(
        "connect-test.upbound.io",
        "v1",
        "Widget",
    ));
    Api::namespaced_with(world.kube.clone(), namespace, &resource)
}

#[tokio::test]
async fn crds_are_created_before_the_first_render_and_left_alone_after() {
    let world = World::new().await;
    let _ready = mark_deployments_ready(world.kube.clone(), &world.namespace);
    let chart = tempfile::tempdir().expect("chart copy");
    let source = testkit::repo_path("tests/charts/with-crds");
    for relative in [
        "Chart.yaml",
        "values.yaml",
        "crds/widgets.yaml",
        "templates/widget.yaml",
    ] {
        let target = chart.path().join(relative);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("directories");
        std::fs::copy(source.join(relative), &target).expect("copy");
    }
    let engine = world.engine().await;
    let crds: Api<CustomResourceDefinition> = Api::all(world.kube.clone());

    engine
        .connect(&spec(&world, chart.path(), "size: 1"), &Silent)
        .await
        .expect("first install");
    let crd = crds.get(CRD).await.expect("the CRD was created");
    let widget = widgets(&world, &world.namespace)
        .get("agent-widget")
        .await
        .expect("the Widget installed in the same run");
    assert_eq!(widget.data["spec"]["size"], 1);
    assert_eq!(
        widget.data["spec"]["servedBeforeRender"], true,
        "the render saw the new API"
    );
    let releases = history(&world).await;
    assert!(
        !releases[0].manifest.contains("CustomResourceDefinition"),
        "crds/ is not part of the release"
    );

    // An upgrade leaves the definition alone, even when the chart's changed.
    let edited = std::fs::read_to_string(chart.path().join("crds/widgets.yaml"))
        .expect("read")
        .replace(
            "    singular: widget\n",
            "    singular: widget\n    shortNames: [wd]\n",
        );
    std::fs::write(chart.path().join("crds/widgets.yaml"), edited).expect("edit");
    engine
        .connect(&spec(&world, chart.path(), "size: 2"), &Silent)
        .await
        .expect("upgrade");
    assert_eq!(history(&world).await.len(), 2, "an upgrade");
    let after = crds.get(CRD).await.expect("the CRD");
    assert_eq!(after.spec, crd.spec, "the upgrade did not change the CRD");
    let widget = widgets(&world, &world.namespace)
        .get("agent-widget")
        .await
        .expect("the Widget");
    assert_eq!(widget.data["spec"]["size"], 2);

    engine
        .disconnect(
            &spec(&world, chart.path(), "size: 2"),
            DisconnectOptions::default(),
            &Silent,
        )
        .await
        .expect("disconnect");
    assert!(
        widgets(&world, &world.namespace)
            .get_opt("agent-widget")
            .await
            .expect("read")
            .is_none(),
        "uninstall removed the Widget"
    );
    assert!(
        crds.get_opt(CRD).await.expect("read").is_some(),
        "and left the CRD"
    );

    // Real helm installs the same chart beside it: the CRD is present.
    let home = tempfile::tempdir().expect("helm home");
    let other = world.spaces_namespace("helm-crds").await;
    helm_in_cluster(
        home.path(),
        &other,
        &["install", "theirs", &source.display().to_string()],
    );
    let theirs = widgets(&world, &other)
        .get("theirs-widget")
        .await
        .expect("helm's Widget");
    assert_eq!(theirs.data["spec"]["servedBeforeRender"], true);
}

/// The CRDs of the subcharts of `tests/charts/with-optional-crds`.
const OPTIONAL_CRDS: [&str; 2] = [
    "gadgets.optional-crds.connect-test.upbound.io",
    "sprockets.optional-crds.connect-test.upbound.io",
];

#[tokio::test]
async fn crds_of_subcharts_their_values_disable_are_not_installed_as_with_helm() {
    let world = World::new().await;
    let chart = testkit::repo_path("tests/charts/with-optional-crds");
    let crds: Api<CustomResourceDefinition> = Api::all(world.kube.clone());
    let present = || async {
        let mut present = Vec::new();
        for name in OPTIONAL_CRDS {
            if crds.get_opt(name).await.expect("read").is_some() {
                present.push(name);
            }
        }
        present
    };

    // A condition and a tag disable both subcharts by default.
    world
        .engine()
        .await
        .connect(&spec(&world, &chart, ""), &Silent)
        .await
        .expect("first install");
    assert_eq!(history(&world).await.len(), 1, "installed");
    assert!(present().await.is_empty(), "no CRD of a disabled subchart");

    let home = tempfile::tempdir().expect("helm home");
    let other = world.spaces_namespace("helm-optional-crds").await;
    helm_in_cluster(
        home.path(),
        &other,
        &["install", "theirs", &chart.display().to_string()],
    );
    assert!(present().await.is_empty(), "real helm installs none either");

    // Enabled by their condition and tag, they bring their CRDs.
    let loaded = Chart::load(&chart).expect("chart");
    let values = serde_json::json!({"gadgets": {"enabled": true}, "tags": {"extras": true}});
    let serde_json::Value::Object(values) = values else {
        unreachable!()
    };
    let enabled = process_dependencies(&loaded, &values).expect("dependencies");
    let created = installer(&world)
        .await
        .install_crds(&enabled)
        .await
        .expect("CRDs installed");
    assert_eq!(created.len(), 2, "{created:?}");
    assert_eq!(present().await, OPTIONAL_CRDS);
}
