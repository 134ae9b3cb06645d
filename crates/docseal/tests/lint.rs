//! Every lint rule with a file that passes it and a file that fails it.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{Cursor, Seek, SeekFrom, Write};
use std::path::PathBuf;

use docseal::layers::crypto::{agile_stream, EncryptionInfo, XmlLimits};
use docseal::layers::ole::{CompoundFile, EntrySpec, Layout, ObjectType, Version};
use docseal::{lint, Credentials, EncryptOptions, Limits, Password};

fn corpus(p: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../corpus")
            .join(p),
    )
    .unwrap()
}

fn rules(file: &[u8], password: Option<&str>) -> Vec<&'static str> {
    let creds = password.map(Credentials::password);
    lint(Cursor::new(file), creds.as_ref(), &Limits::default())
        .unwrap()
        .into_iter()
        .map(|f| f.rule.id())
        .collect()
}

/// Our own file with one UTF-16 letter of the `Version` stream's feature name changed.
fn dataspaces_changed() -> Vec<u8> {
    let mut file = ours();
    let name: Vec<u8> = "Microsoft.Container.DataSpaces"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let at = file
        .windows(name.len())
        .position(|w| w == name.as_slice())
        .expect("feature name");
    file[at + name.len() - 2] = b'Z';
    file
}

fn ours() -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    // Office's default profile (a lower spin count is `weaker-than-office`).
    let opts = EncryptOptions::default();
    docseal::encrypt(
        Cursor::new(corpus("generated/pydocx.docx")),
        &mut out,
        &Password::new("pw"),
        &opts,
    )
    .unwrap();
    out.into_inner()
}

/// Rebuilds `file` with another compound-file version and/or another EncryptionInfo.
fn rebuild(file: &[u8], version: Version, info: Option<Vec<u8>>) -> Vec<u8> {
    let mut cf = CompoundFile::open(Cursor::new(file)).unwrap();
    let mut parent = HashMap::new();
    let mut stack = vec![0usize];
    while let Some(s) = stack.pop() {
        for k in cf.children(s).unwrap() {
            parent.insert(k, s);
            if cf.entries()[k].object_type == ObjectType::Storage {
                stack.push(k);
            }
        }
    }
    let ids: Vec<usize> = (1..cf.entries().len())
        .filter(|i| parent.contains_key(i))
        .collect();
    let index: HashMap<usize, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i + 1)).collect();
    let mut specs = Vec::new();
    let mut contents = HashMap::new();
    for &id in &ids {
        let e = cf.entries()[id].clone();
        let p = index.get(&parent[&id]).copied().unwrap_or(0);
        if e.object_type == ObjectType::Storage {
            specs.push(EntrySpec::storage(&e.name, p, e.modified));
        } else {
            let mut data = cf.read_stream(id, u64::MAX).unwrap();
            if e.name == "EncryptionInfo" {
                if let Some(i) = &info {
                    data = i.clone();
                }
            }
            specs.push(EntrySpec::stream(&e.name, p, data.len() as u64));
            contents.insert(index[&id], data);
        }
    }
    let layout = Layout::plan(version, 0, &specs, None).unwrap();
    let mut out = Cursor::new(Vec::new());
    layout
        .write_prefix(&mut out, &|id| {
            contents.get(&id).map_or(&[][..], |v| v.as_slice())
        })
        .unwrap();
    out.seek(SeekFrom::End(0)).unwrap();
    out.flush().unwrap();
    out.into_inner()
}

fn agile_info(file: &[u8]) -> docseal::layers::crypto::AgileEncryptionInfo {
    let mut cf = CompoundFile::open(Cursor::new(file)).unwrap();
    let id = cf.find(&["EncryptionInfo"]).unwrap();
    match EncryptionInfo::parse(&cf.read_stream(id, 1 << 20).unwrap(), &XmlLimits::default())
        .unwrap()
    {
        EncryptionInfo::Agile(a) => a,
        _ => panic!(),
    }
}

