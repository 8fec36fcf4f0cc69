//! go-plugin's own services: `GRPCController.Shutdown`, which Terraform
//! calls when it is done with the plugin, and `GRPCStdio.StreamStdio`,
//! which it opens once to read forwarded output. Our stdout and stderr go
//! straight to Terraform's pipes, so the stream carries nothing; it ends
//! when the plugin shuts down, so it never holds the shutdown up.

use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::shutdown::Shutdown;
use crate::proto::plugin::grpc_controller_server::GrpcController;
use crate::proto::plugin::grpc_stdio_server::GrpcStdio;
use crate::proto::plugin::{Empty, StdioData};

/// Serves `plugin.GRPCController`.
pub struct Controller {
    /// Triggered by `Shutdown`.
    pub shutdown: Shutdown,
}

#[tonic::async_trait]
impl GrpcController for Controller {
    async fn shutdown(&self, _request: Request<Empty>) -> Result<Response<Empty>, Status> {
        super::log::log(super::log::Level::Debug, "GRPCController.Shutdown");
        self.shutdown.trigger();
        Ok(Response::new(Empty {}))
    }
}

/// Serves `plugin.GRPCStdio`.
pub struct Stdio {
    /// Ends the stream.
    pub shutdown: Shutdown,
}

#[tonic::async_trait]
impl GrpcStdio for Stdio {
    type StreamStdioStream = ReceiverStream<Result<StdioData, Status>>;

    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        let (sender, receiver) = tokio::sync::mpsc::channel(1);
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            shutdown.wait().await;
            drop(sender);
        });
        Ok(Response::new(ReceiverStream::new(receiver)))
    }
}
