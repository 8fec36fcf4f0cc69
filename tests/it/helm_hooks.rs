//! Hooks run as Helm runs them: pre-install before the objects, in weight
//! order, a Job waited for until it completes, `hook-succeeded` ones
//! deleted, the others left; runs recorded so that `helm get hooks` reads
//! them; pre-delete hooks run on uninstall.

use std::time::Duration;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::Api;
use kube::api::{ListParams, Patch, PatchParams};
use serde_json::json;

use testkit::helm::helm_in_cluster;
use testkit::install::{AgentChart, RELEASE, extra_document, history, installer};
use testkit::world::World;

fn hook_annotations(event: &str, weight: i32, policy: Option<&str>) -> String {
    let mut body = format!(
        "  annotations:\n    helm.sh/hook: {event}\n    helm.sh/hook-weight: \"{weight}\"\n"
    );
    if let Some(policy) = policy {
        body.push_str(&format!("    helm.sh/hook-delete-policy: {policy}\n"));
    }
    body
}

/// After a second, marks every Job in `namespace` complete, as the Job
/// controller would.
fn complete_jobs(kube: kube::Client, namespace: &str) -> tokio::task::JoinHandle<()> {
    let jobs: Api<Job> = Api::namespaced(kube, namespace);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        loop {
            for job in jobs
                .list(&ListParams::default())
                .await
                .map(|l| l.items)
                .unwrap_or_default()
            {
                let name = job.metadata.name.unwrap();
                let status = json!({"status": {"succeeded": 1}});
                let _ = jobs
                    .patch_status(&name, &PatchParams::default(), &Patch::Merge(&status))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
}

#[tokio::test]
async fn hooks_run_in_order_are_waited_for_and_recorded() {
    let world = World::new().await;
    let ns = world.namespace.as_str();
    let mut chart = AgentChart::new(&world, "hooked");
    let job_body = format!(
        "{}spec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: migrate\n          image: busybox\n",
        hook_annotations("pre-install", 5, Some("hook-succeeded"))
    );
    chart.rendered.rendered.hooks = vec![
        extra_document("batch/v1", "Job", "migrate", &job_body),
        extra_document(
            "v1",
            "ConfigMap",
            "prepare",
            &hook_annotations("pre-install", -1, Some("hook-succeeded")),
        ),
        extra_document(
            "v1",
            "ConfigMap",
            "announce",
            &hook_annotations("post-install", 0, None),
        ),
        extra_document(
            "v1",
            "ConfigMap",
            "farewell",
            &hook_annotations("pre-delete", 0, None),
        ),
    ];
    let jobs = complete_jobs(world.kube.clone(), ns);
    let installer = installer(&world).await;

    let started = std::time::Instant::now();
    installer
        .upgrade_install(&chart.rendered.request(false, Duration::from_secs(20)))
        .await
        .expect("installed with hooks");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the Job was waited for"
    );

    let config_maps: Api<ConfigMap> = Api::namespaced(world.kube.clone(), ns);
    assert!(
        config_maps.get_opt("prepare").await.unwrap().is_none(),
        "hook-succeeded deletes"
    );
    let announce = config_maps
        .get("announce")
        .await
        .expect("a hook without policy stays");
    assert!(
        announce.metadata.labels.is_none(),
        "hooks carry no ownership"
    );
    let record = history(&world).await.remove(0);
    let phases: Vec<(String, String)> = record
        .hooks
        .iter()
        .map(|hook| {
            (
                hook["name"].as_str().unwrap().to_owned(),
                hook["last_run"]["phase"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            ("migrate".to_owned(), "Succeeded".to_owned()),
            ("prepare".to_owned(), "Succeeded".to_owned()),
            ("announce".to_owned(), "Succeeded".to_owned()),
            ("farewell".to_owned(), String::new()),
        ]
    );
    let start_of = |name: &str| {
        record.hooks.iter().find(|h| h["name"] == name).unwrap()["last_run"]["started_at"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        start_of("prepare") < start_of("migrate"),
        "weight -1 runs before weight 5"
    );
    let hooks = helm_in_cluster(chart.home.path(), ns, &["get", "hooks", RELEASE]);
    assert!(
        hooks.contains("name: migrate") && hooks.contains("name: farewell"),
        "{hooks}"
    );

    installer
        .uninstall(RELEASE, Duration::from_secs(10))
        .await
        .expect("uninstalled");
    config_maps
        .get("farewell")
        .await
        .expect("the pre-delete hook ran");
    jobs.abort();
}
