//! The go-plugin side of the provider: listen on a Unix socket, AutoMTLS,
//! print the handshake line, serve `tfplugin6.Provider` beside go-plugin's
//! controller, stdio and health services, and stop cleanly.
//!
//! - `handshake`: the magic cookie and the handshake line.
//! - `tls`: the server certificate and the pinned client certificate.
//! - `connection`: plain or TLS connections as one IO type.
//! - `controller`: `GRPCController` and `GRPCStdio`.
//! - `shutdown`: the one stop signal.
//! - `log`: hclog-JSON lines on stderr.

mod connection;
mod controller;
pub mod handshake;
pub mod log;
pub mod shutdown;
mod tls;

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::UnixListener;
use tokio_stream::wrappers::ReceiverStream;
use tonic_health::ServingStatus;

use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::ProviderServer;
use crate::provider::Provider;
use crate::server::ProviderService;
use connection::Connection;
use log::Level;
use shutdown::Shutdown;

/// Why the plugin could not serve.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The socket directory or socket could not be made.
    #[error("cannot listen on a Unix socket in {dir}: {source}")]
    Listen {
        /// The directory tried.
        dir: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// AutoMTLS could not be set up.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// Writing the handshake line or installing signal handlers failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The gRPC server failed.
    #[error("gRPC server: {0}")]
    Serve(#[from] tonic::transport::Error),
}

/// Serves the provider until Terraform (or a signal) says stop.
pub async fn serve() -> Result<(), PluginError> {
    let shutdown = Shutdown::default();
    shutdown.on_signals()?;

    let dir = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let listen_error = |source| PluginError::Listen {
        dir: dir.clone(),
        source,
    };
    // Dropped (socket and all) when serving ends.
    let socket_dir = tempfile::Builder::new()
        .prefix("plugin")
        .tempdir_in(&dir)
        .map_err(listen_error)?;
    let socket = socket_dir.path().join("provider.sock");
    let listener = UnixListener::bind(&socket).map_err(listen_error)?;

    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => Some(tls::server_tls(&pem)?),
        _ => None,
    };
    let certificate = tls.as_ref().map(|tls| tls.certificate.clone());
    let incoming = accept(listener, tls.map(|tls| tls.acceptor));

    let provider = Arc::new(Provider::default());
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", ServingStatus::Serving)
        .await;
    let router = tonic::transport::Server::builder()
        .add_service(ProviderServer::new(ProviderService::new(
            provider.clone(),
            shutdown.clone(),
        )))
        .add_service(GrpcControllerServer::new(controller::Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(controller::Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(health_service);

    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}",
        handshake::line(&socket, certificate.as_deref())
    )?;
    stdout.flush()?;
    drop(stdout);
    log::log(Level::Debug, &format!("serving on {}", socket.display()));

    let stopping = shutdown.clone();
    router
        .serve_with_incoming_shutdown(incoming, async move { stopping.wait().await })
        .await?;
    log::log(Level::Debug, "server stopped");
    provider.end_session().await;
    drop(socket_dir);
    Ok(())
}

/// Accepts connections, each TLS handshake on its own task so a slow
/// client holds up no one.
fn accept(
    listener: UnixListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> ReceiverStream<std::io::Result<Connection>> {
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    let tls = tls.map(Arc::new);
    tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(error) => {
                    log::log(Level::Error, &format!("accept: {error}"));
                    // Out of descriptors, say: give calls in flight a moment.
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            let sender = sender.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let connection = match tls {
                    None => Connection(Box::new(stream)),
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(stream) => Connection(Box::new(stream)),
                        Err(error) => {
                            log::log(Level::Warn, &format!("TLS handshake refused: {error}"));
                            return;
                        }
                    },
                };
                // The server is gone once the receiver is: nothing to do.
                let _ = sender.send(Ok(connection)).await;
            });
        }
    });
    ReceiverStream::new(receiver)
}
