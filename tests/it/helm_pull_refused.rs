//! Pull failures a user can fix are told apart and named without secrets:
//! wrong credentials, no credentials, a version that does not exist.

use testkit::registry::{agent_chart, chart_versions, license, pull_options};
use upbound_connect::Secret;
use upbound_connect::helm::oci::ChartPuller;
use upbound_connect::spec::License;

#[tokio::test]
async fn wrong_credentials_are_refused_by_name() {
    let cache = tempfile::tempdir().unwrap();
    let wrong = License {
        access_id: license().access_id,
        token: Secret::new("not-the-password"),
    };
    let puller = ChartPuller::new(pull_options(Some(wrong), cache.path()));
    let error = puller
        .pull(&agent_chart(&chart_versions()[0]))
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("token.json"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");
    assert_eq!(puller.blob_downloads(), 0);
}

#[tokio::test]
async fn an_anonymous_pull_is_refused() {
    let cache = tempfile::tempdir().unwrap();
    let puller = ChartPuller::new(pull_options(None, cache.path()));
    let error = puller
        .pull(&agent_chart(&chart_versions()[0]))
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert!(error.to_string().contains("anonymous"), "{error}");
}

#[tokio::test]
async fn a_missing_version_is_not_found_and_says_which() {
    let cache = tempfile::tempdir().unwrap();
    let license = license();
    let password = license.token.expose().to_owned();
    let puller = ChartPuller::new(pull_options(Some(license), cache.path()));
    let error = puller
        .pull(&agent_chart("9.9.9+missing"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("9.9.9+missing"), "{message}");
    assert!(!message.contains(&password), "{message}");
    assert!(!format!("{error:?}").contains(&password));
}
