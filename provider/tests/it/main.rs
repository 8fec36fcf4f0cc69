//! The provider's integration tests, one module per behaviour, linked into
//! one binary: the handshake and schema checks, and real Terraform driving
//! the provider end to end against the harnesses `tests/run` starts (the
//! lifecycle through `testkit::test_each_cli!`, under OpenTofu too).

mod docs_match_schema;
mod handshake;
mod terraform_access;
mod terraform_agent;
mod terraform_apply_destroy;
mod terraform_atomic;
mod terraform_bad_config;
mod terraform_destroy_cluster_gone;
mod terraform_drift;
mod terraform_elsewhere;
mod terraform_faults;
mod terraform_import;
mod terraform_import_block;
mod terraform_import_settings;
mod terraform_input_errors;
mod terraform_lifecycle;
mod terraform_logs_out;
mod terraform_many;
mod terraform_multi_cluster;
mod terraform_offline;
mod terraform_registry;
mod terraform_saved_plan;
mod terraform_schema;
mod terraform_secret_never_leaks;
mod terraform_yamlencode;
