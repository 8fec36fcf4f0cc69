//! The Helm-equivalent installer: what `helm upgrade --install` does for one
//! chart, without the helm binary. Templates run on two workspace crates,
//! re-exported here: [`gotemplate`] (Go's `text/template`) and [`sprig`]
//! (Helm's function library, Masterminds semver, go-yaml reading).
//!
//! - [`oci`]: pull a chart from an OCI registry (licence credentials,
//!   digest-verified, cached by digest).
//! - [`chart`]: load a chart from a `.tgz` or a directory.
//! - [`values`]: user values, the `--set` grammar, coalescing over chart
//!   defaults, `values.schema.json`.
//! - [`render`]: chart + values → rendered files, as `helm template`/`install`.
//! - [`manifest`]: rendered files → documents in Helm's install order, hooks apart.
//! - [`install`]: install, upgrade, uninstall and observe a release
//!   (server-side apply, hooks, readiness wait, Helm v3 records).
//! - [`release`]: Helm v3 release records (the `sh.helm.release.v1.*`
//!   Secrets), readable and writable by real helm.
//! - [`HelmError`]: any of their errors, with the input to change.

pub mod chart;
mod error;
mod head;
pub mod install;
pub mod manifest;
pub mod oci;
pub mod release;
pub mod render;
pub mod values;

pub use error::HelmError;
pub use gotemplate;
pub use sprig;
