//! A file with a password and a certificate key encryptor, in either build: with the
//! `certificates` feature (default) and without it (`cargo test -p docseal
//! --no-default-features --test certificate_records`) it parses, inspects, opens with its
//! password and loses its recipient by fingerprint; with the feature the private key opens it
//! too. The certificate encryptor is made here with the `rsa` dev-dependency, not the library.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Cursor, Write};

use docseal::layers::crypto::{
    agile_stream, AgileEncryptionInfo, CertificateKeyEncryptor, EncryptionInfo, HmacState,
    KeyEncryptor, XmlLimits, DEFAULT_MAX_SPIN_COUNT,
};
use docseal::{
    Credentials, DecryptOptions, EncryptOptions, IntegrityStatus, KeyChanges, Limits, Password,
};
use sha2::Digest;

fn package() -> Vec<u8> {
    (0..10_000).map(|i| (i * 7 % 251) as u8).collect()
}

fn agile(file: &[u8]) -> AgileEncryptionInfo {
    let mut cf = docseal::layers::ole::CompoundFile::open(Cursor::new(file)).unwrap();
    let id = cf.find(&["EncryptionInfo"]).unwrap();
    let bytes = cf.read_stream(id, u64::MAX).unwrap();
    match EncryptionInfo::parse(&bytes, &XmlLimits::default()).unwrap() {
        EncryptionInfo::Agile(a) => a,
        other => panic!("{other:?}"),
    }
}

/// A password-protected file to which the first test identity is added as a recipient, and
/// that identity's certificate fingerprint.
fn with_recipient() -> (Vec<u8>, String) {
    let id = &support::certs::identities()[0];
    let opts = EncryptOptions::default()
        .spin_count(100)
        .seeded_for_tests(11);
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(
        Cursor::new(package()),
        &mut out,
        &Password::new("pw"),
        &opts,
    )
    .unwrap();
    let file = out.into_inner();

    let mut info = agile(&file);
    let key = info
        .password_encryptor()
        .unwrap()
        .unlock(&info.key_data, &Password::new("pw"), DEFAULT_MAX_SPIN_COUNT)
        .unwrap();
    let encrypted_key_value = id
        .key
        .to_public_key()
        .encrypt(&mut rand_core::OsRng, rsa::Pkcs1v15Encrypt, &key)
        .unwrap();
    let hash = docseal::HashAlgorithm::from_name(&info.key_data.hash_algorithm).unwrap();
    let mut mac = HmacState::new(hash, &key);
    mac.update(&id.cert_der);
    info.key_encryptors
        .push(KeyEncryptor::Certificate(CertificateKeyEncryptor {
            encrypted_key_value,
            x509_certificate: id.cert_der.clone(),
            cert_verifier: mac.finalize().as_slice().to_vec(),
        }));
    info.declares_certificate_ns = true;

    let mut cf = cfb::CompoundFile::open(Cursor::new(file)).unwrap();
    cf.create_stream("EncryptionInfo")
        .unwrap()
        .write_all(&agile_stream(&info))
        .unwrap();
    cf.flush().unwrap();
    let fingerprint = hex::encode(sha2::Sha256::digest(&id.cert_der));
    (cf.into_inner().into_inner(), fingerprint)
}

fn open(file: &[u8], creds: &Credentials) -> Vec<u8> {
    let mut out = Vec::new();
    let report = docseal::decrypt(
        Cursor::new(file),
        &mut out,
        creds,
        &DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(report.integrity, IntegrityStatus::Verified);
    out
}

fn passwd(file: &[u8], changes: &KeyChanges) -> (Vec<u8>, docseal::PasswdReport) {
    let mut out = Cursor::new(Vec::new());
    let report = docseal::change_key_encryptors(
        Cursor::new(file),
        &mut out,
        &Credentials::password("pw"),
        changes,
        &Limits::default(),
    )
    .unwrap();
    (out.into_inner(), report)
}

#[test]
fn parses_inspects_and_opens_with_the_password() {
    let (file, _fingerprint) = with_recipient();
    let info = agile(&file);
    assert_eq!(info.certificate_encryptors().count(), 1);
    assert_eq!(open(&file, &Credentials::password("pw")), package());

    let i = docseal::inspect(Cursor::new(&file), &Limits::default()).unwrap();
    assert_eq!(i.scheme(), Some(docseal::EncryptionScheme::Agile));
    #[cfg(feature = "serde")]
    {
        let v = serde_json::to_value(&i).unwrap();
        let encs = v["encryption_info"]["key_encryptors"].as_array().unwrap();
        assert_eq!(encs[0]["type"], "password");
        assert_eq!(encs[1]["type"], "certificate");
        assert_eq!(encs[1]["sha256_fingerprint"], _fingerprint.as_str());
        if cfg!(feature = "certificates") {
            assert!(encs[1]["subject"].as_str().unwrap().contains("CN=Alice"));
            assert_eq!(encs[1]["rsa_key_bits"], 2048);
        } else {
            assert!(encs[1]["subject"].is_null());
            let error = encs[1]["certificate_error"].as_str().unwrap();
            assert!(error.contains("`certificates` feature"), "{error}");
        }
    }
}

#[test]
fn passwd_keeps_or_removes_the_recipient_by_fingerprint() {
    let (file, fingerprint) = with_recipient();
    let (kept, report) = passwd(&file, &KeyChanges::default().new_password("n3w"));
    assert_eq!(
        report.encryptors,
        ["password".to_string(), format!("certificate {fingerprint}")]
    );
    assert_eq!(agile(&kept).certificate_encryptors().count(), 1);
    assert_eq!(open(&kept, &Credentials::password("n3w")), package());

    let (removed, report) = passwd(&file, &KeyChanges::default().remove_recipient(&fingerprint));
    assert_eq!(report.encryptors, ["password"]);
    assert_eq!(agile(&removed).certificate_encryptors().count(), 0);
    assert_eq!(open(&removed, &Credentials::password("pw")), package());
}

#[cfg(feature = "certificates")]
#[test]
fn the_private_key_opens_it() {
    let (file, _) = with_recipient();
    let key = support::certs::identities()[0].private_key();
    assert_eq!(open(&file, &Credentials::private_key(key)), package());
}
