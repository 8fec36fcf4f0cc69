//! Certificates: `genCA`, `genSelfSignedCert`, `genSignedCert` (each also
//! `…WithKey`, taking a PEM private key) and `buildCustomCert`. They give
//! sprig's `certificate` struct, whose `.Cert` and `.Key` are PEM.
//!
//! The certificates are the ones Go's `x509.CreateCertificate` makes from
//! sprig's template, DER for DER but for the random parts: a version 3
//! certificate with a random 128-bit serial, the subject `CN` only
//! (PrintableString when Go would pick it, else UTF8String), validity from
//! now to now + days (UTCTime before 2050), then the extensions in Go's
//! order: key usage (critical; digital signature and key encipherment, plus
//! certificate signing for a CA), extended key usage (server and client
//! auth), basic constraints (critical; `CA:TRUE` for a CA), a CA's subject
//! key id (the first 20 bytes of the SHA-256 of its key, Go 1.25's rule), a
//! signed certificate's authority key id, and the subject alternative
//! names (DNS names, then IPs). New keys are RSA 2048, as in sprig.

use super::keys::PrivateKey;
use super::pem::{self, bits, octets, oid, sequence, tlv, unsigned};
use super::{Table, fail, int_arg, sprint, str_arg, wrong_type};
use gotemplate::{Arity, Dict, FuncError, Methods, Value};
use rand_core_06::{OsRng, RngCore};
use sha2_010::{Digest, Sha256};
use std::collections::BTreeMap;
use std::net::IpAddr;
use x509_cert::der::oid::ObjectIdentifier as Oid;
use x509_cert::der::{Decode, Encode, asn1};

/// Go's type name for sprig's `certificate`.
pub(super) const CERTIFICATE_TYPE: &str = "sprig.certificate";

const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
const KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
const BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
const SUBJECT_KEY_ID: Oid = Oid::new_unwrap("2.5.29.14");
const AUTHORITY_KEY_ID: Oid = Oid::new_unwrap("2.5.29.35");
const SUBJECT_ALT_NAME: Oid = Oid::new_unwrap("2.5.29.17");
const SERVER_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.1");
const CLIENT_AUTH: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.2");

/// Go's bits of digital signature and key encipherment (`KeyUsage` 0 and
/// 2), and of certificate signing (5), as the BIT STRING contents.
const LEAF_KEY_USAGE: &[u8] = &[0x05, 0xa0];
const CA_KEY_USAGE: &[u8] = &[0x02, 0xa4];

/// The RSA size of the keys the functions without a key make.
const RSA_BITS: usize = 2048;

pub(super) fn register(table: &mut Table<'_>) {
    use Arity::Exact;
    table.add(&["genCA"], Exact(2), |a| {
        let (cn, days) = (str_arg(a, 0)?, int_arg(a, 1)?);
        let key = new_key()?;
        self_signed(&Names::of_ca(cn, days), true, key)
    });
    table.add(&["genCAWithKey"], Exact(3), |a| {
        let (cn, days, key) = (str_arg(a, 0)?, int_arg(a, 1)?, str_arg(a, 2)?);
        self_signed(&Names::of_ca(cn, days), true, given_key(key)?)
    });
    table.add(&["genSelfSignedCert"], Exact(4), |a| {
        let names = Names::args(a)?;
        let key = new_key()?;
        self_signed(&names, false, key)
    });
    table.add(&["genSelfSignedCertWithKey"], Exact(5), |a| {
        let names = Names::args(a)?;
        let key = str_arg(a, 4)?;
        self_signed(&names, false, given_key(key)?)
    });
    table.add(&["genSignedCert"], Exact(5), |a| {
        let names = Names::args(a)?;
        let ca = certificate_arg(a, 4)?;
        let key = new_key()?;
        signed(names, &ca, key)
    });
    table.add(&["genSignedCertWithKey"], Exact(6), |a| {
        let names = Names::args(a)?;
        let (ca, key) = (certificate_arg(a, 4)?, str_arg(a, 5)?);
        signed(names, &ca, given_key(key)?)
    });
    table.add(&["buildCustomCert"], Exact(2), |a| {
        build_custom(str_arg(a, 0)?, str_arg(a, 1)?)
    });
}

