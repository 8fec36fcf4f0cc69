//! The registry harness from the chart's side: the licence credentials, the
//! pushed chart versions, a [`ChartPuller`] for them, and a proxy that
//! logs requests (and tampers with chart layers when asked).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use upbound_connect::Secret;
use upbound_connect::helm::oci::{ChartPuller, ChartReference, PullOptions};
use upbound_connect::retry::RetryPolicy;
use upbound_connect::spec::License;

use crate::harness_env;

/// The licence the registry accepts.
pub fn license() -> License {
    License {
        access_id: harness_env("REGISTRY_USERNAME"),
        token: Secret::new(harness_env("REGISTRY_PASSWORD")),
    }
}

/// The pushed versions, oldest (top-level values interface) first.
pub fn chart_versions() -> Vec<String> {
    harness_env("CHART_VERSIONS")
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The test agent chart at `version` in the harness registry.
pub fn agent_chart(version: &str) -> ChartReference {
    ChartReference::parse(&harness_env("CHART_REPOSITORY"), version).expect("valid reference")
}

/// Pull options with a fast retry policy and the given cache.
pub fn pull_options(license: Option<License>, cache_dir: &Path) -> PullOptions {
    PullOptions {
        license,
        cache_dir: cache_dir.to_path_buf(),
        request_timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retries: 2,
        },
    }
}

/// A puller with the licence and a cache in `cache_dir`.
pub fn puller(cache_dir: &Path) -> ChartPuller {
    ChartPuller::new(pull_options(Some(license()), cache_dir))
}

/// A loopback proxy in front of the harness registry that flips the last
/// byte of every blob it serves (and passes everything else through), as a
/// corrupting mirror would. Returns its `host:port`.
pub async fn tampering_proxy() -> String {
    registry_proxy(true).await.address
}

/// A loopback proxy in front of the harness registry.
pub struct RegistryProxy {
    /// Its `host:port`.
    pub address: String,
    /// Each request it passed on, as `METHOD path`, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl RegistryProxy {
    /// How many requests for a manifest it passed on.
    pub fn manifest_requests(&self) -> usize {
        self.requests
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|request| request.contains("/manifests/"))
            .count()
    }
}

/// A loopback proxy in front of the harness registry that logs every
/// request and, with `tamper_blobs`, flips the last byte of every blob.
pub async fn registry_proxy(tamper_blobs: bool) -> RegistryProxy {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, Method, StatusCode, Uri};

    let upstream = harness_env("REGISTRY");
    let client = reqwest::Client::new();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    let forward = move |method: Method, uri: Uri, headers: HeaderMap| {
        let client = client.clone();
        let upstream = upstream.clone();
        let log = log.clone();
        async move {
            log.lock()
                .expect("not poisoned")
                .push(format!("{method} {}", uri.path()));
            let mut request = client.request(method, format!("http://{upstream}{uri}"));
            for name in ["authorization", "accept"] {
                if let Some(value) = headers.get(name) {
                    request = request.header(name, value);
                }
            }
            let response = request.send().await.expect("upstream registry answers");
            let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
            let mut out_headers = HeaderMap::new();
            for (name, value) in response.headers() {
                if name != "content-length" && name != "transfer-encoding" {
                    out_headers.insert(name.clone(), value.clone());
                }
            }
            let mut body = response.bytes().await.expect("upstream body").to_vec();
            if tamper_blobs
                && uri.path().contains("/blobs/")
                && let Some(last) = body.last_mut()
            {
                *last ^= 0xff;
            }
            (status, out_headers, Bytes::from(body))
        }
    };
    let app = axum::Router::new().fallback(forward);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    RegistryProxy {
        address: address.to_string(),
        requests,
    }
}
