//! Zip-level relabelling of a docx: set a sensitivity label in both storage schemes without
//! touching anything else, then show which zip entries changed (only the label parts, the
//! package relationships and the content types; every other entry is copied raw).
//!
//! `cargo run -p docseal --example relabel_docx [IN.docx] [OUT.docx]`
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read};

use docseal::labels::{relabel_package, Label, LabelChanges, LabelScheme};

/// Name, CRC-32 and raw (compressed) bytes of one zip entry.
type RawEntry = (String, u32, Vec<u8>);

fn raw_entries(bytes: &[u8]) -> Result<Vec<RawEntry>, Box<dyn std::error::Error>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index_raw(i)?;
        let mut raw = Vec::new();
        e.read_to_end(&mut raw)?;
        out.push((e.name().to_string(), e.crc32(), raw));
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let input = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../corpus/generated/lo-writer.docx"
        )
        .into()
    });
    let original = std::fs::read(&input)?;
    let label = Label::new(
        "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab".parse()?,
        "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817".parse()?,
    )
    .with_name("Internal")
    .with_set_date("2026-11-29T12:00:00Z");
    let changes = LabelChanges::new().set(label).scheme(LabelScheme::Both);
    let mut relabelled = Vec::new();
    let report = relabel_package(
        Cursor::new(&original),
        &mut relabelled,
        &changes,
        &docseal::Limits::default(),
    )?;
    for (l, scheme) in &report.written {
        println!(
            "label {} for tenant {} written as {}",
            l.id,
            l.site_id,
            scheme.name()
        );
    }
    let before = raw_entries(&original)?;
    let after = raw_entries(&relabelled)?;
    let mut same = 0;
    for (name, crc, raw) in &after {
        match before.iter().find(|(n, _, _)| n == name) {
            Some((_, c, r)) if c == crc && r == raw => same += 1,
            Some(_) => println!("changed: {name}"),
            None => println!("added:   {name}"),
        }
    }
    println!(
        "{same} of {} original entries copied byte for byte",
        before.len()
    );
    if let Some(out) = std::env::args().nth(2) {
        docseal::write_atomically(std::path::Path::new(&out), |f| {
            std::io::Write::write_all(f, &relabelled)?;
            Ok(())
        })?;
        println!("wrote {out}");
    }
    Ok(())
}
