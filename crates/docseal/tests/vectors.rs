//! The test-vector packs (`docseal::vectors`): every row opens in docseal the way the manifest
//! says, the packs are deterministic, and the seed-1 pack is the one whose manifest digest is
//! committed (`tests/vectors/seed1-manifest.sha256`).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use docseal::vectors::{generate, hex, manifest, Credential, Expected, Row, Vector, VectorSet};
use docseal::{Credentials, DecryptOptions, RecipientKey};

/// What docseal makes of a row: the outcome class and, when it opens, the plaintext digest.
fn open(v: &Vector) -> (Option<Expected>, Option<String>) {
    let creds = match &v.row.credential {
        Credential::Password(p) => Credentials::password(p),
        Credential::PrivateKey(_) => Credentials::private_key(
            RecipientKey::from_bytes(docseal::vectors::RECIPIENT_KEY.1, None).unwrap(),
        ),
        Credential::ContentKey(k) => Credentials::content_key(k),
    };
    let mut plain = Vec::new();
    match docseal::decrypt(
        Cursor::new(&v.bytes),
        &mut plain,
        &creds,
        &DecryptOptions::default(),
    ) {
        Ok(_) => (Some(Expected::Open), Some(sha256(&plain))),
        Err(e) => (Expected::of_error(&e), None),
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

fn check(set: VectorSet) {
    let vectors = generate(set, 1).unwrap();
    assert!(!vectors.is_empty());
    let mut wrong = Vec::new();
    for v in &vectors {
        assert_eq!(hex(&v.row.file_sha256), sha256(&v.bytes), "{}", v.row.file);
        let (class, digest) = open(v);
        let want_digest = v.row.plaintext_sha256.map(|d| hex(&d));
        // Legacy rows have no canonical plaintext (no digest): the verdict is what counts.
        let ok = class == Some(v.row.expected)
            && (v.row.expected != Expected::Open || want_digest.is_none() || digest == want_digest);
        if !ok {
            wrong.push(format!(
                "{}: expected {}, docseal gives {:?}",
                v.row.file, v.row.expected, class
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn standard_rows_open_as_the_manifest_says() {
    check(VectorSet::Standard);
}

#[test]
fn legacy_rows_open_as_the_manifest_says() {
    check(VectorSet::Legacy);
}

#[test]
fn label_rows_open_as_the_manifest_says() {
    check(VectorSet::Labels);
}

#[test]
fn recipient_rows_open_as_the_manifest_says() {
    check(VectorSet::Recipients);
}

#[test]
fn irm_rows_open_as_the_manifest_says() {
    check(VectorSet::Irm);
}

#[test]
fn malformed_rows_get_their_error_class() {
    check(VectorSet::Malformed);
}

#[test]
fn agile_rows_open_as_the_manifest_says() {
    check(VectorSet::Agile);
}

#[test]
fn every_expected_class_occurs() {
    let rows: Vec<Row> = VectorSet::PARTS
        .into_iter()
        .filter(|s| *s != VectorSet::Agile)
        .flat_map(|s| generate(s, 1).unwrap())
        .map(|v| v.row)
        .collect();
    for class in Expected::ALL {
        assert!(rows.iter().any(|r| r.expected == class), "no {class} row");
    }
}

#[test]
fn a_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    let a = generate(VectorSet::Malformed, 7).unwrap();
    assert_eq!(a, generate(VectorSet::Malformed, 7).unwrap());
    let b = generate(VectorSet::Malformed, 8).unwrap();
    assert_ne!(a[4].bytes, b[4].bytes);
    // A file has the same bytes in the set pack and in the whole pack.
    let all = generate(VectorSet::All, 7).unwrap();
    let in_all = all.iter().find(|v| v.row.file == a[4].row.file).unwrap();
    assert_eq!(in_all.bytes, a[4].bytes);
}

/// The committed digest of the seed-1 manifest, which lists every file's SHA-256. A change
/// to any vector's bytes changes it: regenerate with `docseal vectors DIR --seed 1` and
/// update `tests/vectors/seed1-manifest.sha256` when the change is meant.
#[test]
fn seed_1_pack_matches_the_committed_manifest_digest() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/seed1-manifest.sha256"
    ))
    .unwrap();
    let vectors = generate(VectorSet::All, 1).unwrap();
    let rows: Vec<&Row> = vectors.iter().map(|v| &v.row).collect();
    let text = manifest(&rows);
    assert_eq!(
        sha256(text.as_bytes()),
        committed.split_whitespace().next().unwrap()
    );
}

/// The Agile rows cover every cipher, every hash and both chaining modes docseal writes (a
/// covering set, not the product), and CFB with both block sizes.
#[test]
fn agile_rows_cover_every_cipher_hash_and_chaining() {
    use docseal::vectors::{CIPHERS, HASHES, OTHER_SUITES};
    use docseal::{Chaining, Cipher, HashAlgorithm};
    let suites: Vec<(Cipher, HashAlgorithm, Chaining)> = CIPHERS
        .into_iter()
        .flat_map(|c| HASHES.into_iter().map(move |h| (c, h, Chaining::Cbc)))
        .chain(OTHER_SUITES)
        .collect();
    for c in Cipher::ALL {
        assert!(suites.iter().any(|s| s.0 == c), "{c:?}");
    }
    for h in HashAlgorithm::ALL {
        assert!(suites.iter().any(|s| s.1 == h), "{h:?}");
    }
    for block in [16, 8] {
        assert!(suites.iter().any(|&(c, _, m)| m == Chaining::Cfb
            && (c.algorithm() == docseal_crypto::CipherAlgorithm::Aes) == (block == 16)));
    }
    let rows: Vec<Row> = generate(VectorSet::Agile, 1)
        .unwrap()
        .into_iter()
        .map(|v| v.row)
        .collect();
    for (c, h, m) in OTHER_SUITES {
        let want = format!(
            "cipher={} hash={} chaining={}",
            c.name(),
            h.short_name(),
            m.short_name()
        );
        assert!(
            rows.iter().any(|r| r.parameters.starts_with(&want)),
            "{want}"
        );
    }
}

/// The legacy set holds docseal-written files of every scheme docseal writes for each format,
/// and 15- and 16-character RC4 passwords (their verdicts: `legacy_rows_open_as_the_manifest_says`).
#[test]
fn legacy_rows_hold_docseal_written_files_of_every_scheme() {
    let rows: Vec<Row> = generate(VectorSet::Legacy, 1)
        .unwrap()
        .into_iter()
        .map(|v| v.row)
        .collect();
    for (ext, scheme) in [
        ("doc", "rc4-cryptoapi"),
        ("doc", "rc4"),
        ("xls", "rc4-cryptoapi"),
        ("xls", "rc4"),
        ("xls", "xor"),
        ("ppt", "rc4-cryptoapi"),
    ] {
        assert!(
            rows.iter().any(|r| r.file.starts_with("legacy-docseal-")
                && r.file.ends_with(ext)
                && r.scheme == scheme
                && r.expected == Expected::Open),
            "{ext} {scheme}"
        );
    }
    for units in [15, 16] {
        assert!(rows.iter().any(|r| r.scheme == "rc4"
            && r.parameters
                .contains(&format!("password-utf16-units={units}"))
            && r.expected == Expected::Open));
    }
}
