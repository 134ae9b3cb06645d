//! Caller-allocated buffers: `BufferDecryption` (decrypt into a buffer of the plaintext's
//! exact size), `encrypted_len` (the encrypted file's length before encrypting, so it can be
//! written into a buffer allocated once), and `Credentials::secret_key` (msoffcrypto-tool's
//! raw package key), with known answers from msoffcrypto-tool's fixtures.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use docseal::{
    BufferDecryption, Cipher, Credentials, DecryptOptions, EncryptOptions, Error, HashAlgorithm,
    IntegrityStatus, Password, Scheme,
};
use proptest::prelude::*;

fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/fetched/msoffcrypto-tool")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seeded(seed: u64) -> EncryptOptions {
    EncryptOptions::default()
        .spin_count(10)
        .seeded_for_tests(seed)
        .timestamp(132_000_000_000_000_000)
}

fn package(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 % 251) as u8).collect()
}

/// Encrypts through a growable, seekable `Vec`.
fn encrypt_vec(package: &[u8], password: Option<&Password>, opts: &EncryptOptions) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt_for(Cursor::new(package), &mut out, password, opts).unwrap();
    out.into_inner()
}

/// Decrypts through `BufferDecryption` into a buffer of the announced length.
fn decrypt_buffer(file: &[u8], creds: &Credentials) -> Result<Vec<u8>, Error> {
    let options = DecryptOptions::default();
    let opened = BufferDecryption::open(file, creds, &options)?;
    let mut out = vec![0u8; opened.len() as usize];
    opened.decrypt_into(&mut out)?;
    Ok(out)
}

#[test]
fn buffer_decryption_matches_the_streaming_path_at_every_size_class() {
    let pw = Password::new("pw");
    // Empty, sub-block, block-aligned, segment edges, batch (1 MiB) edges.
    for size in [
        0usize,
        1,
        15,
        16,
        17,
        4095,
        4096,
        4097,
        1 << 20,
        (1 << 20) + 5,
        2 << 20,
    ] {
        let plain = package(size);
        let file = encrypt_vec(&plain, Some(&pw), &seeded(size as u64));
        let options = DecryptOptions::default();
        let opened = BufferDecryption::open(&file, &Credentials::password("pw"), &options).unwrap();
        assert_eq!(opened.len(), size as u64);
        assert_eq!(opened.is_empty(), size == 0);
        let mut out = vec![0xAAu8; size];
        let report = opened.decrypt_into(&mut out).unwrap();
        assert_eq!(report.integrity, IntegrityStatus::Verified, "size {size}");
        assert_eq!(report.package_size, size as u64);
        assert!(out == plain, "size {size}");
    }
}

#[test]
fn buffer_of_the_wrong_length_is_refused() {
    let file = encrypt_vec(&package(5000), Some(&Password::new("pw")), &seeded(1));
    let options = DecryptOptions::default();
    for len in [4999usize, 5001, 0] {
        let opened = BufferDecryption::open(&file, &Credentials::password("pw"), &options).unwrap();
        let mut out = vec![0u8; len];
        let r = opened.decrypt_into(&mut out);
        assert!(matches!(r, Err(Error::InvalidArgument(_))), "{len}: {r:?}");
    }
}

#[test]
fn tampered_ciphertext_leaves_the_buffer_zeroed() {
    let size = 300_000;
    let mut file = encrypt_vec(&package(size), Some(&Password::new("pw")), &seeded(2));
    // Flip a byte in the middle of the file: inside EncryptedPackage's ciphertext.
    let middle = file.len() / 2;
    file[middle] ^= 0x40;
    let options = DecryptOptions::default();
    let opened = BufferDecryption::open(&file, &Credentials::password("pw"), &options).unwrap();
    let mut out = vec![0x55u8; size];
    let r = opened.decrypt_into(&mut out);
    assert!(matches!(r, Err(Error::IntegrityMismatch)), "{r:?}");
    assert!(out.iter().all(|&b| b == 0), "plaintext left behind");
    // The dangerous opt-out releases it, marked as skipped.
    let skip = DecryptOptions {
        skip_integrity_check_dangerous: true,
        ..Default::default()
    };
    let opened = BufferDecryption::open(&file, &Credentials::password("pw"), &skip).unwrap();
    let report = opened.decrypt_into(&mut out).unwrap();
    assert_eq!(report.integrity, IntegrityStatus::Skipped);
}

