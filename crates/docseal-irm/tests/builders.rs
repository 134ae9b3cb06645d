//! The IRM `\x06DataSpaces` streams against the exact bytes of the spec notes
//! (shared/spec/dataspaces-and-irm.md §3 `Version`, §5 IRM-protected OOXML), written out
//! here by hand from the notes.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_irm::*;

/// The UTF-16LE bytes of an ASCII string.
fn u16le(s: &str) -> Vec<u8> {
    s.bytes().flat_map(|b| [b, 0]).collect()
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

const LICENSE: &[u8] = b"<?xml version=\"1.0\"?><XrML version=\"1.2\"/>";

fn expected() -> Vec<(Vec<&'static str>, Vec<u8>)> {
    // §3: 3c000000 "Microsoft.Container.DataSpaces" 01000000 01000000 01000000 (76 bytes).
    let version = cat(&[
        &hex("3c000000"),
        &u16le("Microsoft.Container.DataSpaces"),
        &hex("01000000 01000000 01000000"),
    ]);
    assert_eq!(version.len(), 76);
    // §5: 08000000 01000000 | 60000000 01000000 00000000 20000000 "EncryptedPackage"
    //     2a000000 "DRMEncryptedDataSpace"(42 bytes) 0000
    let map = cat(&[
        &hex("08000000 01000000 60000000 01000000 00000000 20000000"),
        &u16le("EncryptedPackage"),
        &hex("2a000000"),
        &u16le("DRMEncryptedDataSpace"),
        &hex("0000"),
    ]);
    assert_eq!(map.len(), 8 + 0x60);
    // §5: 08000000 01000000 2a000000 "DRMEncryptedTransform" 0000 (56 bytes).
    let info = cat(&[
        &hex("08000000 01000000 2a000000"),
        &u16le("DRMEncryptedTransform"),
        &hex("0000"),
    ]);
    assert_eq!(info.len(), 56);
    // §5 IRMDSTransformInfo: TransformLength 0x58, type 1, ID, name (62 bytes + 2 pad),
    // versions 1.0 ×3, ExtensibilityHeader 4, XrMLLicense UTF-8-LP-P4 (no BOM).
    let mut primary = cat(&[
        &hex("58000000 01000000 4c000000"),
        &u16le("{C73DFACD-061F-43B0-8B64-0C620D2A8B50}"),
        &hex("3e000000"),
        &u16le("Microsoft.Metadata.DRMTransform"),
        &hex("0000 01000000 01000000 01000000 04000000"),
    ]);
    primary.extend_from_slice(&(LICENSE.len() as u32).to_le_bytes());
    primary.extend_from_slice(LICENSE);
    while primary.len() % 4 != 0 {
        primary.push(0);
    }
    vec![
        (vec!["Version"], version),
        (vec!["DataSpaceMap"], map),
        (vec!["DataSpaceInfo", "DRMEncryptedDataSpace"], info),
        (
            vec!["TransformInfo", "DRMEncryptedTransform", "\u{6}Primary"],
            primary,
        ),
    ]
}

#[test]
fn ooxml_irm_streams_match_the_spec_notes() {
    assert_eq!(ooxml_irm_dataspace_streams(LICENSE).unwrap(), expected());
}

#[test]
fn ooxml_irm_streams_strip_a_bom_and_refuse_an_empty_licence() {
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), LICENSE].concat();
    assert_eq!(ooxml_irm_dataspace_streams(&with_bom).unwrap(), expected());
    assert!(ooxml_irm_dataspace_streams(b"").is_err());
}

#[test]
fn built_streams_describe_as_irm() {
    let streams: Vec<(String, Vec<u8>)> = ooxml_irm_dataspace_streams(LICENSE)
        .unwrap()
        .into_iter()
        .map(|(p, b)| (format!("\u{6}DataSpaces/{}", p.join("/")), b))
        .collect();
    let d = describe_dataspaces(&streams).unwrap();
    assert_eq!(d.irm_transform.as_deref(), Some("DRMEncryptedTransform"));
    assert_eq!(d.data_spaces.len(), 1);
    assert_eq!(d.data_spaces[0].name, "DRMEncryptedDataSpace");
    assert_eq!(d.data_spaces[0].applies_to, ["EncryptedPackage"]);
    assert_eq!(
        d.data_spaces[0].transforms[0].license_len,
        Some(LICENSE.len())
    );
    assert!(d.unreferenced.is_empty());
}

