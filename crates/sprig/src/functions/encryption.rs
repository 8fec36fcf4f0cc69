//! `encryptAES` and `decryptAES` as sprig does them: AES-256-CBC whose key
//! is the password's bytes cut or zero-padded to 32, PKCS#7 padding, a
//! random IV before the ciphertext, all in standard base64. Decryption
//! checks nothing sprig does not: a wrong password gives garbage, not an
//! error, and input Go would panic on fails with Go's runtime error.

use super::{Table, fail, str_arg};
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gotemplate::{Arity, FuncError};
use rand_core_06::{OsRng, RngCore};

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

const BLOCK: usize = 16;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["encryptAES"], Exact(2), |a| {
        Ok(encrypt(str_arg(a, 0)?, str_arg(a, 1)?).into())
    });
    table.add(&["decryptAES"], Exact(2), |a| {
        Ok(decrypt(str_arg(a, 0)?, str_arg(a, 1)?)?.into())
    });
}

/// The password as an AES-256 key: its first 32 bytes, zero-padded.
fn key(password: &str) -> [u8; 32] {
    let mut key = [0; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    key
}

fn encrypt(password: &str, plaintext: &str) -> String {
    if plaintext.is_empty() {
        return String::new();
    }
    let mut content = plaintext.as_bytes().to_vec();
    let padding = BLOCK - content.len() % BLOCK;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut iv = [0; BLOCK];
    OsRng.fill_bytes(&mut iv);
    let length = content.len();
    Encryptor::new(&key(password).into(), &iv.into())
        .encrypt_padded_mut::<NoPadding>(&mut content, length)
        .expect("whole blocks");
    let mut out = iv.to_vec();
    out.extend(content);
    STANDARD.encode(out)
}

fn decrypt(password: &str, encoded: &str) -> Result<String, FuncError> {
    if encoded.is_empty() {
        return Ok(String::new());
    }
    let data = super::encoding::base64_decode(encoded)
        .map_err(|at| fail(format!("illegal base64 data at input byte {at}")))?;
    if data.len() < BLOCK {
        return Err(fail(format!(
            "runtime error: slice bounds out of range [:{BLOCK}] with capacity {}",
            data.len()
        )));
    }
    let (iv, crypt) = data.split_at(BLOCK);
    if !crypt.len().is_multiple_of(BLOCK) {
        return Err(fail("crypto/cipher: input not full blocks"));
    }
    let mut plain = crypt.to_vec();
    Decryptor::new(&key(password).into(), iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut plain)
        .expect("whole blocks");
    // sprig trusts the last byte as the padding length, unchecked.
    let Some(&last) = plain.last() else {
        return Err(fail("runtime error: index out of range [-1]"));
    };
    let end = plain.len() as i64 - i64::from(last);
    if end < 0 {
        return Err(fail(format!(
            "runtime error: slice bounds out of range [:{end}]"
        )));
    }
    plain.truncate(end as usize);
    Ok(String::from_utf8_lossy(&plain).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fails_as_go_panics() {
        for text in ["x", "exactly sixteen!", "a longer secret than one block"] {
            let sealed = encrypt("password", text);
            assert_eq!(decrypt("password", &sealed).unwrap(), text);
        }
        assert_eq!(encrypt("p", ""), "");
        assert_eq!(decrypt("p", "").unwrap(), "");
        let short = decrypt("p", "YWJj").unwrap_err().to_string();
        assert_eq!(
            short,
            "runtime error: slice bounds out of range [:16] with capacity 3"
        );
    }

    #[test]
    fn long_passwords_are_cut_at_32_bytes() {
        let sealed = encrypt(&"k".repeat(40), "plain");
        assert_eq!(decrypt(&"k".repeat(32), &sealed).unwrap(), "plain");
    }
}
