//! The tika IRM sample (`testWORD_protected_drm.doc`, an RMS-protected Word 97 file from an
//! Azure RMS tenant): its `\x06DataSpaces` streams and its licence.
// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use docseal_irm::*;

const TENANT_URL: &str = "https://9ad01757-47f9-43f2-8c7d-b5e8fdc60e4a.rms.na.aadrm.com";

fn sample_license() -> PublishingLicense {
    let info = IrmTransformInfo::parse(&common::primary()).unwrap();
    PublishingLicense::parse(info.license_text().unwrap(), &XmlLimits::default()).unwrap()
}

fn dataspace_streams() -> Vec<(String, Vec<u8>)> {
    common::sample_streams()
        .into_iter()
        .filter(|(p, _)| !p.starts_with('/'))
        .collect()
}

#[test]
fn sample_primary_round_trips_byte_for_byte() {
    let bytes = common::primary();
    let info = IrmTransformInfo::parse(&bytes).unwrap();
    assert_eq!(info.to_bytes(), bytes);
    assert_eq!(info.header.id, DRM_TRANSFORM_ID);
    assert_eq!(info.header.name, DRM_TRANSFORM_NAME);
    assert!(!info.bom);
    assert!(info.padded);
    assert_eq!(info.license.len(), 0xA4D8);
    assert!(info.license.starts_with(b"<?xml version=\"1.0\"?><XrML"));
}

#[test]
fn sample_license_issuer_owner_content_and_label() {
    let pl = sample_license();
    assert_eq!(pl.format, LicenseFormat::Xrml);
    assert_eq!(pl.body_type.as_deref(), Some("Microsoft Rights Label"));
    assert_eq!(pl.issued_time.as_deref(), Some("2018-10-05T20:58"));
    assert!(pl.signed);

    let issuer = pl.issuer.as_ref().unwrap();
    assert_eq!(issuer.object_type.as_deref(), Some("Group-Identity"));
    assert_eq!(issuer.name.as_deref(), Some("rkondala@informatica.com"));
    let id = issuer.id.as_ref().unwrap();
    assert_eq!(id.kind.as_deref(), Some("Federation"));
    assert_eq!(id.value, "{e1ab8ce3-ee9c-4f48-9b51-a8c078f5283d}");
    assert!(issuer
        .addresses
        .iter()
        .any(|a| a.kind.as_deref() == Some("idp")
            && a.value == "https://sts.windows.net/2638f43e-f77d-4fc7-ab92-7b753b7876fd/"));
    assert_eq!(issuer.security_levels[0].name, "SDK");
    assert_eq!(issuer.security_levels[0].value, "1.0.3455.214");

    let owner = pl.owner.as_ref().unwrap();
    assert_eq!(owner.name.as_deref(), Some("rkondala@informatica.com"));
    assert_eq!(
        owner.id.as_ref().unwrap().kind.as_deref(),
        Some("Unspecified")
    );

    let content = pl.content_id.as_ref().unwrap();
    assert_eq!(content.kind.as_deref(), Some("MS-GUID"));
    assert_eq!(content.value, "{76D13F3F-BEF7-471C-8C94-45DA2BA35FD8}");

    assert_eq!(
        pl.template_id.as_deref(),
        Some("{EBB35C5B-C2DA-4B85-ADC0-91587A7101F4}")
    );
    let label = pl.rights_label.as_ref().unwrap();
    assert_eq!(label.names.len(), 1);
    assert_eq!(label.names[0].lcid, Some(1033));
    assert_eq!(label.names[0].name, "Restricted Access");
    assert_eq!(
        label.names[0].description.as_deref(),
        Some("Permission is currently restricted. Only specified users can access this content.")
    );
}

#[test]
fn sample_license_urls_and_server() {
    let pl = sample_license();
    let dps: Vec<(&str, &str)> = pl
        .distribution_points
        .iter()
        .map(|d| (d.object_type.as_deref().unwrap(), d.url.as_deref().unwrap()))
        .collect();
    let licensing = format!("{TENANT_URL}/_wmcs/licensing");
    assert_eq!(
        dps,
        [
            ("License-Acquisition-URL", licensing.as_str()),
            ("Extranet-License-Acquisition-URL", licensing.as_str()),
            ("Referral-Info", "mailto:rkondala@informatica.com"),
        ]
    );
    assert_eq!(
        pl.distribution_points[0].name.as_deref(),
        Some("DRM Server Cluster")
    );

    assert_eq!(pl.licensing_servers.len(), 1);
    let server = &pl.licensing_servers[0];
    assert_eq!(server.object_type.as_deref(), Some("MS-DRM-Server"));
    assert_eq!(server.name.as_deref(), Some("Informatica Corporation"));
    assert_eq!(
        server.url.as_deref(),
        Some(format!("{TENANT_URL}/_wmcs").as_str())
    );
    assert_eq!(server.enabling_bits_type.as_deref(), Some("sealed-key-v2"));
    assert!(server
        .security_levels
        .iter()
        .any(|s| s.name == "Tenant-ID" && s.value == "{2638f43e-f77d-4fc7-ab92-7b753b7876fd}"));
}

#[test]
fn sample_license_rights_are_sealed() {
    let pl = sample_license();
    assert!(pl.rights_sealed);
    assert!(pl.rights.is_empty());
    assert!(pl.validity.is_none());
    // The only AUTHENTICATEDDATA of the issuance licence is the sealed rights.
    assert!(pl.authenticated_data.is_empty());
}

