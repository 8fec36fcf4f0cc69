//! Digests are checked: a chart layer altered on the way is refused (and
//! not cached), and a damaged cache entry is never used — it is fetched
//! again.

use testkit::registry::{agent_chart, chart_versions, puller};
use upbound_connect::helm::chart::Chart;
use upbound_connect::helm::oci::ChartReference;

#[tokio::test]
async fn a_tampered_layer_is_refused_and_not_cached() {
    let proxy = testkit::registry::tampering_proxy().await;
    let cache = tempfile::tempdir().unwrap();
    let version = &chart_versions()[0];
    let through_proxy = ChartReference {
        registry: proxy,
        ..agent_chart(version)
    };
    let error = puller(cache.path()).pull(&through_proxy).await.unwrap_err();
    assert!(error.is_digest_mismatch(), "{error:?}");
    assert!(error.to_string().contains("digest"), "{error}");
    assert!(
        !cache.path().join("blobs").exists() || walk_is_empty(&cache.path().join("blobs")),
        "nothing tampered may reach the cache"
    );
}

#[tokio::test]
async fn a_damaged_cache_entry_is_fetched_again() {
    let cache = tempfile::tempdir().unwrap();
    let chart = agent_chart(&chart_versions()[1]);
    let first = puller(cache.path()).pull(&chart).await.unwrap();
    std::fs::write(&first.archive, b"damaged").unwrap();

    let again = puller(cache.path());
    let pulled = again.pull(&chart).await.unwrap();
    assert_eq!(again.blob_downloads(), 1, "the damaged entry is replaced");
    assert_eq!(pulled.layer_digest, first.layer_digest);
    Chart::load(&pulled.archive).unwrap();
}

fn walk_is_empty(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).unwrap().all(|entry| {
        let path = entry.unwrap().path();
        path.is_dir() && walk_is_empty(&path)
    })
}