#[test]
fn our_output_and_offices_are_clean() {
    assert_eq!(rules(&ours(), Some("pw")), Vec::<&str>::new());
    assert_eq!(
        rules(
            &corpus("fetched/msoffcrypto-tool/example_password.docx"),
            Some("Password1234_")
        ),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules(&corpus("fetched/poi/58616.xlsx"), None),
        Vec::<&str>::new()
    );
    let mut std_out = Cursor::new(Vec::new());
    docseal::encrypt(
        Cursor::new(vec![1u8; 5000]),
        &mut std_out,
        &Password::new("pw"),
        &EncryptOptions::default().scheme(docseal::Scheme::Standard),
    )
    .unwrap();
    assert_eq!(rules(&std_out.into_inner(), Some("pw")), Vec::<&str>::new());
}

#[test]
fn each_rule_fires_on_its_defect() {
    let cases: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
        ("cfb-version", rebuild(&ours(), Version::V4, None), None),
        (
            "cfb-minor-version",
            corpus("generated/agile-poi-aes256sha512-pydocx.docx"),
            None,
        ),
        (
            "cfb-layout",
            corpus("fetched/tika/protected_normal_case.docx"),
            None,
        ),
        (
            "directory-shape",
            corpus("generated/agile-poi-aes256sha512-pydocx.docx"),
            None,
        ),
        (
            "stream-overlap",
            corpus("generated/agile-msoffcrypto-empty-minimal.docx"),
            None,
        ),
        (
            "small-stream-outside-mini-stream",
            corpus("generated/agile-msoffcrypto-empty-minimal.docx"),
            None,
        ),
        (
            "dataspaces-missing",
            corpus("fetched/excelize/encryptSHA512.xlsx"),
            None,
        ),
        ("dataspaces-bytes", dataspaces_changed(), None),
        (
            "encryption-info-serialization",
            corpus("generated/agile-msoffcrypto-openpyxl.xlsx"),
            None,
        ),
        (
            "libreoffice-parameters",
            corpus("generated/agile-poi-aes192sha384-lo-impress.pptx"),
            None,
        ),
        (
            "standard-csp",
            corpus("generated/standard-node-lo-calc.xlsx"),
            None,
        ),
        (
            "weak-intermediate-key",
            corpus("generated/agile-msoffcrypto-openpyxl.xlsx"),
            Some("密码"),
        ),
    ];
    for (rule, file, pw) in cases {
        let found = rules(&file, pw);
        assert!(found.contains(&rule), "{rule} not reported: {found:?}");
    }
    // Crafted: no dataIntegrity; an HMAC key of saltSize bytes.
    let base = ours();
    let mut info = agile_info(&base);
    let mut no_di = info.clone();
    no_di.data_integrity = None;
    assert!(rules(
        &rebuild(&base, Version::V3, Some(agile_stream(&no_di))),
        None
    )
    .contains(&"data-integrity-missing"));
    if let Some(di) = info.data_integrity.as_mut() {
        di.encrypted_hmac_key.truncate(16);
    }
    assert!(rules(
        &rebuild(&base, Version::V3, Some(agile_stream(&info))),
        None
    )
    .contains(&"hmac-key-length"));
}

#[test]
fn every_rule_has_a_test_above() {
    // The Office 97-2003 rules are tested with the legacy files in legacy.rs.
    let src = [include_str!("lint.rs"), include_str!("legacy.rs")].concat();
    for rule in docseal::RULES.iter().map(|r| r.id()) {
        assert!(
            src.matches(&format!("\"{rule}\"")).count() >= 1,
            "{rule} has no fixture"
        );
    }
}

