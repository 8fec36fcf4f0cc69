//! The Helm-equivalent installer: what `helm upgrade --install` does for one
//! chart, without the helm binary.
//!
//! - [`manifest`]: rendered files → documents in Helm's install order, hooks apart.
//! - [`release`]: Helm v3 release records (the `sh.helm.release.v1.*`
//!   Secrets), readable and writable by real helm.

pub mod manifest;
pub mod release;
