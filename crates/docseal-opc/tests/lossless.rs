//! Every plain package in the corpus comes back byte for byte; replacing one part rewrites only
//! that entry and the central directory, and an independent reader (the `zip` crate) agrees.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;

use docseal_opc::Package;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus")
}

fn plain_packages() -> Vec<PathBuf> {
    let text = std::fs::read_to_string(corpus_dir().join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let path = corpus_dir().join(f[0]);
            let bytes = std::fs::read(&path).ok()?;
            ((f[2] == "plain" || f[2] == "label") && bytes.starts_with(b"PK")).then_some(path)
        })
        .collect()
}

#[test]
fn unchanged_packages_come_back_identical() {
    let files = plain_packages();
    assert!(files.len() >= 20, "{} plain packages", files.len());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let mut pkg = Package::open(Cursor::new(&bytes))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut out = Vec::new();
        pkg.write(&mut out, &HashMap::new()).unwrap();
        assert!(
            out == bytes,
            "{} differs after a round trip",
            path.display()
        );
        for i in 0..pkg.entries().len() {
            pkg.read_part(i)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

#[test]
fn replacing_a_part_touches_only_that_entry() {
    for path in plain_packages() {
        let bytes = std::fs::read(&path).unwrap();
        let mut pkg = Package::open(Cursor::new(&bytes)).unwrap();
        let Some(target) = pkg.find("/[Content_Types].xml") else {
            continue;
        };
        let name = pkg.entries()[target].name.clone();
        let mut new = pkg.read_part(target).unwrap();
        new.extend_from_slice(b"<!-- docseal -->");
        let mut out = Vec::new();
        pkg.write(&mut out, &HashMap::from([(name.clone(), new.clone())]))
            .unwrap();

        let mut theirs = zip::ZipArchive::new(Cursor::new(&out)).unwrap();
        let mut original = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(theirs.len(), original.len());
        for i in 0..theirs.len() {
            let mut a = Vec::new();
            let mut f = theirs.by_index(i).unwrap();
            let fname = f.name().to_string();
            f.read_to_end(&mut a).unwrap();
            drop(f);
            if fname == name {
                assert_eq!(a, new, "{}", path.display());
            } else {
                let mut b = Vec::new();
                original
                    .by_name(&fname)
                    .unwrap()
                    .read_to_end(&mut b)
                    .unwrap();
                assert_eq!(a, b, "{}: {fname}", path.display());
            }
        }
        // Untouched local records are the same bytes as before.
        let re = Package::open(Cursor::new(&out)).unwrap();
        for (e_old, e_new) in pkg.entries().iter().zip(re.entries()) {
            if e_old.name == name {
                continue;
            }
            let span = |e: &docseal_opc::Entry, data: &[u8]| {
                data[e.local_offset as usize..(e.local_offset + 30) as usize].to_vec()
            };
            assert_eq!(
                span(e_old, &bytes),
                span(e_new, &out),
                "{}: {}",
                path.display(),
                e_old.name
            );
        }
    }
}

#[test]
fn hostile_archives_are_refused_cleanly() {
    let bytes = std::fs::read(corpus_dir().join("generated/minimal.docx")).unwrap();
    for cut in [0, 10, 22, bytes.len() / 2, bytes.len() - 1] {
        let r = Package::open(Cursor::new(&bytes[..cut]));
        if let Ok(mut p) = r {
            for i in 0..p.entries().len() {
                let _ = p.read_part(i);
            }
        }
    }
    let mut limits = docseal_opc::Limits::default();
    limits.max_entries = 1;
    assert!(matches!(
        Package::open_with_limits(Cursor::new(&bytes), limits),
        Err(docseal_opc::Error::LimitExceeded { .. })
    ));
}

/// Added entries follow the package's own header conventions, removed ones vanish from both
/// the records and the central directory, and the `zip` crate reads the result.
#[test]
fn edits_add_and_remove_entries() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/generated/lo-writer.docx"
    ))
    .unwrap();
    let mut pkg = docseal_opc::Package::open(std::io::Cursor::new(&bytes)).unwrap();
    let first = pkg.entries()[0].clone();
    let mut edits = docseal_opc::Edits::default();
    edits
        .add
        .push(("docMetadata/LabelInfo.xml".into(), b"<a/>".to_vec()));
    edits.remove.push("/docProps/app.xml".into());
    let mut out = Vec::new();
    pkg.write_edited(&mut out, &edits).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&out)).unwrap();
    assert_eq!(z.len(), pkg.entries().len());
    assert!(z.by_name("docProps/app.xml").is_err());
    let mut added = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("docMetadata/LabelInfo.xml").unwrap(),
        &mut added,
    )
    .unwrap();
    assert_eq!(added, "<a/>");
    let again = docseal_opc::Package::open(std::io::Cursor::new(&out)).unwrap();
    let new = again.entries().last().unwrap();
    assert_eq!(new.name, "docMetadata/LabelInfo.xml");
    assert_eq!(new.flags, first.flags & 0x0006);
    // Adding a name that exists is refused.
    let mut edits = docseal_opc::Edits::default();
    edits.add.push(("WORD/document.xml".into(), Vec::new()));
    assert!(pkg.write_edited(&mut Vec::new(), &edits).is_err());
}

/// An empty root with a stray `/` before its `/>` (quick-xml reads it as an empty tag): adding a
/// child by re-opening it would leave it empty and make the child a second root. Refused when
/// parsed; a well-formed empty root still takes children.
#[test]
fn empty_root_with_a_stray_slash_is_refused() {
    use docseal_opc::{ContentTypes, Relationships};
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships" //>"#;
    assert!(Relationships::parse(rels).is_err());
    let types =
        br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"///>"#;
    assert!(ContentTypes::parse(types).is_err());

    let mut ok = Relationships::parse(
        br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships" />"#,
    )
    .unwrap();
    ok.add("t", "a.xml");
    let again = Relationships::parse(&ok.to_bytes()).unwrap();
    assert_eq!(again.by_type("t").unwrap().target, "a.xml");
}
