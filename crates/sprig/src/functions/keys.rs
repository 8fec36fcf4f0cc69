//! Private keys as sprig makes and reads them: `genPrivateKey` (RSA 4096,
//! DSA L2048N256, ECDSA P-256, Ed25519), and the PEM keys the `*WithKey`
//! functions take (`RSA PRIVATE KEY` PKCS#1, `EC PRIVATE KEY` SEC1,
//! `PRIVATE KEY` PKCS#8, `DSA PRIVATE KEY`), written and read as Go's
//! `crypto/x509` does. Keys also sign certificates, with the algorithm Go
//! picks for them (SHA-256 with RSA PKCS#1 v1.5, ECDSA with SHA-256/384/512
//! by curve, pure Ed25519); DSA keys, as in Go, cannot.

use super::pem::{self, bits, octets, oid, sequence, tlv, unsigned};
use super::{Table, str_arg};
use gotemplate::Arity;
use p256::elliptic_curve::sec1::{ModulusSize, ToEncodedPoint};
use p256::elliptic_curve::{Curve, FieldBytesSize};
use rand_core_06::OsRng;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use x509_cert::der::oid::ObjectIdentifier as Oid;
use x509_cert::der::{Decode, asn1};

const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
const P384: Oid = Oid::new_unwrap("1.3.132.0.34");
const P521: Oid = Oid::new_unwrap("1.3.132.0.35");
const ED25519: Oid = Oid::new_unwrap("1.3.101.112");

pub(super) fn register(table: &mut Table<'_>) {
    table.add(&["genPrivateKey"], Arity::Exact(1), |a| {
        Ok(generate(str_arg(a, 0)?).into())
    });
}

/// `genPrivateKey`: a new key of `kind` in PEM, or sprig's failure text.
fn generate(kind: &str) -> String {
    let key = match kind {
        "" | "rsa" => PrivateKey::rsa(4096),
        "dsa" => Ok(PrivateKey::dsa()),
        "ecdsa" => Ok(PrivateKey::P256(p256::SecretKey::random(&mut OsRng))),
        "ed25519" => Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::generate(
            &mut OsRng,
        ))),
        _ => return format!("Unknown type {kind}"),
    };
    match key {
        Ok(key) => key.to_pem(),
        Err(error) => format!("failed to generate private key: {error}"),
    }
}

/// A private key of one of the kinds Go's `crypto/x509` reads.
pub(super) enum PrivateKey {
    Rsa(Box<rsa::RsaPrivateKey>),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
    /// sprig's own DSA encoding (`DSAKeyFormat`), kept as its DER: Go can
    /// neither sign with a DSA key nor put one in a certificate.
    Dsa(Vec<u8>),
}

impl PrivateKey {
    /// A new RSA key of `bits`, exponent 65537, as Go's `rsa.GenerateKey`.
    pub(super) fn rsa(bits: usize) -> Result<PrivateKey, String> {
        rsa::RsaPrivateKey::new(&mut OsRng, bits)
            .map(|key| PrivateKey::Rsa(Box::new(key)))
            .map_err(|error| error.to_string())
    }

    /// A new DSA key with new L2048N256 parameters.
    fn dsa() -> PrivateKey {
        let components = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
        let key = dsa::SigningKey::generate(&mut OsRng, components);
        let public = key.verifying_key();
        let int = |n: &dsa::BigUint| unsigned(&n.to_bytes_be());
        let (c, y, x) = (public.components(), public.y(), key.x());
        PrivateKey::Dsa(sequence(&[
            &unsigned(&[0]),
            &int(c.p()),
            &int(c.q()),
            &int(c.g()),
            &int(y),
            &int(x),
        ]))
    }

    /// sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8
    /// for Ed25519, sprig's sequence for DSA.
    pub(super) fn to_pem(&self) -> String {
        match self {
            PrivateKey::Rsa(key) => {
                let der = key.to_pkcs1_der().expect("an RSA key encodes");
                pem::encode("RSA PRIVATE KEY", der.as_bytes())
            }
            PrivateKey::P256(key) => ec_pem(&P256, &key.to_bytes(), &point(&key.public_key())),
            PrivateKey::P384(key) => ec_pem(&P384, &key.to_bytes(), &point(&key.public_key())),
            PrivateKey::P521(key) => ec_pem(&P521, &key.to_bytes(), &point(&key.public_key())),
            PrivateKey::Ed25519(key) => {
                let algorithm = sequence(&[&oid(&ED25519)]);
                let der = sequence(&[
                    &unsigned(&[0]),
                    &algorithm,
                    &octets(&octets(key.as_bytes())),
                ]);
                pem::encode("PRIVATE KEY", &der)
            }
            PrivateKey::Dsa(der) => pem::encode("DSA PRIVATE KEY", der),
        }
    }

