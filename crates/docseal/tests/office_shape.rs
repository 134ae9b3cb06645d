//! Our envelope against files Office wrote: `EncryptionInfo` serialization and the compound
//! file's header, directory and allocation, compared structure by structure.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::PathBuf;

use docseal::layers::crypto::{agile_stream, EncryptionInfo, XmlLimits};
use docseal::layers::ole::{CompoundFile, DirEntry};
use docseal::{EncryptOptions, Password};

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(path),
    )
    .unwrap()
}

/// Office-made Agile files (by the corpus manifest's producer notes).
const OFFICE_AGILE: &[&str] = &[
    "fetched/msoffcrypto-tool/example_password.docx",
    "fetched/msoffcrypto-tool/example_password.xlsx",
    "fetched/tika/testEXCEL_protected_passtika_2.xlsx",
    "fetched/tika/protected_normal_case.docx",
    "fetched/msoc/Encrypted.docx",
    "fetched/msoc/Encrypted.xlsx",
    "fetched/msoc/Encrypted.pptx",
    "fetched/poi/bug53475-password-is-pass.docx",
    "fetched/poi/protected_agile.docx",
];

fn info_stream(file: &[u8]) -> Vec<u8> {
    let mut cf = CompoundFile::open(Cursor::new(file)).unwrap();
    let id = cf.find(&["EncryptionInfo"]).unwrap();
    cf.read_stream(id, 1 << 20).unwrap()
}

#[test]
fn encryption_info_reserializes_to_offices_bytes() {
    for path in OFFICE_AGILE {
        let original = info_stream(&corpus(path));
        let EncryptionInfo::Agile(info) =
            EncryptionInfo::parse(&original, &XmlLimits::default()).unwrap()
        else {
            panic!("{path} is not Agile")
        };
        let ours = agile_stream(&info);
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&original),
            "{path}: our serialization differs from Office's"
        );
    }
}

fn shape(e: &DirEntry) -> String {
    // Everything but times, and but the size of the package stream (it depends on the package).
    let size = if e.name == "EncryptedPackage" || e.name == "Root Entry" {
        0
    } else {
        e.size
    };
    format!(
        "{:?} {:?} {:?} L{:x} R{:x} C{:x} start{} size{} clsid{:?} state{} ct{} mt{}",
        e.name,
        e.object_type,
        e.color,
        e.left,
        e.right,
        e.child,
        if e.name == "EncryptedPackage" {
            0
        } else {
            e.start_sector
        },
        size,
        e.clsid,
        e.state_bits,
        e.created != 0,
        e.modified != 0
    )
}

#[test]
fn envelope_matches_offices_layout() {
    let office_file = corpus("fetched/msoffcrypto-tool/example_password.docx");
    let office = CompoundFile::open(Cursor::new(&office_file)).unwrap();
    // Same package size as Office's file, so the allocation should be identical too.
    let package = vec![0x42u8; 11995];
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(
        Cursor::new(&package),
        &mut out,
        &Password::new("Password1234_"),
        &EncryptOptions::default().timestamp(0x01d4_0000_0000_0000),
    )
    .unwrap();
    let ours_file = out.into_inner();
    let ours = CompoundFile::open(Cursor::new(&ours_file)).unwrap();
    assert_eq!(ours_file.len(), office_file.len());
    assert_eq!(ours.header(), office.header());
    let a: Vec<String> = ours.entries().iter().map(shape).collect();
    let b: Vec<String> = office.entries().iter().map(shape).collect();
    assert_eq!(a, b);
    assert_eq!(
        ours.entries()[1].start_sector,
        office.entries()[1].start_sector
    );
    assert_eq!(ours.fat(), office.fat());
    assert_eq!(ours.mini_fat(), office.mini_fat());
}

/// Office-made Standard files (2007: 3.2; 2010+: 4.2).
const OFFICE_STANDARD: &[&str] = &[
    "fetched/poi/protect.xlsx",
    "fetched/tika/testWORD_protected_passtika.docx",
    "fetched/poi/58616.xlsx",
    "fetched/msoffcrypto-tool/ecma376standard_password.docx",
    "fetched/tika/testPPT_protected_passtika.pptx",
    "fetched/poi/protected_passtika.xlsx",
];

#[test]
fn standard_encryption_info_reserializes_to_offices_bytes() {
    for path in OFFICE_STANDARD {
        let original = info_stream(&corpus(path));
        let EncryptionInfo::Standard(info) =
            EncryptionInfo::parse(&original, &XmlLimits::default()).unwrap()
        else {
            panic!("{path} is not Standard")
        };
        assert_eq!(info.to_bytes(), original, "{path}");
    }
}

#[test]
fn standard_output_has_office_2010s_header_and_envelope() {
    let package = vec![0x42u8; 10087];
    let opts = EncryptOptions::default()
        .scheme(docseal::Scheme::Standard)
        .timestamp(1);
    let mut out = Cursor::new(Vec::new());
    docseal::encrypt(
        Cursor::new(&package),
        &mut out,
        &Password::new("tika"),
        &opts,
    )
    .unwrap();
    let ours = out.into_inner();
    let office = corpus("fetched/tika/testWORD_protected_passtika.docx");
    let (a, b) = (info_stream(&ours), info_stream(&office));
    assert_eq!(a.len(), 248);
    assert_eq!(a[..12], b[..12], "version, flags and header size");
    assert_eq!(a[12..44], b[12..44], "the EncryptionHeader fields");
    assert_eq!(a[44..44 + 132], b[44..44 + 132], "CSP name");
    let mut plain = Vec::new();
    let r = docseal::decrypt(
        Cursor::new(&ours),
        &mut plain,
        &docseal::Credentials::password("tika"),
        &docseal::DecryptOptions::default(),
    )
    .unwrap();
    assert_eq!(plain, package);
    assert_eq!(r.integrity, docseal::IntegrityStatus::NotAvailable);
    let cf = CompoundFile::open(Cursor::new(&ours)).unwrap();
    let size = cf.entries()[cf.find(&["EncryptedPackage"]).unwrap()].size;
    assert_eq!(
        size, 10104,
        "8 + the package padded to 16, as Office writes it"
    );
}
