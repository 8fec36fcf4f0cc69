//! A Terraform provider registry over HTTPS on loopback, serving one
//! provider release as the provider registry protocol describes it:
//! service discovery (`/.well-known/terraform.json`, `providers.v1`), the
//! version list, the download description of the one platform (with its
//! `shasum` read from the SHA256SUMS it serves, and its signing key), and
//! the files themselves. Its certificate is issued by a CA of its own,
//! which Terraform (Go) trusts through `SSL_CERT_FILE`.
//!
//! It serves whatever files it is given: a test hands it a tampered zip,
//! another signature or another key to see Terraform refuse them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::server::TlsStream;

/// The host name the registry answers as: Terraform needs a name (not an
/// address) in a provider source, and `localhost` resolves without DNS.
const HOST: &str = "localhost";

/// One provider release for one platform, as the registry lists it.
#[derive(Clone)]
pub struct Listing {
    /// The provider's namespace (e.g. `upbound-connect`).
    pub namespace: String,
    /// The provider's type (e.g. `upbound`).
    pub provider_type: String,
    /// The version (e.g. `0.1.0`).
    pub version: String,
    /// The platform, `<os>_<arch>` (e.g. `linux_amd64`).
    pub platform: String,
    /// The files served under `/files/`, by name: the zip, SHA256SUMS and
    /// its `.sig`, named as `release/package-provider` names them.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The signing key the download description advertises.
    pub signing_key: PublicKey,
}

/// A signing key as the download description lists it.
#[derive(Clone)]
pub struct PublicKey {
    /// The long key ID.
    pub key_id: String,
    /// The ASCII-armored public key.
    pub ascii_armor: String,
}

impl Listing {
    fn prefix(&self) -> String {
        format!("terraform-provider-{}_{}", self.provider_type, self.version)
    }

    fn zip_name(&self) -> String {
        format!("{}_{}.zip", self.prefix(), self.platform)
    }

    fn sums_name(&self) -> String {
        format!("{}_SHA256SUMS", self.prefix())
    }

    /// The zip's SHA-256 as the served SHA256SUMS lists it.
    fn listed_shasum(&self) -> String {
        let sums = String::from_utf8_lossy(&self.files[&self.sums_name()]).into_owned();
        let zip = self.zip_name();
        sums.lines()
            .find_map(|line| {
                let (sum, name) = line.split_once("  ")?;
                (name == zip).then(|| sum.to_owned())
            })
            .unwrap_or_else(|| panic!("SHA256SUMS lists {zip}: {sums}"))
    }
}

/// A running registry; stops when dropped.
pub struct ProviderRegistry {
    host: String,
    namespace: String,
    provider_type: String,
    ca_file: PathBuf,
    _dir: TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl ProviderRegistry {
    /// Starts serving `listing` on a free loopback port.
    pub async fn start(listing: Listing) -> Self {
        let dir = TempDir::new().expect("temporary directory");
        let (acceptor, ca_pem) = tls();
        let ca_file = dir.path().join("ca.pem");
        std::fs::write(&ca_file, ca_pem).expect("write the CA");
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let host = format!("{HOST}:{}", tcp.local_addr().expect("address").port());
        let namespace = listing.namespace.clone();
        let provider_type = listing.provider_type.clone();
        let router = router(Arc::new(Served {
            base: format!("https://{host}"),
            listing,
        }));
        let server = tokio::spawn(async move {
            axum::serve(TlsListener { tcp, acceptor }, router)
                .await
                .expect("serve");
        });
        Self {
            host,
            namespace,
            provider_type,
            ca_file,
            _dir: dir,
            server,
        }
    }

    /// The provider's source address here: `localhost:<port>/<namespace>/<type>`.
    pub fn source(&self) -> String {
        format!("{}/{}/{}", self.host, self.namespace, self.provider_type)
    }

    /// The CA that issued the registry's certificate (PEM), for `SSL_CERT_FILE`.
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }
}

impl Drop for ProviderRegistry {
    fn drop(&mut self) {
        self.server.abort();
    }
}

struct Served {
    base: String,
    listing: Listing,
}

fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route(
            "/.well-known/terraform.json",
            get(|| async { axum::Json(json!({"providers.v1": "/v1/providers/"})) }),
        )
        .route("/v1/providers/{namespace}/{type}/versions", get(versions))
        .route(
            "/v1/providers/{namespace}/{type}/{version}/download/{os}/{arch}",
            get(download),
        )
        .route("/files/{name}", get(file))
        .with_state(served)
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(json!({"errors": ["Not Found"]})),
    )
        .into_response()
}

async fn versions(
    State(served): State<Arc<Served>>,
    UrlPath((namespace, provider_type)): UrlPath<(String, String)>,
) -> Response {
    let listing = &served.listing;
    if namespace != listing.namespace || provider_type != listing.provider_type {
        return not_found();
    }
    let (os, arch) = listing.platform.split_once('_').expect("os_arch");
    axum::Json(json!({
        "versions": [{
            "version": listing.version,
            "protocols": ["6.0"],
            "platforms": [{"os": os, "arch": arch}],
        }]
    }))
    .into_response()
}

async fn download(
    State(served): State<Arc<Served>>,
    UrlPath((namespace, provider_type, version, os, arch)): UrlPath<(
        String,
        String,
        String,
        String,
        String,
    )>,
) -> Response {
    let listing = &served.listing;
    let asked = [namespace, provider_type, version, format!("{os}_{arch}")];
    let listed = [
        &listing.namespace,
        &listing.provider_type,
        &listing.version,
        &listing.platform,
    ];
    if asked
        .iter()
        .zip(listed)
        .any(|(asked, listed)| asked != listed)
    {
        return not_found();
    }
    let url = |name: String| format!("{}/files/{name}", served.base);
    let description: Value = json!({
        "protocols": ["6.0"],
        "os": os,
        "arch": arch,
        "filename": listing.zip_name(),
        "download_url": url(listing.zip_name()),
        "shasums_url": url(listing.sums_name()),
        "shasums_signature_url": url(format!("{}.sig", listing.sums_name())),
        "shasum": listing.listed_shasum(),
        "signing_keys": {
            "gpg_public_keys": [{
                "key_id": listing.signing_key.key_id,
                "ascii_armor": listing.signing_key.ascii_armor,
            }]
        },
    });
    axum::Json(description).into_response()
}

async fn file(State(served): State<Arc<Served>>, UrlPath(name): UrlPath<String>) -> Response {
    match served.listing.files.get(&name) {
        Some(bytes) => bytes.clone().into_response(),
        None => not_found(),
    }
}

/// A server configuration with a certificate for [`HOST`] issued by a new
/// CA, and that CA's certificate (PEM).
fn tls() -> (TlsAcceptor, String) {
    let mut ca_params = CertificateParams::new(Vec::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let key = KeyPair::generate().expect("server key");
    let certificate = CertificateParams::new(vec![HOST.to_owned()])
        .expect("server parameters")
        .signed_by(&key, &ca)
        .expect("server certificate");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(certificate.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("server TLS configuration");
    (TlsAcceptor::from(Arc::new(config)), ca.pem())
}

/// Accepts TCP connections and completes their TLS handshakes; a failed
/// handshake drops that connection only.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> tokio::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