    /// sprig's `parsePrivateKeyPEM`, with its error texts.
    pub(super) fn from_pem(text: &str) -> Result<PrivateKey, String> {
        let block = pem::decode(text).ok_or("no PEM data in input")?;
        if block.kind == "PRIVATE KEY" {
            return from_pkcs8(&block.der)
                .map_err(|error| format!("decoding PEM as PKCS#8: {error}"));
        }
        let Some(kind) = block.kind.strip_suffix(" PRIVATE KEY") else {
            return Err(format!(
                "no private key data in PEM block of type {}",
                block.kind
            ));
        };
        match kind {
            "RSA" => rsa::RsaPrivateKey::from_pkcs1_der(&block.der)
                .map(|key| PrivateKey::Rsa(Box::new(key)))
                .map_err(|error| format!("parsing RSA private key from PEM: x509: {error}")),
            "EC" => from_sec1(&block.der, None)
                .map_err(|error| format!("parsing EC private key from PEM: {error}")),
            "DSA" => match asn1::SequenceOf::<asn1::Int, 6>::from_der(&block.der) {
                Ok(_) => Ok(PrivateKey::Dsa(block.der)),
                Err(error) => Err(format!("parsing DSA private key from PEM: asn1: {error}")),
            },
            _ => Err(format!("invalid private key type {}", block.kind)),
        }
    }

    /// The certificate's SubjectPublicKeyInfo for this key (Go's
    /// `marshalPublicKey`): the DER of the algorithm and the key's bits.
    pub(super) fn public_key_info(&self) -> Result<PublicKeyInfo, String> {
        let ec = |curve: &Oid, key: Vec<u8>| PublicKeyInfo {
            algorithm: sequence(&[&oid(&EC_PUBLIC_KEY), &oid(curve)]),
            key,
        };
        Ok(match self {
            PrivateKey::Rsa(key) => PublicKeyInfo {
                algorithm: sequence(&[&oid(&RSA_ENCRYPTION), pem::NULL]),
                key: sequence(&[
                    &unsigned(&key.n().to_bytes_be()),
                    &unsigned(&key.e().to_bytes_be()),
                ]),
            },
            PrivateKey::P256(key) => ec(&P256, point(&key.public_key())),
            PrivateKey::P384(key) => ec(&P384, point(&key.public_key())),
            PrivateKey::P521(key) => ec(&P521, point(&key.public_key())),
            PrivateKey::Ed25519(key) => PublicKeyInfo {
                algorithm: sequence(&[&oid(&ED25519)]),
                key: key.verifying_key().to_bytes().to_vec(),
            },
            PrivateKey::Dsa(_) => {
                return Err("x509: unsupported public key type: *dsa.PublicKey".into());
            }
        })
    }

    /// The signature AlgorithmIdentifier Go picks for this key, or Go's
    /// error for a key that cannot sign.
    pub(super) fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        Ok(match self {
            PrivateKey::Rsa(_) => sequence(&[&oid(&SHA256_WITH_RSA), pem::NULL]),
            PrivateKey::P256(_) => sequence(&[&oid(&ECDSA_WITH_SHA256)]),
            PrivateKey::P384(_) => sequence(&[&oid(&ECDSA_WITH_SHA384)]),
            PrivateKey::P521(_) => sequence(&[&oid(&ECDSA_WITH_SHA512)]),
            PrivateKey::Ed25519(_) => sequence(&[&oid(&ED25519)]),
            PrivateKey::Dsa(_) => {
                return Err(
                    "x509: certificate private key does not implement crypto.Signer".into(),
                );
            }
        })
    }

    /// Signs `message` with [`Self::signature_algorithm`] (ECDSA with a
    /// random nonce, as Go's, and in ASN.1 DER). A DSA key signs
    /// nothing: its `signature_algorithm` fails first.
    pub(super) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            PrivateKey::Rsa(key) => {
                rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.as_ref().clone())
                    .sign(message)
                    .to_vec()
            }
            PrivateKey::P256(key) => {
                let signature: p256::ecdsa::Signature =
                    p256::ecdsa::SigningKey::from(key).sign_with_rng(&mut OsRng, message);
                signature.to_der().to_vec()
            }
            PrivateKey::P384(key) => {
                let signature: p384::ecdsa::Signature =
                    p384::ecdsa::SigningKey::from(key).sign_with_rng(&mut OsRng, message);
                signature.to_der().to_vec()
            }
            PrivateKey::P521(key) => {
                let signer = p521::ecdsa::SigningKey::from_bytes(&key.to_bytes())
                    .expect("a P-521 secret key is a signing key");
                let signature: p521::ecdsa::Signature = signer.sign_with_rng(&mut OsRng, message);
                signature.to_der().to_vec()
            }
            PrivateKey::Ed25519(key) => key.sign(message).to_bytes().to_vec(),
            PrivateKey::Dsa(_) => Vec::new(),
        }
    }
}

