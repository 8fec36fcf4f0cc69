//! The gRPC types generated from `proto/` by `build.rs`. Only the
//! conversion modules (`fromproto6`, `toproto6`) and the servers use them.

/// Terraform's plugin protocol 6.
#[allow(missing_docs, clippy::all)]
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// go-plugin's controller and stdio services.
#[allow(missing_docs, clippy::all)]
pub mod plugin {
    tonic::include_proto!("plugin");
}
