//! PEM and DER as Go's `encoding/pem` and `encoding/asn1` write them, for
//! the key and certificate functions: blocks of 64-character base64 lines,
//! and the few DER shapes a certificate is built from.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A PEM block: its type (`CERTIFICATE`, `RSA PRIVATE KEY`, …) and its
/// DER bytes.
pub(super) struct Block {
    pub kind: String,
    pub der: Vec<u8>,
}

/// `pem.EncodeToMemory`: the block with 64-character lines, each line and
/// the END line ending in `\n`.
pub(super) fn encode(kind: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {kind}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {kind}-----\n"));
    out
}

/// `pem.Decode`: the first well-formed block in `text` (text before it is
/// skipped), or `None`. Header lines (`Proc-Type: …`) are skipped.
pub(super) fn decode(text: &str) -> Option<Block> {
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        rest = after;
        let (first, body) = after.split_once('\n')?;
        let Some(kind) = first.trim_end().strip_suffix("-----") else {
            continue;
        };
        let end = format!("-----END {kind}-----");
        let Some(at) = body.find(&end) else {
            continue;
        };
        let body = &body[..at];
        let body = match body.find("\n\n").or_else(|| body.find("\r\n\r\n")) {
            Some(blank) if body[..blank].contains(':') => &body[blank..],
            _ => body,
        };
        let base64: String = body.split_whitespace().collect();
        if let Ok(der) = STANDARD.decode(base64) {
            return Some(Block {
                kind: kind.to_owned(),
                der,
            });
        }
    }
    None
}

/// A DER tag-length-value.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A DER SEQUENCE of already encoded parts.
pub(super) fn sequence(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

/// A DER INTEGER holding the unsigned big-endian `magnitude`.
pub(super) fn unsigned(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let mut content = magnitude[skip..].to_vec();
    if content.first().is_none_or(|b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    tlv(0x02, &content)
}

/// A DER OBJECT IDENTIFIER.
pub(super) fn oid(id: &x509_cert::der::oid::ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, id.as_bytes())
}

/// A DER BIT STRING of whole bytes.
pub(super) fn bits(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0];
    content.extend_from_slice(bytes);
    tlv(0x03, &content)
}

/// A DER OCTET STRING.
pub(super) fn octets(bytes: &[u8]) -> Vec<u8> {
    tlv(0x04, bytes)
}

/// DER NULL.
pub(super) const NULL: &[u8] = &[0x05, 0x00];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_with_go_line_lengths() {
        let der: Vec<u8> = (0..=255).collect();
        let text = encode("CERTIFICATE", &der);
        assert!(text.lines().all(|line| line.len() <= 64));
        assert!(text.ends_with("-----END CERTIFICATE-----\n"));
        let block = decode(&format!("comment before\n{text}")).expect("a block");
        assert_eq!((block.kind.as_str(), block.der), ("CERTIFICATE", der));
        assert!(decode("no PEM here").is_none());
    }

    #[test]
    fn integers_are_minimal_and_positive() {
        assert_eq!(unsigned(&[0, 0, 1]), [0x02, 0x01, 0x01]);
        assert_eq!(unsigned(&[0x80]), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(unsigned(&[]), [0x02, 0x01, 0x00]);
        assert_eq!(tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
    }
}
