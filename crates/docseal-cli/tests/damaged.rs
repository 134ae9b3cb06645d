//! Damaged encrypted files (issue #18, "faults lose nothing"): a truncated file, or one whose
//! FAT, mini FAT, DIFAT or directory loops, or whose stream is larger than its chain, is
//! malformed (exit 7) — never decrypted from zeros (0), never "unsupported" (5), never
//! "not encrypted" (6) — and leaves no output file.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

#[path = "../../docseal-ole/tests/support/raw.rs"]
mod raw;

use std::io::Cursor;
use std::path::Path;

use common::*;
use docseal::{Credentials, DecryptOptions, Error};
use raw::*;

/// The sweep's files, one per scheme, with the password `corpus/MANIFEST.tsv` gives.
const SWEEP: [(&str, &str); 6] = [
    ("generated/agile-msoffcrypto-label-labelinfo.docx", "agile"),
    (
        "fetched/msoffcrypto-tool/ecma376standard_password.docx",
        "standard",
    ),
    ("fetched/poi/password_tika_binaryrc4.doc", "rc4"),
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.xls",
        "rc4_cryptoapi",
    ),
    (
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.ppt",
        "rc4_cryptoapi",
    ),
    ("fetched/tika/testWORD_protected_drm.doc", "irm"),
];

/// The password `corpus/MANIFEST.tsv` gives `file` ("x" when it has none), checking its scheme.
fn manifest_password(file: &str, scheme: &str) -> String {
    let manifest = std::fs::read_to_string(corpus("MANIFEST.tsv")).unwrap();
    let row: Vec<&str> = manifest
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[0] == file)
        .unwrap_or_else(|| panic!("{file} is not in the manifest"));
    assert_eq!(row[2], scheme, "{file}");
    match row[4] {
        "-" => "x".into(),
        pw => pw.into(),
    }
}

/// The cut lengths: every 512-byte boundary, and a pseudo-random length inside each sector
/// (always short of the last sector, which every sample uses).
fn cuts(len: usize) -> Vec<usize> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut out = Vec::new();
    for cut in (512..len).step_by(512) {
        out.push(cut);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let inside = cut + (seed % 511) as usize + 1;
        if inside < len - 512 {
            out.push(inside);
        }
    }
    out
}

/// A damaged file's error: Malformed (or an HMAC mismatch) naming the truncation.
fn assert_damaged<T>(what: &str, r: docseal::Result<T>) {
    match r {
        Err(Error::Malformed { structure, detail }) => assert!(
            detail.contains("truncated"),
            "{what}: malformed {structure}: {detail} (does not say truncated)"
        ),
        Err(Error::IntegrityMismatch) => {}
        Err(other) => panic!("{what}: {other}"),
        Ok(_) => panic!("{what}: succeeded"),
    }
}

#[test]
fn truncated_encrypted_files_are_malformed_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let opts = DecryptOptions::default();
    for (file, scheme) in SWEEP {
        let pw = manifest_password(file, scheme);
        let creds = Credentials::password(&pw);
        let bytes = std::fs::read(corpus(file)).unwrap();
        for (i, len) in cuts(bytes.len()).into_iter().enumerate() {
            let cut = &bytes[..len];
            let what = format!("{file} cut to {len}");
            assert_damaged(&what, docseal::decrypt_bytes(cut, &creds, &opts));
            assert_damaged(&what, docseal::verify(Cursor::new(cut), &creds, &opts));
            assert_damaged(
                &what,
                docseal::decrypt(Cursor::new(cut), &mut Vec::new(), &creds, &opts),
            );
            assert_damaged(
                &what,
                docseal::decrypt_to_vec(Cursor::new(cut), &creds, &opts),
            );
            assert_damaged(
                &what,
                docseal::DecryptingReader::new(Cursor::new(cut), &creds, &opts),
            );
            assert_damaged(&what, docseal::sniff(Cursor::new(cut)));
            assert_damaged(&what, docseal::is_encrypted(Cursor::new(cut)));
            assert_damaged(&what, docseal::inspect(Cursor::new(cut), &opts.limits));
            // The binary, for every fourth cut.
            if i % 4 == 0 {
                let input = dir.path().join("cut.bin");
                let output = dir.path().join("out.bin");
                std::fs::write(&input, cut).unwrap();
                for args in [
                    vec!["decrypt", s(&input), s(&output), "-p", &pw],
                    vec!["verify", s(&input), "-p", &pw],
                    vec!["inspect", s(&input)],
                ] {
                    let o = run(&args);
                    assert!(
                        matches!(code(&o), 7 | 4),
                        "{what}: {args:?} exit {}: {}",
                        code(&o),
                        String::from_utf8_lossy(&o.stderr)
                    );
                    assert!(!output.exists(), "{what}: output left behind");
                }
            }
        }
    }
}