/// A public key as a certificate carries it.
pub(super) struct PublicKeyInfo {
    /// The DER AlgorithmIdentifier.
    pub algorithm: Vec<u8>,
    /// The content of the subjectPublicKey BIT STRING.
    pub key: Vec<u8>,
}

impl PublicKeyInfo {
    /// The DER SubjectPublicKeyInfo.
    pub(super) fn der(&self) -> Vec<u8> {
        sequence(&[&self.algorithm, &bits(&self.key)])
    }
}

/// An uncompressed SEC1 point, as Go's `ecdsa.PublicKey.Bytes`.
fn point<C>(key: &impl ToEncodedPoint<C>) -> Vec<u8>
where
    C: Curve,
    FieldBytesSize<C>: ModulusSize,
{
    key.to_encoded_point(false).as_bytes().to_vec()
}

/// Go's `MarshalECPrivateKey` (version 1, the scalar at the curve's size,
/// the named curve and the public point), in PEM.
fn ec_pem(curve: &Oid, scalar: &[u8], point: &[u8]) -> String {
    let der = sequence(&[
        &unsigned(&[1]),
        &octets(scalar),
        &tlv(0xa0, &oid(curve)),
        &tlv(0xa1, &bits(point)),
    ]);
    pem::encode("EC PRIVATE KEY", &der)
}

/// Go's `ParsePKCS8PrivateKey` for the key kinds above.
fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let info =
        p256::pkcs8::PrivateKeyInfo::try_from(der).map_err(|error| format!("x509: {error}"))?;
    let algorithm = info.algorithm.oid;
    if algorithm == RSA_ENCRYPTION {
        rsa::RsaPrivateKey::from_pkcs1_der(info.private_key)
            .map(|key| PrivateKey::Rsa(Box::new(key)))
            .map_err(|error| {
                format!("x509: failed to parse RSA private key embedded in PKCS#8: {error}")
            })
    } else if algorithm == EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| "x509: failed to parse EC private key embedded in PKCS#8".to_owned())?;
        from_sec1(info.private_key, Some(curve)).map_err(|error| {
            format!("x509: failed to parse EC private key embedded in PKCS#8: {error}")
        })
    } else if algorithm == ED25519 {
        let seed = asn1::OctetStringRef::from_der(info.private_key)
            .ok()
            .and_then(|s| <[u8; 32]>::try_from(s.as_bytes()).ok())
            .ok_or("x509: invalid Ed25519 private key")?;
        Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
            &seed,
        )))
    } else {
        Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {algorithm}"
        ))
    }
}

/// Go's `parseECPrivateKey`: the curve is `curve` when the PKCS#8 wrapper
/// names it, else the key's own parameters.
fn from_sec1(der: &[u8], curve: Option<Oid>) -> Result<PrivateKey, String> {
    let key = sec1::EcPrivateKey::try_from(der)
        .map_err(|error| format!("x509: failed to parse EC private key: {error}"))?;
    let curve = curve
        .or_else(|| key.parameters.and_then(|p| p.named_curve()))
        .ok_or("x509: unknown elliptic curve")?;
    let invalid = |_| "x509: invalid elliptic curve private key value".to_owned();
    if curve == P256 {
        p256::SecretKey::from_slice(key.private_key)
            .map(PrivateKey::P256)
            .map_err(invalid)
    } else if curve == P384 {
        p384::SecretKey::from_slice(key.private_key)
            .map(PrivateKey::P384)
            .map_err(invalid)
    } else if curve == P521 {
        p521::SecretKey::from_slice(key.private_key)
            .map(PrivateKey::P521)
            .map_err(invalid)
    } else {
        Err("x509: unknown elliptic curve".into())
    }
}
