//! Reproduction of Office-made files (rust_xlsxwriter-style conformance): every parameter and
//! secret recovered, the plaintext encrypted again, the result compared with the original.
//! A row either matches byte for byte or lists its documented difference (README,
//! "Conformance").
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use docseal::{conform, ConformLayout, Credentials, Limits};

fn check(path: &str, password: &str) -> docseal::ConformReport {
    let bytes = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(path),
    )
    .unwrap();
    check_bytes(path, bytes, password)
}

fn check_bytes(path: &str, bytes: Vec<u8>, password: &str) -> docseal::ConformReport {
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
    // PowerPoint 2010 (four FAT sectors) and Office 2013+ at 1.9 MB (40 FAT sectors): the
    // sectors where the era's rule puts them, the FAT count recovered from the file.
    ("fetched/oletools/encrypted.pptx", "encrypted"),
    ("fetched/test_files/agile_pass_32_buffer.pptx", "infected"),
];

/// The era each identical file's layout follows, and whether its FAT count had to be taken
/// from the file (Office reserved FAT sectors beyond what the file needs).
const ERAS: &[(&str, &str, bool)] = &[
    ("fetched/msoc/Encrypted.docx", "office2013", false),
    ("fetched/poi/58616.xlsx", "office2013", false),
    (
        "fetched/tika/testWORD_protected_passtika.docx",
        "office2010",
        false,
    ),
    ("fetched/poi/protected_passtika.xlsx", "office2010", false),
    ("fetched/poi/protect.xlsx", "office2007", false),
    ("fetched/oletools/encrypted.pptx", "office2013", true),
    (
        "fetched/test_files/agile_pass_32_buffer.pptx",
        "office2013",
        true,
    ),
];

/// Office-made files from openwall/john-samples, which gives no license, so they are not
/// copied into `corpus/`: read from the shared corpus (`$DOCSEAL_SHARED`, else `../shared`
/// beside the repository), which CI provides; elsewhere the test says it is skipped.
/// (path, password, era, FAT count recovered)
const SHARED_IDENTICAL: &[(&str, &str, &str, bool)] = &[
    // Word 2007: a `WordDocument` placeholder before the envelope, then 2010's order, one FAT
    // sector, a black root and a tree grown by insertion.
    (
        "fetched/john-samples/2007-Default_myhovercraftisfullofeels_.docx",
        "myhovercraftisfullofeels",
        "office2010",
        false,
    ),
    // Excel 2010: five FAT sectors for a 43 KB file.
    (
        "fetched/john-samples/2010-Default_myhovercraftisfullofeels_.xlsx",
        "myhovercraftisfullofeels",
        "office2013",
        true,
    ),
];

fn shared_corpus(path: &str) -> Option<Vec<u8>> {
    let shared = std::env::var("DOCSEAL_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
    let full = format!("{shared}/corpus/{path}");
    let bytes = std::fs::read(&full).ok();
    if bytes.is_none() {
        println!("skipped: {full} not found (the shared corpus is not beside the repository)");
    }
    bytes
}

#[test]
fn office_files_from_the_shared_corpus_are_reproduced_byte_for_byte() {
    for (path, pw, era, recovered) in SHARED_IDENTICAL {
        let Some(bytes) = shared_corpus(path) else {
            continue;
        };
        let r = check_bytes(path, bytes, pw);
        assert!(
            r.streams_identical && r.container_identical,
            "{path}: {:?}",
            r.differences
        );
        assert_eq!(
            (r.layout.map(ConformLayout::name), r.fat_sectors_recovered),
            (Some(*era), *recovered),
            "{path}"
        );
    }
}

#[test]
fn each_file_follows_its_era() {
    for (path, era, recovered) in ERAS {
        let r = check(path, IDENTICAL.iter().find(|(p, _)| p == path).unwrap().1);
        assert_eq!(
            (r.layout.map(ConformLayout::name), r.fat_sectors_recovered),
            (Some(*era), *recovered),
            "{path}"
        );
    }
}

/// Files whose streams we reproduce exactly but whose container holds bytes no rule produces:
/// - `protected_normal_case.docx`, `protected_upper_case.docx`: not Office's compound-file
///   code: the mini FAT at 1, the directory at 2-4 and the unused FAT and mini FAT entries
///   ENDOFCHAIN where every Office file (and [MS-CFB]) has FREESECT; the order of excelize's
///   writer, so no Office era's rule can give it (header byte 44: one FAT sector);
/// - `bug53475-password-is-solrcell.docx`: written by Word with a `WordDocument` placeholder,
///   `ObjectPool` and other streams around the envelope;
/// - `agile-unicode-excel.xlsx`: the root's tree (sector 1, byte 76) has `\x06DataSpaces` at its
///   top, which neither insertion in the directory's order nor a balanced tree gives: the entries
///   were created in an order the directory does not keep;
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
        "sector 1, byte 76",
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

/// The Microsoft 365 Purview-protected docx (microsoft/BusyBox, no license file, so read from
/// the shared corpus): rebuilt without its content key from its own licence, label stream and
/// property sets and a stand-in package of the same size, laid out in Office's IRM creation
/// order. Everything is identical but the ciphertext; `EncryptedSIHash` and
/// `EncryptedDSIHash` are derived from the property sets; the FAT count (42 where 33 suffice)
/// is taken from the file.
#[test]
fn the_purview_irm_docx_is_identical_but_its_ciphertext() {
    let path = "fetched/busybox/taskbox_data_collection_IRM.docx";
    let Some(bytes) = shared_corpus(path) else {
        return;
    };
    let r = conform(Cursor::new(bytes), &Credentials::none(), &Limits::default()).unwrap();
    assert!(
        r.streams_identical && r.container_identical,
        "{:?}",
        r.differences
    );
    assert_eq!(r.scheme, docseal::EncryptionScheme::RightsManaged);
    assert_eq!(r.layout, Some(ConformLayout::OfficeIrm));
    assert!(r.fat_sectors_recovered);
    // 1,994,760-byte EncryptedPackage: its 8-byte size in the clear, the rest ciphertext.
    assert_eq!(r.ciphertext_not_compared, 1_994_752);
}

/// `irm protect` lays a package out as Office does, at several sizes (the licence's size moves
/// `\x06Primary` in and out of the mini stream, the package crosses FAT-sector boundaries):
/// `conform` without the key finds it identical with the era rule's own FAT count.
#[test]
fn irm_protect_output_conforms_without_the_key() {
    use docseal::irm::{protect, InsecureTestLicenseProvider, ProtectOptions};
    for size in [100usize, 5_000, 70_000, 400_000] {
        let package: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
        let mut out = Cursor::new(Vec::new());
        protect(
            Cursor::new(&package),
            &mut out,
            &InsecureTestLicenseProvider::seeded(size as u64),
            &ProtectOptions::default(),
        )
        .unwrap();
        let r = conform(
            Cursor::new(out.into_inner()),
            &Credentials::none(),
            &Limits::default(),
        )
        .unwrap();
        assert!(
            r.streams_identical && r.container_identical && !r.fat_sectors_recovered,
            "{size}: {r:?}"
        );
        assert_eq!(r.layout, Some(ConformLayout::OfficeIrm), "{size}");
        assert!(r.ciphertext_not_compared >= size as u64, "{size}");
    }
}
