//! Every Agile and Standard file of `corpus/MANIFEST.tsv` decrypts to the listed plaintext
//! digest, passes `verify`, and refuses a wrong password; `reject` files fail cleanly.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use docseal::{Credentials, DecryptOptions, Error, IntegrityStatus};
use sha2::{Digest, Sha256};

struct Row {
    file: String,
    scheme: String,
    password: String,
    digest: String,
    expect: String,
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn manifest() -> Vec<Row> {
    let text =
        std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).expect("corpus/MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row {
                file: f[0].into(),
                scheme: f[2].into(),
                password: f[4].into(),
                digest: f[5].into(),
                expect: f[8].into(),
            }
        })
        .collect()
}

fn ooxml_rows(expect: &str) -> Vec<Row> {
    manifest()
        .into_iter()
        .filter(|r| (r.scheme == "agile" || r.scheme == "standard") && r.expect == expect)
        .collect()
}

#[test]
fn every_agile_and_standard_file_decrypts_to_its_digest() {
    let rows = ooxml_rows("open");
    assert!(
        rows.iter().filter(|r| r.scheme == "agile").count() >= 30,
        "corpus lost its Agile files"
    );
    let mut failures = Vec::new();
    for row in &rows {
        let bytes = std::fs::read(corpus_dir().join(&row.file)).unwrap();
        let mut out = Vec::new();
        match docseal::decrypt(
            Cursor::new(&bytes),
            &mut out,
            &Credentials::password(&row.password),
            &DecryptOptions::default(),
        ) {
            Ok(report) => {
                let digest = hex::encode(Sha256::digest(&out));
                if digest != row.digest {
                    failures.push(format!(
                        "{}: digest {digest}, expected {}",
                        row.file, row.digest
                    ));
                }
                let want = if row.scheme == "agile" {
                    IntegrityStatus::Verified
                } else {
                    IntegrityStatus::NotAvailable
                };
                if report.integrity != want {
                    failures.push(format!("{}: integrity {:?}", row.file, report.integrity));
                }
                // The in-memory path (ciphertext used where it lies) agrees, on every
                // producer's stream layout.
                match docseal::decrypt_bytes(
                    &bytes,
                    &Credentials::password(&row.password),
                    &DecryptOptions::default(),
                ) {
                    Ok((plain, r)) if *plain == out && r == report => {}
                    Ok(_) => failures.push(format!("{}: decrypt_bytes disagrees", row.file)),
                    Err(e) => failures.push(format!("{}: decrypt_bytes: {e}", row.file)),
                }
            }
            Err(e) => failures.push(format!("{}: {e}", row.file)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn every_agile_file_verifies_and_rejects_a_wrong_password() {
    for row in ooxml_rows("open").iter().filter(|r| r.scheme == "agile") {
        let bytes = std::fs::read(corpus_dir().join(&row.file)).unwrap();
        let report = docseal::verify(
            Cursor::new(&bytes),
            &Credentials::password(&row.password),
            &DecryptOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", row.file));
        assert_eq!(report.integrity, IntegrityStatus::Verified, "{}", row.file);
        let wrong = format!("{}x", row.password);
        match docseal::verify(
            Cursor::new(&bytes),
            &Credentials::password(&wrong),
            &DecryptOptions::default(),
        ) {
            Err(Error::WrongPassword) => {}
            other => panic!("{}: wrong password gave {other:?}", row.file),
        }
    }
}

#[test]
fn nfc_form_does_not_open_the_nfd_file() {
    let bytes =
        std::fs::read(corpus_dir().join("generated/agile-poi-aes256sha256-nfd-exact8193.docx"))
            .unwrap();
    let nfc = "p\u{e4}ssw\u{f6}rd";
    assert!(matches!(
        docseal::verify(
            Cursor::new(&bytes),
            &Credentials::password(nfc),
            &DecryptOptions::default()
        ),
        Err(Error::WrongPassword)
    ));
}

#[test]
fn reject_files_fail_cleanly() {
    for row in ooxml_rows("reject") {
        let bytes = std::fs::read(corpus_dir().join(&row.file)).unwrap();
        let mut out = Vec::new();
        let r = docseal::decrypt(
            Cursor::new(&bytes),
            &mut out,
            &Credentials::password(&row.password),
            &DecryptOptions::default(),
        );
        assert!(
            r.is_err(),
            "{} decrypted although the manifest says reject",
            row.file
        );
        assert!(
            out.is_empty(),
            "{}: plaintext released before the failure",
            row.file
        );
    }
}

#[test]
fn sniff_classifies_the_corpus() {
    for row in manifest() {
        let bytes = std::fs::read(corpus_dir().join(&row.file)).unwrap();
        let kind =
            docseal::sniff(Cursor::new(&bytes)).unwrap_or_else(|e| panic!("{}: {e}", row.file));
        let ok = match row.scheme.as_str() {
            "agile" | "standard" => {
                matches!(kind, docseal::Kind::EncryptedPackage { scheme } if scheme.name() == row.scheme)
            }
            "plain" | "label" => {
                kind == docseal::Kind::Package || matches!(kind, docseal::Kind::LegacyBinary { .. })
            }
            "irm" => matches!(kind, docseal::Kind::RightsManaged { .. }),
            _ => matches!(kind, docseal::Kind::LegacyBinary { .. }),
        };
        assert!(ok, "{}: {} classified as {kind:?}", row.file, row.scheme);
    }
}
