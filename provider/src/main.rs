//! `terraform-provider-upbound`: Terraform starts it with a magic cookie in
//! its environment; run by hand, it says what it is and exits 1, as
//! go-plugin servers do.

use std::process::ExitCode;

use terraform_provider_upbound::plugin::{self, handshake};

fn main() -> ExitCode {
    if !handshake::started_by_terraform() {
        eprintln!("{}", handshake::NOT_A_COMMAND);
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            plugin::log::log(plugin::log::Level::Error, &format!("cannot start: {error}"));
            return ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(plugin::serve());
    // Nothing is left to wait for once the server stopped and the session
    // ended; a blocking task still loading root certificates (a launch that
    // configured the provider and never called Upbound) must not hold up the
    // exit Terraform waits for.
    runtime.shutdown_background();
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            plugin::log::log(plugin::log::Level::Error, &error.to_string());
            ExitCode::FAILURE
        }
    }
}
