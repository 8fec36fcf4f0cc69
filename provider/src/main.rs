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
    match runtime.block_on(plugin::serve()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            plugin::log::log(plugin::log::Level::Error, &error.to_string());
            ExitCode::FAILURE
        }
    }
}
