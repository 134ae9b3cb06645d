//! The insecure test provider: what it writes, PublishingLicense reads back.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use docseal_crypto::Rng;
use docseal_irm::test_provider::{insecure_test_key, insecure_test_license, TestLicenseSpec};
use docseal_irm::*;

fn spec() -> TestLicenseSpec {
    let mut s = TestLicenseSpec::new(
        "{0D1E2F30-4152-6374-8596-A7B8C9DAEBFC}",
        "Ann O'Neil <ann&co@example.com>",
    );
    s.issued_time = "2024-05-06T07:08".into();
    s.template_id = "{ABCDEF01-2345-6789-ABCD-EF0123456789}".into();
    s.label_name = "Internal".into();
    s.label_description = "Employees only".into();
    s.licensing_url = "https://test.invalid/_wmcs/licensing?a=1&b=2".into();
    s.grants = vec![
        (s.owner.clone(), vec!["OWNER".into()]),
        (
            "viewer@example.com".into(),
            vec!["VIEW".into(), "PRINT".into()],
        ),
    ];
    s.validity = Some(("2024-05-06T07:08".into(), "2024-06-06T07:08".into()));
    s.app_specific = vec![("MSOTPLNAME".into(), "Internal".into())];
    s
}

#[test]
fn test_license_parses_back_with_the_same_fields() {
    let spec = spec();
    let (xml, key) = insecure_test_license(&spec, &mut Rng::seeded_for_tests(9)).unwrap();
    let pl = PublishingLicense::parse_bytes(&xml, &XmlLimits::default()).unwrap();
    assert_eq!(pl.content_id.as_ref().unwrap().value, spec.content_id);
    assert_eq!(
        pl.owner.as_ref().unwrap().name.as_deref(),
        Some(spec.owner.as_str())
    );
    assert_eq!(
        pl.issuer.as_ref().unwrap().name.as_deref(),
        Some(spec.owner.as_str())
    );
    assert_eq!(pl.issued_time.as_deref(), Some("2024-05-06T07:08"));
    assert_eq!(pl.template_id.as_deref(), Some(spec.template_id.as_str()));
    let label = &pl.rights_label.as_ref().unwrap().names[0];
    assert_eq!((label.lcid, label.name.as_str()), (Some(1033), "Internal"));
    assert_eq!(label.description.as_deref(), Some("Employees only"));
    assert_eq!(
        pl.distribution_points[0].object_type.as_deref(),
        Some("License-Acquisition-URL")
    );
    assert_eq!(
        pl.distribution_points[0].url.as_deref(),
        Some(spec.licensing_url.as_str())
    );
    assert!(!pl.rights_sealed);
    assert!(!pl.signed, "test licences are unsigned");
    let grants: Vec<(&str, &str)> = pl
        .rights
        .iter()
        .map(|r| (r.principals[0].name.as_deref().unwrap(), r.name.as_str()))
        .collect();
    assert_eq!(
        grants,
        [
            (spec.owner.as_str(), "OWNER"),
            ("viewer@example.com", "VIEW"),
            ("viewer@example.com", "PRINT"),
        ]
    );
    let v = pl.validity.as_ref().unwrap();
    assert_eq!(v.from.as_deref(), Some("2024-05-06T07:08"));
    assert_eq!(v.until.as_deref(), Some("2024-06-06T07:08"));
    assert_eq!(pl.app_specific().next().unwrap().value, "Internal");
    assert!(pl
        .authenticated_data
        .iter()
        .any(|a| a.value.contains("INSECURE TEST LICENCE")));
    assert_eq!(
        pl.licensing_servers[0].enabling_bits_type.as_deref(),
        Some(test_provider::INSECURE_KEY_TYPE)
    );

    let back = insecure_test_key(&xml, &XmlLimits::default())
        .unwrap()
        .unwrap();
    assert_eq!(*back, *key);
}

#[test]
fn keys_are_random_and_seeded_keys_repeat() {
    let spec = TestLicenseSpec::new("{1}", "o");
    let (a, ka) = insecure_test_license(&spec, &mut Rng::os()).unwrap();
    let (b, kb) = insecure_test_license(&spec, &mut Rng::os()).unwrap();
    assert_ne!(*ka, *kb);
    assert_ne!(a, b);
    let (c, kc) = insecure_test_license(&spec, &mut Rng::seeded_for_tests(1)).unwrap();
    let (d, kd) = insecure_test_license(&spec, &mut Rng::seeded_for_tests(1)).unwrap();
    assert_eq!((c, *kc), (d, *kd));
}

#[test]
fn real_licences_have_no_test_key() {
    let info = IrmTransformInfo::parse(&common::primary()).unwrap();
    assert!(insecure_test_key(&info.license, &XmlLimits::default())
        .unwrap()
        .is_none());
}

#[test]
fn test_license_protects_a_package_end_to_end() {
    let (xml, key) = insecure_test_license(&spec(), &mut Rng::seeded_for_tests(2)).unwrap();
    let streams = ooxml_irm_dataspace_streams(&xml).unwrap();
    let package = encrypt_package_ecb(&key, b"PK\x03\x04 not really a zip");

    let primary = &streams[3].1;
    let info = IrmTransformInfo::parse(primary).unwrap();
    let key2 = insecure_test_key(&info.license, &XmlLimits::default())
        .unwrap()
        .unwrap();
    assert_eq!(
        decrypt_package_ecb(&key2, &package).unwrap(),
        b"PK\x03\x04 not really a zip"
    );
}
