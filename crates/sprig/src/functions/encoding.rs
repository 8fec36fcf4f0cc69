//! Base64 and base32 (`b64enc`, `b64dec`, `b32enc`, `b32dec`), standard
//! alphabets with padding. Decoding follows Go's `encoding/base64` and
//! `encoding/base32`: line breaks are skipped, and a failure gives Go's
//! error text (`illegal base64 data at input byte N`) as the result,
//! as sprig does.

use super::{Table, str_arg};
use gotemplate::Arity;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["b64enc"], Exact(1), |a| {
        Ok(encode(str_arg(a, 0)?.as_bytes(), &BASE64_CODEC).into())
    });
    table.add(&["b32enc"], Exact(1), |a| {
        Ok(encode(str_arg(a, 0)?.as_bytes(), &BASE32_CODEC).into())
    });
    table.add(&["b64dec"], Exact(1), |a| {
        Ok(decode_or_error(str_arg(a, 0)?, &BASE64_CODEC).into())
    });
    table.add(&["b32dec"], Exact(1), |a| {
        Ok(decode_or_error(str_arg(a, 0)?, &BASE32_CODEC).into())
    });
}

/// A padded base-2^bits encoding: `chars` characters encode `bytes` bytes.
struct Codec {
    alphabet: &'static [u8],
    bits: u32,
    chars: usize,
    name: &'static str,
    /// How many characters a final, padded quantum may hold.
    partial: &'static [usize],
}

const BASE64_CODEC: Codec = Codec {
    alphabet: BASE64,
    bits: 6,
    chars: 4,
    name: "base64",
    partial: &[2, 3],
};
const BASE32_CODEC: Codec = Codec {
    alphabet: BASE32,
    bits: 5,
    chars: 8,
    name: "base32",
    partial: &[2, 4, 5, 7],
};

/// Go's `base64.StdEncoding.EncodeToString` (how `encoding/json` writes
/// a `[]byte`).
pub(super) fn base64_encode(input: &[u8]) -> String {
    encode(input, &BASE64_CODEC)
}

fn encode(input: &[u8], codec: &Codec) -> String {
    let mut out = String::new();
    let (mut buffer, mut held) = (0u64, 0u32);
    for &byte in input {
        buffer = (buffer << 8) | u64::from(byte);
        held += 8;
        while held >= codec.bits {
            held -= codec.bits;
            let index = (buffer >> held) & ((1 << codec.bits) - 1);
            out.push(char::from(codec.alphabet[index as usize]));
        }
    }
    if held > 0 {
        let index = (buffer << (codec.bits - held)) & ((1 << codec.bits) - 1);
        out.push(char::from(codec.alphabet[index as usize]));
    }
    while !out.len().is_multiple_of(codec.chars) {
        out.push('=');
    }
    out
}

/// The decoded text (invalid UTF-8 replaced), or Go's error text.
fn decode_or_error(input: &str, codec: &Codec) -> String {
    match decode(input.as_bytes(), codec) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(at) => format!("illegal {} data at input byte {at}", codec.name),
    }
}

/// Go's `base64.StdEncoding.DecodeString`, or the input byte at which it
/// fails.
pub(super) fn base64_decode(input: &str) -> Result<Vec<u8>, usize> {
    decode(input.as_bytes(), &BASE64_CODEC)
}

/// Decodes, or says at which input byte Go reports the corruption.
fn decode(input: &[u8], codec: &Codec) -> Result<Vec<u8>, usize> {
    let skip = |i: &mut usize| {
        while *i < input.len() && matches!(input[*i], b'\r' | b'\n') {
            *i += 1;
        }
    };
    let mut out = Vec::new();
    let (mut buffer, mut held) = (0u64, 0u32);
    let (mut i, mut in_quantum) = (0, 0);
    loop {
        skip(&mut i);
        if i == input.len() {
            return match in_quantum {
                0 => Ok(out),
                j => Err(i - j),
            };
        }
        let c = input[i];
        i += 1;
        if c == b'=' {
            if !codec.partial.contains(&in_quantum) {
                return Err(i - 1);
            }
            let first_pad = i - 1;
            for _ in in_quantum + 1..codec.chars {
                skip(&mut i);
                if i == input.len() {
                    return Err(input.len());
                }
                if input[i] != b'=' {
                    return Err(first_pad.max(i.saturating_sub(1)));
                }
                i += 1;
            }
            skip(&mut i);
            if i < input.len() {
                return Err(i);
            }
            return Ok(out);
        }
        let Some(value) = codec.alphabet.iter().position(|&a| a == c) else {
            return Err(i - 1);
        };
        buffer = (buffer << codec.bits) | value as u64;
        held += codec.bits;
        if held >= 8 {
            held -= 8;
            out.push((buffer >> held) as u8);
        }
        in_quantum = (in_quantum + 1) % codec.chars;
        if in_quantum == 0 {
            held = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_like_go() {
        assert_eq!(encode(b"hello", &BASE64_CODEC), "aGVsbG8=");
        assert_eq!(encode(b"hello", &BASE32_CODEC), "NBSWY3DP");
        assert_eq!(decode_or_error("aGVsbG8=", &BASE64_CODEC), "hello");
        assert_eq!(decode_or_error("NBSWY3DP", &BASE32_CODEC), "hello");
        assert_eq!(
            decode_or_error("a!", &BASE64_CODEC),
            "illegal base64 data at input byte 1"
        );
    }
}
