//! Compiles our `.proto` files with the protoc shipped in
//! `protoc-bin-vendored`, so building needs no system protoc.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let includes = protoc_bin_vendored::include_path()?;
    // SAFETY: build scripts are single-threaded; nothing reads the
    // environment concurrently.
    unsafe { std::env::set_var("PROTOC", protoc) };
    tonic_prost_build::configure().compile_protos(
        &[
            PathBuf::from("proto/tfplugin6.proto"),
            PathBuf::from("proto/plugin.proto"),
        ],
        &[PathBuf::from("proto"), includes],
    )?;
    println!("cargo:rerun-if-changed=proto");
    Ok(())
}
