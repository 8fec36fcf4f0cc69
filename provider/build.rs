//! Compiles our `.proto` files with the protoc shipped in
//! `protoc-bin-vendored`, so building needs no system protoc.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = tonic_prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    let includes = protoc_bin_vendored::include_path()?;
    tonic_prost_build::configure().compile_with_config(
        config,
        &[
            PathBuf::from("proto/tfplugin6.proto"),
            PathBuf::from("proto/plugin.proto"),
        ],
        &[PathBuf::from("proto"), includes],
    )?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
