//! Password hashing: `bcrypt` (cost 10, the `$2a$` form Go's
//! `x/crypto/bcrypt` writes) and `htpasswd USER PASSWORD` (an Apache
//! htpasswd line). The salt is random, as in Helm.

use super::{Table, str_arg};
use gotemplate::Arity;

/// Go's `bcrypt.DefaultCost`.
const COST: u32 = 10;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["bcrypt"], Exact(1), |a| Ok(bcrypt(str_arg(a, 0)?).into()));
    table.add(&["htpasswd"], Exact(2), |a| {
        let (user, password) = (str_arg(a, 0)?, str_arg(a, 1)?);
        if user.contains(':') {
            return Ok(format!("invalid username: {user}").into());
        }
        Ok(format!("{user}:{}", bcrypt(password)).into())
    });
}

/// The hash, or sprig's failure text (Go refuses passwords over 72 bytes
/// rather than cutting them).
fn bcrypt(password: &str) -> String {
    let failed = |reason: &str| format!("failed to encrypt string with bcrypt: {reason}");
    if password.len() > 72 {
        return failed("bcrypt: password length exceeds 72 bytes");
    }
    match bcrypt::hash_with_result(password, COST) {
        Ok(hash) => hash.format_for_version(bcrypt::Version::TwoA),
        Err(error) => failed(&error.to_string()),
    }
}
