//! Sensitivity labels through every operation: the corpus's labelled files read to their
//! labels; set/remove in each scheme round-trips on docx, xlsx and pptx (property tests);
//! every other zip entry keeps its raw bytes; decrypt, passwd and relabelling of encrypted
//! files keep labels and keys; the IRM LabelInfo stream outranks the package part.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use docseal::labels::{
    read_labels, relabel, relabel_package, ContentBits, Guid, Label, LabelChanges, LabelLocation,
    LabelMethod, LabelScheme,
};
use docseal::{Credentials, DecryptOptions, EncryptOptions, KeyChanges, Limits, Password};
use proptest::prelude::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");
const LABEL_ID: &str = "3a6c1e7e-2f4b-4c8e-9d61-0123456789ab";
const TENANT: &str = "5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817";

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/{name}")).unwrap()
}

fn g(s: &str) -> Guid {
    s.parse().unwrap()
}

fn none() -> Credentials {
    Credentials::none()
}

fn labels_of(file: &[u8], creds: &Credentials) -> docseal::labels::LabelReport {
    read_labels(Cursor::new(file), creds, &Limits::default()).unwrap()
}

fn set(file: &[u8], changes: &LabelChanges) -> Vec<u8> {
    let mut out = Vec::new();
    relabel_package(Cursor::new(file), &mut out, changes, &Limits::default()).unwrap();
    out
}

/// name → (method, CRC, raw compressed bytes) of every zip entry.
fn raw_entries(file: &[u8]) -> BTreeMap<String, (u16, u32, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut e = z.by_index_raw(i).unwrap();
        let mut raw = Vec::new();
        e.read_to_end(&mut raw).unwrap();
        let method: u16 = match e.compression() {
            zip::CompressionMethod::Stored => 0,
            _ => 8,
        };
        out.insert(e.name().to_string(), (method, e.crc32(), raw));
    }
    out
}

fn part(file: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(file)).unwrap();
    let mut e = z.by_name(name).ok()?;
    let mut v = Vec::new();
    e.read_to_end(&mut v).unwrap();
    Some(v)
}

const LABEL_PARTS: [&str; 4] = [
    "docProps/custom.xml",
    "docMetadata/LabelInfo.xml",
    "_rels/.rels",
    "[Content_Types].xml",
];

/// Every row of the manifest whose file is, or decrypts to, a labelled sample reads to the
/// labels of that sample, in the locations its notes name.
use docseal::layers::crypto::EncryptionInfo;

