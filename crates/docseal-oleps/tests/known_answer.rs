//! Byte-exact streams built by hand from the [MS-OLEPS] rules, read and written.
#![allow(clippy::unwrap_used)]

use docseal_oleps::{
    vt, CodePageString, Elements, Error, Limits, PropertySetStream, Section, UnicodeString, Value,
    FMTID_DOC_SUMMARY_INFORMATION, FMTID_USER_DEFINED_PROPERTIES, PID_CODEPAGE,
};

/// Concatenates little pieces of a stream.
fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

const DOC_SUMMARY: [u8; 16] = [
    0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];
const USER_DEFINED: [u8; 16] = [
    0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];

/// Stream header: byte order, version 0, system identifier 0x00020006, null CLSID, 2 sections.
fn header(second_offset: u32) -> Vec<u8> {
    cat(&[
        &[0xFE, 0xFF, 0x00, 0x00],
        &[0x06, 0x00, 0x02, 0x00],
        &[0; 16],
        &le32(2),
        &DOC_SUMMARY,
        &le32(68), // 28 + 2 * 20
        &USER_DEFINED,
        &le32(second_offset),
    ])
}

/// Section 1: only the code page, VT_I2 padded to 4 bytes. 8 + 8 + 8 = 24 bytes.
fn doc_summary_section(codepage: u16) -> Vec<u8> {
    cat(&[
        &le32(24),
        &le32(1),
        &le32(1),
        &le32(16),
        &[0x02, 0x00, 0x00, 0x00],
        &codepage.to_le_bytes(),
        &[0, 0],
    ])
}

/// Code page 1252: dictionary {2: "Owner"} (8-bit names, length counts the NUL, no padding per
/// entry, the whole dictionary padded to 4), code page, property 2 = VT_LPSTR "Ann".
fn stream_1252() -> Vec<u8> {
    let user = cat(&[
        &le32(72),
        &le32(3),
        &le32(0),
        &le32(32),
        &le32(1),
        &le32(52),
        &le32(2),
        &le32(60),
        // dictionary at 32: 4 + 4 + 4 + 6 = 18 bytes, padded to 20
        &le32(1),
        &le32(2),
        &le32(6),
        b"Owner\0",
        &[0, 0],
        // code page at 52
        &[0x02, 0x00, 0x00, 0x00, 0xE4, 0x04, 0x00, 0x00],
        // VT_LPSTR at 60: size 4 includes the NUL
        &[0x1E, 0x00, 0x00, 0x00],
        &le32(4),
        b"Ann\0",
    ]);
    assert_eq!(user.len(), 72);
    cat(&[&header(68 + 24), &doc_summary_section(1252), &user])
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Code page 1200: dictionary {2: "Team", 3: "Owner"} (length in UTF-16 units with the NUL, each
/// name padded to 4 bytes), code page, property 2 = VT_LPSTR "Ann" (a CodePageString is UTF-16
/// here, its size in bytes with the 2-byte NUL), property 3 = VT_LPWSTR "Bo" (length in
/// characters with the NUL, padded to 4).
fn stream_1200() -> Vec<u8> {
    let user = cat(&[
        &le32(124),
        &le32(4),
        &le32(0),
        &le32(40),
        &le32(1),
        &le32(84),
        &le32(2),
        &le32(92),
        &le32(3),
        &le32(108),
        // dictionary at 40: 44 bytes
        &le32(2),
        &le32(2),
        &le32(5),
        &utf16("Team\0"),
        &[0, 0],
        &le32(3),
        &le32(6),
        &utf16("Owner\0"),
        // code page at 84
        &[0x02, 0x00, 0x00, 0x00, 0xB0, 0x04, 0x00, 0x00],
        // VT_LPSTR at 92
        &[0x1E, 0x00, 0x00, 0x00],
        &le32(8),
        &utf16("Ann\0"),
        // VT_LPWSTR at 108
        &[0x1F, 0x00, 0x00, 0x00],
        &le32(3),
        &utf16("Bo\0"),
        &[0, 0],
    ]);
    assert_eq!(user.len(), 124);
    cat(&[&header(68 + 24), &doc_summary_section(1200), &user])
}

#[test]
fn user_defined_section_in_code_page_1252() {
    let bytes = stream_1252();
    let s = PropertySetStream::parse(&bytes).unwrap();
    assert_eq!(s.version, 0);
    assert_eq!(s.system_identifier, 0x0002_0006);
    assert_eq!(s.sections.len(), 2);
    assert_eq!(s.sections[0].fmtid, FMTID_DOC_SUMMARY_INFORMATION);
    let user = s.user_defined().unwrap();
    assert_eq!(user.codepage(), Some(1252));
    assert_eq!(
        user.dictionary().unwrap(),
        &[(2, CodePageString(b"Owner\0".to_vec()))]
    );
    let named = user.named_properties();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].0, "Owner");
    assert_eq!(named[0].1.as_text(Some(1252)).as_deref(), Some("Ann"));
    assert_eq!(
        user.get_named("OWNER"),
        Some(&Value::Lpstr(CodePageString(b"Ann\0".to_vec())))
    );
    assert_eq!(s.to_bytes(), bytes);

    // The same stream built through the API.
    let mut built = PropertySetStream::new();
    let custom = built.user_defined_mut();
    custom.set_named("Owner", Value::lpstr("Ann", 1252).unwrap());
    assert_eq!(built.to_bytes(), bytes);
    assert_eq!(built, s);
}

