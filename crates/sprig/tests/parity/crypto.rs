//! Certificates, keys and AES checked by property (their output is
//! random): certificates parse, chains verify, fields are sprig's; and
//! against real helm, which reads what these functions make and the other
//! way round.

use std::collections::BTreeMap;
use std::time::Instant;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

use super::{helm_output, ours, write_chart_with_values};

/// The PEM blocks of `text`, as (type, DER).
fn blocks(text: &str) -> Vec<(String, Vec<u8>)> {
    x509_parser::pem::Pem::iter_from_buffer(text.as_bytes())
        .map(|pem| {
            let pem = pem.expect("well-formed PEM");
            (pem.label, pem.contents)
        })
        .collect()
}

/// The one PEM block of `text`, which must be of type `kind`.
fn der(text: &str, kind: &str) -> Vec<u8> {
    let mut found = blocks(text);
    assert_eq!(found.len(), 1, "one PEM block in {text}");
    let (label, der) = found.remove(0);
    assert_eq!(label, kind);
    der
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    let (rest, cert) = X509Certificate::from_der(der).expect("certificate parses");
    assert!(rest.is_empty());
    cert
}

/// Checks that `child` is signed by the key of `issuer` (both DER).
fn verify(child: &[u8], issuer: &[u8]) {
    use x509_cert::der::Decode;
    let child = x509_cert::Certificate::from_der(child).expect("child decodes");
    let issuer = x509_cert::Certificate::from_der(issuer).expect("issuer decodes");
    let key = x509_verify::VerifyingKey::try_from(&issuer).expect("issuer key");
    key.verify(&child).expect("signature verifies");
}

/// Renders `snippet`, whose output is `name=value` lines joined by `|`.
fn fields(snippet: &str) -> BTreeMap<String, String> {
    let out = ours(snippet).expect("renders");
    out.split('|')
        .map(|field| {
            let (name, value) = field.split_once('=').expect("name=value");
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

fn b64(text: &str) -> String {
    String::from_utf8(STANDARD.decode(text).expect("base64")).expect("UTF-8")
}

#[test]
fn a_signed_certificate_chains_to_its_ca() {
    let start = Instant::now();
    let ca =
        ours(r#"{{ $ca := genCA "my-ca" 365 }}{{ $ca.Cert | b64enc }}|{{ $ca.Key | b64enc }}"#)
            .expect("genCA renders");
    eprintln!("genCA took {:?}", start.elapsed());
    let f = fields(&format!(
        r#"{{{{ $ca := buildCustomCert "{}" "{}" }}}}ca={{{{ $ca.Cert | b64enc }}}}|leaf={{{{ $c := genSignedCert "leaf" (list "10.0.0.1" "::ffff:1.2.3.4" "2001:db8::1") (list "a.example.com" "b") 30 $ca }}}}{{{{ $c.Cert | b64enc }}}}|key={{{{ $c.Key | b64enc }}}}|type={{{{ typeOf $c }}}}"#,
        ca.split('|').next().unwrap(),
        ca.split('|').nth(1).unwrap(),
    ));
    let ca_pem = b64(&f["ca"]);
    let (ca_der, leaf_der) = (
        der(&ca_pem, "CERTIFICATE"),
        der(&b64(&f["leaf"]), "CERTIFICATE"),
    );
    der(&b64(&f["key"]), "RSA PRIVATE KEY");
    assert_eq!(f["type"], "sprig.certificate");
    verify(&ca_der, &ca_der);
    verify(&leaf_der, &ca_der);

    let (ca, leaf) = (parse(&ca_der), parse(&leaf_der));
    assert_eq!(ca.version().0, 2);
    assert!(ca.is_ca());
    assert_eq!(ca.subject().to_string(), "CN=my-ca");
    assert_eq!(ca.issuer().to_string(), "CN=my-ca");
    assert_eq!(ca.public_key().parsed().expect("key").key_size(), 2048);
    let usage = ca.key_usage().unwrap().expect("key usage");
    assert!(usage.critical);
    assert!(usage.value.digital_signature() && usage.value.key_encipherment());
    assert!(usage.value.key_cert_sign());
    let days = |c: &X509Certificate<'_>| {
        c.validity().not_after.timestamp() - c.validity().not_before.timestamp()
    };
    assert_eq!(days(&ca), 365 * 86_400);
    assert!(ca.raw_serial().len() <= 17);

    assert!(!leaf.is_ca());
    assert_eq!(leaf.subject().to_string(), "CN=leaf");
    assert_eq!(leaf.issuer().to_string(), "CN=my-ca");
    assert_eq!(days(&leaf), 30 * 86_400);
    let usage = leaf.key_usage().unwrap().expect("key usage").value;
    assert!(usage.digital_signature() && usage.key_encipherment() && !usage.key_cert_sign());
    let extended = leaf
        .extended_key_usage()
        .unwrap()
        .expect("ext key usage")
        .value;
    assert!(extended.server_auth && extended.client_auth);
    let constraints = leaf
        .basic_constraints()
        .unwrap()
        .expect("basic constraints");
    assert!(constraints.critical && !constraints.value.ca);
    let names = &leaf
        .subject_alternative_name()
        .unwrap()
        .expect("SANs")
        .value
        .general_names;
    let names: Vec<String> = names
        .iter()
        .map(|name| match name {
            GeneralName::DNSName(dns) => (*dns).to_owned(),
            GeneralName::IPAddress(ip) => format!("{ip:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "a.example.com",
            "b",
            "[10, 0, 0, 1]",
            "[1, 2, 3, 4]",
            "[32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
        ]
    );
    use x509_parser::extensions::ParsedExtension;
    let ski = ca
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
            _ => None,
        });
    let aki = leaf
        .extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(id) => {
                id.key_identifier.as_ref().map(|k| k.0.to_vec())
            }
            _ => None,
        });
    assert_eq!(ski.as_ref().map(Vec::len), Some(20));
    assert_eq!(ski, aki);
}

