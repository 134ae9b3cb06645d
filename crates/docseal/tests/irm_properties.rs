//! `irm protect` writes the package's document properties into the container's clear property
//! sets as Microsoft 365 does. Known answer: the Purview sample
//! (`fetched/busybox/taskbox_data_collection_IRM.docx`, shared corpus): a docx whose
//! `docProps/core.xml` and `docProps/app.xml` hold the values its property sets show gives its
//! `\x05SummaryInformation` (452 bytes) and `\x05DocumentSummaryInformation` (220 bytes) byte
//! for byte, and with them its `EncryptedSIHash` and `EncryptedDSIHash`.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::io::{Cursor, Read, Write};

use docseal::irm::{protect, InsecureTestLicenseProvider, ProtectOptions};

const SAMPLE: &str = "corpus/fetched/busybox/taskbox_data_collection_IRM.docx";

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title></dc:title><dc:subject></dc:subject><dc:creator>Dean Fortier (Actalent Services LLC)</dc:creator><cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy>Dean Fortier (Actalent Services LLC)</cp:lastModifiedBy><cp:revision>2</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2025-09-08T17:51:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-09-08T17:51:00Z</dcterms:modified></cp:coreProperties>"#;

const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal</Template><TotalTime>2</TotalTime><Pages>2</Pages><Words>477</Words><Characters>2379</Characters><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><Lines>49</Lines><Paragraphs>32</Paragraphs><ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate><CharactersWithSpaces>2824</CharactersWithSpaces><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// minimal.docx with Word's document-properties parts.
fn docx_with_properties() -> Vec<u8> {
    let sample =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
    let mut src = zip::ZipArchive::new(Cursor::new(sample)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        let name = f.name().to_string();
        if name == "_rels/.rels" {
            bytes = RELS.as_bytes().to_vec();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, xml) in [("docProps/core.xml", CORE), ("docProps/app.xml", APP)] {
        out.start_file(name, options).unwrap();
        out.write_all(xml.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn stream(file: &[u8], name: &str) -> Vec<u8> {
    let mut c = cfb::CompoundFile::open(Cursor::new(file)).unwrap();
    let mut s = c.open_stream(name).unwrap();
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    v
}

fn protected(package: &[u8]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    protect(
        Cursor::new(package),
        &mut out,
        &InsecureTestLicenseProvider::seeded(1),
        &ProtectOptions::default(),
    )
    .unwrap();
    out.into_inner()
}

#[test]
fn property_sets_are_the_purview_samples() {
    let shared = std::env::var("DOCSEAL_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
    let Ok(office) = std::fs::read(format!("{shared}/{SAMPLE}")) else {
        println!("skipped: {shared}/{SAMPLE} not found");
        return;
    };
    let ours = protected(&docx_with_properties());
    for name in [
        "/\u{5}SummaryInformation",
        "/\u{5}DocumentSummaryInformation",
        "/EncryptedSIHash",
        "/EncryptedDSIHash",
    ] {
        assert_eq!(stream(&ours, name), stream(&office, name), "{name:?}");
    }
}

#[test]
fn a_package_without_properties_gets_the_code_page_only() {
    let package =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/minimal.docx")).unwrap();
    let ours = protected(&package);
    for name in [
        "/\u{5}SummaryInformation",
        "/\u{5}DocumentSummaryInformation",
    ] {
        let set = docseal::layers::oleps::PropertySetStream::parse(&stream(&ours, name)).unwrap();
        let ids: Vec<u32> = set.sections[0].properties.iter().map(|p| p.id).collect();
        assert_eq!(ids, [1], "{name:?}");
        assert_eq!(set.system_identifier, 0x0002_000A);
    }
}
