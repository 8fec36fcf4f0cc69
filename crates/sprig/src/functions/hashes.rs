//! Checksums: `sha1sum`, `sha256sum` (hex) and `adler32sum` (decimal).

use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::{Table, str_arg};
use gotemplate::Arity;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["sha1sum"], Exact(1), |a| {
        Ok(hex(&Sha1::digest(str_arg(a, 0)?)).into())
    });
    table.add(&["sha256sum"], Exact(1), |a| {
        Ok(hex(&Sha256::digest(str_arg(a, 0)?)).into())
    });
    table.add(&["adler32sum"], Exact(1), |a| {
        Ok(adler32(str_arg(a, 0)?.as_bytes()).to_string().into())
    });
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adler-32 (RFC 1950), as Go's `hash/adler32`.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}
