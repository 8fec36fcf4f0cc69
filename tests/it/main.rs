//! The engine's integration tests, one module per behaviour, linked into
//! one binary. They run against the harnesses `tests/run` starts (a real
//! kube-apiserver, a real OCI registry with real helm) and the Upbound API
//! double; what they share is the `testkit` crate (`tests/testkit`).

mod access_disconnect;
mod access_grants;
mod access_impersonated;
mod access_refused;
mod access_revoke;
mod access_two_connections;
mod bad_inputs;
mod connect_adopt_robot;
mod connect_agent;
mod connect_agent_refused;
mod connect_concurrent;
mod connect_first;
mod connect_flaky_api;
mod connect_idempotent;
mod connect_other_space_refused;
mod connect_pull_secret;
mod connect_resume_after_failure;
mod connect_resume_lost_answers;
mod connect_space_record;
mod disconnect_agent;
mod disconnect_cluster_unreachable;
mod disconnect_twice;
mod harness_helm_registry_auth;
mod harness_kube_rbac_forbidden;
mod harness_kube_secret_roundtrip;
mod helm_adopt_helm_release;
mod helm_agent_values;
mod helm_chart_load;
mod helm_drift;
mod helm_hooks;
mod helm_install_first;
mod helm_install_idempotent;
mod helm_interop;
mod helm_manifest_order;
mod helm_ownership_refused;
mod helm_pending_release;
mod helm_pull;
mod helm_pull_digest;
mod helm_pull_refused;
mod helm_release_records;
mod helm_render_live;
mod helm_render_parity;
mod helm_ssa_conflict;
mod helm_uninstall;
mod helm_upgrade_chart_version;
mod helm_values_parity;
mod helm_values_schema;
mod helm_wait_timeout;
mod import_connection;
mod read_agent_drift;
mod read_drift;
mod secret_never_leaks;