#[test]
fn user_defined_section_in_code_page_1200() {
    let bytes = stream_1200();
    let s = PropertySetStream::parse(&bytes).unwrap();
    let user = s.user_defined().unwrap();
    assert_eq!(user.codepage(), Some(1200));
    let names: Vec<String> = user
        .named_properties()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["Team", "Owner"]);
    assert_eq!(
        user.get_named("team")
            .unwrap()
            .as_text(user.codepage())
            .as_deref(),
        Some("Ann")
    );
    assert_eq!(
        user.get_named("Owner"),
        Some(&Value::Lpwstr(UnicodeString::new("Bo")))
    );
    assert_eq!(s.to_bytes(), bytes);

    let mut built = PropertySetStream::new();
    built
        .sections
        .push(Section::with_codepage(FMTID_DOC_SUMMARY_INFORMATION, 1200));
    let custom = built.user_defined_mut();
    assert_eq!(custom.codepage(), Some(1200));
    let team = custom.text("Ann");
    custom.set_named("Team", team);
    custom.set_named("Owner", Value::lpwstr("Bo"));
    assert_eq!(built.to_bytes(), bytes);
}

#[test]
fn set_named_replaces_and_remove_named_removes() {
    let mut s = PropertySetStream::parse(&stream_1252()).unwrap();
    let user = s.user_defined_mut();
    user.set_named("owner", Value::I4(5));
    assert_eq!(user.dictionary().unwrap().len(), 1, "replaced, not added");
    assert_eq!(user.get_named("Owner"), Some(&Value::I4(5)));
    user.set_named("Caf\u{e9}", Value::Bool(true));
    assert_eq!(
        user.get(3),
        Some(&Value::Bool(true)),
        "next id after the highest"
    );
    assert_eq!(user.name(3).as_deref(), Some("Caf\u{e9}"));
    assert!(user.remove_named("OWNER"));
    assert!(!user.remove_named("owner"));
    assert_eq!(user.get(2), None);
    assert_eq!(user.named_properties().len(), 1);
    let back = PropertySetStream::parse(&s.to_bytes()).unwrap();
    assert_eq!(back, s);
    // The first section was not touched and is written as it was.
    assert_eq!(back.to_bytes()[68..92], stream_1252()[68..92]);
}

#[test]
fn office_vectors_without_padding_between_strings() {
    // TitlesOfParts and HeadingPairs as PowerPoint and Excel write them: the strings of a
    // vector back to back, the value not padded at its end, the next offset unaligned.
    let titles = cat(&[
        &[0x1E, 0x10, 0, 0],
        &le32(2),
        &le32(7),
        b"Sheet1\0",
        &le32(3),
        b"Ab\0",
    ]);
    let pairs = cat(&[
        &[0x0C, 0x10, 0, 0],
        &le32(2),
        &[0x1E, 0, 0, 0],
        &le32(11),
        b"Worksheets\0",
        &[0x03, 0, 0, 0],
        &le32(2),
    ]);
    let table_end = 8 + 2 * 8;
    let size = table_end + titles.len() + pairs.len();
    let section = cat(&[
        &le32(size as u32),
        &le32(2),
        &le32(0x0D),
        &le32(table_end as u32),
        &le32(0x0C),
        &le32((table_end + titles.len()) as u32),
        &titles,
        &pairs,
    ]);
    let bytes = cat(&[
        &[0xFE, 0xFF, 0, 0, 0x05, 0x01, 0x02, 0x00],
        &[0; 16],
        &le32(1),
        &DOC_SUMMARY,
        &le32(48),
        &section,
    ]);
    let s = PropertySetStream::parse(&bytes).unwrap();
    let sec = &s.sections[0];
    assert_eq!(
        sec.get(0x0D),
        Some(&Value::Vector(Elements::Lpstr(vec![
            CodePageString(b"Sheet1\0".to_vec()),
            CodePageString(b"Ab\0".to_vec()),
        ])))
    );
    assert_eq!(
        sec.get(0x0C),
        Some(&Value::Vector(Elements::Variant(vec![
            Value::Lpstr(CodePageString(b"Worksheets\0".to_vec())),
            Value::I4(2),
        ])))
    );
    assert_eq!(s.to_bytes(), bytes);

    // Changing another property lays the section out again; the two vectors keep their bytes,
    // now at aligned offsets.
    let mut changed = s.clone();
    changed.sections[0].set(PID_CODEPAGE, Value::I2(1252));
    let out = changed.to_bytes();
    let again = PropertySetStream::parse(&out).unwrap();
    assert_eq!(again, changed);
    let find = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
    assert!(
        find(&titles) && find(&pairs),
        "unchanged values keep their stored bytes"
    );
}

