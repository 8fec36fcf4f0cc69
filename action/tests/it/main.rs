//! The `upbound-connect` binary's integration tests, one module per
//! behaviour, linked into one binary: the CLI against the harnesses
//! `tests/run` starts, the action under act, and the shim's download.

mod common;

mod act_access;
mod act_bad_input;
mod act_connect_outputs;
mod act_disconnect_job;
mod act_disconnect_on_exit;
mod act_status;
mod act_token_masked;
mod action_input_errors;
mod cli_bad_input;
mod cli_connect_twice;
mod cli_disconnect;
mod cli_grant;
mod cli_input_errors;
mod cli_json_shape;
mod cli_logs_out;
mod cli_shell;
mod cli_status_plan;
mod shim_download;
