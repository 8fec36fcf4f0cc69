//! # upbound-connect
//!
//! Connects a self-hosted Upbound Space to the Upbound Console: it creates an
//! Upbound robot and robot token, stores the token in the Kubernetes Secret
//! `connect-token` in `upbound-system`, installs the Connect agent chart, and
//! undoes all of it on disconnect — idempotently, so a second run changes
//! nothing and a run that died half-way is resumed.
//!
//! This crate is the engine. Two faces call it: the Terraform provider
//! (`provider/`, resource `upbound_space_connection`) and the GitHub Action
//! and CLI (`action/`, binary `upbound-connect`).
//!
//! ## Map
//! The engine's modules arrive with the issues that build them:
//! `spec` (inputs and their validation), `state` (what a connection is made
//! of), `plan` (IO-free: observed world + spec → steps), `engine`
//! (connect / read / disconnect / import), `upbound` (the Upbound API
//! client), `cluster` (Kubernetes), `helm` (the Helm-equivalent installer)
//! and `retry` (one backoff policy for every network call).
//!
//! What exists today is the foundation they are tested on: under `tests/`, a
//! real kube-apiserver, a real OCI registry with real `helm`, and a faithful
//! double of the Upbound API (`tests/upbound-api/`).
#![deny(missing_docs)]