#[test]
fn a_self_signed_certificate_is_its_own_issuer() {
    let f = fields(
        r#"{{ $c := genSelfSignedCert "" nil (list "x.example") 1 }}cert={{ $c.Cert | b64enc }}|printed={{ printf "%v" $c | b64enc }}|key={{ $c.Key | b64enc }}"#,
    );
    let (cert, key) = (b64(&f["cert"]), b64(&f["key"]));
    assert_eq!(
        b64(&f["printed"]),
        format!("{{{cert} {key}}}"),
        "Go prints a struct as {{Cert Key}}"
    );
    let der = der(&cert, "CERTIFICATE");
    verify(&der, &der);
    let cert = parse(&der);
    assert!(!cert.is_ca());
    assert_eq!(cert.subject().to_string(), "");
    let names = cert.subject_alternative_name().unwrap().expect("SANs");
    assert!(
        names.critical,
        "SANs are critical when the subject is empty"
    );
    assert!(
        cert.extensions().len() == 4,
        "no key ids on a self-signed leaf"
    );
}

#[test]
fn each_kind_of_private_key_parses() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let f = fields(
        r#"rsa={{ genPrivateKey "rsa" | b64enc }}|ecdsa={{ genPrivateKey "ecdsa" | b64enc }}|ed25519={{ genPrivateKey "ed25519" | b64enc }}|dsa={{ genPrivateKey "dsa" | b64enc }}|other={{ genPrivateKey "x" }}"#,
    );
    let rsa = rsa::RsaPrivateKey::from_pkcs1_der(&der(&b64(&f["rsa"]), "RSA PRIVATE KEY"))
        .expect("PKCS#1");
    assert_eq!(rsa.n().bits(), 4096);
    let ec = der(&b64(&f["ecdsa"]), "EC PRIVATE KEY");
    let sec1 = sec1::EcPrivateKey::try_from(ec.as_slice()).expect("SEC1");
    assert_eq!(
        sec1.parameters
            .and_then(|p| p.named_curve())
            .map(|c| c.to_string()),
        Some("1.2.840.10045.3.1.7".to_owned()),
        "the curve is named, as Go writes it"
    );
    assert!(sec1.public_key.is_some());
    p256::SecretKey::from_sec1_der(&ec).expect("a P-256 key");
    let ed = der(&b64(&f["ed25519"]), "PRIVATE KEY");
    let info = p256::pkcs8::PrivateKeyInfo::try_from(ed.as_slice()).expect("PKCS#8");
    assert_eq!(info.algorithm.oid.to_string(), "1.3.101.112");
    assert_eq!(
        info.private_key.len(),
        34,
        "an OCTET STRING of the 32-byte seed"
    );
    let dsa = der(&b64(&f["dsa"]), "DSA PRIVATE KEY");
    use x509_cert::der::{Decode, asn1};
    let ints = asn1::SequenceOf::<asn1::UintRef<'_>, 6>::from_der(&dsa).expect("six integers");
    let bits: Vec<usize> = ints.iter().map(|i| i.as_bytes().len() * 8).collect();
    assert_eq!((bits[1], bits[2]), (2048, 256), "L2048N256");
    assert_eq!(f["other"], "Unknown type x");
}

