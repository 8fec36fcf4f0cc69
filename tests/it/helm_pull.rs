//! Both chart versions pull from the authenticated registry, load, and a
//! second pull (even by a fresh puller) is served from the digest cache: the
//! manifest is asked for again, no blob is downloaded.

use std::time::Instant;

use testkit::registry::{agent_chart, chart_versions, puller};
use upbound_connect::helm::chart::Chart;

#[tokio::test]
async fn pulls_each_version_once_then_serves_it_from_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let versions = chart_versions();
    assert_eq!(versions.len(), 2, "the harness pushes two versions");

    let cold = puller(cache.path());
    for version in &versions {
        let started = Instant::now();
        let pulled = cold.pull(&agent_chart(version)).await.unwrap();
        eprintln!("cold pull of {version}: {:?}", started.elapsed());
        assert!(pulled.manifest_digest.starts_with("sha256:"));
        assert!(pulled.archive.starts_with(cache.path()));
        let chart = Chart::load(&pulled.archive).unwrap();
        assert_eq!(chart.metadata.name, "agent");
        assert_eq!(&chart.metadata.version, version);
        assert!(
            chart
                .templates
                .iter()
                .any(|t| t.name == "templates/deployment.yaml")
        );
    }
    assert_eq!(cold.blob_downloads(), 2, "one chart layer per version");

    let warm = puller(cache.path());
    for version in &versions {
        let started = Instant::now();
        let again = warm.pull(&agent_chart(version)).await.unwrap();
        eprintln!("cached pull of {version}: {:?}", started.elapsed());
        assert!(again.archive.exists());
    }
    assert_eq!(
        warm.blob_downloads(),
        0,
        "a cached version downloads no blob"
    );
}
