//! Rights-managed (IRM) containers: protect around a licence (the insecure test provider, so
//! the round trip runs offline) → inspect → decrypt = the package, for every size class of the
//! core issue; the real IRM sample (an Office-made IRM Word 97 file from Apache Tika's test
//! documents) is inspected and relabelled with every other stream unchanged; broken DataSpaces
//! give `Malformed`, never a panic. No Office-made IRM docx exists in our corpus: the OOXML
//! containers here are built from the spec's exact structures (§2.2 and the IRMDS example of
//! §3, as transcribed in `shared/spec/dataspaces-and-irm.md` §5).
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Cursor, Write};
use std::sync::Arc;

use docseal::irm::{
    protect, InsecureTestKeyProvider, InsecureTestLicenseProvider, ProtectOptions, SuppliedLicense,
};
use docseal::labels::{read_labels, relabel, Label, LabelChanges, LabelLocation};
use docseal::{Credentials, DecryptOptions, Error, Limits};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus");
const TIKA_IRM: &str = "fetched/tika/testWORD_protected_drm.doc";

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/{name}")).unwrap()
}

fn test_key() -> Credentials {
    Credentials::none().with_content_key_provider(Arc::new(InsecureTestKeyProvider))
}

fn protected(package: &[u8], seed: u64, options: &ProtectOptions) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    protect(
        Cursor::new(package),
        &mut out,
        &InsecureTestLicenseProvider::seeded(seed),
        &options.clone().timestamp(0x01D9_0000_0000_0000),
    )
    .unwrap();
    out.into_inner()
}

/// Decrypts through the streaming path and checks that the in-memory paths agree with it,
/// in the result and in the error.
fn decrypt(file: &[u8], creds: &Credentials) -> Result<Vec<u8>, Error> {
    let options = DecryptOptions::default();
    let mut out = Vec::new();
    let streamed = docseal::decrypt(Cursor::new(file), &mut out, creds, &options);
    let in_memory = docseal::decrypt_bytes(file, creds, &options);
    let to_vec = docseal::decrypt_to_vec(Cursor::new(file), creds, &options);
    match (&streamed, &in_memory, &to_vec) {
        (Ok(report), Ok((a, ra)), Ok((b, rb))) => {
            assert!(**a == out && **b == out, "the in-memory paths disagree");
            assert!(
                ra == report && rb == report,
                "the in-memory reports disagree"
            );
        }
        (Err(e), Err(a), Err(b)) => {
            assert_eq!(e.to_string(), a.to_string());
            assert_eq!(e.to_string(), b.to_string());
        }
        _ => panic!(
            "the paths disagree: {:?} / {:?} / {:?}",
            streamed.as_ref().err(),
            in_memory.as_ref().err(),
            to_vec.as_ref().err()
        ),
    }
    streamed?;
    Ok(out)
}

use support::cfb_streams as streams;

/// The inspection as the JSON `docseal inspect --json` prints (feature `serde`).
#[cfg(feature = "serde")]
fn json(i: &docseal::Inspection) -> serde_json::Value {
    serde_json::to_value(i).unwrap()
}

#[test]
fn protect_inspect_decrypt_round_trip_every_size() {
    let docx = corpus("generated/lo-writer.docx");
    let mut packages: Vec<Vec<u8>> = [0usize, 1, 15, 16, 17, 4095, 4096, 4097, 8192, 8193]
        .iter()
        .map(|&n| {
            // Zip-looking bytes so the plaintext check has a package to recognise.
            let mut p = b"PK\x03\x04".to_vec();
            p.extend((0..n).map(|i| (i * 7 % 251) as u8));
            p.truncate(n.max(4));
            p
        })
        .collect();
    packages.push(docx);
    for (i, pkg) in packages.iter().enumerate() {
        let file = protected(pkg, i as u64, &ProtectOptions::default());
        let i = docseal::inspect(Cursor::new(&file), &Limits::default()).unwrap();
        assert!(
            matches!(i.kind, docseal::Kind::RightsManaged { .. }),
            "{i:?}"
        );
        assert!(i.encrypted());
        let docseal::Protection::RightsManaged(r) = &i.protection else {
            panic!("{i:?}")
        };
        assert!(!r.binary);
        let content = r.content.as_ref().unwrap();
        assert!(matches!(
            content.mode,
            Some(docseal::irm::ContentModeGuess::Ecb | docseal::irm::ContentModeGuess::EcbOrCbc4k)
        ));
        assert_eq!(content.declared_size, Some(pkg.len() as u64));
        #[cfg(feature = "serde")]
        {
            let v = json(&i);
            assert_eq!(v["kind"], "rights-managed", "{i:?}");
            assert_eq!(v["encrypted"], true);
            let rm = &v["rights_managed"];
            assert_eq!(rm["flavor"], "ooxml");
            let mode = rm["content"]["mode"].as_str().unwrap();
            assert!(mode.starts_with("aes-128-ecb"), "{mode}");
            assert_eq!(rm["content"]["declared_size"], pkg.len() as u64);
            assert_eq!(rm["data_spaces"][0]["name"], "DRMEncryptedDataSpace");
            assert_eq!(rm["data_spaces"][0]["transforms"][0]["kind"], "irm");
            assert_eq!(rm["license"]["owner"]["name"], "test-owner@docseal.invalid");
        }
        assert_eq!(
            decrypt(&file, &test_key()).unwrap(),
            *pkg,
            "size {}",
            pkg.len()
        );
        // The layout is a valid compound file for an independent reader, with the spec's
        // entries.
        let names: Vec<String> = streams(&file).into_iter().map(|(p, _)| p).collect();
        for want in [
            "/EncryptedPackage",
            "/\u{6}DataSpaces/Version",
            "/\u{6}DataSpaces/DataSpaceMap",
            "/\u{6}DataSpaces/DataSpaceInfo/DRMEncryptedDataSpace",
            "/\u{6}DataSpaces/TransformInfo/DRMEncryptedTransform/\u{6}Primary",
            "/\u{5}SummaryInformation",
            "/\u{5}DocumentSummaryInformation",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
        }
        assert!(!names.iter().any(|n| n.ends_with("EncryptionInfo")));
    }
}

