//! The two label documents: parsing, lossless editing, Office's serialization, hostile input.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use docseal_labels::{
    ContentBits, CustomProperties, Error, Guid, Label, LabelInfo, Method, XmlLimits,
};
use proptest::prelude::*;

fn g(s: &str) -> Guid {
    s.parse().unwrap()
}

fn label() -> Label {
    Label::new(
        g("3a6c1e7e-2f4b-4c8e-9d61-0123456789ab"),
        g("5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817"),
    )
    .with_name("Confidential")
    .with_set_date("2024-05-01T10:00:00Z")
}

const MIXED: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Count\"><vt:i4>42</vt:i4></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"3\" name=\"MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_Enabled\"><vt:lpwstr>True</vt:lpwstr></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"4\" name=\"Reviewed\"><vt:bool>true</vt:bool></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"5\" name=\"MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_SiteId\"><vt:lpwstr>5E2D1C3B-4A59-4F68-8E7D-6C5B4A392817</vt:lpwstr></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"6\" name=\"Due\"><vt:filetime>2024-05-01T10:00:00Z</vt:filetime></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"7\" name=\"Tags\"><vt:vector size=\"2\" baseType=\"lpwstr\"><vt:lpwstr>a &amp; b</vt:lpwstr><vt:lpwstr>c</vt:lpwstr></vt:vector></property>",
    "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"9\" name=\"Ratio\"><vt:r8>0.5</vt:r8></property>",
    "</Properties>"
);

#[test]
fn custom_properties_keep_every_other_property_byte_for_byte() {
    let mut doc = CustomProperties::parse(MIXED.as_bytes(), &XmlLimits::default()).unwrap();
    let (labels, warnings) = doc.labels();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(labels.len(), 1);
    assert!(labels[0].enabled, "True compares case-insensitively");
    assert_eq!(labels[0].site_id, g("5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817"));
    assert_eq!(doc.get("count").unwrap().kind, "i4");
    assert_eq!(
        doc.get("Tags").unwrap().value,
        None,
        "vectors are structured"
    );
    // Unchanged: identical.
    assert_eq!(doc.to_bytes(), MIXED.as_bytes());
    // Replace the label: the other properties' elements are kept verbatim and new pids follow
    // the highest (9).
    assert_eq!(doc.remove_labels(|_, _| true), 1);
    doc.add_label(&label());
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    for keep in [
        "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Count\"><vt:i4>42</vt:i4></property>",
        "<vt:vector size=\"2\" baseType=\"lpwstr\"><vt:lpwstr>a &amp; b</vt:lpwstr><vt:lpwstr>c</vt:lpwstr></vt:vector>",
        "name=\"Ratio\"><vt:r8>0.5</vt:r8></property>",
    ] {
        assert!(text.contains(keep), "{keep}");
    }
    assert!(text.contains("pid=\"10\" name=\"MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_Enabled\"><vt:lpwstr>true</vt:lpwstr>"));
    assert!(!text.contains("True"));
    let again = CustomProperties::parse(text.as_bytes(), &XmlLimits::default()).unwrap();
    assert_eq!(again.labels().0, vec![label()]);
    assert_eq!(again.properties().count(), 5 + 6);
}

#[test]
fn custom_properties_with_a_prefixed_root_an_empty_root_and_no_vt_namespace() {
    let prefixed = r#"<op:Properties xmlns:op="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:v="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></op:Properties>"#;
    let mut doc = CustomProperties::parse(prefixed.as_bytes(), &XmlLimits::default()).unwrap();
    doc.add_label(&label());
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    assert!(text.contains("<op:property fmtid="));
    assert!(text.contains("<v:lpwstr>Confidential</v:lpwstr>"));
    assert_eq!(
        CustomProperties::parse(text.as_bytes(), &XmlLimits::default())
            .unwrap()
            .labels()
            .0,
        vec![label()]
    );
    let empty = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>"#;
    let mut doc = CustomProperties::parse(empty.as_bytes(), &XmlLimits::default()).unwrap();
    assert_eq!(doc.to_bytes(), empty.as_bytes());
    doc.add_label(&label());
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    assert!(text.contains(
        "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\""
    ));
    assert!(text.ends_with("</Properties>"));
    assert_eq!(
        CustomProperties::parse(text.as_bytes(), &XmlLimits::default())
            .unwrap()
            .labels()
            .0,
        vec![label()]
    );
}

#[test]
fn incomplete_msip_groups_are_warnings_not_labels() {
    let mut doc = CustomProperties::new_part();
    doc.push_text(
        "MSIP_Label_3a6c1e7e-2f4b-4c8e-9d61-0123456789ab_Enabled",
        "true",
    );
    doc.push_text("MSIP_Label_nonsense_Enabled", "true");
    doc.push_text(
        "MSIP_Label_11111111-1111-1111-1111-111111111111_SiteId",
        "x",
    );
    let (labels, warnings) = doc.labels();
    assert!(labels.is_empty());
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    // They can still be removed.
    assert_eq!(doc.remove_labels(|_, _| true), 2);
}