/// sprig's `certificate` struct: `.Cert` and `.Key`. Go prints a struct
/// as `{Cert Key}`; a value's `String` form is how `gotemplate` prints a
/// value other than as a map, so it carries that text.
fn certificate(cert: String, key: String) -> Value {
    let printed = format!("{{{cert} {key}}}");
    let fields = BTreeMap::from([
        ("Cert".to_owned(), Value::String(cert)),
        ("Key".to_owned(), Value::String(key)),
    ]);
    let methods = Methods::of_struct(CERTIFICATE_TYPE).string(printed);
    Value::Map(Dict::with_methods(fields, methods))
}

/// A `certificate` argument's PEM certificate and key. Only sprig's
/// struct passes, as in Go (a dict with the same keys does not).
fn certificate_arg(args: &[Value], index: usize) -> Result<(String, String), FuncError> {
    let value = &args[index];
    match value {
        Value::Map(fields) if value.type_name() == CERTIFICATE_TYPE => {
            let field = |name| match fields.get(name) {
                Some(Value::String(text)) => text,
                _ => String::new(),
            };
            Ok((field("Cert"), field("Key")))
        }
        other => Err(wrong_type(index, CERTIFICATE_TYPE, other)),
    }
}

/// A new RSA key for a certificate.
fn new_key() -> Result<PrivateKey, FuncError> {
    PrivateKey::rsa(RSA_BITS).map_err(|error| fail(format!("error generating rsa key: {error}")))
}

/// The `…WithKey` functions' key.
fn given_key(pem: &str) -> Result<PrivateKey, FuncError> {
    PrivateKey::from_pem(pem).map_err(|error| fail(format!("parsing private key: {error}")))
}

/// What sprig's base template takes: the common name, the IPs and DNS
/// names (`[]interface{}` arguments, nil for none) and the days of
/// validity.
struct Names<'a> {
    cn: &'a str,
    ips: &'a [Value],
    dns: &'a [Value],
    days: i64,
}

