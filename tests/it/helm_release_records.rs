//! Release records are Helm's: real helm lists, shows and reads the values
//! and manifest of a release we recorded; we read a release real helm
//! installed; history is trimmed like `--history-max`.

use serde_json::{Map, Value, json};
use upbound_connect::helm::release::{
    ChartFile, ChartRecord, Info, NEVER, Release, ReleaseStore, Status,
};

use testkit::helm::helm_in_cluster;
use testkit::world::World;

fn release(namespace: &str, version: u32, status: Status) -> Release {
    let Value::Object(config) = json!({"space": "records", "registration": {"enabled": true}})
    else {
        unreachable!()
    };
    let Value::Object(metadata) = json!({"apiVersion": "v2", "name": "agent", "version": "0.0.0-441.g68777b9", "appVersion": "0.0.0-441.g68777b9"})
    else {
        unreachable!()
    };
    Release {
        name: "agent".to_owned(),
        info: Info {
            first_deployed: "2026-11-23T10:00:00Z".to_owned(),
            last_deployed: "2026-11-23T10:00:00Z".to_owned(),
            deleted: NEVER.to_owned(),
            description: "Install complete".to_owned(),
            status,
            notes: String::new(),
        },
        chart: ChartRecord {
            metadata,
            lock: Value::Null,
            templates: vec![ChartFile::new("templates/config.yaml", b"kind: ConfigMap")],
            values: Map::new(),
            schema: None,
            files: Vec::new(),
        },
        config,
        manifest: "---\n# Source: agent/templates/config.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: agent\n".to_owned(),
        hooks: Vec::new(),
        version,
        namespace: namespace.to_owned(),
        annotations: Default::default(),
    }
}

#[tokio::test]
async fn helm_reads_our_records_and_we_read_helms() {
    let world = World::new().await;
    let store = ReleaseStore::new(world.cluster_as(&world.admin_access()).await);
    let home = tempfile::tempdir().unwrap();
    let ns = world.namespace.as_str();

    store
        .create(&release(ns, 1, Status::Deployed))
        .await
        .expect("record written");
    let listed: Value =
        serde_json::from_str(&helm_in_cluster(home.path(), ns, &["list", "-o", "json"])).unwrap();
    assert_eq!(listed[0]["name"], "agent");
    assert_eq!(listed[0]["revision"], "1");
    assert_eq!(listed[0]["status"], "deployed");
    assert_eq!(listed[0]["chart"], "agent-0.0.0-441.g68777b9");
    let values: Value = serde_json::from_str(&helm_in_cluster(
        home.path(),
        ns,
        &["get", "values", "agent", "-o", "json"],
    ))
    .unwrap();
    assert_eq!(
        values,
        json!({"space": "records", "registration": {"enabled": true}})
    );
    let manifest = helm_in_cluster(home.path(), ns, &["get", "manifest", "agent"]);
    assert!(
        manifest.contains("# Source: agent/templates/config.yaml"),
        "{manifest}"
    );

    let version = testkit::harness_env("CHART_VERSIONS");
    let version = version.split_whitespace().next().unwrap();
    helm_in_cluster(
        home.path(),
        ns,
        &[
            "install",
            "by-helm",
            &testkit::harness_env("CHART_REPOSITORY"),
            "--version",
            version,
            "--plain-http",
            "--username",
            &testkit::harness_env("REGISTRY_USERNAME"),
            "--password",
            &testkit::harness_env("REGISTRY_PASSWORD"),
            "--set",
            "space=by-helm,organization=acme,tokenSecret=connect-token",
        ],
    );
    let theirs = store.history("by-helm").await.expect("helm's record read");
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].info.status, Status::Deployed);
    assert_eq!(theirs[0].chart.metadata["version"], version);
    assert_eq!(theirs[0].config["space"], "by-helm");
    assert!(theirs[0].manifest.contains("kind: Deployment"));
}

#[tokio::test]
async fn history_is_trimmed_but_keeps_the_deployed_revision() {
    let world = World::new().await;
    let store = ReleaseStore::new(world.cluster_as(&world.admin_access()).await);
    let ns = world.namespace.as_str();
    for version in 1..=12 {
        let status = if version == 12 {
            Status::Deployed
        } else {
            Status::Superseded
        };
        store.create(&release(ns, version, status)).await.unwrap();
    }
    store.trim("agent", 10).await.expect("trim");
    let versions: Vec<u32> = store
        .history("agent")
        .await
        .unwrap()
        .iter()
        .map(|r| r.version)
        .collect();
    assert_eq!(versions, (3..=12).collect::<Vec<_>>());

    let home = tempfile::tempdir().unwrap();
    let history: Value = serde_json::from_str(&helm_in_cluster(
        home.path(),
        ns,
        &["history", "agent", "-o", "json"],
    ))
    .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 10);
    assert_eq!(history[9]["status"], "deployed");
}