#[test]
fn sample_license_chain() {
    let pl = sample_license();
    let kinds: Vec<Option<&str>> = pl
        .chain
        .iter()
        .map(|d| d.descriptor.as_ref().and_then(|x| x.object_type.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            Some("Client-Licensor-Certificate"),
            Some("Content-License"),
            Some("Client-Licensor-Certificate"),
            Some("Server-Licensor-Certificate"),
            Some("Server-Licensor-Certificate"),
            Some("DRM-CA-Certificate"),
            Some("DRM-CA-Certificate"),
        ]
    );
    assert!(pl.chain.iter().all(|d| d.signed && !d.rights_sealed));

    // The owner's content licence: OWNER right, Office's template data.
    let owner_licence = &pl.chain[1];
    assert_eq!(owner_licence.purpose.as_deref(), Some("Content-License"));
    assert_eq!(
        owner_licence.content_id.as_ref().unwrap().value,
        "{76D13F3F-BEF7-471C-8C94-45DA2BA35FD8}"
    );
    assert_eq!(owner_licence.rights.len(), 1);
    assert_eq!(owner_licence.rights[0].name, "OWNER");
    // Granted by reference (`internal-id="1"`) to the issued principal, the owner.
    let grantee = &owner_licence.rights[0].principals[0];
    assert_eq!(grantee.internal_id.as_deref(), Some("1"));
    assert_eq!(grantee.name.as_deref(), Some("rkondala@informatica.com"));
    assert_eq!(grantee.enabling_bits_type.as_deref(), Some("sealed-key-v2"));
    let app: Vec<(&str, &str)> = owner_licence
        .authenticated_data
        .iter()
        .map(|a| (a.name.as_deref().unwrap(), a.value.as_str()))
        .collect();
    assert_eq!(
        app,
        [
            ("MSOTPLNAME", "Restricted Access"),
            (
                "MSOTPLDESC",
                "Permission is currently restricted. Only specified users can access this content."
            ),
            ("MSODFLTUSER", "OBJMODEL,VIEW"),
        ]
    );

    // The client licensor certificate's ISSUE right is valid for a month.
    let clc = &pl.chain[0];
    assert_eq!(clc.rights[0].name, "ISSUE");
    let v = clc.validity.as_ref().unwrap();
    assert_eq!(v.from.as_deref(), Some("2018-10-04T20:54"));
    assert_eq!(v.until.as_deref(), Some("2018-11-04T20:54"));
}

#[test]
fn sample_license_as_certificate_chain_reads_the_same() {
    // Re-wrap the sample's XrML documents as an end-user-licence style certificate chain.
    let info = IrmTransformInfo::parse(&common::primary()).unwrap();
    let text = info.license_text().unwrap();
    let body = text.strip_prefix("<?xml version=\"1.0\"?>").unwrap();
    let mut chain = String::from("<?xml version=\"1.0\"?><certificatechain>");
    for doc in body.split_inclusive("</XrML>") {
        let utf16: Vec<u8> = doc.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        chain.push_str("<certificate>");
        chain.push_str(&base64_encode(&utf16));
        chain.push_str("</certificate>");
    }
    chain.push_str("</certificatechain>");
    let direct = PublishingLicense::parse(text, &XmlLimits::default()).unwrap();
    let wrapped = PublishingLicense::parse(&chain, &XmlLimits::default()).unwrap();
    assert_eq!(wrapped.format, LicenseFormat::CertificateChain);
    let mut w = wrapped.clone();
    w.format = LicenseFormat::Xrml;
    assert_eq!(w, direct);
}

#[test]
fn sample_dataspaces_described() {
    let d = describe_dataspaces(&dataspace_streams()).unwrap();
    assert!(d.is_irm());
    assert!(!d.is_password_encrypted());
    assert_eq!(d.irm_transform.as_deref(), Some("\u{9}DRMTransform"));
    assert!(d.version.is_some());
    assert!(d.unreferenced.is_empty());
    assert_eq!(d.data_spaces.len(), 1);
    let ds = &d.data_spaces[0];
    assert_eq!(ds.name, "\u{9}DRMDataSpace");
    assert_eq!(ds.applies_to, ["\u{9}DRMContent"]);
    assert_eq!(ds.transforms.len(), 1);
    let t = &ds.transforms[0];
    assert_eq!(t.kind, TransformKind::Irm);
    assert_eq!(t.class_id.as_deref(), Some(DRM_TRANSFORM_ID));
    assert_eq!(
        t.class_name.as_deref(),
        Some("Microsoft.Metadata.DRMTransform")
    );
    assert_eq!(t.license_len, Some(42200));
    assert!(t.other_streams.is_empty(), "the sample has no EUL streams");
    assert!(t.problem.is_none());
}

#[test]
fn binary_builder_reproduces_the_sample_streams() {
    let info = IrmTransformInfo::parse(&common::primary()).unwrap();
    let built = binary_irm_dataspace_streams(&info.license).unwrap();
    let sample = dataspace_streams();
    assert_eq!(built.len(), sample.len());
    for (path, bytes) in built {
        let key = path.join("/");
        let want = &sample.iter().find(|(p, _)| *p == key).unwrap().1;
        assert_eq!(&bytes, want, "{key:?}");
    }
}

#[test]
fn sample_content_is_ecb_shaped() {
    let content = common::stream("/\u{9}DRMContent");
    assert_eq!(package_size(&content).unwrap(), 0x3600);
    assert_eq!(content.len(), 8 + 0x3600);
    // Without the key the bytes are garbage, but the ECB framing fits exactly…
    assert_eq!(
        decrypt_package_ecb(&[0; 16], &content).unwrap().len(),
        0x3600
    );
    // …while CBC4K would need a final padding block the stream does not have.
    assert!(decrypt_package_cbc4k(&[0; 16], &content).is_err());
}

/// Standard base64 (the `base64` crate the library itself uses).
fn base64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}