/// Every command on a damaged file: exit 7, the error naming `structure`, no output.
fn assert_exit_7(bytes: &[u8], password: &str, structure: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("damaged.bin");
    let output = dir.path().join("out.bin");
    std::fs::write(&input, bytes).unwrap();
    for args in [
        vec!["decrypt", s(&input), s(&output), "-p", password],
        vec!["verify", s(&input), "-p", password],
        vec!["inspect", s(&input)],
        vec!["lint", s(&input)],
        vec!["conform", s(&input), "-p", password],
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 7, "{args:?}: {err}");
        assert!(
            err.contains(structure),
            "{args:?}: {err} (wanted {structure:?})"
        );
        assert!(!output.exists(), "{args:?}: output left behind");
    }
    // The library says the same.
    for r in [
        docseal::sniff(Cursor::new(bytes)).map(|_| ()),
        docseal::is_encrypted(Cursor::new(bytes)).map(|_| ()),
    ] {
        match r {
            Err(Error::Malformed {
                structure: s,
                detail,
            }) => {
                assert!(
                    format!("{s}: {detail}").contains(structure),
                    "{s}: {detail}"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}

/// Agile, from msoffcrypto-tool: FAT sectors 0, 7, 8; `EncryptedPackage` (entry 1) in
/// sectors 9..=32; `EncryptionInfo` (entry 10, the root's child) in the mini stream.
fn agile() -> Raw {
    Raw::read(&corpus("fetched/msoffcrypto-tool/example_password.docx"))
}

const AGILE_PW: &str = "Password1234_";

#[test]
fn a_fat_loop_is_exit_7() {
    let mut f = agile();
    f.set_fat(20, 9);
    assert_exit_7(&f.0, AGILE_PW, "FAT chain");
}

#[test]
fn a_mini_fat_loop_is_exit_7() {
    let mut f = agile();
    f.set_mini_fat(12, 9);
    assert_exit_7(&f.0, AGILE_PW, "mini FAT chain");
}

#[test]
fn a_difat_loop_is_exit_7() {
    let mut f = agile();
    f.set_u32(44, 4);
    f.set_u32(68, 30);
    let o = Raw::sector(30);
    f.0[o..o + SS].fill(0xFF);
    f.set_u32(o + SS - 4, 30);
    assert_exit_7(&f.0, AGILE_PW, "DIFAT");
}

#[test]
fn a_directory_sibling_loop_is_exit_7_not_6() {
    let mut f = agile();
    f.set_entry_u32(1, LEFT, 10);
    assert_exit_7(&f.0, AGILE_PW, "directory tree");
}

#[test]
fn a_directory_child_loop_is_exit_7() {
    let mut f = agile();
    f.set_entry_u32(8, CHILD, 2);
    assert_exit_7(&f.0, AGILE_PW, "directory tree");
}

#[test]
fn a_two_to_the_forty_byte_stream_is_exit_7() {
    let mut f = agile();
    f.set_size(10, 1 << 40);
    assert_exit_7(&f.0, AGILE_PW, "directory entry");
}

#[test]
fn a_stream_larger_than_its_chain_is_exit_7() {
    // EncryptionInfo (1,289 bytes) whose mini chain ends after 4 mini sectors.
    let mut f = agile();
    f.set_mini_fat(12, ENDOFCHAIN);
    assert_exit_7(&f.0, AGILE_PW, "mini FAT chain");
    // A .doc's 1Table (7,246 bytes) whose chain ends after 8 sectors.
    let mut f = Raw::read(&corpus(
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.doc",
    ));
    f.set_fat(15, ENDOFCHAIN);
    assert_exit_7(&f.0, AGILE_PW, "FAT chain");
}

#[test]
fn encryption_info_without_its_package_is_exit_7_not_6() {
    let mut f = agile();
    f.rename(1, "EncryptedPackagf");
    assert_exit_7(&f.0, AGILE_PW, "EncryptionInfo");
}

#[test]
fn a_presentation_without_current_user_is_exit_7_not_6() {
    let mut f = Raw::read(&corpus(
        "fetched/msoffcrypto-tool/rc4cryptoapi_password.ppt",
    ));
    let id = f.find("Current User");
    f.rename(id, "Current Usex");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("p.ppt");
    let output = dir.path().join("out.ppt");
    std::fs::write(&input, &f.0).unwrap();
    let o = run(&["decrypt", s(&input), s(&output), "-p", AGILE_PW]);
    assert_eq!(code(&o), 7, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!output.exists());
    assert!(matches!(
        docseal::is_encrypted(Cursor::new(&f.0)),
        Err(Error::Malformed { .. })
    ));
}

/// The samples whole still decrypt (IRM: still "unsupported" without the content key).
#[test]
fn the_sweep_samples_whole_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    for (file, scheme) in SWEEP {
        let pw = manifest_password(file, scheme);
        let output = dir.path().join("out.bin");
        let _ = std::fs::remove_file(&output);
        let o = run(&[
            "decrypt",
            s(Path::new(&corpus(file))),
            s(&output),
            "-p",
            &pw,
        ]);
        let want = if scheme == "irm" { 5 } else { 0 };
        assert_eq!(
            code(&o),
            want,
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// A version header no specification defines (a zeroed `EncryptionInfo` reads as 0.0) is a
/// damaged file, not an unsupported variant.
#[test]
fn an_encryption_info_version_nobody_defines_is_exit_7_not_5() {
    let mut f = agile();
    let at =
        f.0.windows(8)
            .position(|w| w == [4, 0, 4, 0, 0x40, 0, 0, 0])
            .expect("Agile version header");
    f.0[at..at + 4].fill(0);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("zeroed.docx");
    let output = dir.path().join("out.docx");
    std::fs::write(&input, &f.0).unwrap();
    for args in [
        vec!["decrypt", s(&input), s(&output), "-p", AGILE_PW],
        vec!["verify", s(&input), "-p", AGILE_PW],
    ] {
        let o = run(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 7, "{args:?}: {err}");
        assert!(
            err.contains("EncryptionInfo") && err.contains("0.0"),
            "{err}"
        );
        assert!(!output.exists());
    }
}

/// A zip is "not encrypted" (6) only when it reads as a zip; a cut one is malformed (7).
#[test]
fn a_truncated_zip_is_exit_7_not_6() {
    let zip = std::fs::read(corpus("generated/pydocx.docx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("cut.docx");
    let output = dir.path().join("out.docx");
    std::fs::write(&input, &zip).unwrap();
    let o = run(&["decrypt", s(&input), s(&output), "-p", "x"]);
    assert_eq!(code(&o), 6, "whole: {o:?}");
    for cut in [30, zip.len() / 2, zip.len() - 10] {
        std::fs::write(&input, &zip[..cut]).unwrap();
        let o = run(&["decrypt", s(&input), s(&output), "-p", "x"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 7, "cut at {cut}: {err}");
        assert!(err.contains("zip"), "{err}");
        assert!(!output.exists());
    }
}
