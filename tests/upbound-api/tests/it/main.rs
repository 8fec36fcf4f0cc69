//! The Upbound API double's tests, one module per behaviour, linked into one
//! binary: the API's shapes, auth and faults against a double served in this
//! process ([`in_process`]), and the `upbound-api-double` binary run as a
//! child process ([`child`]), as Terraform and act run it.

mod child;
mod in_process;

mod binary_lifecycle;
mod control_surface;
mod double_auth;
mod double_faults;
mod double_shapes;
mod robot_sessions;
mod space_records;
mod state_file_sharing;
