//! Reproduction of Office-made files (rust_xlsxwriter-style conformance): every parameter and
//! secret recovered, the plaintext encrypted again, the result compared with the original.
//! A row either matches byte for byte or lists its documented difference (README,
//! "Conformance").

use std::io::Cursor;
use std::path::PathBuf;

use docseal::{conform, Credentials, Limits};

fn check(path: &str, password: &str) -> docseal::ConformReport {
    let bytes = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(path),
    )
    .unwrap();
    conform(
        Cursor::new(bytes),
        &Credentials::password(password),
        &Limits::default(),
    )
    .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Files whose every byte we reproduce: EncryptionInfo, DataSpaces, EncryptedPackage and the
/// whole compound file (slack bytes Office left behind are recovered like padding).
const IDENTICAL: &[(&str, &str)] = &[
    (
        "fetched/msoffcrypto-tool/example_password.docx",
        "Password1234_",
    ),
    (
        "fetched/msoffcrypto-tool/example_password.xlsx",
        "Password1234_",
    ),
    ("fetched/tika/testEXCEL_protected_passtika_2.xlsx", "tika"),
    ("fetched/msoc/Encrypted.docx", "msoc"),
    ("fetched/msoc/Encrypted.xlsx", "msoc"),
    ("fetched/msoc/Encrypted.pptx", "msoc"),
    ("fetched/poi/bug53475-password-is-pass.docx", "pass"),
    ("fetched/poi/60320-protected.xlsx", "Test001!!"),
    ("fetched/poi/protected_passtika.xlsb", "tika"),
    ("fetched/poi/58616.xlsx", "VelvetSweatshop"),
    (
        "fetched/oletools/dde-test-encrypt-standardpassword.xlsx",
        "VelvetSweatshop",
    ),
    (
        "fetched/oletools/dde-test-encrypt-standardpassword.xlsb",
        "VelvetSweatshop",
    ),
    ("fetched/test_files/agile_pass_test.xlsx", "123456"),
    ("fetched/excelize/encryptSHA1.xlsx", "password"),
    // Office 2010's Standard writer and Excel 2011: one FAT sector.
    ("fetched/tika/testWORD_protected_passtika.docx", "tika"),
    ("fetched/tika/testPPT_protected_passtika.pptx", "tika"),
    ("fetched/poi/protected_passtika.xlsx", "tika"),
    // Office 2007: its sector order, 208-byte \x06Primary and a file cut after the last data.
    ("fetched/poi/protect.xlsx", "VelvetSweatshop"),
];

/// Files whose streams we reproduce exactly but whose container holds bytes no rule produces:
/// - `protected_normal_case.docx`, `protected_upper_case.docx`: a writer that puts the directory
///   at sector 2 and the mini FAT at 1 and fills the mini FAT with ENDOFCHAIN (header byte 44:
///   one FAT sector, in an order no learned style has);
/// - `bug53475-password-is-solrcell.docx`: written by Word with a `WordDocument` placeholder,
///   `ObjectPool` and other streams around the envelope;
/// - `agile-unicode-excel.xlsx`: the root entry coloured black (sector 1, byte 67), where every
///   other Office file colours it red;
/// - `agile_pass_32_buffer.pptx` (1.9 MB): 40 FAT sectors where 30 suffice — how Office lays out
///   packages that need more than three FAT sectors, not learned yet;
/// - `extenxls_pwd123.xlsx`: written by ExtenXLS (its own CFB writer, one FAT sector, a stream
///   size that overstates its chain);
/// - `protected_agile.docx`: an empty root name whose name field still holds a stray `R`
///   (sector 1, byte 0: 0x52; name length 2, i.e. just the terminator).
const STREAMS_ONLY: &[(&str, &str, &str)] = &[
    (
        "fetched/tika/protected_normal_case.docx",
        "password",
        "header",
    ),
    (
        "fetched/tika/protected_upper_case.docx",
        "password",
        "header",
    ),
    (
        "fetched/poi/bug53475-password-is-solrcell.docx",
        "solrcell",
        "header",
    ),
    (
        "fetched/formula/agile-unicode-excel.xlsx",
        "pässwörd🔒",
        "sector 1",
    ),
    (
        "fetched/test_files/agile_pass_32_buffer.pptx",
        "infected",
        "header",
    ),
    ("fetched/poi/extenxls_pwd123.xlsx", "pwd123", "header"),
    (
        "fetched/poi/protected_agile.docx",
        "VelvetSweatshop",
        "sector 1, byte 0",
    ),
];

#[test]
fn office_files_are_reproduced_byte_for_byte() {
    for (path, pw) in IDENTICAL {
        let r = check(path, pw);
        assert!(
            r.streams_identical && r.container_identical,
            "{path}: {:?}",
            r.differences
        );
    }
}

#[test]
fn other_layouts_have_identical_streams_and_a_named_container_difference() {
    for (path, pw, where_) in STREAMS_ONLY {
        let r = check(path, pw);
        assert!(r.streams_identical, "{path}: {:?}", r.differences);
        assert!(
            !r.container_identical,
            "{path} is now identical: move it to IDENTICAL"
        );
        assert_eq!(r.differences.len(), 1, "{path}: {:?}", r.differences);
        assert!(
            r.differences[0].detail.contains(where_),
            "{path}: {:?}",
            r.differences
        );
    }
}

#[test]
fn our_own_output_conforms() {
    for scheme in [docseal::Scheme::Agile, docseal::Scheme::Standard] {
        let mut out = Cursor::new(Vec::new());
        let opts = docseal::EncryptOptions::default()
            .scheme(scheme)
            .spin_count(1000);
        docseal::encrypt(
            Cursor::new(vec![3u8; 12_345]),
            &mut out,
            &docseal::Password::new("pw"),
            &opts,
        )
        .unwrap();
        let r = conform(
            Cursor::new(out.into_inner()),
            &Credentials::password("pw"),
            &Limits::default(),
        )
        .unwrap();
        assert!(
            r.streams_identical && r.container_identical,
            "{scheme:?}: {:?}",
            r.differences
        );
    }
}
