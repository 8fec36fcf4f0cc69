//! The Helm-equivalent installer: what `helm upgrade --install` does for one
//! chart, without the helm binary.
//!
//! - [`oci`]: pull a chart from an OCI registry (licence credentials,
//!   digest-verified, cached by digest).
//! - [`chart`]: load a chart from a `.tgz` or a directory.
//! - [`values`]: user values, the `--set` grammar, coalescing over chart
//!   defaults, `values.schema.json`.
//! - [`agent_values`]: the Connect agent's values from a connection.
//! - [`manifest`]: rendered files → documents in Helm's install order, hooks apart.
//! - [`gotemplate`]: the `gotemplate` crate (Go's `text/template`, the base
//!   of rendering), re-exported.
//! - [`render`]: chart + values → rendered files, as `helm template`/`install`.
//! - [`install`]: install, upgrade, uninstall and observe a release
//!   (server-side apply, hooks, readiness wait, Helm v3 records).
//! - [`HelmError`]: any of their errors, with the input to change.
//! - [`semver`]: versions and constraints as Helm checks them (chart
//!   `kubeVersion`, dependency versions, `semverCompare`).
//! - [`release`]: Helm v3 release records (the `sh.helm.release.v1.*`
//!   Secrets), readable and writable by real helm.

pub mod agent_values;
pub mod chart;
mod error;
/// Helm's template function library (sprig and Helm's own) for [`template`].
pub mod functions;
pub mod install;
pub mod manifest;
pub mod oci;
pub mod release;
pub mod render;
pub mod semver;
pub mod values;

pub use error::HelmError;
pub use gotemplate;
