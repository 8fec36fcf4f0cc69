//! Functions this renderer registers (so that charts using them parse)
//! but does not run: certificate and key generation, AES and password
//! derivation. Calling one fails with an error
//! naming it. `getHostByName` is Helm's own stub: without `--enable-dns`
//! Helm answers `""`, and so does this.

use super::{Table, fail};
use gotemplate::{Arity, FuncError};

/// The functions that fail when called.
const NOT_SUPPORTED: &[&str] = &[
    "genPrivateKey",
    "derivePassword",
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "encryptAES",
    "decryptAES",
];

pub(super) fn register(table: &mut Table<'_>) {
    for name in NOT_SUPPORTED {
        table.0.func(name, Arity::AtLeast(0), move |_, _| {
            Err(not_supported(name))
        });
    }
    table.add(&["getHostByName"], Arity::Exact(1), |_| Ok("".into()));
}

/// The error for a function the renderer does not run.
pub(super) fn not_supported(name: &str) -> FuncError {
    fail(format!(
        "function {name} is not supported by upbound-connect's renderer"
    ))
}