#[test]
fn non_canonical_layouts_are_kept() {
    // Values stored in reverse table order, nonzero padding after a VT_I2, slack at the end of
    // the section, and bytes after it.
    let section = cat(&[
        &le32(8 + 16 + 8 + 8 + 4),
        &le32(2),
        &le32(1),
        &le32(32),
        &le32(5),
        &le32(24),
        &[0x03, 0, 0, 0],
        &le32(77),                                      // property 5: VT_I4 77 at 24
        &[0x02, 0, 0xAA, 0xBB, 0xE4, 0x04, 0xCC, 0xDD], // code page with garbage padding at 32
        &[0xEE; 4],                                     // slack
    ]);
    let bytes = cat(&[
        &[0xFE, 0xFF, 0, 0, 0x06, 0x00, 0x02, 0x00],
        &[0; 16],
        &le32(1),
        &USER_DEFINED,
        &le32(48),
        &section,
        &[0; 12],
    ]);
    let s = PropertySetStream::parse(&bytes).unwrap();
    assert_eq!(s.sections[0].codepage(), Some(1252));
    assert_eq!(s.sections[0].get(5), Some(&Value::I4(77)));
    assert_eq!(s.to_bytes(), bytes);

    let mut changed = s.clone();
    changed.sections[0].set(5, Value::I4(78));
    let out = changed.to_bytes();
    assert_eq!(out.len(), bytes.len(), "padded to the original length");
    // Table order now, the code page with its stored bytes (garbage padding and slack too).
    let sec = &out[48..];
    assert_eq!(&sec[8..12], &le32(1));
    assert_eq!(
        &sec[24..36],
        &[0x02, 0, 0xAA, 0xBB, 0xE4, 0x04, 0xCC, 0xDD, 0xEE, 0xEE, 0xEE, 0xEE]
    );
    assert_eq!(&sec[36..44], &[0x03, 0, 0, 0, 78, 0, 0, 0]);
    assert_eq!(PropertySetStream::parse(&out).unwrap(), changed);
}

#[test]
fn every_type_has_its_canonical_size() {
    let cases: Vec<(Value, usize)> = vec![
        (Value::Empty, 4),
        (Value::I1(-1), 8),
        (Value::I2(1), 8),
        (Value::Bool(true), 8),
        (Value::R8(1.5), 12),
        (Value::Decimal(Default::default()), 20),
        (Value::Lpstr(CodePageString(b"ab\0".to_vec())), 12),
        (Value::Lpwstr(UnicodeString::new("abc")), 16),
        (Value::Blob(vec![1, 2, 3, 4, 5]), 16),
        (Value::Clsid([7; 16]), 20),
        (Value::Vector(Elements::I2(vec![1, 2, 3])), 16),
        (Value::Vector(Elements::Ui1(vec![])), 8),
        (
            Value::Vector(Elements::Lpstr(vec![CodePageString(b"a\0".to_vec()); 2])),
            24,
        ),
    ];
    for (v, size) in cases {
        let mut s = PropertySetStream::new();
        let mut sec = Section::with_codepage(FMTID_USER_DEFINED_PROPERTIES, 1252);
        sec.set(2, v.clone());
        s.sections.push(sec);
        let bytes = s.to_bytes();
        // 48 header + 8 section header + 16 table + 8 code page
        assert_eq!(bytes.len() - 80, size, "{v:?}");
        assert_eq!(u16::from_le_bytes([bytes[80], bytes[81]]), v.vt().unwrap());
        assert_eq!(PropertySetStream::parse(&bytes).unwrap(), s);
    }
    assert_eq!(
        Value::Vector(Elements::Variant(vec![])).vt(),
        Some(vt::VECTOR | vt::VARIANT)
    );
}

