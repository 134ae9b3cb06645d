//! Certificate key encryptors: files for 1, 2 and 5 recipients with and without a password,
//! opened with each private key; and `change_key_encryptors`, which must leave the encrypted
//! package and its integrity values byte-identical.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]
#![cfg(feature = "certificates")]

mod support;

use std::io::{Cursor, Read};

use docseal::layers::crypto::{EncryptionInfo, KeyEncryptor, XmlLimits};
use docseal::{Credentials, DecryptOptions, EncryptOptions, Error, KeyChanges, Limits, Password};
use proptest::prelude::*;
use support::certs::{identities, make_identity};

fn package(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 256) as u8).collect()
}

fn protect(pkg: &[u8], password: Option<&str>, who: &[usize], seed: u64) -> Vec<u8> {
    let ids = identities();
    let mut opts = EncryptOptions::default()
        .spin_count(100)
        .seeded_for_tests(seed);
    for &i in who {
        opts = opts.recipient(ids[i].recipient());
    }
    let pw = password.map(Password::new);
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt_for(Cursor::new(pkg), &mut out, pw.as_ref(), &opts).unwrap();
    out.into_inner()
}

fn open(file: &[u8], creds: &Credentials) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    docseal::decrypt(
        Cursor::new(file),
        &mut out,
        creds,
        &DecryptOptions::default(),
    )?;
    Ok(out)
}

fn stream(file: &[u8], path: &[&str]) -> Vec<u8> {
    let mut cf = docseal::layers::ole::CompoundFile::open(Cursor::new(file)).unwrap();
    let id = cf.find(path).unwrap();
    cf.read_stream(id, u64::MAX).unwrap()
}