const OFFICE_LABEL_INFO: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{20000000-0000-0000-0000-000000000000}" enabled="1" method="Privileged" siteId="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" contentBits="0" removed="0" /><clbl:extLst><clbl:ext uri="{00000000-1111-2222-3333-444444444444}"><x:y xmlns:x="urn:x">keep</x:y></clbl:ext></clbl:extLst></clbl:labelList>"#;

#[test]
fn label_info_insertions_keep_order_and_extensions() {
    let mut doc = LabelInfo::parse(OFFICE_LABEL_INFO.as_bytes(), &XmlLimits::default()).unwrap();
    assert_eq!(doc.to_bytes(), OFFICE_LABEL_INFO.as_bytes());
    let before = Label::new(
        g("10000000-0000-0000-0000-000000000000"),
        g("aaaaaaaa-0000-0000-0000-000000000000"),
    );
    let after = Label::new(
        g("30000000-0000-0000-0000-000000000000"),
        g("bbbbbbbb-0000-0000-0000-000000000000"),
    )
    .with_content_bits(ContentBits::ENCRYPTION);
    doc.add_label(&after);
    doc.add_label(&before);
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    let pos = |s: &str| text.find(s).unwrap();
    assert!(pos("{10000000") < pos("{20000000"));
    assert!(pos("{20000000") < pos("{30000000"));
    assert!(pos("{30000000") < pos("<clbl:extLst>"));
    assert!(text.contains(r#"<x:y xmlns:x="urn:x">keep</x:y>"#));
    let again = LabelInfo::parse(text.as_bytes(), &XmlLimits::default()).unwrap();
    let ids: Vec<Guid> = again.labels().iter().map(|l| l.id).collect();
    assert_eq!(
        ids,
        vec![
            before.id,
            g("20000000-0000-0000-0000-000000000000"),
            after.id
        ]
    );
    assert_eq!(
        again.labels()[2].content_bits,
        Some(ContentBits::ENCRYPTION)
    );
    // Removing the original element leaves the others and the extension.
    let mut doc = again;
    assert_eq!(
        doc.remove_where(|l| l.id == g("20000000-0000-0000-0000-000000000000")),
        1
    );
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    assert!(!text.contains("{20000000"));
    assert!(text.contains("<clbl:extLst>"));
}

#[test]
fn label_info_empty_list_and_removed_marker() {
    let empty = r#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata" />"#;
    let mut doc = LabelInfo::parse(empty.as_bytes(), &XmlLimits::default()).unwrap();
    assert!(doc.labels().is_empty());
    let site = g("5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817");
    doc.add_label(&Label::removed_marker(site));
    let text = String::from_utf8(doc.to_bytes()).unwrap();
    assert!(text.ends_with(r#"<clbl:label id="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" enabled="0" method="Standard" siteId="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" removed="1" /></clbl:labelList>"#), "{text}");
    let fresh = LabelInfo::new_part().to_bytes();
    assert_eq!(
        fresh,
        format!("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>{empty}").as_bytes()
    );
}

#[test]
fn label_info_defects_are_named() {
    let limits = XmlLimits::default();
    let cases: [(&str, &str); 5] = [
        ("<a/>", "not clbl:labelList"),
        (
            r#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{20000000-0000-0000-0000-000000000000}" enabled="1" method="Standard" removed="0"/></clbl:labelList>"#,
            "no siteId",
        ),
        (
            r#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{20000000-0000-0000-0000-000000000000}" enabled="yes" method="Standard" siteId="{20000000-0000-0000-0000-000000000000}" removed="0"/></clbl:labelList>"#,
            "enabled",
        ),
        (
            r#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">"#,
            "not closed",
        ),
        ("\u{FEFF}<x", "LabelInfo"),
    ];
    for (input, want) in cases {
        match LabelInfo::parse(input.as_bytes(), &limits) {
            Err(Error::Malformed { detail, .. }) => {
                assert!(detail.contains(want), "{input}: {detail}")
            }
            other => panic!("{input}: {other:?}"),
        }
    }
    let doctype = r#"<!DOCTYPE x [<!ENTITY a "b">]><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"/>"#;
    assert!(matches!(
        LabelInfo::parse(doctype.as_bytes(), &limits),
        Err(Error::Unsupported { .. })
    ));
    let deep = format!(
        "<clbl:labelList xmlns:clbl=\"http://schemas.microsoft.com/office/2020/mipLabelMetadata\">{}{}</clbl:labelList>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    assert!(matches!(
        LabelInfo::parse(deep.as_bytes(), &limits),
        Err(Error::LimitExceeded { .. })
    ));
    let mut small = XmlLimits::default();
    small.max_part_size = 10;
    assert!(matches!(
        LabelInfo::parse(OFFICE_LABEL_INFO.as_bytes(), &small),
        Err(Error::LimitExceeded { .. })
    ));
}

#[test]
fn guids_and_methods() {
    for bad in [
        "",
        "{}",
        "{3a6c1e7e-2f4b-4c8e-9d61-0123456789ab",
        "3a6c1e7e-2f4b-4c8e-9d61-0123456789ag",
        "3a6c1e7e_2f4b-4c8e-9d61-0123456789ab",
        "3a6c1e7e-2f4b-4c8e-9d61-0123456789abc",
    ] {
        assert!(Guid::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(Method::from_text("privileged"), Method::Privileged);
    assert_eq!(Method::from_text("Auto").as_str(), "Auto");
    assert!(ContentBits::parse_names("header,bogus").is_err());
    assert_eq!(ContentBits(0x13).names(), vec!["header", "footer", "0x10"]);
}

proptest! {
    /// Arbitrary text never panics either parser.
    #[test]
    fn parsers_never_panic(s in "\\PC{0,200}") {
        let _ = LabelInfo::parse(s.as_bytes(), &XmlLimits::default());
        let _ = CustomProperties::parse(s.as_bytes(), &XmlLimits::default());
    }

    /// Mutations of real documents never panic, and what parses re-serializes to itself.
    #[test]
    fn mutated_documents(pos in 0usize..900, byte in any::<u8>(), which in any::<bool>()) {
        let base = if which { OFFICE_LABEL_INFO } else { MIXED };
        let mut b = base.as_bytes().to_vec();
        let i = pos % b.len();
        b[i] = byte;
        if let Ok(d) = LabelInfo::parse(&b, &XmlLimits::default()) {
            prop_assert_eq!(d.to_bytes(), b.clone());
        }
        if let Ok(d) = CustomProperties::parse(&b, &XmlLimits::default()) {
            prop_assert_eq!(d.to_bytes(), b.clone());
        }
    }
}

/// Found by fuzzing: a UTF-8 byte-order mark before the declaration shifted every recorded
/// position by three bytes, so an edit cut the wrong bytes. The mark is kept, positions are
/// counted after it.
#[test]
fn a_byte_order_mark_is_kept_and_does_not_shift_edits() {
    let with_bom = format!("\u{FEFF}{MIXED}");
    let mut doc = CustomProperties::parse(with_bom.as_bytes(), &XmlLimits::default()).unwrap();
    assert_eq!(doc.to_bytes(), with_bom.as_bytes());
    doc.remove_labels(|_, _| true);
    doc.add_label(&label());
    let out = doc.to_bytes();
    assert!(out.starts_with(b"\xEF\xBB\xBF<?xml"));
    assert_eq!(
        CustomProperties::parse(&out, &XmlLimits::default())
            .unwrap()
            .labels()
            .0,
        vec![label()]
    );
    let li = format!("\u{FEFF}{OFFICE_LABEL_INFO}");
    let mut doc = LabelInfo::parse(li.as_bytes(), &XmlLimits::default()).unwrap();
    assert_eq!(doc.to_bytes(), li.as_bytes());
    doc.remove_where(|_| true);
    doc.add_label(&label());
    let out = doc.to_bytes();
    assert_eq!(
        LabelInfo::parse(&out, &XmlLimits::default())
            .unwrap()
            .labels(),
        vec![label().label_info_view()]
    );
}

/// Found by fuzzing: quick-xml accepts `xmlns:!t=…`; writing `<!t:lpwstr>` back made the part
/// unreadable. A declared prefix that is not an NCName is not used (ours is declared instead),
/// and a root element with such a prefix is malformed.
#[test]
fn prefixes_that_are_not_names_are_not_written_back() {
    let odd = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:!t="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;
    let mut doc = CustomProperties::parse(odd.as_bytes(), &XmlLimits::default()).unwrap();
    doc.add_label(&label());
    let out = doc.to_bytes();
    assert!(!String::from_utf8_lossy(&out).contains("<!t:"));
    assert_eq!(
        CustomProperties::parse(&out, &XmlLimits::default())
            .unwrap()
            .labels()
            .0,
        vec![label()]
    );
    let bad_root =
        r#"<!c:labelList xmlns:!c="http://schemas.microsoft.com/office/2020/mipLabelMetadata"/>"#;
    assert!(LabelInfo::parse(bad_root.as_bytes(), &XmlLimits::default()).is_err());
}

/// Found by fuzzing: a second root element replaced the first one's positions while the first
/// one's properties stayed listed, and an edit sliced backwards (panic). More than one root is
/// malformed.
#[test]
fn a_second_root_element_is_malformed() {
    let two = format!("{MIXED}{MIXED}");
    assert!(matches!(
        CustomProperties::parse(two.as_bytes(), &XmlLimits::default()),
        Err(Error::Malformed { .. })
    ));
    let two = format!("{OFFICE_LABEL_INFO}<clbl:labelList xmlns:clbl=\"http://schemas.microsoft.com/office/2020/mipLabelMetadata\"/>");
    assert!(matches!(
        LabelInfo::parse(two.as_bytes(), &XmlLimits::default()),
        Err(Error::Malformed { .. })
    ));
}

/// Found by fuzzing: two byte-order marks shifted positions again (the reader skips the second
/// one as well). Only one is accepted.
#[test]
fn two_byte_order_marks_are_malformed() {
    let twice = format!("\u{FEFF}\u{FEFF}{OFFICE_LABEL_INFO}");
    assert!(matches!(
        LabelInfo::parse(twice.as_bytes(), &XmlLimits::default()),
        Err(Error::Malformed { .. })
    ));
}
