//! PublishingLicense on hand-made licences: sealed and clear rights, the certificate-chain
//! form, and the XML limits.
#![allow(clippy::unwrap_used)]

use docseal_irm::*;

fn parse(xml: &str) -> Result<PublishingLicense> {
    PublishingLicense::parse(xml, &XmlLimits::default())
}

const CLEAR: &str = r#"<?xml version="1.0"?>
<XrML version="1.2" xmlns=""><BODY type="Microsoft Rights Label" version="3.0">
<ISSUEDTIME>2024-03-01T10:00</ISSUEDTIME>
<VALIDITYTIME><FROM>2024-03-01T10:00</FROM><UNTIL>2024-04-01T10:00</UNTIL></VALIDITYTIME>
<DESCRIPTOR><OBJECT><ID type="MS-GUID">{11111111-1111-1111-1111-111111111111}</ID>
<NAME>LCID 1033:NAME Confidential:DESCRIPTION Staff only; no forwarding;LCID 1031:NAME Vertraulich:DESCRIPTION Nur Mitarbeiter;</NAME></OBJECT></DESCRIPTOR>
<ISSUER><OBJECT type="MS-DRM-Server"><ID type="MS-GUID">{22222222-2222-2222-2222-222222222222}</ID><NAME>Contoso &amp; Co</NAME><ADDRESS type="URL">https://rms.contoso.example/_wmcs</ADDRESS></OBJECT></ISSUER>
<DISTRIBUTIONPOINT><OBJECT type="License-Acquisition-URL"><ADDRESS type="URL">https://rms.contoso.example/_wmcs/licensing</ADDRESS></OBJECT></DISTRIBUTIONPOINT>
<WORK><OBJECT type="document"><ID type="MS-GUID">{33333333-3333-3333-3333-333333333333}</ID></OBJECT>
<METADATA><OWNER><OBJECT><ID type="Windows">S-1-5-21</ID><NAME>bob@contoso.example</NAME></OBJECT></OWNER></METADATA>
<RIGHTSGROUP name="Main-Rights"><RIGHTSLIST>
<RIGHT name="VIEW"><CONDITIONLIST><ACCESS><PRINCIPAL><OBJECT><NAME>carol@contoso.example</NAME></OBJECT></PRINCIPAL><PRINCIPAL><OBJECT><NAME>dave@contoso.example</NAME></OBJECT></PRINCIPAL></ACCESS></CONDITIONLIST></RIGHT>
<RIGHT name="PRINT"/>
</RIGHTSLIST></RIGHTSGROUP></WORK>
<AUTHENTICATEDDATA id="APPSPECIFIC" name="MSOTPLNAME">Confidential</AUTHENTICATEDDATA>
<AUTHENTICATEDDATA id="Other" name="x">&lt;y&gt;</AUTHENTICATEDDATA>
</BODY></XrML>"#;

#[test]
fn clear_rights_are_reported() {
    let pl = parse(CLEAR).unwrap();
    assert!(!pl.rights_sealed);
    assert!(!pl.signed);
    let rights: Vec<&str> = pl.rights.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(rights, ["VIEW", "PRINT"]);
    let users: Vec<&str> = pl.rights[0]
        .principals
        .iter()
        .map(|p| p.name.as_deref().unwrap())
        .collect();
    assert_eq!(users, ["carol@contoso.example", "dave@contoso.example"]);
    assert_eq!(pl.rights[0].group.as_deref(), Some("Main-Rights"));
    let v = pl.validity.clone().unwrap();
    assert_eq!(v.from.as_deref(), Some("2024-03-01T10:00"));
    assert_eq!(v.until.as_deref(), Some("2024-04-01T10:00"));
    let issuer = pl.issuer.clone().unwrap();
    assert_eq!(issuer.name.as_deref(), Some("Contoso & Co"));
    assert_eq!(
        issuer.url.as_deref(),
        Some("https://rms.contoso.example/_wmcs")
    );
    assert_eq!(pl.owner.clone().unwrap().id.unwrap().value, "S-1-5-21");
    let names = &pl.rights_label.as_ref().unwrap().names;
    assert_eq!(names.len(), 2);
    assert_eq!(names[0].name, "Confidential");
    assert_eq!(
        names[0].description.as_deref(),
        Some("Staff only; no forwarding")
    );
    assert_eq!(names[1].lcid, Some(1031));
    assert_eq!(names[1].name, "Vertraulich");
    assert_eq!(pl.authenticated_data.len(), 2);
    assert_eq!(pl.authenticated_data[1].value, "<y>");
    let app: Vec<_> = pl.app_specific().collect();
    assert_eq!(app.len(), 1);
    assert_eq!(app[0].value, "Confidential");
    assert_eq!(
        pl.template_id.as_deref(),
        Some("{11111111-1111-1111-1111-111111111111}")
    );
}