#[test]
fn keys_are_required_and_checked() {
    let pkg = corpus("generated/minimal.docx");
    let file = protected(&pkg, 7, &ProtectOptions::default());
    match decrypt(&file, &Credentials::none()) {
        Err(Error::Unsupported { what }) => assert!(what.contains("content-key"), "{what}"),
        other => panic!("{other:?}"),
    }
    match decrypt(&file, &Credentials::content_key(&[0x55; 16])) {
        Err(Error::NoUsableKey { .. }) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        decrypt(&file, &Credentials::content_key(&[0x55; 15])),
        Err(Error::InvalidArgument(_))
    ));
    // A supplied licence and key (what a caller gets from the rights service).
    let key = [0x42u8; 16];
    let mut out = Cursor::new(Vec::new());
    let license = b"<?xml version=\"1.0\"?><XrML version=\"1.2\"><BODY type=\"Microsoft Rights Label\"><ISSUEDTIME>2024-01-01T00:00</ISSUEDTIME></BODY></XrML>".to_vec();
    protect(
        Cursor::new(&pkg),
        &mut out,
        &SuppliedLicense::new(license, &key),
        &ProtectOptions::default(),
    )
    .unwrap();
    assert_eq!(
        decrypt(&out.into_inner(), &Credentials::content_key(&key)).unwrap(),
        pkg
    );
}

/// The CBC-4K layout of Microsoft's RMS SDK is decrypted too (u64 size, then AES-CBC per
/// 4096-byte chunk with IV = AES(key, LE32(index) ‖ 0¹²), PKCS #7 at the end).
#[test]
fn cbc4k_content_is_decrypted() {
    let pkg = corpus("generated/lo-calc.xlsx");
    let key = [0x24u8; 16];
    let license = b"<?xml version=\"1.0\"?><XrML version=\"1.2\"/>".to_vec();
    let mut out = Cursor::new(Vec::new());
    protect(
        Cursor::new(&pkg),
        &mut out,
        &SuppliedLicense::new(license, &key),
        &ProtectOptions::default(),
    )
    .unwrap();
    // Swap the content for its CBC-4K form.
    let mut cf = cfb::CompoundFile::open(Cursor::new(out.into_inner())).unwrap();
    let cbc = docseal_irm::encrypt_package_cbc4k(&key, &pkg).unwrap();
    cf.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&cbc)
        .unwrap();
    cf.flush().unwrap();
    let file = cf.into_inner().into_inner();
    let i = docseal::inspect(Cursor::new(&file), &Limits::default()).unwrap();
    let docseal::Protection::RightsManaged(r) = &i.protection else {
        panic!("{i:?}")
    };
    let mode = r.content.as_ref().and_then(|c| c.mode).unwrap().name();
    assert!(
        mode == "aes-128-cbc4k" || mode == "aes-128-ecb-or-cbc4k",
        "{mode}"
    );
    assert_eq!(
        decrypt(&file, &Credentials::content_key(&key)).unwrap(),
        pkg
    );
}

