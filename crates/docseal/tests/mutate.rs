//! `docseal::mutate`: every mutation still opens with the same credentials and passes the
//! integrity check; package mutations change the plaintext, the others do not; the same seed
//! gives the same bytes.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use docseal::mutate::{mutate, mutate_package, Target};
use docseal::vectors::{generate, Credential, VectorSet};
use docseal::{Credentials, DecryptOptions, IntegrityStatus, RecipientKey};
use proptest::prelude::*;

const MINIMAL: &[u8] = include_bytes!("../samples/minimal.docx");

fn encrypted(options: docseal::EncryptOptions, password: Option<&str>) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let password = password.map(docseal::Password::new);
    docseal::encrypt_for(Cursor::new(MINIMAL), &mut out, password.as_ref(), &options).unwrap();
    out.into_inner()
}

fn agile() -> Vec<u8> {
    encrypted(
        docseal::EncryptOptions::default()
            .spin_count(10)
            .seeded_for_tests(3),
        Some("pw"),
    )
}

fn standard() -> Vec<u8> {
    encrypted(
        docseal::EncryptOptions::default()
            .scheme(docseal::Scheme::Standard)
            .seeded_for_tests(4),
        Some("pw"),
    )
}

/// Opens `file` with `creds`: the plaintext, integrity verified (or absent for Standard).
fn open(file: &[u8], creds: &Credentials) -> Vec<u8> {
    let (plain, report) = docseal::decrypt_bytes(file, creds, &DecryptOptions::default())
        .unwrap_or_else(|e| panic!("a mutant does not open: {e}"));
    assert_ne!(report.integrity, IntegrityStatus::Skipped);
    plain.to_vec()
}

fn check(file: &[u8], creds: &Credentials, target: Target, seed: u64) {
    let mutant = mutate(file, creds, target, seed).unwrap();
    assert_ne!(mutant, file);
    assert_eq!(mutant, mutate(file, creds, target, seed).unwrap());
    // Container and EncryptionInfo mutations leave the package as it was.
    assert_eq!(open(&mutant, creds), MINIMAL, "{target} seed {seed}");
}

#[test]
fn every_target_keeps_agile_files_open_with_integrity() {
    let file = agile();
    let creds = Credentials::password("pw");
    for seed in 0..12 {
        for target in [Target::Container, Target::EncryptionInfo] {
            check(&file, &creds, target, seed);
        }
        let mutant = mutate(&file, &creds, Target::Package, seed).unwrap();
        assert_ne!(open(&mutant, &creds), MINIMAL, "seed {seed}");
    }
}

#[test]
fn every_target_keeps_standard_files_open() {
    let file = standard();
    let creds = Credentials::password("pw");
    for seed in 0..6 {
        for target in [Target::Container, Target::EncryptionInfo] {
            check(&file, &creds, target, seed);
        }
        let mutant = mutate(&file, &creds, Target::Package, seed).unwrap();
        assert_ne!(open(&mutant, &creds), MINIMAL);
    }
}

#[test]
fn recipient_files_mutate_with_the_private_key_alone() {
    let vectors = generate(VectorSet::Recipients, 1).unwrap();
    let v = vectors
        .iter()
        .find(|v| v.row.file == "recipients-cert-only.docx")
        .unwrap();
    assert!(matches!(v.row.credential, Credential::PrivateKey(_)));
    let key = RecipientKey::from_bytes(docseal::vectors::RECIPIENT_KEY.1, None).unwrap();
    let creds = Credentials::private_key(key);
    for target in Target::ALL {
        let mutant = mutate(&v.bytes, &creds, target, 5).unwrap();
        if let Err(e) = docseal::decrypt_bytes(&mutant, &creds, &DecryptOptions::default()) {
            panic!("{target}: {e}");
        }
    }
}

#[test]
fn a_wrong_password_is_refused_before_any_mutation() {
    let err = mutate(&agile(), &Credentials::password("nope"), Target::Package, 1).unwrap_err();
    assert!(matches!(err, docseal::Error::WrongPassword), "{err}");
}

#[test]
fn package_mutations_keep_a_readable_zip_mostly() {
    // The zip layer stays intact (entries re-encoded with their CRCs) for every draw but the
    // byte edits of a plaintext that is not a zip.
    let mut zips = 0;
    for seed in 0..40 {
        let out = mutate_package(MINIMAL, seed);
        assert_ne!(out, MINIMAL);
        if docseal::layers::opc::Package::open(Cursor::new(&out)).is_ok() {
            zips += 1;
        }
    }
    assert!(zips >= 30, "{zips} of 40 mutants read as zips");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_seed_and_target_gives_a_file_that_opens(seed in any::<u64>(), t in 0usize..3) {
        let file = agile();
        let creds = Credentials::password("pw");
        let mutant = mutate(&file, &creds, Target::ALL[t], seed).unwrap();
        open(&mutant, &creds);
    }

    #[test]
    fn package_mutation_of_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600), seed in any::<u64>()) {
        let out = mutate_package(&bytes, seed);
        prop_assert_ne!(out, bytes);
    }
}