#[test]
fn the_with_key_functions_use_the_given_key() {
    for kind in ["ecdsa", "ed25519"] {
        let f = fields(&format!(
            r#"{{{{ $k := genPrivateKey "{kind}" }}}}{{{{ $ca := genCAWithKey "ca" 10 $k }}}}key={{{{ $k | b64enc }}}}|ca={{{{ $ca.Cert | b64enc }}}}|cakey={{{{ $ca.Key | b64enc }}}}|self={{{{ (genSelfSignedCertWithKey "s" nil nil 1 $k).Cert | b64enc }}}}|signed={{{{ (genSignedCertWithKey "l" nil nil 1 $ca $k).Cert | b64enc }}}}"#
        ));
        assert_eq!(
            f["key"], f["cakey"],
            "{kind}: the CA's key is the one given"
        );
        let ca = der(&b64(&f["ca"]), "CERTIFICATE");
        let (signed, self_signed) = (
            der(&b64(&f["signed"]), "CERTIFICATE"),
            der(&b64(&f["self"]), "CERTIFICATE"),
        );
        verify(&ca, &ca);
        verify(&signed, &ca);
        verify(&self_signed, &ca);
        let key = parse(&ca).public_key().raw.to_vec();
        for cert in [&signed, &self_signed] {
            assert_eq!(parse(cert).public_key().raw, key, "{kind}: same public key");
        }
    }
}