/// The parsed `EncryptionInfo` `inspect` reports for an encrypted package.
fn encryption_info(file: &[u8]) -> EncryptionInfo {
    let i = docseal::inspect(Cursor::new(file), &Limits::default()).unwrap();
    match i.protection {
        docseal::Protection::EncryptedPackage(p) => match p.info {
            docseal::InfoParse::Parsed(info) => info,
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn corpus_labelled_files_read_to_their_labels() {
    let manifest = std::fs::read_to_string(format!("{CORPUS}/MANIFEST.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (file, password, plain, notes) = (f[0], f[4], f[7], f[9]);
        let sample = if file.starts_with("generated/label-") {
            file
        } else {
            plain
        };
        if !sample.starts_with("generated/label-") {
            continue;
        }
        let creds = if password == "-" {
            none()
        } else {
            Credentials::password(password)
        };
        let report = labels_of(&corpus(file), &creds);
        // What the sample's notes say is in it.
        let plain_notes = manifest
            .lines()
            .find(|l| l.starts_with(&format!("{sample}\t")))
            .unwrap();
        let in_label_info = plain_notes.contains("LabelInfo.xml");
        let in_custom = plain_notes.contains("MSIP_Label_");
        assert_eq!(
            report.locations.label_info_part.is_some(),
            in_label_info,
            "{file}: {notes}"
        );
        assert_eq!(
            !report.locations.custom_properties.is_empty(),
            in_custom,
            "{file}"
        );
        assert_eq!(report.effective.len(), 1, "{file}");
        let l = &report.effective[0].label;
        assert_eq!((l.id, l.site_id), (g(LABEL_ID), g(TENANT)), "{file}");
        assert!(l.enabled && !l.removed, "{file}");
        assert_eq!(l.method, Some(LabelMethod::Standard), "{file}");
        assert_eq!(l.content_bits, Some(ContentBits::NONE), "{file}");
        let expected_location = if in_label_info {
            LabelLocation::LabelInfoPart
        } else {
            LabelLocation::CustomProperties
        };
        assert_eq!(report.effective[0].location, expected_location, "{file}");
        if in_custom {
            let c = &report.locations.custom_properties[0];
            assert_eq!(c.name.as_deref(), Some("Confidential"), "{file}");
            assert_eq!(
                c.set_date.as_deref(),
                Some("2024-05-01T10:00:00Z"),
                "{file}"
            );
            assert_eq!(
                c.action_id.as_deref(),
                Some("00000000-0000-0000-0000-000000000001")
            );
        }
        assert!(report.warnings.is_empty(), "{file}: {:?}", report.warnings);
        checked += 1;
    }
    assert_eq!(
        checked, 5,
        "3 plain labelled samples and 2 encrypted copies"
    );
}

/// An encrypted file's labels need the password; without it the error says so.
#[test]
fn encrypted_labels_need_credentials() {
    let file = corpus("generated/agile-msoffcrypto-label-labelinfo.docx");
    let err = read_labels(Cursor::new(&file), &none(), &Limits::default()).unwrap_err();
    assert!(matches!(err, docseal::Error::NoUsableKey { .. }), "{err}");
    let err = read_labels(
        Cursor::new(&file),
        &Credentials::password("wrong"),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, docseal::Error::WrongPassword), "{err}");
}

fn sample_label() -> Label {
    Label::new(
        g("11111111-2222-3333-4444-555555555555"),
        g("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
    )
    .with_name("Confidential \\ Partners")
    .with_method(LabelMethod::Privileged)
    .with_content_bits(ContentBits::HEADER | ContentBits::WATERMARK)
    .with_set_date("2026-11-29T10:00:00Z")
}

/// Labelling touches only the label parts, `_rels/.rels` and `[Content_Types].xml`: every
/// other entry keeps its compressed bytes; and removing the label again leaves the label
/// parts without labels.
#[test]
fn relabelling_copies_other_entries_raw() {
    for sample in [
        "generated/lo-writer.docx",
        "generated/lo-calc.xlsx",
        "generated/lo-impress.pptx",
        "generated/label-both.pptx",
        "generated/label-msip.xlsx",
    ] {
        let original = corpus(sample);
        for scheme in [
            LabelScheme::LabelInfo,
            LabelScheme::CustomProperties,
            LabelScheme::Both,
        ] {
            let out = set(
                &original,
                &LabelChanges::new().set(sample_label()).scheme(scheme),
            );
            let (a, b) = (raw_entries(&original), raw_entries(&out));
            for (name, entry) in &a {
                if LABEL_PARTS.contains(&name.as_str()) {
                    continue;
                }
                assert_eq!(Some(entry), b.get(name), "{sample}: {name} changed");
            }
            let report = labels_of(&out, &none());
            let mine: Vec<_> = report
                .effective
                .iter()
                .filter(|f| f.label.site_id == sample_label().site_id)
                .collect();
            assert_eq!(mine.len(), 1, "{sample} {scheme:?}");
            // The docx/xlsx/pptx still opens as a zip with every original entry.
            assert!(a.keys().all(|k| b.contains_key(k)));
            // Removing the tenant leaves the rest as it was.
            let removed = set(
                &out,
                &LabelChanges::new().remove_tenant(sample_label().site_id),
            );
            let before = labels_of(&original, &none());
            let after = labels_of(&removed, &none());
            assert_eq!(before.effective, after.effective, "{sample} {scheme:?}");
        }
    }
}

/// A label part that was there keeps its bytes when another tenant's label is added in the
/// other scheme; and a relabelling with no change writes an identical package.
#[test]
fn untouched_label_parts_keep_their_bytes() {
    let original = corpus("generated/label-msip.xlsx");
    let out = set(
        &original,
        &LabelChanges::new()
            .set(sample_label())
            .scheme(LabelScheme::LabelInfo),
    );
    assert_eq!(
        part(&original, "docProps/custom.xml"),
        part(&out, "docProps/custom.xml")
    );
    let same = set(&original, &LabelChanges::new());
    assert_eq!(same, original);
}

/// Setting a tenant's label replaces that tenant's old one in every location (one label per
/// tenant), and `scheme_for` keeps a label where the file had it.
#[test]
fn a_new_label_replaces_the_tenant_label_where_it_was() {
    let original = corpus("generated/label-both.pptx");
    let label = Label::new(g("99999999-2222-3333-4444-555555555555"), g(TENANT));
    let out = set(&original, &LabelChanges::new().set(label.clone()));
    let r = labels_of(&out, &none());
    assert_eq!(r.effective.len(), 1);
    assert_eq!(r.effective[0].label.id, label.id);
    assert_eq!(r.locations.label_info_part.as_ref().unwrap().len(), 1);
    assert_eq!(r.locations.custom_properties, vec![label]);
    // Only-custom file: stays custom, no LabelInfo part appears.
    let out = set(
        &corpus("generated/label-msip.xlsx"),
        &LabelChanges::new().set(sample_label()),
    );
    let r = labels_of(&out, &none());
    assert!(r.locations.label_info_part.is_none());
    assert_eq!(r.locations.custom_properties.len(), 2);
}

/// LabelInfo written from scratch is Office's serialization, byte for byte.
#[test]
fn new_label_info_part_is_office_shaped() {
    let out = set(
        &corpus("generated/minimal.docx"),
        &LabelChanges::new()
            .set(Label::new(g(LABEL_ID), g(TENANT)).with_method(LabelMethod::Privileged))
            .scheme(LabelScheme::LabelInfo),
    );
    let text = String::from_utf8(part(&out, "docMetadata/LabelInfo.xml").unwrap()).unwrap();
    assert_eq!(
        text,
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?><clbl:labelList xmlns:clbl=\"http://schemas.microsoft.com/office/2020/mipLabelMetadata\"><clbl:label id=\"{{{LABEL_ID}}}\" enabled=\"1\" method=\"Privileged\" siteId=\"{{{TENANT}}}\" contentBits=\"0\" removed=\"0\" /></clbl:labelList>"
        )
    );
    let rels = String::from_utf8(part(&out, "_rels/.rels").unwrap()).unwrap();
    assert!(rels.contains("Type=\"http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels\" Target=\"docMetadata/LabelInfo.xml\""));
    let ct = String::from_utf8(part(&out, "[Content_Types].xml").unwrap()).unwrap();
    assert!(ct.contains("<Override PartName=\"/docMetadata/LabelInfo.xml\" ContentType=\"application/vnd.ms-office.classificationlabels+xml\"/>"));
}

fn decrypt(file: &[u8], creds: &Credentials) -> Vec<u8> {
    let mut out = Vec::new();
    docseal::decrypt(
        Cursor::new(file),
        &mut out,
        creds,
        &DecryptOptions::default(),
    )
    .unwrap();
    out
}

/// `encrypt --label` labels the package first; decrypt gives back exactly that package; a
/// password change keeps it; relabelling the encrypted file keeps the password.
#[test]
fn labels_survive_encrypt_decrypt_passwd_and_relabel() {
    let plain = corpus("generated/lo-calc.xlsx");
    let changes = LabelChanges::new().set(sample_label());
    let labelled = set(&plain, &changes);
    let opts = EncryptOptions::default().spin_count(1000).labels(changes);
    let mut out = Cursor::new(Vec::new());
    let report =
        docseal::encrypt(Cursor::new(&plain), &mut out, &Password::new("pw"), &opts).unwrap();
    assert_eq!(report.labels.unwrap().written[0].1, LabelScheme::Both);
    let enc = out.into_inner();
    assert_eq!(decrypt(&enc, &Credentials::password("pw")), labelled);
    // passwd: the package is untouched, so the labels are byte-identical.
    let mut changed = Cursor::new(Vec::new());
    docseal::change_key_encryptors(
        Cursor::new(&enc),
        &mut changed,
        &Credentials::password("pw"),
        &KeyChanges::default().new_password("new"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        decrypt(&changed.into_inner(), &Credentials::password("new")),
        labelled
    );
    // Relabel the encrypted file: same password opens it, new label inside, rest identical.
    let other = Label::new(g("77777777-2222-3333-4444-555555555555"), g(TENANT));
    let mut relabelled = Cursor::new(Vec::new());
    let r = relabel(
        Cursor::new(&enc),
        &mut relabelled,
        &Credentials::password("pw"),
        &LabelChanges::new().set(other.clone()),
        &Limits::default(),
    )
    .unwrap();
    assert!(r.reencrypted);
    let relabelled = relabelled.into_inner();
    let report = labels_of(&relabelled, &Credentials::password("pw"));
    let ids: Vec<Guid> = report.effective.iter().map(|f| f.label.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&other.id) && ids.contains(&sample_label().id));
    // Same EncryptionInfo key encryptors (same keys), fresh keyData salt.
    let (a, b) = (encryption_info(&enc), encryption_info(&relabelled));
    let (EncryptionInfo::Agile(a), EncryptionInfo::Agile(b)) = (a, b) else {
        panic!("not Agile")
    };
    assert_eq!(a.key_encryptors, b.key_encryptors);
    assert_ne!(a.key_data.salt, b.key_data.salt);
    assert!(docseal::verify(
        Cursor::new(&relabelled),
        &Credentials::password("pw"),
        &DecryptOptions::default()
    )
    .is_ok());
}

/// Standard files are re-encrypted with the same password and key size.
#[test]
fn relabel_standard_keeps_password() {
    let file = corpus("generated/standard-poi-label-msip.xlsx");
    let mut out = Cursor::new(Vec::new());
    relabel(
        Cursor::new(&file),
        &mut out,
        &Credentials::password("pässwörd"),
        &LabelChanges::new().remove_all(),
        &Limits::default(),
    )
    .unwrap();
    let out = out.into_inner();
    let r = labels_of(&out, &Credentials::password("pässwörd"));
    assert!(r.effective.is_empty());
    // Same header: algorithms, key size, provider name; new salt.
    let (a, b) = (encryption_info(&file), encryption_info(&out));
    let (EncryptionInfo::Standard(a), EncryptionInfo::Standard(b)) = (a, b) else {
        panic!("not Standard")
    };
    assert_eq!(
        (&a.csp_name, a.cipher_name(), a.key_size, a.flags, a.alg_id),
        (&b.csp_name, b.cipher_name(), b.key_size, b.flags, b.alg_id)
    );
    assert_eq!(
        (a.provider_type, a.major, a.minor),
        (b.provider_type, b.major, b.minor)
    );
    assert_ne!(a.salt, b.salt);
    assert_eq!(
        docseal::sniff(Cursor::new(&out)).unwrap().name(),
        "encrypted-package"
    );
}

/// Relabelling a file shared with certificate recipients keeps every recipient: the key
/// encryptors are reused, not re-created from a password alone.
#[cfg(feature = "certificates")]
#[test]
fn relabel_keeps_certificate_recipients() {
    let ids = support::certs::identities();
    let plain = corpus("generated/minimal.docx");
    let opts = EncryptOptions::default()
        .spin_count(100)
        .recipient(ids[0].recipient());
    let mut enc = Cursor::new(Vec::new());
    docseal::encrypt(Cursor::new(&plain), &mut enc, &Password::new("pw"), &opts).unwrap();
    let enc = enc.into_inner();
    let mut out = Cursor::new(Vec::new());
    relabel(
        Cursor::new(&enc),
        &mut out,
        &Credentials::password("pw"),
        &LabelChanges::new().set(sample_label()),
        &Limits::default(),
    )
    .unwrap();
    let out = out.into_inner();
    let by_key = labels_of(&out, &Credentials::private_key(ids[0].private_key()));
    assert_eq!(by_key.effective.len(), 1);
    // Certificate-only file relabelled with the private key.
    let mut opts = EncryptOptions::default().recipient(ids[1].recipient());
    opts = opts.spin_count(100);
    let mut enc2 = Cursor::new(Vec::new());
    docseal::encrypt_for(Cursor::new(&plain), &mut enc2, None, &opts).unwrap();
    let mut out2 = Cursor::new(Vec::new());
    relabel(
        Cursor::new(enc2.into_inner()),
        &mut out2,
        &Credentials::private_key(ids[1].private_key()),
        &LabelChanges::new().set(sample_label()),
        &Limits::default(),
    )
    .unwrap();
    let r = labels_of(
        &out2.into_inner(),
        &Credentials::private_key(ids[1].private_key()),
    );
    assert_eq!(r.effective[0].label, sample_label().label_info_view());
}

/// A part that is not XML, and a LabelInfo whose ids are not GUIDs, are malformed (exit 7).
#[test]
fn broken_label_parts_are_malformed() {
    let base = corpus("generated/label-labelinfo.docx");
    for bad in [&b"not xml <"[..], br#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="nope" enabled="1" method="Standard" siteId="{5e2d1c3b-4a59-4f68-8e7d-6c5b4a392817}" removed="0"/></clbl:labelList>"#] {
        let mut pkg = docseal::layers::opc::Package::open(Cursor::new(&base)).unwrap();
        let mut replace = std::collections::HashMap::new();
        replace.insert("docMetadata/LabelInfo.xml".to_string(), bad.to_vec());
        let mut out = Vec::new();
        pkg.write(&mut out, &replace).unwrap();
        let err = read_labels(Cursor::new(&out), &none(), &Limits::default()).unwrap_err();
        assert!(matches!(err, docseal::Error::Malformed { .. }), "{err}");
    }
}

/// The IRM container's LabelInfo stream outranks LabelInfo inside the package, and the clear
/// `\x05DocumentSummaryInformation` custom properties are read as the property-set location.
#[test]
fn irm_label_info_stream_is_read_and_ranks_first() {
    let stream_label = Label::new(g("44444444-2222-3333-4444-555555555555"), g(TENANT));
    let mut doc = docseal_labels_doc(&stream_label);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_storage("/\u{6}DataSpaces").unwrap();
    cf.create_storage("/\u{6}DataSpaces/TransformInfo").unwrap();
    cf.create_storage("/\u{6}DataSpaces/TransformInfo/DRMEncryptedTransform")
        .unwrap();
    let map = irm_data_space_map();
    cf.create_stream("/\u{6}DataSpaces/DataSpaceMap")
        .unwrap()
        .write_all(&map)
        .unwrap();
    cf.create_storage("/\u{6}DataSpaces/DataSpaceInfo").unwrap();
    cf.create_stream("/\u{6}DataSpaces/DataSpaceInfo/DRMEncryptedDataSpace")
        .unwrap();
    cf.create_stream("/\u{6}DataSpaces/TransformInfo/LabelInfo")
        .unwrap()
        .write_all(&doc)
        .unwrap();
    cf.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[0u8; 64])
        .unwrap();
    cf.flush().unwrap();
    let bytes = cf.into_inner().into_inner();
    let r = labels_of(&bytes, &none());
    assert_eq!(r.container, docseal::labels::LabelContainer::RightsManaged);
    assert_eq!(r.effective.len(), 1);
    assert_eq!(r.effective[0].location, LabelLocation::IrmLabelInfoStream);
    assert_eq!(r.effective[0].label.id, stream_label.id);
    // A broken stream is ignored with a warning (2.6.2: only a valid stream wins).
    doc.truncate(20);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_storage("/\u{6}DataSpaces").unwrap();
    cf.create_storage("/\u{6}DataSpaces/TransformInfo").unwrap();
    cf.create_stream("/\u{6}DataSpaces/DataSpaceMap")
        .unwrap()
        .write_all(&map)
        .unwrap();
    cf.create_stream("/\u{6}DataSpaces/TransformInfo/LabelInfo")
        .unwrap()
        .write_all(&doc)
        .unwrap();
    cf.flush().unwrap();
    let r = labels_of(&cf.into_inner().into_inner(), &none());
    assert!(r.locations.irm_stream.is_none());
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
}

fn docseal_labels_doc(label: &Label) -> Vec<u8> {
    let out = set(
        &corpus("generated/minimal.docx"),
        &LabelChanges::new()
            .set(label.clone())
            .scheme(LabelScheme::LabelInfo),
    );
    part(&out, "docMetadata/LabelInfo.xml").unwrap()
}

/// DataSpaceMap of an IRM docx ([MS-OFFCRYPTO] 2.2 / our dataspaces notes §5).
fn irm_data_space_map() -> Vec<u8> {
    fn lp(s: &str) -> Vec<u8> {
        let u: Vec<u8> = s.encode_utf16().flat_map(|c| c.to_le_bytes()).collect();
        let mut v = (u.len() as u32).to_le_bytes().to_vec();
        v.extend_from_slice(&u);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }
    let mut entry = Vec::new();
    entry.extend_from_slice(&1u32.to_le_bytes());
    entry.extend_from_slice(&0u32.to_le_bytes());
    entry.extend(lp("EncryptedPackage"));
    entry.extend(lp("DRMEncryptedDataSpace"));
    let mut map = Vec::new();
    map.extend_from_slice(&8u32.to_le_bytes());
    map.extend_from_slice(&1u32.to_le_bytes());
    map.extend_from_slice(&((entry.len() + 4) as u32).to_le_bytes());
    map.extend(entry);
    map
}

/// Binary files from the corpus read without error (their property sets hold no labels).
#[test]
fn binary_files_read_without_labels() {
    for f in [
        "fetched/tika/testWORD_protected_drm.doc",
        "generated/rc4-lo-calc.xls",
    ] {
        let path = format!("{CORPUS}/{f}");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let r = labels_of(&bytes, &none());
        assert!(r.effective.is_empty(), "{f}");
    }
}

fn arb_guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid::from_bytes)
}