/// The Office-made IRM .doc: the licence's clear fields, and decryption refused without the
/// key with a message that says how to give one.
#[test]
fn real_irm_sample_is_inspected() {
    let file = corpus(TIKA_IRM);
    let i = docseal::inspect(Cursor::new(&file), &Limits::default()).unwrap();
    let docseal::Protection::RightsManaged(r) = &i.protection else {
        panic!("{i:?}")
    };
    assert!(r.binary);
    let lic = r.license.ok().unwrap();
    assert!(lic.rights_sealed);
    assert_eq!(
        lic.issuer.as_ref().and_then(|p| p.name.as_deref()),
        Some("rkondala@informatica.com")
    );
    #[cfg(feature = "serde")]
    {
        let v = json(&i);
        assert_eq!(v["kind"], "rights-managed");
        let rm = &v["rights_managed"];
        assert_eq!(rm["flavor"], "binary");
        assert_eq!(rm["content"]["mode"], "aes-128-ecb"); // 13,824 bytes: a multiple of 16
        let lic = &rm["license"];
        assert_eq!(lic["issuer"]["name"], "rkondala@informatica.com");
        assert_eq!(
            lic["content_id"]["value"],
            "{76D13F3F-BEF7-471C-8C94-45DA2BA35FD8}"
        );
        assert_eq!(lic["rights_sealed"], true);
        assert_eq!(lic["rights_label"]["names"][0]["name"], "Restricted Access");
        assert_eq!(
            lic["distribution_points"][0]["url"],
            "https://9ad01757-47f9-43f2-8c7d-b5e8fdc60e4a.rms.na.aadrm.com/_wmcs/licensing"
        );
    }
    assert!(matches!(
        decrypt(&file, &Credentials::none()),
        Err(Error::Unsupported { .. })
    ));
    assert!(matches!(
        decrypt(&file, &Credentials::content_key(&[1; 16])),
        Err(Error::NoUsableKey { .. })
    ));
}

/// Relabelling an IRM file changes the LabelInfo stream and nothing else: every other stream
/// (DataSpaces, licence, EncryptedPackage, property sets) is byte-identical.
#[test]
fn relabel_irm_keeps_every_other_stream() {
    let label = Label::new(
        "11111111-2222-3333-4444-555555555555".parse().unwrap(),
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee".parse().unwrap(),
    );
    let made = protected(
        &corpus("generated/minimal.docx"),
        3,
        &ProtectOptions::default().label(label.clone()),
    );
    for file in [corpus(TIKA_IRM), made] {
        let other = Label::new(
            "99999999-2222-3333-4444-555555555555".parse().unwrap(),
            "bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee".parse().unwrap(),
        );
        let mut out = Cursor::new(Vec::new());
        let r = relabel(
            Cursor::new(&file),
            &mut out,
            &Credentials::none(),
            &LabelChanges::new().set(other.clone()),
            &Limits::default(),
        )
        .unwrap();
        assert!(r.rights_managed && !r.reencrypted);
        let out = out.into_inner();
        let (a, b) = (streams(&file), streams(&out));
        let strip = |v: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
            v.into_iter()
                .filter(|(p, _)| !p.ends_with("TransformInfo/LabelInfo"))
                .collect()
        };
        assert_eq!(strip(a), strip(b));
        let report =
            read_labels(Cursor::new(&out), &Credentials::none(), &Limits::default()).unwrap();
        assert!(report
            .effective
            .iter()
            .all(|f| f.location == LabelLocation::IrmLabelInfoStream));
        assert!(report.effective.iter().any(|f| f.label.id == other.id));
    }
}

/// Every length field of the IRM DataSpaces streams truncated, zeroed or inflated: inspect and
/// decrypt end with a result or a specific error, never a panic.
#[test]
fn malformed_dataspaces_are_errors() {
    let pkg = corpus("generated/minimal.docx");
    let good = protected(&pkg, 9, &ProtectOptions::default());
    let targets = [
        "/\u{6}DataSpaces/TransformInfo/DRMEncryptedTransform/\u{6}Primary",
        "/\u{6}DataSpaces/DataSpaceMap",
        "/\u{6}DataSpaces/DataSpaceInfo/DRMEncryptedDataSpace",
        "/\u{6}DataSpaces/Version",
    ];
    let mut malformed = 0;
    for target in targets {
        let original = streams(&good)
            .into_iter()
            .find(|(p, _)| p == target)
            .unwrap()
            .1;
        let mut variants: Vec<Vec<u8>> = Vec::new();
        for cut in [0, 3, 4, 8, original.len() / 2, original.len() - 1] {
            variants.push(original[..cut].to_vec());
        }
        for off in (0..original.len().saturating_sub(3)).step_by(4) {
            for v in [0u32, 0x7FFF_FFFF, u32::MAX] {
                let mut m = original.clone();
                m[off..off + 4].copy_from_slice(&v.to_le_bytes());
                variants.push(m);
            }
        }
        for bad in variants {
            let mut cf = cfb::CompoundFile::open(Cursor::new(good.clone())).unwrap();
            cf.create_stream(target).unwrap().write_all(&bad).unwrap();
            cf.flush().unwrap();
            let file = cf.into_inner().into_inner();
            let _ = docseal::inspect(Cursor::new(&file), &Limits::default());
            match decrypt(&file, &test_key()) {
                Ok(plain) => assert_eq!(plain, pkg),
                Err(Error::Malformed { .. }) => malformed += 1,
                Err(
                    Error::NotEncrypted | Error::NoUsableKey { .. } | Error::Unsupported { .. },
                ) => {}
                Err(e) => panic!("{target}: {e:?}"),
            }
        }
    }
    assert!(malformed > 50, "{malformed}");
}