#[test]
fn wrong_password_fails_when_unlocking_and_nothing_is_written() {
    let file = encrypt_vec(&package(100), Some(&Password::new("pw")), &seeded(3));
    let options = DecryptOptions::default();
    let mut opened =
        BufferDecryption::open(&file, &Credentials::password("nope"), &options).unwrap();
    assert_eq!(opened.len(), 100, "the size is known before the key");
    assert!(matches!(opened.unlock(), Err(Error::WrongPassword)));
    // Without an explicit unlock, decrypt_into unlocks and fails the same way.
    let opened = BufferDecryption::open(&file, &Credentials::password("nope"), &options).unwrap();
    let mut out = vec![0x77u8; 100];
    assert!(matches!(
        opened.decrypt_into(&mut out),
        Err(Error::WrongPassword)
    ));
    assert!(out.iter().all(|&b| b == 0x77));
    // Unlocking first, then decrypting, and unlocking twice, work.
    let mut opened = BufferDecryption::open(&file, &Credentials::password("pw"), &options).unwrap();
    opened.unlock().unwrap();
    opened.unlock().unwrap();
    opened.decrypt_into(&mut out).unwrap();
    assert!(out == package(100));
}

#[test]
fn standard_and_legacy_files_take_the_copying_path() {
    // Standard (no HMAC) from msoffcrypto-tool's fixtures, and an RC4 CryptoAPI .doc.
    let standard = decrypt_buffer(
        &corpus("ecma376standard_password.docx"),
        &Credentials::password("Password1234_"),
    )
    .unwrap();
    assert!(standard == corpus("ecma376standard_password_plain.docx"));
    let options = DecryptOptions::default();
    let doc = corpus("rc4cryptoapi_password.doc");
    let (expected, _) =
        docseal::decrypt_bytes(&doc, &Credentials::password("Password1234_"), &options).unwrap();
    let got = decrypt_buffer(&doc, &Credentials::password("Password1234_")).unwrap();
    assert!(got == *expected);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// `encrypted_len` is the length `encrypt_for` writes, and writing into a slice of that
    /// length gives the same bytes as writing into a growable `Vec`.
    #[test]
    fn encrypted_len_is_exact(size in prop_oneof![0usize..5000, 4000usize..300_000], pick in 0usize..16, seed in any::<u64>()) {
        let ciphers = [Cipher::Aes128, Cipher::Aes192, Cipher::Aes256];
        let opts = if pick == 15 {
            seeded(seed).scheme(Scheme::Standard).hash(HashAlgorithm::Sha1).cipher(ciphers[seed as usize % 3])
        } else {
            seeded(seed).cipher(ciphers[pick % 3]).hash(HashAlgorithm::ALL[pick % 4])
        };
        let plain = package(size);
        let pw = Password::new("pw");
        let expected = encrypt_vec(&plain, Some(&pw), &opts);
        let len = docseal::encrypted_len(size as u64, Some(&pw), &opts).unwrap();
        prop_assert_eq!(len, expected.len() as u64);
        let mut out = vec![0u8; len as usize];
        let report = docseal::encrypt_for(Cursor::new(&plain), Cursor::new(&mut out[..]), Some(&pw), &opts).unwrap();
        prop_assert_eq!(report.output_size, len);
        prop_assert!(out == expected);
        prop_assert!(decrypt_buffer(&out, &Credentials::password("pw")).unwrap() == plain);
    }
}

#[test]
fn encrypted_len_refuses_labels_and_bad_options() {
    let pw = Password::new("pw");
    let guid = docseal::labels::Guid::parse("11111111-2222-3333-4444-555555555555").unwrap();
    let labelled = EncryptOptions::default()
        .labels(docseal::labels::LabelChanges::new().set(docseal::labels::Label::new(guid, guid)));
    let r = docseal::encrypted_len(10, Some(&pw), &labelled);
    assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
    let r = docseal::encrypted_len(10, None, &EncryptOptions::default());
    assert!(matches!(r, Err(Error::InvalidArgument(_))), "{r:?}");
}