#[test]
fn bad_arguments_fail_as_in_sprig() {
    let err = |snippet: &str| ours(snippet).expect_err(snippet);
    let message = err(r#"{{ genSignedCert "x" nil nil 1 (dict "Cert" "" "Key" "") }}"#);
    assert!(
        message.contains("expected sprig.certificate; got map[string]interface {}"),
        "{message}"
    );
    let message =
        err(r#"{{ genSelfSignedCertWithKey "x" (list "1.2.3") nil 1 (genPrivateKey "ecdsa") }}"#);
    assert!(message.contains("error parsing ip: 1.2.3"), "{message}");
    let message =
        err(r#"{{ genSelfSignedCertWithKey "x" nil (list "é") 1 (genPrivateKey "ecdsa") }}"#);
    assert!(
        message.contains(r#"x509: "é" cannot be encoded as an IA5String"#),
        "{message}"
    );
    let dsa = ours(r#"{{ genPrivateKey "dsa" }}"#).expect("a DSA key");
    let message = err(&format!(r#"{{{{ genCAWithKey "x" 1 `{dsa}` }}}}"#));
    assert!(
        message.contains("does not implement crypto.Signer"),
        "{message}"
    );
    let message = err(r#"{{ genCAWithKey "x" 1 "nope" }}"#);
    assert!(
        message.contains("parsing private key: no PEM data in input"),
        "{message}"
    );
    let message = err(&format!(
        r#"{{{{ $ca := genCAWithKey "ca" 1 (genPrivateKey "ed25519") }}}}{{{{ genSignedCertWithKey "x" nil nil 1 $ca `{dsa}` }}}}"#
    ));
    assert!(
        message.contains("unsupported public key type: *dsa.PublicKey"),
        "{message}"
    );
}

#[test]
fn aes_round_trips() {
    let out = ours(
        r#"{{ encryptAES "secret" "plain text" | decryptAES "secret" }}|{{ encryptAES "k" "" }}"#,
    );
    assert_eq!(out.as_deref(), Ok("plain text|"));
}

/// What this crate makes, real helm reads: our AES text decrypts, our CA
/// signs through helm's `genSignedCert`, our keys sign helm's
/// certificates, and helm's CA signs through ours.
#[test]
fn helm_reads_what_we_make() {
    let made = fields(
        r#"{{ $ca := genCA "ours" 5 }}ca={{ $ca.Cert | b64enc }}|cakey={{ $ca.Key | b64enc }}|enc={{ encryptAES "pw" "made here" }}|ec={{ genPrivateKey "ecdsa" | b64enc }}|ed={{ genPrivateKey "ed25519" | b64enc }}"#,
    );
    let values = made
        .iter()
        .map(|(name, value)| format!("{name}: {value:?}\n"))
        .collect::<String>();
    let template = r#"dec: {{ decryptAES "pw" .Values.enc }}
leaf: {{ (genSignedCert "leaf" nil nil 1 (buildCustomCert .Values.ca .Values.cakey)).Cert | b64enc }}
ec: {{ (genSelfSignedCertWithKey "ec" nil nil 1 (b64dec .Values.ec)).Cert | b64enc }}
ed: {{ (genCAWithKey "ed" 1 (b64dec .Values.ed)).Key | b64enc }}
{{ $ca := genCA "theirs" 5 }}theirs: {{ $ca.Cert | b64enc }}
theirskey: {{ $ca.Key | b64enc }}
enc: {{ encryptAES "pw" "made there" }}
"#;
    let home = tempfile::tempdir().expect("temp dir");
    let chart = home.path().join("fx");
    write_chart_with_values(
        &chart,
        &values,
        &[("t.yaml".to_owned(), template.to_owned())],
    );
    let out = helm_output(
        home.path(),
        &["template", "r", chart.to_str().expect("UTF-8")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).expect("UTF-8");
    let helm: BTreeMap<&str, &str> = out
        .lines()
        .filter_map(|line| line.split_once(": "))
        .collect();
    assert_eq!(helm["dec"], "made here");
    let ca = der(&b64(&made["ca"]), "CERTIFICATE");
    verify(&der(&b64(helm["leaf"]), "CERTIFICATE"), &ca);
    let ec = der(&b64(helm["ec"]), "CERTIFICATE");
    verify(&ec, &ec);
    assert_eq!(
        helm["ed"], made["ed"],
        "helm kept our Ed25519 key as we wrote it"
    );

    let f = fields(&format!(
        r#"dec={{{{ decryptAES "pw" "{}" }}}}|leaf={{{{ (genSignedCert "l" nil nil 1 (buildCustomCert "{}" "{}")).Cert | b64enc }}}}"#,
        helm["enc"], helm["theirs"], helm["theirskey"]
    ));
    assert_eq!(f["dec"], "made there");
    verify(
        &der(&b64(&f["leaf"]), "CERTIFICATE"),
        &der(&b64(helm["theirs"]), "CERTIFICATE"),
    );
}

/// `…WithKey` reads PKCS#8 keys of every curve Go signs with, and gives
/// the key back as Go re-encodes it (SEC1 for ECDSA).
#[test]
fn pkcs8_keys_of_each_curve_sign() {
    use p256::pkcs8::EncodePrivateKey;
    let mut rng = rand_core_06::OsRng;
    let keys = [
        p384::SecretKey::random(&mut rng).to_pkcs8_der(),
        p521::SecretKey::random(&mut rng).to_pkcs8_der(),
    ];
    for key in keys {
        let body = STANDARD.encode(key.expect("PKCS#8").as_bytes());
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n");
        let f = fields(&format!(
            r#"{{{{ $ca := genCAWithKey "ca" 1 `{pem}` }}}}ca={{{{ $ca.Cert | b64enc }}}}|key={{{{ $ca.Key | b64enc }}}}"#
        ));
        let ca = der(&b64(&f["ca"]), "CERTIFICATE");
        verify(&ca, &ca);
        der(&b64(&f["key"]), "EC PRIVATE KEY");
    }
}