impl<'a> Names<'a> {
    /// A CA's: no IPs or DNS names.
    fn of_ca(cn: &'a str, days: i64) -> Names<'a> {
        Names {
            cn,
            ips: &[],
            dns: &[],
            days,
        }
    }

    /// Arguments 0 to 3 of the functions taking IPs and DNS names.
    fn args(args: &'a [Value]) -> Result<Names<'a>, FuncError> {
        let list = |index: usize| match &args[index] {
            Value::List(items) => Ok(items.as_slice()),
            Value::Nil => Ok(&[][..]),
            other => Err(wrong_type(index, "[]interface {}", other)),
        };
        Ok(Names {
            cn: str_arg(args, 0)?,
            ips: list(1)?,
            dns: list(2)?,
            days: int_arg(args, 3)?,
        })
    }
}

/// A certificate signed by its own key: a CA (`genCA`) or a leaf
/// (`genSelfSignedCert`).
fn self_signed(names: &Names<'_>, is_ca: bool, key: PrivateKey) -> Result<Value, FuncError> {
    let template = Template::new(names, is_ca)?;
    create(&template, &key, None, &key)
}

fn signed(names: Names<'_>, ca: &(String, String), key: PrivateKey) -> Result<Value, FuncError> {
    let block = pem::decode(&ca.0).ok_or_else(|| fail("unable to decode certificate"))?;
    let cert = x509_cert::Certificate::from_der(&block.der).map_err(|error| {
        fail(format!(
            "error parsing certificate: decodedSignerCert.Bytes: x509: {error}"
        ))
    })?;
    let ca_key = PrivateKey::from_pem(&ca.1)
        .map_err(|error| fail(format!("error parsing private key: {error}")))?;
    let parent = Parent::of(&cert)?;
    let template = Template::new(&names, false)?;
    create(&template, &key, Some(&parent), &ca_key)
}

/// What a signed certificate takes from its issuer's.
struct Parent {
    subject: Vec<u8>,
    key_id: Option<Vec<u8>>,
    public_key: (Oid, Vec<u8>),
}

impl Parent {
    fn of(cert: &x509_cert::Certificate) -> Result<Parent, FuncError> {
        let tbs = &cert.tbs_certificate;
        let subject = tbs
            .subject
            .to_der()
            .map_err(|error| fail(format!("error parsing certificate: {error}")))?;
        let key_id = tbs
            .extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == SUBJECT_KEY_ID)
            .and_then(|e| asn1::OctetString::from_der(e.extn_value.as_bytes()).ok())
            .map(|id| id.as_bytes().to_vec())
            .filter(|id| !id.is_empty());
        let spki = &tbs.subject_public_key_info;
        Ok(Parent {
            subject,
            key_id,
            public_key: (
                spki.algorithm.oid,
                spki.subject_public_key.raw_bytes().to_vec(),
            ),
        })
    }
}

/// sprig's `getBaseCertTemplate`, encoded: the parts of the certificate
/// that do not depend on the issuer.
struct Template {
    serial: Vec<u8>,
    subject: Vec<u8>,
    validity: Vec<u8>,
    is_ca: bool,
    dns: Vec<String>,
    ips: Vec<Vec<u8>>,
}

impl Template {
    fn new(names: &Names<'_>, is_ca: bool) -> Result<Template, FuncError> {
        let ips = names
            .ips
            .iter()
            .map(ip_address)
            .collect::<Result<Vec<_>, _>>()?;
        let dns = names
            .dns
            .iter()
            .map(|name| match name {
                Value::String(name) => Ok(name.clone()),
                other => Err(fail(format!(
                    "error processing alternate dns name: {} is not a string",
                    sprint(other)
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut serial = [0u8; 16];
        OsRng.fill_bytes(&mut serial);
        let now = jiff::Timestamp::now();
        // Go's `time.Hour * 24 * time.Duration(days)` wraps around.
        let valid = 86_400_000_000_000i64.wrapping_mul(names.days);
        let until = jiff::Timestamp::from_nanosecond(now.as_nanosecond() + i128::from(valid))
            .map_err(|error| fail(error.to_string()))?;
        Ok(Template {
            serial: unsigned(&serial),
            subject: subject(names.cn),
            validity: sequence(&[&time(now), &time(until)]),
            is_ca,
            dns,
            ips,
        })
    }
}

/// Go's `net.ParseIP` of one IP argument, as the bytes a certificate
/// holds (4 for IPv4, and for IPv4-mapped IPv6, else 16).
fn ip_address(value: &Value) -> Result<Vec<u8>, FuncError> {
    let Value::String(text) = value else {
        return Err(fail(format!(
            "error parsing ip: {} is not a string",
            sprint(value)
        )));
    };
    match text.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => Ok(ip.octets().to_vec()),
        Ok(IpAddr::V6(ip)) => Ok(match ip.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => ip.octets().to_vec(),
        }),
        Err(_) => Err(fail(format!("error parsing ip: {text}"))),
    }
}

/// A Name holding only the common name (none when it is empty).
fn subject(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return sequence(&[]);
    }
    let printable = cn
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let value = tlv(if printable { 0x13 } else { 0x0c }, cn.as_bytes());
    let attribute = sequence(&[&oid(&COMMON_NAME), &value]);
    sequence(&[&tlv(0x31, &attribute)])
}

/// A validity time as Go's `encoding/asn1` writes it: UTCTime from 1950
/// to 2049, GeneralizedTime otherwise, to the second.
fn time(at: jiff::Timestamp) -> Vec<u8> {
    let t = jiff::tz::Offset::UTC.to_datetime(at);
    let rest = format!(
        "{:02}{:02}{:02}{:02}{:02}Z",
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    match t.year() {
        year @ 1950..=2049 => tlv(0x17, format!("{:02}{rest}", year % 100).as_bytes()),
        year => tlv(0x18, format!("{year:04}{rest}").as_bytes()),
    }
}

/// Go's `CreateCertificate` of `template` for `key`, issued by `parent`
/// (itself when `None`, as sprig passes the template as its own parent)
/// and signed by `signer`; the certificate and the key in PEM.
fn create(
    template: &Template,
    key: &PrivateKey,
    parent: Option<&Parent>,
    signer: &PrivateKey,
) -> Result<Value, FuncError> {
    let issuer = parent.map_or(&template.subject, |parent| &parent.subject);
    let failed = |error: String| fail(format!("error creating certificate: {error}"));
    let algorithm = signer.signature_algorithm().map_err(failed)?;
    let public_key = key.public_key_info().map_err(failed)?;
    let signer_key = signer.public_key_info().map_err(failed)?;
    let mut authority_key_id = None;
    if let Some(parent) = parent {
        let (algorithm_oid, bits) = &parent.public_key;
        let signer_oid = x509_cert::spki::AlgorithmIdentifierOwned::from_der(&signer_key.algorithm)
            .map(|a| a.oid)
            .ok();
        if signer_oid != Some(*algorithm_oid) || *bits != signer_key.key {
            return Err(failed(
                "x509: provided PrivateKey doesn't match parent's PublicKey".into(),
            ));
        }
        if parent.subject != template.subject {
            authority_key_id = parent.key_id.clone();
        }
    }
    let subject_key_id = template
        .is_ca
        .then(|| Sha256::digest(&public_key.key)[..20].to_vec());
    let extensions = extensions(template, subject_key_id, authority_key_id).map_err(failed)?;
    let tbs = sequence(&[
        &tlv(0xa0, &unsigned(&[2])),
        &template.serial,
        &algorithm,
        issuer.as_slice(),
        &template.validity,
        &template.subject,
        &public_key.der(),
        &tlv(
            0xa3,
            &sequence(&extensions.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        ),
    ]);
    let signature = signer.sign(&tbs);
    let der = sequence(&[&tbs, &algorithm, &bits(&signature)]);
    Ok(certificate(pem::encode("CERTIFICATE", &der), key.to_pem()))
}

/// Go's `buildCertExtensions` for sprig's templates.
fn extensions(
    template: &Template,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
) -> Result<Vec<Vec<u8>>, String> {
    let extension = |id: &Oid, critical: bool, value: &[u8]| {
        let critical: &[u8] = if critical { &[0x01, 0x01, 0xff] } else { &[] };
        sequence(&[&oid(id), critical, &octets(value)])
    };
    let key_usage = if template.is_ca {
        CA_KEY_USAGE
    } else {
        LEAF_KEY_USAGE
    };
    let constraints = if template.is_ca {
        sequence(&[&[0x01, 0x01, 0xff]])
    } else {
        sequence(&[])
    };
    let mut out = vec![
        extension(&KEY_USAGE, true, &tlv(0x03, key_usage)),
        extension(
            &EXT_KEY_USAGE,
            false,
            &sequence(&[&oid(&SERVER_AUTH), &oid(&CLIENT_AUTH)]),
        ),
        extension(&BASIC_CONSTRAINTS, true, &constraints),
    ];
    if let Some(id) = subject_key_id {
        out.push(extension(&SUBJECT_KEY_ID, false, &octets(&id)));
    }
    if let Some(id) = authority_key_id {
        out.push(extension(
            &AUTHORITY_KEY_ID,
            false,
            &sequence(&[&tlv(0x80, &id)]),
        ));
    }
    if !template.dns.is_empty() || !template.ips.is_empty() {
        let mut names = Vec::new();
        for name in &template.dns {
            if !name.is_ascii() {
                return Err(format!(
                    "x509: {} cannot be encoded as an IA5String",
                    gotemplate::quote(name)
                ));
            }
            names.push(tlv(0x82, name.as_bytes()));
        }
        names.extend(template.ips.iter().map(|ip| tlv(0x87, ip)));
        let names = sequence(&names.iter().map(Vec::as_slice).collect::<Vec<_>>());
        // RFC 5280: critical when the subject is empty.
        let critical = template.subject == sequence(&[]);
        out.push(extension(&SUBJECT_ALT_NAME, critical, &names));
    }
    Ok(out)
}

/// `buildCustomCert`: base64 of a PEM certificate and of a PEM key, both
/// checked to parse, as the `certificate` struct.
fn build_custom(cert64: &str, key64: &str) -> Result<Value, FuncError> {
    let cert = super::encoding::base64_decode(cert64)
        .map_err(|_| fail("unable to decode base64 certificate"))?;
    let key = super::encoding::base64_decode(key64)
        .map_err(|_| fail("unable to decode base64 private key"))?;
    let (cert, key) = (
        String::from_utf8_lossy(&cert).into_owned(),
        String::from_utf8_lossy(&key).into_owned(),
    );
    let block = pem::decode(&cert).ok_or_else(|| fail("unable to decode certificate"))?;
    x509_cert::Certificate::from_der(&block.der).map_err(|error| {
        fail(format!(
            "error parsing certificate: decodedCert.Bytes: x509: {error}"
        ))
    })?;
    PrivateKey::from_pem(&key)
        .map_err(|error| fail(format!("error parsing private key: {error}")))?;
    Ok(certificate(cert, key))
}