fn arb_label() -> impl Strategy<Value = Label> {
    (
        arb_guid(),
        arb_guid(),
        any::<bool>(),
        prop_oneof![Just(LabelMethod::Standard), Just(LabelMethod::Privileged)],
        proptest::option::of("[ -~]{0,24}"),
        proptest::option::of(0u32..16),
        proptest::option::of("20[0-9]{2}-0[1-9]-1[0-9]T0[0-9]:[0-5][0-9]:[0-5][0-9]Z"),
    )
        .prop_map(|(id, site, enabled, method, name, bits, date)| {
            let mut l = Label::new(id, site).with_method(method);
            l.enabled = enabled;
            l.name = name;
            l.content_bits = bits.map(ContentBits);
            l.set_date = date;
            l
        })
}

fn arb_labels() -> impl Strategy<Value = Vec<Label>> {
    proptest::collection::vec(arb_label(), 1..4).prop_map(|mut v| {
        // One label per tenant.
        v.sort_by_key(|l| l.site_id);
        v.dedup_by_key(|l| l.site_id);
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random label sets → write in a scheme → read → equal, on docx, xlsx and pptx.
    #[test]
    fn label_sets_round_trip(labels in arb_labels(), which in 0usize..3, scheme in 0usize..3) {
        let sample = ["generated/lo-writer.docx", "generated/lo-calc.xlsx", "generated/lo-impress.pptx"][which];
        let scheme = [LabelScheme::LabelInfo, LabelScheme::CustomProperties, LabelScheme::Both][scheme];
        let mut changes = LabelChanges::new().scheme(scheme);
        for l in &labels {
            changes = changes.set(l.clone());
        }
        let out = set(&corpus(sample), &changes);
        let r = labels_of(&out, &none());
        prop_assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        if scheme.custom_properties() {
            prop_assert_eq!(&r.locations.custom_properties, &labels);
        }
        if scheme.label_info() {
            let mut want: Vec<Label> = labels.iter().map(Label::label_info_view).collect();
            want.sort_by_key(|l| l.id);
            prop_assert_eq!(r.locations.label_info_part.clone().unwrap(), want);
        }
        prop_assert_eq!(r.effective.len(), labels.len());
        // And removing them all leaves no label.
        let cleared = set(&out, &LabelChanges::new().remove_all());
        prop_assert!(labels_of(&cleared, &none()).effective.is_empty());
    }
}

/// Labels in the user-defined section of `\x05DocumentSummaryInformation` (binary files, and
/// the clear copy in IRM containers) are read through our property-set reader; they survive a
/// write by the property-set writer unchanged.
#[test]
fn property_set_labels_are_read() {
    use docseal::layers::oleps::PropertySetStream;
    let mut stream = PropertySetStream::new();
    {
        let section = stream.user_defined_mut();
        let base = format!("MSIP_Label_{LABEL_ID}_");
        for (k, v) in [
            ("Enabled", "true"),
            ("SetDate", "2024-05-01T10:00:00Z"),
            ("Method", "Privileged"),
            ("Name", "Général"),
            ("SiteId", TENANT),
            ("ContentBits", "2"),
        ] {
            let value = section.text(v);
            section.set_named(&format!("{base}{k}"), value);
        }
        let other = section.text("Finance");
        section.set_named("Department", other);
    }
    let bytes = stream.to_bytes();
    let (labels, warnings) = docseal::labels::property_set_labels(&bytes).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(labels.len(), 1);
    let l = &labels[0];
    assert_eq!((l.id, l.site_id), (g(LABEL_ID), g(TENANT)));
    assert_eq!(l.name.as_deref(), Some("Général"));
    assert_eq!(l.method, Some(LabelMethod::Privileged));
    assert_eq!(l.content_bits, Some(ContentBits::FOOTER));
    assert_eq!(PropertySetStream::parse(&bytes).unwrap().to_bytes(), bytes);

    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/WordDocument")
        .unwrap()
        .write_all(&[0u8; 1024])
        .unwrap();
    cf.create_stream("/\u{5}DocumentSummaryInformation")
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    cf.flush().unwrap();
    let r = labels_of(&cf.into_inner().into_inner(), &none());
    assert_eq!(r.container, docseal::labels::LabelContainer::LegacyBinary);
    assert_eq!(r.effective.len(), 1);
    assert_eq!(r.effective[0].location, LabelLocation::PropertySet);
}
