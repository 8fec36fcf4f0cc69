//! The Helm-equivalent installer: what `helm upgrade --install` does for one
//! chart, without the helm binary.
//!
//! - [`release`]: Helm v3 release records (the `sh.helm.release.v1.*`
//!   Secrets), readable and writable by real helm.

pub mod release;
