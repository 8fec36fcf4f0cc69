//! The Kubernetes client: kube's own service stack (base URI, credentials,
//! headers, timeouts, TLS from the kubeconfig) on connections made as Go's
//! net/http (client-go) makes them:
//! - Nagle's algorithm off. With it on, a new TLS connection that
//!   authenticates with a client certificate sends its last handshake
//!   flight in pieces and waits on the server's delayed ACK: about 40 ms
//!   per new connection, which a cold read opens several of.
//! - HTTP/2 when the server offers it (ALPN; plain `http://` stays
//!   HTTP/1.1): the requests of a look share one connection instead of
//!   opening one TLS connection each.
//!
//! Connections through a proxy, and credentials from an exec plugin (whose
//! client certificates kube renews), keep kube's default stack.

use hyper_rustls::{FixedServerNameResolver, HttpsConnectorBuilder};
use hyper_timeout::TimeoutConnector;
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::{ClientBuilder, ConfigExt};
use tower::{BoxError, ServiceBuilder};

/// A client for `config`.
pub(super) fn build(config: kube::Config) -> Result<kube::Client, String> {
    if config.proxy_url.is_some() || config.auth_info.exec.is_some() {
        return kube::Client::try_from(config).map_err(|error| error.to_string());
    }
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install it meanwhile: either is the same.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    }
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    let tls = config
        .rustls_client_config()
        .map_err(|error| error.to_string())?;
    let mut https = HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http();
    if let Some(name) = &config.tls_server_name {
        let name = name
            .clone()
            .try_into()
            .map_err(|error| format!("tls-server-name {name:?}: {error}"))?;
        https = https.with_server_name_resolver(FixedServerNameResolver::new(name));
    }
    let mut connector = TimeoutConnector::new(https.enable_all_versions().wrap_connector(tcp));
    connector.set_connect_timeout(config.connect_timeout);
    connector.set_read_timeout(config.read_timeout);
    connector.set_write_timeout(config.write_timeout);
    let http: HttpClient<_, kube::client::Body> =
        HttpClient::builder(TokioExecutor::new()).build(connector);
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .option_layer(config.auth_layer().map_err(|error| error.to_string())?)
        .layer(
            config
                .extra_headers_layer()
                .map_err(|error| error.to_string())?,
        )
        .map_err(BoxError::from)
        .service(http);
    Ok(ClientBuilder::new(service, config.default_namespace).build())
}
