//! IrmTransformInfo and EndUserLicense: strict parsing, exact re-serialization, and every
//! length field truncated or inflated gives an error, never a panic.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use docseal_irm::*;

fn set_u32(bytes: &[u8], at: usize, v: u32) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    b
}

fn get_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Offsets of the u32 fields of an IRMDSTransformInfo with the canonical header.
fn transform_info_fields() -> [(usize, &'static str); 6] {
    // TransformLength, TransformType, TransformID length (76 bytes of UTF-16), TransformName
    // length (62 bytes + 2 pad), three versions, ExtensibilityHeader, XrMLLicense length.
    [
        (0, "TransformLength"),
        (4, "TransformType"),
        (8, "TransformID length"),
        (88, "TransformName length"),
        (168, "ExtensibilityHeader"),
        (172, "XrMLLicense length"),
    ]
}

fn check_fields_reject(bytes: &[u8], fields: &[(usize, &str)], parse: impl Fn(&[u8]) -> bool) {
    for &(at, name) in fields {
        let orig = get_u32(bytes, at);
        for v in [0, orig.wrapping_add(4), u32::MAX] {
            let m = set_u32(bytes, at, v);
            assert!(!parse(&m), "{name} = {v:#x} must be rejected");
        }
    }
}

#[test]
fn transform_info_fields_where_expected() {
    let b = common::primary();
    assert_eq!(get_u32(&b, 0), 0x58);
    assert_eq!(get_u32(&b, 4), 1);
    assert_eq!(get_u32(&b, 8), 76);
    assert_eq!(get_u32(&b, 88), 62);
    assert_eq!(get_u32(&b, 168), 4);
    assert_eq!(get_u32(&b, 172) as usize, b.len() - 176);
}

#[test]
fn transform_info_every_prefix_is_rejected() {
    let b = common::primary();
    for n in 0..b.len() {
        assert!(IrmTransformInfo::parse(&b[..n]).is_err(), "prefix {n}");
    }
}

#[test]
fn transform_info_length_fields_zero_inflated_max_are_rejected() {
    check_fields_reject(&common::primary(), &transform_info_fields(), |m| {
        IrmTransformInfo::parse(m).is_ok()
    });
    // And on a licence whose length needs padding.
    let padded = IrmTransformInfo::new(b"<XrML a=\"1\"/>".to_vec())
        .unwrap()
        .to_bytes();
    check_fields_reject(&padded, &transform_info_fields(), |m| {
        IrmTransformInfo::parse(m).is_ok()
    });
}

#[test]
fn transform_info_padding_rules() {
    let info = IrmTransformInfo::new(b"<XrML a=\"1\"/>".to_vec()).unwrap();
    let b = info.to_bytes();
    assert_eq!(b.len(), 176 + 16);
    // Every prefix fails except the one that stops right after the licence (pad omitted),
    // which round-trips as it was.
    for n in 0..b.len() {
        let r = IrmTransformInfo::parse(&b[..n]);
        if n == b.len() - 3 {
            let short = r.unwrap();
            assert!(!short.padded);
            assert_eq!(short.license, info.license);
            assert_eq!(short.to_bytes(), &b[..n]);
        } else {
            assert!(r.is_err(), "prefix {n}");
        }
    }
    // Non-zero padding and trailing bytes are rejected.
    let mut bad = b.clone();
    *bad.last_mut().unwrap() = 1;
    assert!(IrmTransformInfo::parse(&bad).is_err());
    let mut long = b.clone();
    long.extend_from_slice(&[0; 4]);
    assert!(IrmTransformInfo::parse(&long).is_err());
}

#[test]
fn transform_info_bom_is_remembered() {
    let mut b = IrmTransformInfo::new(b"<XrML/>".to_vec())
        .unwrap()
        .to_bytes();
    // Rewrite the licence with a BOM: 3 + 7 = 10 bytes, 2 pad.
    b.truncate(172);
    b.extend_from_slice(&10u32.to_le_bytes());
    b.extend_from_slice(b"\xEF\xBB\xBF<XrML/>\0\0");
    let info = IrmTransformInfo::parse(&b).unwrap();
    assert!(info.bom);
    assert_eq!(info.license, b"<XrML/>");
    assert_eq!(info.to_bytes(), b);
    // new() strips it.
    let fresh = IrmTransformInfo::new(b"\xEF\xBB\xBF<XrML/>".to_vec()).unwrap();
    assert!(!fresh.bom);
    assert_eq!(fresh.license, b"<XrML/>");
}

#[test]
fn transform_info_rejects_other_transforms_and_bad_headers() {
    // The password transform's \x06Primary is not an IRM one.
    let strong = docseal_crypto::dataspaces::strong_encryption_streams();
    assert!(IrmTransformInfo::parse(&strong[3].1).is_err());
    let good = IrmTransformInfo::new(b"<XrML/>".to_vec())
        .unwrap()
        .to_bytes();
    // Wrong class id character, wrong name character, non-zero UTF-16 pad, bad version ok.
    let mut id = good.clone();
    id[14] = b'D';
    assert!(IrmTransformInfo::parse(&id).is_err());
    let mut name = good.clone();
    name[92] = b'X';
    assert!(IrmTransformInfo::parse(&name).is_err());
    let mut pad = good.clone();
    pad[154] = 1;
    assert!(IrmTransformInfo::parse(&pad).is_err());
    // Empty licence.
    assert!(IrmTransformInfo::new(Vec::new()).is_err());
    assert!(IrmTransformInfo::new(b"\xEF\xBB\xBF".to_vec()).is_err());
}

// ---------------------------------------------------------------------------------------
// End-user licences.

fn cert(xml: &str) -> String {
    let utf16: Vec<u8> = xml.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    b64(&utf16)
}

fn chain_xml() -> String {
    let use_licence = "<XrML version=\"1.2\"><BODY type=\"LICENSE\" version=\"3.0\"><ISSUEDTIME>2019-01-02T03:04</ISSUEDTIME>\
        <DESCRIPTOR><OBJECT type=\"End-User-License\"><ID type=\"MS-GUID\">{AAAAAAAA-0000-0000-0000-000000000001}</ID></OBJECT></DESCRIPTOR>\
        <WORK><OBJECT><ID type=\"MS-GUID\">{76D13F3F-BEF7-471C-8C94-45DA2BA35FD8}</ID></OBJECT>\
        <RIGHTSGROUP name=\"Main-Rights\"><RIGHTSLIST><RIGHT name=\"VIEW\"><CONDITIONLIST><TIME><RANGETIME><FROM>2019-01-02T03:04</FROM><UNTIL>2019-02-02T03:04</UNTIL></RANGETIME></TIME></CONDITIONLIST></RIGHT></RIGHTSLIST></RIGHTSGROUP></WORK>\
        </BODY><SIGNATURE/></XrML>";
    let rac = "<XrML version=\"1.2\"><BODY type=\"LICENSE\"><DESCRIPTOR><OBJECT type=\"Rights-Account-Certificate\"/></DESCRIPTOR></BODY></XrML>";
    format!(
        "<?xml version=\"1.0\"?><certificatechain><certificate>{}</certificate><certificate>\n{}\n</certificate></certificatechain>",
        cert(use_licence),
        cert(rac)
    )
}

fn sample_eul() -> Vec<u8> {
    EndUserLicense::new(
        "Windows:alice@example.com",
        chain_xml().into_bytes(),
        &XmlLimits::default(),
    )
    .unwrap()
    .to_bytes()
}

#[test]
fn eul_round_trip_and_fields() {
    let b = sample_eul();
    let eul = EndUserLicense::parse(&b, &XmlLimits::default()).unwrap();
    assert_eq!(eul.to_bytes(), b);
    assert_eq!(eul.license_id.as_deref(), Some("Windows:alice@example.com"));
    assert_eq!(
        eul.license_id_parts(),
        Some(("Windows", "alice@example.com"))
    );
    assert_eq!(
        eul.id_string,
        b64(&"Windows:alice@example.com"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect::<Vec<_>>())
    );
    assert_eq!(eul.certificate_count, 2);
    // Header length = 4 + 4 + len(ID_String) padded.
    let id_len = eul.id_string.len();
    assert_eq!(get_u32(&b, 0) as usize, 8 + id_len.div_ceil(4) * 4);
    let docs = eul.documents(&XmlLimits::default()).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].rights[0].name, "VIEW");
    assert_eq!(
        docs[0].validity.as_ref().unwrap().until.as_deref(),
        Some("2019-02-02T03:04")
    );
    assert_eq!(
        docs[1].descriptor.as_ref().unwrap().object_type.as_deref(),
        Some("Rights-Account-Certificate")
    );
}