/// Everything docseal writes lints clean, except the rules about a reader's limits and about
/// Office's strength when the caller chose a cipher, hash, chaining or spin count below them.
#[test]
fn everything_docseal_writes_lints_clean() {
    use docseal::{Chaining, Cipher, HashAlgorithm};
    for size in [0usize, 1, 17, 4095, 4096, 8193, 70_000] {
        for (i, cipher) in Cipher::ALL.into_iter().enumerate() {
            for hash in HashAlgorithm::ALL {
                for chaining in Chaining::ALL {
                    let opts = EncryptOptions::default()
                        .cipher(cipher)
                        .hash(hash)
                        .chaining(chaining)
                        .spin_count(10)
                        .seeded_for_tests(size as u64 + i as u64);
                    let mut out = Cursor::new(Vec::new());
                    docseal::encrypt(
                        Cursor::new(vec![7u8; size]),
                        &mut out,
                        &Password::new("pw"),
                        &opts,
                    )
                    .unwrap();
                    let found = rules(&out.into_inner(), Some("pw"));
                    let cbc = chaining == Chaining::Cbc;
                    let lo_ok = cbc
                        && matches!(
                            (cipher, hash),
                            (Cipher::Aes128, HashAlgorithm::Sha1)
                                | (Cipher::Aes256, HashAlgorithm::Sha512)
                        );
                    let strong = cbc && cipher == Cipher::Aes256 && hash == HashAlgorithm::Sha512;
                    let mut expected = Vec::new();
                    for _ in ["keyData", "p:encryptedKey"] {
                        if !lo_ok {
                            expected.push("libreoffice-parameters");
                        }
                        if !strong {
                            expected.push("weaker-than-office");
                        }
                    }
                    // Spin count 10 < 100000.
                    expected.push("weaker-than-office");
                    assert_eq!(
                        found, expected,
                        "size {size} {cipher:?} {hash:?} {chaining:?}"
                    );
                }
            }
        }
        let mut out = Cursor::new(Vec::new());
        let opts = EncryptOptions::default().scheme(docseal::Scheme::Standard);
        docseal::encrypt(
            Cursor::new(vec![7u8; size]),
            &mut out,
            &Password::new("pw"),
            &opts,
        )
        .unwrap();
        assert_eq!(
            rules(&out.into_inner(), Some("pw")),
            Vec::<&str>::new(),
            "Standard, size {size}"
        );
    }
    // A password change keeps it clean.
    let base = ours();
    let mut changed = Cursor::new(Vec::new());
    docseal::change_key_encryptors(
        Cursor::new(&base),
        &mut changed,
        &Credentials::password("pw"),
        &docseal::KeyChanges::default().new_password("new"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        rules(&changed.into_inner(), Some("new")),
        Vec::<&str>::new()
    );
}

#[test]
fn lint_names_the_era_a_layout_matches() {
    use docseal::{layout_of, LayoutStyle};
    let era = |bytes: &[u8]| layout_of(Cursor::new(bytes), &Limits::default()).unwrap();
    for style in LayoutStyle::ALL {
        for scheme in [docseal::Scheme::Agile, docseal::Scheme::Standard] {
            let mut out = Cursor::new(Vec::new());
            let opts = EncryptOptions::default()
                .scheme(scheme)
                // Office's spin count: a lower one is a finding (weaker-than-office).
                .spin_count(100_000)
                .layout(style);
            docseal::encrypt(
                Cursor::new(corpus("generated/pydocx.docx")),
                &mut out,
                &Password::new("pw"),
                &opts,
            )
            .unwrap();
            let file = out.into_inner();
            let m = era(&file);
            assert_eq!(m.eras, vec![style], "{style:?} {scheme:?}");
            assert!(!m.fat_sectors_reserved);
            assert!(rules(&file, None).is_empty(), "{style:?} {scheme:?}");
        }
    }
    let m = era(&corpus("fetched/poi/protect.xlsx"));
    assert_eq!(m.eras, vec![LayoutStyle::Office2007]);
    let m = era(&corpus("fetched/test_files/agile_pass_32_buffer.pptx"));
    assert_eq!(
        m.eras,
        vec![LayoutStyle::Office2013, LayoutStyle::Office2010]
    );
    assert!(m.fat_sectors_reserved);
    let m = era(&corpus("fetched/tika/protected_normal_case.docx"));
    assert!(m.eras.is_empty() && !m.irm_creation_order);
    assert_eq!(m.describe(), "matches no Office era's layout");
}

#[test]
fn lint_covers_irm_containers() {
    // An IRM Word 97 document: no key, so the container rules only; no Office era's envelope.
    let found = rules(&corpus("fetched/tika/testWORD_protected_drm.doc"), None);
    assert_eq!(found, vec!["cfb-layout"]);
    // What `irm protect` writes is Office's IRM order and lints clean.
    let mut out = Cursor::new(Vec::new());
    docseal::irm::protect(
        Cursor::new(corpus("generated/pydocx.docx")),
        &mut out,
        &docseal::irm::InsecureTestLicenseProvider::seeded(4),
        &docseal::irm::ProtectOptions::default(),
    )
    .unwrap();
    let file = out.into_inner();
    assert!(rules(&file, None).is_empty());
    let m = docseal::layout_of(Cursor::new(&file), &Limits::default()).unwrap();
    assert!(m.irm_creation_order);
}