#[test]
fn password_and_unknown_transforms_are_described() {
    let mut streams: Vec<(String, Vec<u8>)> =
        docseal_crypto::dataspaces::strong_encryption_streams()
            .into_iter()
            .map(|(p, b)| (p.join("/"), b))
            .collect();
    let d = describe_dataspaces(&streams).unwrap();
    assert!(d.is_password_encrypted() && !d.is_irm());
    let t = &d.data_spaces[0].transforms[0];
    assert_eq!(t.kind, TransformKind::StrongEncryption);
    assert_eq!(
        t.class_name.as_deref(),
        Some("Microsoft.Container.EncryptionTransform")
    );

    // Add a second data space with an unknown transform, a missing one, an EUL stream and a
    // stray stream.
    let map = docseal_crypto::dataspaces::DataSpaceMap {
        entries: vec![
            docseal_crypto::dataspaces::DataSpaceMapEntry {
                components: vec![(0, "EncryptedPackage".into())],
                data_space_name: "StrongEncryptionDataSpace".into(),
            },
            docseal_crypto::dataspaces::DataSpaceMapEntry {
                components: vec![(1, "Storage".into()), (0, "Inner".into())],
                data_space_name: "Other".into(),
            },
        ],
    };
    streams[1].1 = map.to_bytes();
    let def = docseal_crypto::dataspaces::DataSpaceDefinition {
        transforms: vec!["Mystery".into(), "Missing".into()],
    };
    streams.push(("DataSpaceInfo/Other".into(), def.to_bytes()));
    let mystery = docseal_crypto::dataspaces::TransformInfo {
        transform_type: 1,
        id: "{01234567-89AB-CDEF-0123-456789ABCDEF}".into(),
        name: "Example.Mystery".into(),
        versions: [(1, 0); 3],
        encryption: None,
        rest: vec![1, 2, 3, 4],
        declared_length: None,
    };
    streams.push((
        "TransformInfo/Mystery/\u{6}Primary".into(),
        mystery.to_bytes(),
    ));
    streams.push(("TransformInfo/Mystery/EUL-ABC".into(), vec![0; 4]));
    streams.push(("Stray".into(), vec![]));
    let d = describe_dataspaces(&streams).unwrap();
    let other = &d.data_spaces[1];
    assert_eq!(other.applies_to, ["Storage/Inner"]);
    assert_eq!(other.transforms[0].kind, TransformKind::Unknown);
    assert_eq!(
        other.transforms[0].class_name.as_deref(),
        Some("Example.Mystery")
    );
    assert_eq!(other.transforms[0].other_streams, ["EUL-ABC"]);
    assert_eq!(other.transforms[1].kind, TransformKind::Unreadable);
    assert!(other.transforms[1].problem.is_some());
    assert_eq!(d.unreferenced, ["Stray"]);
    assert_eq!(d.map, map, "the map as stored, entries in order");
    assert_eq!(
        other.transforms[0].primary_len,
        Some(mystery.to_bytes().len())
    );
    assert!(d.other_transforms.is_empty());

    // A transform no data space runs is still described (inspect lists every TransformInfo
    // storage), and its streams stay unreferenced.
    streams.push((
        "TransformInfo/Orphan/\u{6}Primary".into(),
        mystery.to_bytes(),
    ));
    let d = describe_dataspaces(&streams).unwrap();
    assert_eq!(d.other_transforms.len(), 1);
    assert_eq!(d.other_transforms[0].name, "Orphan");
    assert_eq!(
        d.other_transforms[0].class_id.as_deref(),
        Some("{01234567-89AB-CDEF-0123-456789ABCDEF}")
    );
    assert_eq!(
        d.unreferenced,
        ["Stray", "TransformInfo/Orphan/\u{6}Primary"]
    );
    streams.pop();

    // No map: an error.
    streams.remove(1);
    assert!(describe_dataspaces(&streams).is_err());
}