#[test]
fn eul_every_prefix_is_rejected() {
    let b = sample_eul();
    let xml_len = chain_xml().len();
    let pad = (4 - xml_len % 4) % 4;
    for n in 0..b.len() {
        let r = EndUserLicense::parse(&b[..n], &XmlLimits::default());
        if pad != 0 && n == b.len() - pad {
            // Stops right after the XML: accepted without padding, reproduced as it was.
            assert_eq!(r.unwrap().to_bytes(), &b[..n]);
        } else {
            assert!(r.is_err(), "prefix {n}");
        }
    }
}

#[test]
fn eul_length_fields_zero_inflated_max_are_rejected() {
    let b = sample_eul();
    let header_len = get_u32(&b, 0) as usize;
    let fields = [
        (0, "EndUserLicenseHeader Length"),
        (4, "ID_String length"),
        (header_len, "licence length"),
    ];
    check_fields_reject(&b, &fields, |m| {
        EndUserLicense::parse(m, &XmlLimits::default()).is_ok()
    });
}

#[test]
fn eul_rejects_bad_content() {
    let limits = XmlLimits::default();
    // Not a certificate chain.
    assert!(EndUserLicense::new("Windows:a", b"<XrML/>".to_vec(), &limits).is_err());
    // A certificate that is not base64 of UTF-16LE.
    assert!(EndUserLicense::new(
        "Windows:a",
        b"<certificatechain><certificate>@@@</certificate></certificatechain>".to_vec(),
        &limits
    )
    .is_err());
    assert!(EndUserLicense::new(
        "Windows:a",
        b"<certificatechain><certificate>QUJD</certificate></certificatechain>".to_vec(),
        &limits
    )
    .is_err());
    // An ID_String that is not base64 still parses, without a decoded id.
    let mut eul = EndUserLicense::parse(&sample_eul(), &limits).unwrap();
    eul.id_string = "not base64!".into();
    let again = EndUserLicense::parse(&eul.to_bytes(), &limits).unwrap();
    assert_eq!(again.license_id, None);
    assert_eq!(again.to_bytes(), eul.to_bytes());
}

/// Standard base64 (the `base64` crate the library itself uses).
fn b64(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}