#[test]
fn limits_and_errors() {
    // A vector of 5 VT_I4 with max_elements 4.
    let mut s = PropertySetStream::new();
    let mut sec = Section::new(FMTID_USER_DEFINED_PROPERTIES);
    sec.set(2, Value::Vector(Elements::I4(vec![1, 2, 3, 4, 5])));
    s.sections.push(sec);
    let bytes = s.to_bytes();
    let mut limits = Limits::default();
    limits.max_elements = 4;
    assert!(matches!(
        PropertySetStream::parse_with_limits(&bytes, &limits),
        Err(Error::LimitExceeded { .. })
    ));

    // Variants nested three deep with max_depth 2.
    let mut v = Value::I4(1);
    for _ in 0..3 {
        v = Value::Vector(Elements::Variant(vec![v]));
    }
    s.sections[0].set(2, v);
    let bytes = s.to_bytes();
    limits = Limits::default();
    limits.max_depth = 2;
    assert!(matches!(
        PropertySetStream::parse_with_limits(&bytes, &limits),
        Err(Error::LimitExceeded { .. })
    ));
    limits.max_depth = 3;
    assert_eq!(
        PropertySetStream::parse_with_limits(&bytes, &limits).unwrap(),
        s
    );

    // A vector count far beyond the data is a broken value, kept raw.
    let mut broken = bytes.clone();
    let at = broken.len() - 12; // inside the nested vectors: the innermost count
    broken[at..at + 4].copy_from_slice(&le32(0x4000_0000));
    let parsed = PropertySetStream::parse(&broken).unwrap();
    assert!(matches!(
        parsed.sections[0].get(2),
        Some(Value::Unknown { .. })
    ));
    assert_eq!(parsed.to_bytes(), broken);

    let e = PropertySetStream::parse(&[0xFE, 0xFF]).unwrap_err();
    assert!(matches!(e, Error::Malformed { .. }));
    assert!(e.to_string().starts_with("malformed property set"));
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    let mut v2 = stream_1252();
    v2[2] = 2;
    assert!(matches!(
        PropertySetStream::parse(&v2),
        Err(Error::Unsupported { .. })
    ));
}

#[test]
fn get_named_prefers_a_name_with_a_property() {
    let mut sec = Section::with_codepage(FMTID_USER_DEFINED_PROPERTIES, 1252);
    sec.set(
        0,
        Value::Dictionary(vec![
            (5, CodePageString(b"NAME\0".to_vec())),
            (6, CodePageString(b"name\0".to_vec())),
            (7, CodePageString(b"Name\0".to_vec())),
        ]),
    );
    sec.set(6, Value::I4(6));
    sec.set(7, Value::I4(7));
    assert_eq!(
        sec.get_named("Name"),
        Some(&Value::I4(7)),
        "exact case among those with values"
    );
    assert_eq!(
        sec.get_named("NAME"),
        Some(&Value::I4(6)),
        "the first with a value"
    );
    sec.set_named("nAmE", Value::I4(8));
    assert_eq!(sec.get(6), Some(&Value::I4(8)));
    assert_eq!(sec.named_properties().len(), 2);
}

/// A dictionary entry naming property 0 (the dictionary itself) or 1 (the code page) is not a
/// name: `set_named` with that name must add a normal property, not overwrite the dictionary
/// or the code page (found by the `oleps` fuzz target; the input is
/// `tests/fuzz-regressions/oleps/dictionary-entry-naming-the-dictionary.bin`).
#[test]
fn dictionary_entries_for_reserved_ids_are_not_names() {
    let mut section = Section::with_codepage(FMTID_USER_DEFINED_PROPERTIES, 1252);
    section.set(
        docseal_oleps::PID_DICTIONARY,
        Value::Dictionary(vec![
            (0, CodePageString::encode_lossy("fuzz", 1252)),
            (1, CodePageString::encode_lossy("page", 1252)),
            (0x8000_0000, CodePageString::encode_lossy("where", 1252)),
        ]),
    );
    assert!(section.get_named("fuzz").is_none());
    assert!(section.named_properties().is_empty());
    section.set_named("Fuzz", Value::lpwstr("x"));
    section.set_named("page", Value::I4(7));
    assert_eq!(section.get_named("fuzz"), Some(&Value::lpwstr("x")));
    assert_eq!(section.get_named("PAGE"), Some(&Value::I4(7)));
    assert_eq!(section.codepage(), Some(1252));
    assert!(matches!(
        section.get(docseal_oleps::PID_DICTIONARY),
        Some(Value::Dictionary(d)) if d.len() == 5
    ));
    assert!(!section.remove_named("where"));
}
