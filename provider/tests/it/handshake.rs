//! The go-plugin handshake as Terraform performs it: without the magic
//! cookie the binary explains itself and exits 1; with it (and a client
//! certificate, as AutoMTLS passes one) it prints the handshake line,
//! serves gRPC over mutual TLS on the Unix socket it announced — refusing
//! other client certificates — and exits when Terraform is done.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use hyper_util::rt::TokioIo;
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, aws_lc_rs};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use terraform_provider_upbound::proto::plugin::Empty;
use terraform_provider_upbound::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_upbound::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_upbound::proto::tfplugin6::{get_provider_schema, stop_provider};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UnixStream;
use tokio::process::{Child, Command};
use tonic::transport::{Channel, Endpoint, Uri};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

const BINARY: &str = env!("CARGO_BIN_EXE_terraform-provider-upbound");
const COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const DEADLINE: Duration = Duration::from_secs(10);

/// A client certificate made as go-plugin makes Terraform's: a
/// self-signed ECDSA P-521 CA for `localhost`.
struct ClientIdentity {
    pem: String,
    der: CertificateDer<'static>,
    key: Vec<u8>,
}

fn client_identity() -> ClientIdentity {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("key");
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let certificate = params.self_signed(&key).expect("certificate");
    ClientIdentity {
        pem: certificate.pem(),
        der: certificate.der().clone(),
        key: key.serialize_der(),
    }
}

/// Trusts exactly the certificate of the handshake line, as go-plugin's
/// client does.
#[derive(Debug)]
struct PinnedServer {
    certificate: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.certificate.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, certificate, signature, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, certificate, signature, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// The provider, started as Terraform starts it, and what it announced.
struct Plugin {
    child: Child,
    socket: PathBuf,
    certificate: Vec<u8>,
}

async fn start(client: &ClientIdentity) -> Plugin {
    let mut child = Command::new(BINARY)
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", &client.pem)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the provider starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    tokio::time::timeout(DEADLINE, BufReader::new(stdout).read_line(&mut line))
        .await
        .expect("a handshake line in time")
        .expect("stdout readable");
    let parts: Vec<&str> = line.trim_end().split('|').collect();
    assert_eq!(parts.len(), 6, "handshake line {line:?}");
    assert_eq!(&parts[..3], ["1", "6", "unix"], "handshake line {line:?}");
    assert_eq!(parts[4], "grpc", "handshake line {line:?}");
    let certificate = STANDARD_NO_PAD
        .decode(parts[5])
        .expect("certificate in base64 without padding");
    Plugin {
        child,
        socket: PathBuf::from(parts[3]),
        certificate,
    }
}

/// A gRPC channel over the plugin's socket with mutual TLS.
async fn connect(
    plugin: &Plugin,
    client: &ClientIdentity,
) -> Result<Channel, tonic::transport::Error> {
    let provider = Arc::new(aws_lc_rs::default_provider());
    let verifier = PinnedServer {
        certificate: plugin.certificate.clone(),
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_auth_cert(
            vec![client.der.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(client.key.clone())),
        )
        .expect("client identity");
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let socket = plugin.socket.clone();
    Endpoint::from_static("http://localhost")
        .connect_timeout(DEADLINE)
        .connect_with_connector(tower::service_fn(move |_: Uri| {
            let (connector, socket) = (connector.clone(), socket.clone());
            async move {
                let stream = UnixStream::connect(socket).await?;
                let name = ServerName::try_from("localhost").expect("server name");
                let stream = connector.connect(name, stream).await?;
                Ok::<_, std::io::Error>(TokioIo::new(stream))
            }
        }))
        .await
}

async fn exits_cleanly(plugin: &mut Plugin) {
    let status = tokio::time::timeout(DEADLINE, plugin.child.wait())
        .await
        .expect("the provider exits in time")
        .expect("exit status");
    assert!(status.success(), "exit status {status}");
    assert!(!plugin.socket.exists(), "the socket is removed on exit");
}

#[test]
fn without_the_cookie_it_explains_itself_and_exits_1() {
    let output = std::process::Command::new(BINARY)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("This binary is a plugin"), "{message}");
}

#[tokio::test]
async fn serves_the_schema_and_health_over_mtls_then_stops() {
    let client = client_identity();
    let mut plugin = start(&client).await;
    let channel = connect(&plugin, &client).await.expect("mTLS connection");

    let schema = ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert!(
        schema
            .resource_schemas
            .contains_key("upbound_space_connection")
    );
    let provider_blocks: Vec<String> = schema
        .provider
        .and_then(|provider| provider.block)
        .map(|block| {
            block
                .block_types
                .into_iter()
                .map(|nested| nested.type_name)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(provider_blocks, ["upbound", "kubernetes", "registry"]);
    let capabilities = schema.server_capabilities.expect("capabilities");
    assert!(capabilities.plan_destroy && capabilities.get_provider_schema_optional);

    let health = HealthClient::new(channel.clone())
        .check(HealthCheckRequest {
            service: "plugin".to_owned(),
        })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(health.status, ServingStatus::Serving as i32);

    ProviderClient::new(channel)
        .stop_provider(stop_provider::Request {})
        .await
        .expect("StopProvider");
    exits_cleanly(&mut plugin).await;
}

#[tokio::test]
async fn shutdown_from_the_controller_ends_the_process() {
    let client = client_identity();
    let mut plugin = start(&client).await;
    let channel = connect(&plugin, &client).await.expect("mTLS connection");
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    exits_cleanly(&mut plugin).await;
}

#[tokio::test]
async fn another_client_certificate_is_refused() {
    let terraform = client_identity();
    let stranger = client_identity();
    let plugin = start(&terraform).await;
    let refused = match connect(&plugin, &stranger).await {
        Err(_) => true,
        // TLS 1.3 servers check the client certificate after the client
        // considers the handshake done: the first call fails instead.
        Ok(channel) => ProviderClient::new(channel)
            .get_provider_schema(get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(refused, "a client with another certificate was served");
}