#[test]
fn encrypted_rights_seal() {
    let sealed = CLEAR.replace(
        "<AUTHENTICATEDDATA id=\"APPSPECIFIC\"",
        "<ENCRYPTEDRIGHTSDATA>AAAA</ENCRYPTEDRIGHTSDATA><AUTHENTICATEDDATA id=\"APPSPECIFIC\"",
    );
    let pl = parse(&sealed).unwrap();
    assert!(pl.rights_sealed);
    assert!(pl.rights.is_empty());
    // Validity from VALIDITYTIME is still in the clear.
    assert!(pl.validity.is_some());
    // A rights label without any RIGHTSGROUP is sealed too.
    let none = r#"<XrML><BODY type="Microsoft Rights Label"><WORK><OBJECT><ID>x</ID></OBJECT></WORK></BODY></XrML>"#;
    assert!(parse(none).unwrap().rights_sealed);
}

#[test]
fn unknown_structure_is_skipped() {
    let pl = parse(
        r#"<Other><XrML/></Other><XrML><BODY type="LICENSE"><FUTURE a="b"><X/></FUTURE><ISSUEDTIME> t </ISSUEDTIME></BODY></XrML><!-- c --><?pi x?>"#,
    )
    .unwrap();
    assert_eq!(pl.body_type.as_deref(), Some("LICENSE"));
    assert_eq!(pl.issued_time.as_deref(), Some("t"));
    assert!(pl.chain.is_empty());
    assert!(!pl.rights_sealed);
    // Namespace prefixes are ignored.
    let p = parse(r#"<r:XrML xmlns:r="urn:x"><r:BODY type="LICENSE"/></r:XrML>"#).unwrap();
    assert_eq!(p.body_type.as_deref(), Some("LICENSE"));
    // A BOM is fine (as text or bytes).
    assert!(parse("\u{feff}<XrML/>").is_ok());
    assert!(PublishingLicense::parse_bytes(b"\xEF\xBB\xBF<XrML/>", &XmlLimits::default()).is_ok());
}

#[test]
fn malformed_licences_are_errors() {
    for bad in [
        "",
        "<NotXrML/>",
        "<XrML>",
        "<XrML></Other>",
        "<XrML a='1' a='2'/>",
        "<XrML>&unknown;</XrML>",
        "<XrML/>stray text",
        "<certificatechain><certificate>!!!</certificate></certificatechain>",
        "<certificatechain><certificate>QUJD</certificate></certificatechain>",
    ] {
        assert!(
            matches!(parse(bad), Err(Error::Malformed { .. })),
            "{bad:?}"
        );
    }
    assert!(matches!(
        PublishingLicense::parse_bytes(b"\xFF\xFE<\0X\0", &XmlLimits::default()),
        Err(Error::Unsupported { .. })
    ));
    assert!(PublishingLicense::parse_bytes(b"<XrML>\xFF</XrML>", &XmlLimits::default()).is_err());
}

#[test]
fn doctype_is_refused() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE XrML [<!ENTITY e "boom">]><XrML><BODY type="&e;"/></XrML>"#;
    assert!(matches!(parse(xml), Err(Error::Unsupported { .. })));
}

#[test]
fn limits_are_enforced() {
    let deep = format!("{}{}", "<XrML>".repeat(70), "</XrML>".repeat(70));
    assert!(matches!(parse(&deep), Err(Error::LimitExceeded { .. })));
    let limits = XmlLimits {
        max_depth: 1000,
        ..Default::default()
    };
    // The hard cap holds whatever the limits say.
    let deeper = format!("{}{}", "<XrML>".repeat(300), "</XrML>".repeat(300));
    assert!(matches!(
        PublishingLicense::parse(&deeper, &limits),
        Err(Error::LimitExceeded { .. })
    ));
    let many = format!("<XrML>{}</XrML>", "<X/>".repeat(50));
    let limits = XmlLimits {
        max_elements: 20,
        ..Default::default()
    };
    assert!(matches!(
        PublishingLicense::parse(&many, &limits),
        Err(Error::LimitExceeded { .. })
    ));
    let limits = XmlLimits {
        max_size: 10,
        ..Default::default()
    };
    assert!(matches!(
        PublishingLicense::parse(CLEAR, &limits),
        Err(Error::LimitExceeded { .. })
    ));
    // Decoded certificates count against the size limit too.
    let inner: Vec<u8> = "<XrML/>"
        .repeat(20)
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let chain = format!(
        "<certificatechain><certificate>{}</certificate></certificatechain>",
        base64_encode(&inner)
    );
    let limits = XmlLimits {
        max_size: chain.len() + 10,
        ..Default::default()
    };
    assert!(matches!(
        PublishingLicense::parse(&chain, &limits),
        Err(Error::LimitExceeded { .. })
    ));
    assert!(PublishingLicense::parse(&chain, &XmlLimits::default()).is_ok());
}

#[test]
fn errors_convert_to_io() {
    let e = parse("<XrML>").unwrap_err();
    assert!(e.to_string().starts_with("malformed IRM data: "));
    let io: std::io::Error = e.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
}

/// Standard base64 (the `base64` crate the library itself uses).
fn base64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}
