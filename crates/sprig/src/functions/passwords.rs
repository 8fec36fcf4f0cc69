//! Passwords: `bcrypt` (cost 10, the `$2a$` form Go's `x/crypto/bcrypt`
//! writes), `htpasswd USER PASSWORD` (an Apache htpasswd line; the salt is
//! random, as in Helm), and `derivePassword COUNTER TYPE PASSWORD USER SITE`,
//! the Master Password algorithm (scrypt, then HMAC-SHA256 picking a
//! template and its characters), deterministic as in sprig.

use super::{Table, fail, int_arg, str_arg};
use gotemplate::{Arity, FuncError};
use hmac::{Hmac, Mac};

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
    table.add(&["derivePassword"], Exact(5), |a| {
        let counter = counter(a)?;
        let (kind, password) = (str_arg(a, 1)?, str_arg(a, 2)?);
        let (user, site) = (str_arg(a, 3)?, str_arg(a, 4)?);
        Ok(derive_password(counter, kind, password, user, site).into())
    });
}

/// The counter, a Go `uint32`: a negative number is refused, a larger one
/// is cut to its low 32 bits, as `reflect.Value.SetUint` does.
fn counter(args: &[gotemplate::Value]) -> Result<u32, FuncError> {
    match int_arg(args, 0)? {
        n if n < 0 => Err(fail(format!("expected unsigned integer; found {n}"))),
        n => Ok(n as u32),
    }
}

/// The Master Password site-password templates sprig knows.
fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// The characters a template letter stands for.
fn characters(class: u8) -> &'static [u8] {
    match class {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// sprig's `derivePassword`, or its failure text.
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    const SEED: &[u8] = b"com.lyndir.masterpassword";
    let Some(templates) = templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let with_length = |text: &str| {
        let mut out = SEED.to_vec();
        out.extend((text.len() as u32).to_be_bytes());
        out.extend(text.as_bytes());
        out
    };
    let params = scrypt::Params::new(15, 8, 2, 64).expect("N=32768, r=8, p=2 are valid");
    let mut key = [0u8; 64];
    if let Err(error) = scrypt::scrypt(password.as_bytes(), &with_length(user), &params, &mut key) {
        return format!("failed to derive password: {error}");
    }
    let mut message = with_length(site);
    message.extend(counter.to_be_bytes());
    let mut mac = Hmac::<sha2_010::Sha256>::new_from_slice(&key).expect("HMAC takes any key");
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()];
    template
        .bytes()
        .enumerate()
        .map(|(i, class)| {
            let chars = characters(class);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_password_gives_helms_passwords() {
        // Rendered by helm v3.21: `derivePassword 1 "long" "password" "user" "example.com"`.
        let password = derive_password(1, "long", "password", "user", "example.com");
        assert_eq!(password, "ZedaFaxcZaso9*");
        assert_eq!(
            derive_password(1, "nope", "", "", ""),
            "cannot find password template nope"
        );
    }
}
