//! `terraform-provider-upbound`: the Terraform face of the engine.
//!
//! Terraform starts a provider with a magic cookie in its environment; run by
//! hand, the binary says what it is and exits 1, as go-plugin servers do. The
//! plugin protocol server and the `upbound_space_connection` resource are not
//! built yet: until then the binary stops after that check.

use std::process::ExitCode;

/// The go-plugin handshake cookie Terraform sets for protocols 5 and 6.
const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn main() -> ExitCode {
    if std::env::var(MAGIC_COOKIE_KEY).as_deref() != Ok(MAGIC_COOKIE_VALUE) {
        eprintln!(
            "This binary is a plugin. These are not meant to be executed directly.\n\
             Please execute the program that consumes these plugins, which will\n\
             load any plugins automatically"
        );
        return ExitCode::FAILURE;
    }
    eprintln!("terraform-provider-upbound: the plugin protocol server is not built yet");
    ExitCode::FAILURE
}