fn agile(file: &[u8]) -> docseal::layers::crypto::AgileEncryptionInfo {
    match EncryptionInfo::parse(&stream(file, &["EncryptionInfo"]), &XmlLimits::default()).unwrap()
    {
        EncryptionInfo::Agile(a) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_two_and_five_recipients_with_and_without_a_password() {
    let ids = identities();
    let pkg = package(9000);
    for who in [vec![0], vec![0, 1], vec![0, 1, 2, 3, 4]] {
        for password in [None, Some("pässwörd")] {
            let file = protect(&pkg, password, &who, who.len() as u64);
            for &i in &who {
                assert_eq!(
                    open(&file, &Credentials::private_key(ids[i].private_key())).unwrap(),
                    pkg
                );
            }
            let outsider = if who.len() < 5 { Some(&ids[4]) } else { None };
            if let Some(o) = outsider {
                match open(&file, &Credentials::private_key(o.private_key())) {
                    Err(Error::NoUsableKey { .. }) => {}
                    other => panic!("outsider opened it: {other:?}"),
                }
            }
            match password {
                Some(pw) => assert_eq!(open(&file, &Credentials::password(pw)).unwrap(), pkg),
                None => assert!(matches!(
                    open(&file, &Credentials::password("x")),
                    Err(Error::NoUsableKey { .. })
                )),
            }
            let info = agile(&file);
            let certs = info
                .key_encryptors
                .iter()
                .filter(|k| matches!(k, KeyEncryptor::Certificate(_)))
                .count();
            assert_eq!(certs, who.len());
        }
    }
}

#[test]
fn password_encryptor_order_is_chosen_and_kept_by_passwd() {
    let ids = identities();
    let first = protect(&package(10), Some("pw"), &[0], 21);
    assert!(matches!(
        agile(&first).key_encryptors[0],
        KeyEncryptor::Password(_)
    ));
    let opts = EncryptOptions::default()
        .spin_count(10)
        .seeded_for_tests(2)
        .recipient(ids[0].recipient())
        .password_encryptor_last(true);
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(
        Cursor::new(package(10)),
        &mut out,
        &Password::new("pw"),
        &opts,
    )
    .unwrap();
    let last = out.into_inner();
    assert!(matches!(
        agile(&last).key_encryptors[1],
        KeyEncryptor::Password(_)
    ));
    assert_eq!(
        open(&last, &Credentials::password("pw")).unwrap(),
        package(10)
    );
    let changed = passwd(
        &last,
        &Credentials::password("pw"),
        &KeyChanges::default().new_password("pw2"),
    )
    .unwrap();
    assert!(
        matches!(agile(&changed).key_encryptors[1], KeyEncryptor::Password(_)),
        "new password keeps the old slot"
    );
}

#[test]
fn every_key_format_is_read() {
    let id = &identities()[1];
    let file = protect(&package(100), None, &[1], 9);
    for key in [
        docseal::RecipientKey::from_bytes(id.pkcs8_pem().as_bytes(), None).unwrap(),
        docseal::RecipientKey::from_bytes(id.pkcs1_pem().as_bytes(), None).unwrap(),
        docseal::RecipientKey::from_bytes(&id.pkcs8_der(), None).unwrap(),
        docseal::RecipientKey::from_bytes(id.encrypted_pkcs8_pem("kp").as_bytes(), Some("kp"))
            .unwrap(),
    ] {
        assert_eq!(
            open(&file, &Credentials::private_key(key)).unwrap(),
            package(100)
        );
    }
    assert!(
        docseal::RecipientKey::from_bytes(id.encrypted_pkcs8_pem("kp").as_bytes(), Some("no"))
            .is_err()
    );
    // DER certificates work as well as PEM.
    assert_eq!(
        docseal::RecipientCertificate::from_bytes(&id.cert_der)
            .unwrap()
            .info(),
        id.recipient().info()
    );
}

#[test]
fn cert_verifier_binds_the_certificate() {
    let ids = identities();
    let file = protect(&package(5000), None, &[0], 4);
    let info = agile(&file);
    let KeyEncryptor::Certificate(c) = &info.key_encryptors[0] else {
        panic!()
    };
    let key = ids[0].private_key();
    assert!(c.unlock(&key, &info.key_data).is_ok());
    let mut forged = c.clone();
    forged.cert_verifier[0] ^= 1;
    assert!(forged.unlock(&key, &info.key_data).is_err());
}

#[test]
fn inspect_describes_each_certificate() {
    let file = protect(&package(100), Some("pw"), &[0, 2], 5);
    let i = docseal::inspect(Cursor::new(&file), &Limits::default()).unwrap();
    assert_eq!(i.scheme(), Some(docseal::EncryptionScheme::Agile));
    // Typed: each certificate encryptor decodes to its holder.
    let ids = identities();
    let docseal::Protection::EncryptedPackage(p) = &i.protection else {
        panic!("not an encrypted package: {:?}", i.protection)
    };
    let docseal::InfoParse::Parsed(EncryptionInfo::Agile(agile)) = &p.info else {
        panic!("not Agile: {:?}", p.info)
    };
    let certs: Vec<docseal::CertificateSummary> = agile
        .certificate_encryptors()
        .map(docseal::certificate_summary)
        .collect();
    assert_eq!(certs.len(), 2);
    for (summary, who) in certs.iter().zip([0, 2]) {
        let docseal::CertificateSummary::Decoded(info) = summary else {
            panic!("not decoded: {summary:?}")
        };
        assert_eq!(info, ids[who].recipient().info());
    }
    let mut broken = agile.certificate_encryptors().next().unwrap().clone();
    broken.x509_certificate.truncate(10);
    assert!(matches!(
        docseal::certificate_summary(&broken),
        docseal::CertificateSummary::Unreadable(_)
    ));
    #[cfg(feature = "serde")]
    {
        let v = serde_json::to_value(&i).unwrap();
        let encs = v["encryption_info"]["key_encryptors"].as_array().unwrap();
        assert_eq!(encs[0]["type"], "password");
        assert_eq!(encs[1]["type"], "certificate");
        assert!(encs[1]["subject"].as_str().unwrap().contains("CN=Alice"));
        assert!(encs[2]["subject"].as_str().unwrap().contains("CN=Carol"));
        assert_eq!(encs[2]["issuer"], encs[2]["subject"]);
        assert_eq!(
            encs[1]["sha256_fingerprint"],
            ids[0].recipient().info().sha256_fingerprint.as_str()
        );
        assert_eq!(encs[1]["serial"], "03e8");
        assert_eq!(encs[1]["rsa_key_bits"], 2048);
        assert!(encs[1]["not_after"].as_str().unwrap().ends_with('Z'));
        assert_eq!(encs[1]["expired"], false);
    }
}

#[test]
fn unsuitable_certificates_are_refused_by_name() {
    let small = make_identity("Tiny", 1024, 7, 3600);
    match docseal::RecipientCertificate::from_bytes(small.cert_pem.as_bytes()) {
        Err(docseal::layers::crypto::Error::Unsupported { what }) => {
            assert!(what.contains("1024"), "{what}")
        }
        other => panic!("{other:?}"),
    }
    assert!(docseal::RecipientCertificate::from_bytes(b"not a certificate").is_err());
}

fn passwd(file: &[u8], creds: &Credentials, changes: &KeyChanges) -> Result<Vec<u8>, Error> {
    let mut out = Cursor::new(Vec::new());
    docseal::change_key_encryptors(
        Cursor::new(file),
        &mut out,
        creds,
        changes,
        &Limits::default(),
    )?;
    Ok(out.into_inner())
}

fn assert_package_untouched(before: &[u8], after: &[u8]) {
    assert_eq!(
        stream(before, &["EncryptedPackage"]),
        stream(after, &["EncryptedPackage"])
    );
    assert_eq!(agile(before).data_integrity, agile(after).data_integrity);
    assert_eq!(agile(before).key_data, agile(after).key_data);
    for path in [
        &["\u{6}DataSpaces", "Version"][..],
        &["\u{6}DataSpaces", "DataSpaceMap"],
        &[
            "\u{6}DataSpaces",
            "TransformInfo",
            "StrongEncryptionTransform",
            "\u{6}Primary",
        ],
    ] {
        assert_eq!(stream(before, path), stream(after, path));
    }
}

#[test]
fn passwd_changes_only_the_key_encryptors() {
    let ids = identities();
    let pkg = package(20_000);
    let file = protect(&pkg, Some("old"), &[], 11);

    let changed = passwd(
        &file,
        &Credentials::password("old"),
        &KeyChanges::default()
            .new_password("new")
            .seeded_for_tests(1),
    )
    .unwrap();
    assert_package_untouched(&file, &changed);
    assert_eq!(open(&changed, &Credentials::password("new")).unwrap(), pkg);
    assert!(matches!(
        open(&changed, &Credentials::password("old")),
        Err(Error::WrongPassword)
    ));
    assert_eq!(
        agile(&changed).password_encryptor().unwrap().spin_count,
        100,
        "old spin count kept"
    );

    let shared = passwd(
        &changed,
        &Credentials::password("new"),
        &KeyChanges::default()
            .add_recipient(ids[0].recipient())
            .add_recipient(ids[1].recipient()),
    )
    .unwrap();
    assert_package_untouched(&file, &shared);
    assert_eq!(
        open(&shared, &Credentials::private_key(ids[1].private_key())).unwrap(),
        pkg
    );

    let fp = ids[0].recipient().info().sha256_fingerprint.clone();
    let colons: String = fp
        .to_uppercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    let fewer = passwd(
        &shared,
        &Credentials::private_key(ids[1].private_key()),
        &KeyChanges::default()
            .remove_recipient(&colons)
            .remove_password(),
    )
    .unwrap();
    assert_package_untouched(&file, &fewer);
    assert!(matches!(
        open(&fewer, &Credentials::private_key(ids[0].private_key())),
        Err(Error::NoUsableKey { .. })
    ));
    assert!(matches!(
        open(&fewer, &Credentials::password("new")),
        Err(Error::NoUsableKey { .. })
    ));
    assert_eq!(
        open(&fewer, &Credentials::private_key(ids[1].private_key())).unwrap(),
        pkg
    );

    // Nothing left to open it with: refused.
    let fp1 = ids[1].recipient().info().sha256_fingerprint.clone();
    assert!(matches!(
        passwd(
            &fewer,
            &Credentials::private_key(ids[1].private_key()),
            &KeyChanges::default().remove_recipient(&fp1)
        ),
        Err(Error::InvalidArgument(_))
    ));
    // Wrong credentials: refused before anything is written.
    assert!(matches!(
        passwd(
            &file,
            &Credentials::password("nope"),
            &KeyChanges::default().new_password("x")
        ),
        Err(Error::WrongPassword)
    ));
    // Standard files derive the key from the password: passwd re-encrypts and says so.
    let standard = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/fetched/msoffcrypto-tool/ecma376standard_password.docx"
    ))
    .unwrap();
    let mut before = Vec::new();
    docseal::decrypt(
        Cursor::new(&standard),
        &mut before,
        &Credentials::password("Password1234_"),
        &DecryptOptions::default(),
    )
    .unwrap();
    let mut out = Cursor::new(Vec::new());
    let report = docseal::change_key_encryptors(
        Cursor::new(&standard),
        &mut out,
        &Credentials::password("Password1234_"),
        &KeyChanges::default().new_password("x"),
        &Limits::default(),
    )
    .unwrap();
    assert!(!report.package_untouched);
    assert_eq!(
        open(&out.into_inner(), &Credentials::password("x")).unwrap(),
        before
    );
    assert!(matches!(
        passwd(
            &standard,
            &Credentials::password("Password1234_"),
            &KeyChanges::default().add_recipient(ids[0].recipient())
        ),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn passwd_keeps_office_files_openable_and_their_package_intact() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/fetched/msoffcrypto-tool/example_password.docx"
    );
    let office = std::fs::read(path).unwrap();
    let changed = passwd(
        &office,
        &Credentials::password("Password1234_"),
        &KeyChanges::default().new_password("changed"),
    )
    .unwrap();
    assert_package_untouched(&office, &changed);
    let mut plain = Vec::new();
    docseal::decrypt(
        Cursor::new(&office),
        &mut plain,
        &Credentials::password("Password1234_"),
        &DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(
        open(&changed, &Credentials::password("changed")).unwrap(),
        plain
    );
    assert_eq!(changed.len(), office.len(), "same layout, same size");
    let mut cf = docseal::layers::ole::CompoundFile::open(Cursor::new(&changed)).unwrap();
    let mut s = Vec::new();
    let id = cf.find(&["EncryptionInfo"]).unwrap();
    cf.open_stream(id).unwrap().read_to_end(&mut s).unwrap();
    assert_eq!(s.len(), 1289);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn passwd_never_touches_the_package(len in 0usize..40_000, old in "\\PC{0,12}", new in "\\PC{0,12}", seed in any::<u64>()) {
        let pkg = package(len);
        let file = protect(&pkg, Some(&old), &[], seed);
        let changed = passwd(&file, &Credentials::password(&old), &KeyChanges::default().new_password(&new).seeded_for_tests(seed)).unwrap();
        prop_assert_eq!(stream(&file, &["EncryptedPackage"]), stream(&changed, &["EncryptedPackage"]));
        prop_assert_eq!(agile(&file).data_integrity, agile(&changed).data_integrity);
        prop_assert_eq!(open(&changed, &Credentials::password(&new)).unwrap(), pkg);
    }
}