#[test]
fn a_slice_too_short_for_the_file_is_an_error_not_a_panic() {
    let pw = Password::new("pw");
    let opts = seeded(4);
    let len = docseal::encrypted_len(10_000, Some(&pw), &opts).unwrap() as usize;
    let mut out = vec![0u8; len - 1];
    let r = docseal::encrypt_for(
        Cursor::new(package(10_000)),
        Cursor::new(&mut out[..]),
        Some(&pw),
        &opts,
    );
    assert!(matches!(r, Err(Error::Io(_))), "{r:?}");
}

// ---- secret keys: known answers from msoffcrypto-tool ----------------------------------------
// The keys are what msoffcrypto-tool 6.1 derives from "Password1234_" for these fixtures
// (`OfficeFile.load_key(password=...)`, then its `secret_key` attribute).

const AGILE_DOCX_KEY: &str = "be2893f26594d8b0fee703fb2368daef8b00695b674f14317b2be486bdadb6a8";
const AGILE_XLSX_KEY: &str = "314545481dbf9f4fc46a240a037cbfd25674ce09a15e2171a8aafdd99af587d7";
const STANDARD_DOCX_KEY: &str = "40b13a71f90b966e375408f2d181a1aa";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn secret_key_decrypts_msoffcrypto_fixtures_to_their_known_output() {
    for (file, key, plain) in [
        ("example_password.docx", AGILE_DOCX_KEY, "example.docx"),
        ("example_password.xlsx", AGILE_XLSX_KEY, "example.xlsx"),
        (
            "ecma376standard_password.docx",
            STANDARD_DOCX_KEY,
            "ecma376standard_password_plain.docx",
        ),
    ] {
        let creds = Credentials::secret_key(&hex(key));
        let got = decrypt_buffer(&corpus(file), &creds).unwrap();
        assert!(got == corpus(plain), "{file}");
        // Every path takes it: streaming decrypt and verify.
        let mut out = Vec::new();
        docseal::decrypt(
            Cursor::new(corpus(file)),
            &mut out,
            &creds,
            &DecryptOptions::default(),
        )
        .unwrap();
        assert!(out == corpus(plain), "{file} (stream)");
    }
}

#[test]
fn a_wrong_agile_secret_key_fails_the_hmac_on_every_path() {
    let file = encrypt_vec(&package(9000), Some(&Password::new("pw")), &seeded(5));
    let wrong = Credentials::secret_key(&[0x11; 32]);
    let r = decrypt_buffer(&file, &wrong);
    assert!(matches!(r, Err(Error::IntegrityMismatch)), "{r:?}");
    let r = docseal::verify(Cursor::new(&file), &wrong, &DecryptOptions::default());
    assert!(matches!(r, Err(Error::IntegrityMismatch)), "{r:?}");
}

#[test]
fn wrong_secret_keys_get_specific_errors() {
    // Agile: wrong length is no usable key; right length, wrong bytes fails the HMAC.
    let agile = corpus("example_password.docx");
    let r = decrypt_buffer(&agile, &Credentials::secret_key(&[1; 16]));
    assert!(matches!(r, Err(Error::NoUsableKey { .. })), "{r:?}");
    let mut key = hex(AGILE_DOCX_KEY);
    key[0] ^= 1;
    let r = decrypt_buffer(&agile, &Credentials::secret_key(&key));
    assert!(matches!(r, Err(Error::IntegrityMismatch)), "{r:?}");
    // Standard: checked against the verifier.
    let standard = corpus("ecma376standard_password.docx");
    let mut key = hex(STANDARD_DOCX_KEY);
    key[15] ^= 0x80;
    let r = decrypt_buffer(&standard, &Credentials::secret_key(&key));
    assert!(matches!(r, Err(Error::WrongPassword)), "{r:?}");
    let r = decrypt_buffer(&standard, &Credentials::secret_key(&[0; 32]));
    assert!(matches!(r, Err(Error::WrongPassword)), "{r:?}");
    // Debug output never shows the key.
    let shown = format!("{:?}", Credentials::secret_key(&hex(STANDARD_DOCX_KEY)));
    assert!(
        !shown.to_lowercase().contains("40b13a71") && !shown.contains("64, 177"),
        "{shown}"
    );
}
